package org.stylegan.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * A model file written by an earlier build (format 1) must keep loading and give the recorded output.
 *
 * <p>The golden files were made once by {@link #writeGoldenFiles()}:
 * {@code mvn -o -pl style-gan-io test -Dtest=GoldenModelFileTest -Dstylegan.writeGolden=true}.
 * Never regenerate them to make this test pass: a failure means old model files no longer load.
 */
class GoldenModelFileTest {
    static final String MODEL = "/golden/tiny-generator-format1.sgm";
    static final String EXPECTED = "/golden/tiny-generator-format1.expected.json";

    @Test
    void goldenFileLoadsAndGivesTheRecordedOutput() throws IOException {
        Path tmp = Files.createTempFile("golden", ".sgm");
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
            Manifest m = a.manifest();
            assertThat(m.formatVersion()).isEqualTo(1);
            assertThat(m.kind()).isEqualTo(Manifest.Kind.MODEL);
            assertThat(m.seed()).isEqualTo(2024);
            assertThat(m.step()).isEqualTo(1);
            assertThat(m.configJson()).isEqualTo("{\"name\":\"tiny-generator\",\"channels\":4}");
            assertThat(m.extra()).containsEntry("purpose", "golden test file");
            assertThat(a.json("history")).contains("\"loss\"");

            ComputationGraph g = a.graph("generator");
            assertThat(g.numParams()).isEqualTo(expected.get("numParams").asLong());
            INDArray out = g.outputSingle(TinyGraphs.input());
            JsonNode values = expected.get("output");
            assertThat(out.length()).isEqualTo(values.size());
            float[] expectedOut = new float[values.size()];
            for (int i = 0; i < expectedOut.length; i++) {
                expectedOut[i] = (float) values.get(i).asDouble();
            }
            TestSupport.assertAllClose(out, Nd4j.create(expectedOut, out.shape(), 'c'), 1e-5, 1e-6);
            assertThat(g.params().sumNumber().doubleValue())
                    .isCloseTo(expected.get("paramSum").asDouble(), org.assertj.core.data.Offset.offset(1e-4));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Generator of the golden files; runs only when asked to (see the class comment). */
    @Test
    @EnabledIfSystemProperty(named = "stylegan.writeGolden", matches = "true")
    void writeGoldenFiles() throws IOException {
        Path dir = Path.of("src/test/resources/golden");
        Files.createDirectories(dir);
        ComputationGraph g = TinyGraphs.generator(2024);
        TinyGraphs.trainOneStep(g);
        ModelArchive.create(Manifest.Kind.MODEL)
                .config("{\"name\":\"tiny-generator\",\"channels\":4}")
                .seed(2024)
                .step(1)
                .extra("purpose", "golden test file")
                .putGraph("generator", g, false)
                .putJson("history", "{\"loss\":[0.5]}")
                .save(dir.resolve(Path.of(MODEL).getFileName().toString()));
        INDArray out = g.outputSingle(TinyGraphs.input());
        float[] v = out.dup('c').data().asFloat();
        StringBuilder sb = new StringBuilder("{\n  \"numParams\": ").append(g.numParams())
                .append(",\n  \"paramSum\": ").append(String.format(Locale.ROOT, "%.9g", g.params().sumNumber().doubleValue()))
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
