package org.stylegan.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.assertj.core.data.Offset;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * A format-1 file with a HALF graph ({@code graphs-f16/generator.zip}: fp16 coefficients, bfloat16 Adam state),
 * written by an earlier build, must keep loading and give the recorded output and state.
 *
 * <p>Made once by {@link #writeGoldenHalfFiles()}:
 * {@code mvn -o -pl style-gan-io test -Dtest=GoldenHalfModelFileTest -Dstylegan.writeGoldenHalf=true}.
 * Never regenerate them to make this test pass: a failure means old HALF model files no longer load.
 */
class GoldenHalfModelFileTest {
    static final String MODEL = "/golden/tiny-generator-format1-f16.sgm";
    static final String EXPECTED = "/golden/tiny-generator-format1-f16.expected.json";

    @Test
    void goldenHalfFileLoadsAndGivesTheRecordedOutputAndState() throws IOException {
        Path tmp = Files.createTempFile("golden-f16", ".sgm");
        try {
            try (InputStream in = getClass().getResourceAsStream(MODEL)) {
                assertThat(in).as("golden model resource " + MODEL).isNotNull();
                Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            JsonNode expected;
            try (InputStream in = getClass().getResourceAsStream(EXPECTED)) {
                expected = new ObjectMapper().readTree(in);
            }
            ModelArchive a = ModelArchive.load(tmp);
            assertThat(a.manifest().formatVersion()).isEqualTo(1);
            assertThat(a.manifest().kind()).isEqualTo(Manifest.Kind.CHECKPOINT);
            assertThat(a.names()).containsExactly("generator");
            assertThat(a.precision("generator")).isEqualTo(ModelArchive.Precision.HALF);

            ComputationGraph g = a.graph("generator");
            assertThat(g.params().dataType()).isEqualTo(DataType.FLOAT);
            assertThat(g.numParams()).isEqualTo(expected.get("numParams").asLong());
            // The restored values are exactly the fp16/bfloat16 values in the file, so the sums are tight.
            assertThat(g.params().sumNumber().doubleValue())
                    .isCloseTo(expected.get("paramSum").asDouble(), Offset.offset(1e-5));
            assertThat(g.getUpdater().getStateViewArray().sumNumber().doubleValue())
                    .isCloseTo(expected.get("updaterStateSum").asDouble(), Offset.offset(1e-5));
            INDArray out = g.outputSingle(TinyGraphs.input());
            JsonNode values = expected.get("output");
            assertThat(out.length()).isEqualTo(values.size());
            float[] expectedOut = new float[values.size()];
            for (int i = 0; i < expectedOut.length; i++) {
                expectedOut[i] = (float) values.get(i).asDouble();
            }
            TestSupport.assertAllClose(out, Nd4j.create(expectedOut, out.shape(), 'c'), 1e-5, 1e-6);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Generator of the golden files; runs only when asked to (see the class comment). */
    @Test
    @EnabledIfSystemProperty(named = "stylegan.writeGoldenHalf", matches = "true")
    void writeGoldenHalfFiles() throws IOException {
        Path dir = Path.of("src/test/resources/golden");
        Files.createDirectories(dir);
        ComputationGraph g = TinyGraphs.generator(2024);
        TinyGraphs.trainOneStep(g);
        Path file = dir.resolve(Path.of(MODEL).getFileName().toString());
        ModelArchive.create(Manifest.Kind.CHECKPOINT)
                .config("{\"name\":\"tiny-generator\",\"channels\":4}")
                .seed(2024)
                .step(1)
                .extra("purpose", "golden test file, HALF graph")
                .putGraph("generator", g, true, ModelArchive.Precision.HALF)
                .save(file);
        // Recorded from the restored graph: what a reader of this file must reproduce.
        ComputationGraph back = ModelArchive.load(file).graph("generator");
        float[] v = back.outputSingle(TinyGraphs.input()).dup('c').data().asFloat();
        StringBuilder sb = new StringBuilder("{\n  \"numParams\": ").append(back.numParams())
                .append(",\n  \"paramSum\": ").append(String.format(Locale.ROOT, "%.9g", back.params().sumNumber().doubleValue()))
                .append(",\n  \"updaterStateSum\": ").append(String.format(Locale.ROOT, "%.9g",
                        back.getUpdater().getStateViewArray().sumNumber().doubleValue()))
                .append(",\n  \"inputShape\": [1, 3, 8, 8],\n  \"input\": \"x[i] = sin(0.37 i), i in NCHW order\"")
                .append(",\n  \"output\": [");
        for (int i = 0; i < v.length; i++) {
            sb.append(i % 8 == 0 ? "\n    " : " ").append(String.format(Locale.ROOT, "%.9g", v[i]))
                    .append(i < v.length - 1 ? "," : "");
        }
        sb.append("\n  ]\n}\n");
        Files.writeString(dir.resolve(Path.of(EXPECTED).getFileName().toString()), sb.toString(), StandardCharsets.UTF_8);
    }
}
