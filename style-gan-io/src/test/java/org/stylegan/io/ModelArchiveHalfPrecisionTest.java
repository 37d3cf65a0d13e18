package org.stylegan.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.stylegan.io.ModelArchive.Precision;

/**
 * Graphs stored as 16-bit floats ({@link Precision#HALF}, {@code graphs-f16/NAME.zip}): fp16 coefficients,
 * bfloat16 updater state. The printed figures are the ones quoted in docs/model-format.md.
 */
class ModelArchiveHalfPrecisionTest {
    /** fp16 keeps 11 significant bits: relative rounding error <= 2^-11 (~4.9e-4) for normal values. */
    static final double HALF_RTOL = 1e-3;
    /** bfloat16 (the updater state) keeps 8 significant bits: relative rounding error <= 2^-8 (~3.9e-3). */
    static final double BF16_RTOL = Math.scalb(1.0, -8);
    /** Spacing of fp16 subnormals (2^-24): values this small lose their relative precision or round to 0. */
    static final double HALF_ATOL = Math.scalb(1.0, -24);
    /**
     * Max |output difference| HALF vs FLOAT allowed on {@link #wideGraph} (tanh outputs in [-1, 1]); measured
     * 1.4e-4 (4.0e-4 on the golden test's tiny graph; docs/model-format.md), bound with a margin of about 7.
     */
    static final double OUTPUT_ATOL = 1e-3;

    @TempDir
    Path dir;

    /**
     * An image-to-image graph wide enough (10.7k parameters) that the coefficients, not the configuration
     * JSON, dominate the entry, as in the real generators.
     */
    static ComputationGraph wideGraph(long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(1e-2))
                .weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(TinyGraphs.SIZE, TinyGraphs.SIZE, 3))
                .addLayer("conv1", new ConvolutionLayer.Builder(3, 3).nOut(32).padding(1, 1)
                        .activation(Activation.RELU).build(), "in")
                .addLayer("conv2", new ConvolutionLayer.Builder(3, 3).nOut(32).padding(1, 1)
                        .activation(Activation.RELU).build(), "conv1")
                .addLayer("conv3", new ConvolutionLayer.Builder(1, 1).nOut(3).activation(Activation.TANH).build(), "conv2")
                .addLayer("out", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).build(), "conv3")
                .setOutputs("out")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static ComputationGraph trained(long seed) {
        ComputationGraph g = wideGraph(seed);
        TinyGraphs.trainOneStep(g);
        TinyGraphs.trainOneStep(g);
        return g;
    }

    @Test
    void halfRoundTripThroughAFileKeepsParametersUpdaterStateAndOutputWithinTolerance() throws IOException {
        ComputationGraph g = trained(42);
        INDArray state0 = g.getUpdater().getStateViewArray();
        assertThat(state0.amaxNumber().doubleValue()).as("Adam state non-zero").isPositive();
        Path f = dir.resolve("ckpt.sgm");
        ModelArchive.create(Manifest.Kind.CHECKPOINT)
                .putGraph("full", g, true)
                .putGraph("half", g, true, Precision.HALF)
                .putJson("history", "{}")
                .save(f);

        ModelArchive a = ModelArchive.load(f);
        assertThat(a.names()).containsExactly("full", "half", "history");
        assertThat(a.has("half")).isTrue();
        assertThat(a.type("half")).isEqualTo(ModelArchive.EntryType.GRAPH);
        assertThat(a.precision("half")).isEqualTo(Precision.HALF);
        assertThat(a.precision("full")).isEqualTo(Precision.FLOAT);
        assertThatThrownBy(() -> a.precision("history")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is JSON, not GRAPH");

        ComputationGraph back = a.graph("half");
        assertThat(back.params().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(back.getConfiguration().getDataType()).isEqualTo(DataType.FLOAT);
        TestSupport.assertAllClose(back.params(), g.params(), HALF_RTOL, HALF_ATOL);
        // Not exact: the coefficients really were rounded (else this test would not see the precision at all).
        assertThat(back.params()).isNotEqualTo(g.params());
        INDArray state = back.getUpdater().getStateViewArray();
        assertThat(state.dataType()).isEqualTo(DataType.FLOAT);
        TestSupport.assertAllClose(state, state0, BF16_RTOL, 0);
        // bfloat16 keeps fp32's range: no non-zero moment is flushed to 0.
        assertThat(count(state.neq(0))).isEqualTo(count(state0.neq(0)));

        INDArray x = TinyGraphs.input();
        double outDiff = maxAbsDiff(back.outputSingle(x), g.outputSingle(x));
        System.out.printf("HALF round trip: max |output diff| %.3g (tiny golden-style graph %.3g), max |param diff| %.3g, "
                + "max |updater state diff| %.3g%n", outDiff, tinyOutputDiff(), maxAbsDiff(back.params(), g.params()),
                maxAbsDiff(state, state0));
        assertThat(outDiff).as("max |HALF - FLOAT output|").isGreaterThan(0).isLessThan(OUTPUT_ATOL);
        // The FLOAT entry of the same archive is still exact.
        assertThat(a.graph("full").params()).isEqualTo(g.params());
    }

    @Test
    void resumingFromAHalfCheckpointFollowsTheFloatRun() throws IOException {
        ComputationGraph g = trained(42);
        ModelArchive a = roundTrip(ModelArchive.create(Manifest.Kind.CHECKPOINT)
                .putGraph("full", g, true).putGraph("half", g, true, Precision.HALF));
        ComputationGraph full = a.graph("full");
        ComputationGraph half = a.graph("half");
        double before = maxAbsDiff(half.params(), full.params());
        INDArray p0 = full.params().dup();
        TinyGraphs.trainOneStep(full);
        TinyGraphs.trainOneStep(half);
        double step = maxAbsDiff(full.params(), p0);
        double after = maxAbsDiff(half.params(), full.params());

        // Why the updater state is bfloat16, not fp16: Adam's second moments of small gradients lie below fp16's
        // smallest subnormal, flush to 0 while the first moments survive, and m / (sqrt(v) + eps) explodes.
        INDArray state = g.getUpdater().getStateViewArray();
        long belowFp16 = count(state.neq(0)) - count(Transforms.abs(state).gte(HALF_ATOL / 2));
        assertThat(belowFp16).as("non-zero updater values fp16 would flush to 0").isPositive();
        ComputationGraph fp16State = ModelArchive.load(
                new ByteArrayInputStream(bytesWithFp16State(g)), "fp16 state").graph("g");
        TinyGraphs.trainOneStep(fp16State);
        double fp16After = maxAbsDiff(fp16State.params(), full.params());
        System.out.printf("resume: FLOAT step %.3g; HALF vs FLOAT params %.3g before, %.3g after one step; "
                + "with an fp16 updater state %.3g after (%d of %d state values flushed)%n",
                step, before, after, fp16After, belowFp16, state.length());
        assertThat(after).as("HALF-resumed vs FLOAT-resumed params").isLessThan(before + 0.1 * step);
        assertThat(fp16After).as("an fp16 updater state derails Adam").isGreaterThan(step);
    }

    @Test
    void halfEntryIsAboutHalfTheSizeAndLivesInItsOwnFolder() throws IOException {
        ComputationGraph g = trained(7);
        Path f = dir.resolve("sizes.sgm");
        ModelArchive.create(Manifest.Kind.CHECKPOINT)
                .putGraph("full", g, true).putGraph("half", g, true, Precision.HALF)
                .putGraph("fullModel", g, false).putGraph("halfModel", g, false, Precision.HALF)
                .save(f);
        try (ZipFile zip = new ZipFile(f.toFile())) {
            List<String> paths = new ArrayList<>();
            zip.stream().forEach(e -> paths.add(e.getName()));
            assertThat(paths).containsExactly("manifest.json", "graphs/full.zip", "graphs-f16/half.zip",
                    "graphs/fullModel.zip", "graphs-f16/halfModel.zip");
            double withUpdater = (double) zip.getEntry("graphs-f16/half.zip").getSize()
                    / zip.getEntry("graphs/full.zip").getSize();
            double withoutUpdater = (double) zip.getEntry("graphs-f16/halfModel.zip").getSize()
                    / zip.getEntry("graphs/fullModel.zip").getSize();
            System.out.printf("HALF/FLOAT entry size: %.3f with updater (%d/%d bytes), %.3f without (%d/%d)%n",
                    withUpdater, zip.getEntry("graphs-f16/half.zip").getSize(), zip.getEntry("graphs/full.zip").getSize(),
                    withoutUpdater, zip.getEntry("graphs-f16/halfModel.zip").getSize(),
                    zip.getEntry("graphs/fullModel.zip").getSize());
            assertThat(withUpdater).as("HALF / FLOAT size with updater").isLessThan(0.6);
            assertThat(withoutUpdater).as("HALF / FLOAT size without updater").isLessThan(0.6);
            String manifest = new String(zip.getInputStream(zip.getEntry("manifest.json")).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(manifest).contains("\"half\" : \"graphs-f16/half.zip\"")
                    .contains("\"full\" : \"graphs/full.zip\"");
        }
    }

    @Test
    void halfModelWithoutUpdaterAndLoadUpdaterFalseSkipTheState() throws IOException {
        ComputationGraph g = trained(3);
        ModelArchive a = roundTrip(ModelArchive.create(Manifest.Kind.MODEL)
                .putGraph("model", g, false, Precision.HALF)
                .putGraph("ckpt", g, true, Precision.HALF));
        ComputationGraph model = a.graph("model");
        TestSupport.assertAllClose(model.params(), g.params(), HALF_RTOL, HALF_ATOL);
        assertThat(model.getUpdater().getStateViewArray().amaxNumber().doubleValue()).isZero();
        ComputationGraph noState = a.graph("ckpt", false);
        TestSupport.assertAllClose(noState.params(), g.params(), HALF_RTOL, HALF_ATOL);
        assertThat(noState.getUpdater().getStateViewArray().amaxNumber().doubleValue()).isZero();
    }

    @Test
    void floatPrecisionIsTheThreeArgumentPutGraph() throws IOException {
        ComputationGraph g = TinyGraphs.generator(42);
        TinyGraphs.trainOneStep(g);
        ModelArchive a = roundTrip(ModelArchive.create(Manifest.Kind.CHECKPOINT)
                .putGraph("three", g, true).putGraph("four", g, true, Precision.FLOAT));
        assertThat(a.precision("three")).isEqualTo(Precision.FLOAT);
        assertThat(a.precision("four")).isEqualTo(Precision.FLOAT);
        for (String name : List.of("three", "four")) {
            ComputationGraph back = a.graph(name);
            assertThat(back.params()).isEqualTo(g.params());
            assertThat(back.getUpdater().getStateViewArray()).isEqualTo(g.getUpdater().getStateViewArray());
        }
        // The same ModelSerializer zip content (entry timestamps aside).
        assertThat(innerFiles(graphEntry(a, "four"))).containsOnlyKeys("configuration.json", "coefficients.bin",
                "updaterState.bin");
        assertThat(innerFiles(graphEntry(a, "four")).get("coefficients.bin"))
                .isEqualTo(innerFiles(graphEntry(a, "three")).get("coefficients.bin"));
    }

    @Test
    void halfAndFloatGraphsShareOneNamespace() throws IOException {
        ComputationGraph g = TinyGraphs.generator(1);
        ModelArchive a = ModelArchive.create(Manifest.Kind.MODEL)
                .putGraph("generator", g, false)
                .putBytes("rng", new byte[] {1})
                .putGraph("generator", g, false, Precision.HALF);
        assertThat(a.names()).containsExactly("generator", "rng");
        assertThat(a.precision("generator")).isEqualTo(Precision.HALF);
        Path f = dir.resolve("ns.sgm");
        a.save(f);
        assertThat(zipPaths(f)).containsExactly("manifest.json", "graphs-f16/generator.zip", "data/rng.bin");

        ModelArchive b = ModelArchive.load(f);
        b.putGraph("generator", g, false, Precision.FLOAT);
        assertThat(b.precision("generator")).isEqualTo(Precision.FLOAT);
        b.putGraph("rng", g, false, Precision.HALF);
        assertThat(b.type("rng")).isEqualTo(ModelArchive.EntryType.GRAPH);
        b.save(f);
        assertThat(zipPaths(f)).containsExactly("manifest.json", "graphs/generator.zip", "graphs-f16/rng.zip");
        b.putBytes("rng", new byte[] {2});
        assertThat(b.type("rng")).isEqualTo(ModelArchive.EntryType.BYTES);
        assertThat(b.remove("generator")).isTrue();
        assertThat(b.names()).containsExactly("rng");
    }

    @Test
    void valuesBeyondTheFp16RangeAreRefused() {
        ComputationGraph g = TinyGraphs.generator(2);
        g.params().putScalar(0, 1e5);
        ModelArchive a = ModelArchive.create(Manifest.Kind.MODEL);
        assertThatThrownBy(() -> a.putGraph("g", g, false, Precision.HALF))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("graph 'g' cannot be stored as HALF").hasMessageContaining("store it as FLOAT");
        assertThat(a.has("g")).isFalse();
        a.putGraph("g", g, false); // FLOAT keeps it
        assertThat(a.precision("g")).isEqualTo(Precision.FLOAT);
    }

    @Test
    void damagedHalfEntriesAreModelFormatExceptionsNamingTheEntry() throws IOException {
        ComputationGraph g = trained(5);
        byte[] good = graphEntry(ModelArchive.create(Manifest.Kind.MODEL).putGraph("g", g, true, Precision.HALF), "g");
        Map<String, byte[]> files = innerFiles(good);
        assertThat(files).containsOnlyKeys("configuration.json", "coefficients.bin", "updaterState.bin");

        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("text", "not a dl4j model".getBytes(StandardCharsets.UTF_8));
        cases.put("empty", new byte[0]);
        for (int cut : new int[] {1, 30, good.length / 3, good.length / 2, good.length - 23, good.length - 1}) {
            cases.put("cut at " + cut, java.util.Arrays.copyOf(good, cut));
        }
        // Cut exactly where an entry ends: a bare ZipInputStream would read the first entries and stop quietly.
        cases.put("cut after config", java.util.Arrays.copyOf(good, localHeaderOffset(good, 1)));
        cases.put("cut after coefficients", java.util.Arrays.copyOf(good, localHeaderOffset(good, 2)));
        byte[] garbled = good.clone();
        for (int i = good.length / 2; i < good.length / 2 + 64; i++) {
            garbled[i] ^= 0x5A;
        }
        cases.put("garbled", garbled);
        cases.put("no coefficients", zip(Map.of("configuration.json", files.get("configuration.json"))));
        cases.put("no configuration", zip(Map.of("coefficients.bin", files.get("coefficients.bin"))));
        cases.put("coefficients of another length", zip(Map.of("configuration.json", files.get("configuration.json"),
                "coefficients.bin", ndBytes(Nd4j.zeros(DataType.HALF, 1, 5)))));
        cases.put("updater state of another length", zip(Map.of("configuration.json", files.get("configuration.json"),
                "coefficients.bin", files.get("coefficients.bin"), "updaterState.bin", ndBytes(Nd4j.zeros(DataType.HALF, 1, 5)))));
        cases.put("config is not JSON", zip(Map.of("configuration.json", "{oops".getBytes(StandardCharsets.UTF_8),
                "coefficients.bin", files.get("coefficients.bin"))));
        cases.put("coefficients garbage", zip(Map.of("configuration.json", files.get("configuration.json"),
                "coefficients.bin", "garbage!".getBytes(StandardCharsets.UTF_8))));

        for (Map.Entry<String, byte[]> c : cases.entrySet()) {
            Path f = dir.resolve("bad-" + c.getKey().replace(' ', '-') + ".sgm");
            try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
                z.putNextEntry(new ZipEntry("manifest.json"));
                z.write(("{\"formatVersion\":1,\"libraryVersion\":\"0.1.0\",\"createdAt\":\"2024-01-02T03:04:05Z\","
                        + "\"kind\":\"MODEL\",\"config\":\"{}\",\"seed\":1,\"step\":5}").getBytes(StandardCharsets.UTF_8));
                z.putNextEntry(new ZipEntry("graphs-f16/g.zip"));
                z.write(c.getValue());
            }
            ModelArchive a = ModelArchive.load(f);
            assertThat(a.precision("g")).as(c.getKey()).isEqualTo(Precision.HALF);
            for (boolean loadUpdater : new boolean[] {true, false}) {
                if (!loadUpdater && c.getKey().startsWith("updater state")) {
                    continue; // the state is not read
                }
                assertThatThrownBy(() -> a.graph("g", loadUpdater)).as(c.getKey())
                        .isInstanceOf(ModelFormatException.class)
                        .hasMessageContaining("graph 'g'").hasMessageContaining(f.toString());
            }
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private ModelArchive roundTrip(ModelArchive a) throws IOException {
        Path f = Files.createTempFile(dir, "rt", ".sgm");
        a.save(f);
        return ModelArchive.load(f);
    }

    /** The bytes of a graph entry as the archive writes them. */
    private static byte[] graphEntry(ModelArchive a, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        a.writeTo(out);
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                if (e.getName().equals("graphs/" + name + ".zip") || e.getName().equals("graphs-f16/" + name + ".zip")) {
                    return z.readAllBytes();
                }
            }
        }
        throw new AssertionError("no graph entry " + name);
    }

    private static Map<String, byte[]> innerFiles(byte[] zip) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                m.put(e.getName(), z.readAllBytes());
            }
        }
        return m;
    }

    private static byte[] zip(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(files).entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
            }
        }
        return out.toByteArray();
    }

    private static byte[] ndBytes(INDArray a) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(out)) {
            Nd4j.write(a, d);
        }
        return out.toByteArray();
    }

    /** Offset of the k-th (0-based) local file header in a zip. */
    private static int localHeaderOffset(byte[] zip, int k) {
        int seen = 0;
        for (int i = 0; i + 3 < zip.length; i++) {
            if (zip[i] == 0x50 && zip[i + 1] == 0x4b && zip[i + 2] == 0x03 && zip[i + 3] == 0x04 && seen++ == k) {
                return i;
            }
        }
        throw new AssertionError("no local header " + k);
    }

    private static List<String> zipPaths(Path f) throws IOException {
        try (ZipFile zip = new ZipFile(f.toFile())) {
            return zip.stream().map(ZipEntry::getName).toList();
        }
    }

    static double tinyOutputDiff() throws IOException {
        ComputationGraph g = TinyGraphs.generator(2024);
        TinyGraphs.trainOneStep(g);
        ModelArchive a = ModelArchive.load(new ByteArrayInputStream(bytes(ModelArchive.create(Manifest.Kind.MODEL)
                .putGraph("g", g, false, Precision.HALF))), "tiny");
        return maxAbsDiff(a.graph("g").outputSingle(TinyGraphs.input()), g.outputSingle(TinyGraphs.input()));
    }

    static byte[] bytes(ModelArchive a) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        a.writeTo(out);
        return out.toByteArray();
    }

    static long count(INDArray mask) {
        return mask.castTo(DataType.INT64).sumNumber().longValue();
    }

    /** An archive whose graph "g" holds fp16 coefficients and an fp16 (not bfloat16) updater state. */
    static byte[] bytesWithFp16State(ComputationGraph g) throws IOException {
        byte[] json = ("{\"formatVersion\":1,\"libraryVersion\":\"0.1.0\",\"createdAt\":\"2024-01-02T03:04:05Z\","
                + "\"kind\":\"CHECKPOINT\",\"config\":\"{}\",\"seed\":1,\"step\":5}").getBytes(StandardCharsets.UTF_8);
        byte[] graph = zip(Map.of("configuration.json", g.getConfiguration().toJson().getBytes(StandardCharsets.UTF_8),
                "coefficients.bin", ndBytes(g.params().castTo(DataType.HALF)),
                "updaterState.bin", ndBytes(g.getUpdater().getStateViewArray().castTo(DataType.HALF))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("manifest.json"));
            z.write(json);
            z.putNextEntry(new ZipEntry("graphs-f16/g.zip"));
            z.write(graph);
        }
        return out.toByteArray();
    }

    static double maxAbsDiff(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }
}
