package org.stylegan.core.net;

import org.stylegan.core.TestSupport;
import static org.stylegan.core.TestSupport.assertAllClose;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.stylegan.core.net.Generator;
import org.stylegan.core.net.GeneratorConfig;
import org.stylegan.core.net.Discriminator;
import org.stylegan.core.net.DiscriminatorConfig;
import org.stylegan.core.net.FeatureExtractor;
import org.stylegan.core.net.Features;
import org.stylegan.core.internal.TrainableGraph;

/**
 * The NHWC networks (the default for new models) against the NCHW ones (format-1 models, DL4J's own layers): same
 * config and seed give the same weights, so the two layouts must compute the same function and input gradient.
 */
class NhwcLayoutTest {
    private static final GeneratorConfig GEN = Generator.builder().baseFilters(4).residualBlocks(2).seed(3).build()
            .config();

    private static INDArray image(long seed, DataType dt, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(dt, shape).muli(2).subi(1);
    }

    private static TrainableGraph generator(boolean nhwc, DataType dt) {
        return new TrainableGraph(Generator.graphConfiguration(GEN, new Adam(1e-3), dt, nhwc), null, null);
    }

    @Test
    void nhwcAndNchwGeneratorsComputeTheSameFunction() {
        TrainableGraph nhwc = generator(true, DataType.FLOAT);
        TrainableGraph nchw = generator(false, DataType.FLOAT);
        INDArray x = image(1, DataType.FLOAT, 2, 3, 24, 32);
        assertAllClose(nhwc.output(x), nchw.output(x), 1e-4, 1e-5);
        assertAllClose(nhwc.forward(x, true), nchw.forward(x, true), 1e-4, 1e-5);
    }

    @Test
    void nhwcAndNchwGeneratorsHaveTheSameInputGradient() {
        TrainableGraph nhwc = generator(true, DataType.DOUBLE);
        TrainableGraph nchw = generator(false, DataType.DOUBLE);
        INDArray x = image(2, DataType.DOUBLE, 2, 3, 16, 16);
        INDArray g = image(3, DataType.DOUBLE, 2, 3, 16, 16);
        nhwc.forward(x, true);
        nchw.forward(x, true);
        assertAllClose(nhwc.backward(g).inputGradient(), nchw.backward(g).inputGradient(), 1e-9, 1e-12);
    }

    @Test
    void nhwcAndNchwDiscriminatorsComputeTheSameFunctionAndInputGradient() {
        for (DiscriminatorConfig.Type type : DiscriminatorConfig.Type.values()) {
            DiscriminatorConfig c = Discriminator.builder().type(type).baseFilters(4).layers(2).seed(4).build()
                    .config();
            ComputationGraphConfiguration a = Discriminator.graphConfiguration(c, new Adam(), DataType.DOUBLE, true);
            ComputationGraphConfiguration b = Discriminator.graphConfiguration(c, new Adam(), DataType.DOUBLE, false);
            TrainableGraph nhwc = new TrainableGraph(a, null, null);
            TrainableGraph nchw = new TrainableGraph(b, null, null);
            INDArray x = image(5, DataType.DOUBLE, 2, 3, 32, 32);
            INDArray y = nchw.forward(x, true);
            assertAllClose(nhwc.forward(x, true), y, 1e-9, 1e-12);
            INDArray g = image(6, DataType.DOUBLE, y.shape());
            // Compared as a whole (relative L2 error), not element by element: DL4J's leaky ReLU backprop (the NCHW
            // side) uses alpha in float precision even in double (0.20000000298 for 0.2) while the NHWC layers use
            // the exact alpha, a 1.5e-8 relative difference that cancellation magnifies in small elements.
            INDArray expected = nchw.backward(g).inputGradient();
            double rel = nhwc.backward(g).inputGradient().sub(expected).norm2Number().doubleValue()
                    / expected.norm2Number().doubleValue();
            org.assertj.core.api.Assertions.assertThat(rel).as(type.toString()).isLessThan(1e-7);
        }
    }

    @Test
    void backwardHandsOutPerVariableGradientsAsViewsOfOneFlatCopy() {
        TrainableGraph g = generator(true, DataType.FLOAT);
        INDArray x = image(7, DataType.FLOAT, 1, 3, 16, 16);
        g.forward(x, true);
        TrainableGraph.Backward bw = g.backward(image(8, DataType.FLOAT, 1, 3, 16, 16));
        org.deeplearning4j.nn.gradient.Gradient live = g.graph().getGradient();
        INDArray flat = bw.paramGradient().gradient();
        org.assertj.core.api.Assertions.assertThat(flat).isNotSameAs(g.graph().getGradientsViewArray());
        java.util.Map<String, INDArray> values = new java.util.HashMap<>();
        for (java.util.Map.Entry<String, INDArray> e : live.gradientForVariable().entrySet()) {
            INDArray copy = bw.paramGradient().getGradientFor(e.getKey());
            assertAllClose(copy, e.getValue(), 0, 0);
            values.put(e.getKey(), copy.dup());
        }
        flat.addi(1.0); // every per-variable gradient is a view of the one flat copy
        values.forEach((k, v) -> assertAllClose(bw.paramGradient().getGradientFor(k), v.add(1.0), 1e-6, 1e-6));
        flat.subi(1.0);
        // A later pass must not change the copies.
        INDArray before = flat.dup();
        g.forward(image(9, DataType.FLOAT, 1, 3, 16, 16), true);
        g.backward(image(10, DataType.FLOAT, 1, 3, 16, 16));
        assertAllClose(flat, before, 0, 0);
    }

    @Test
    void inputGradientAloneEqualsTheFullBackwardsInputGradient() {
        for (int size : new int[] {32, 33}) { // 33: stride-2 convs drop a row, so the deconv shortcut must step aside
            DiscriminatorConfig c = Discriminator.builder().baseFilters(4).layers(2).seed(4).build().config();
            TrainableGraph d = new TrainableGraph(Discriminator.graphConfiguration(c, new Adam(), DataType.DOUBLE, true),
                    null, null);
            INDArray x = image(11, DataType.DOUBLE, 2, 3, size, size);
            INDArray y = d.forward(x, true);
            INDArray g = image(12, DataType.DOUBLE, y.shape());
            INDArray only = d.inputGradient(g);
            d.forward(x, true);
            assertAllClose(only, d.backward(g).inputGradient(), 1e-10, 1e-12);
        }
        FeatureExtractor fx = FeatureExtractor.random(3);
        INDArray x = image(13, DataType.FLOAT, 1, 3, 32, 32);
        Features f = fx.forward(x);
        INDArray viaExtractor = fx.backward(f, java.util.Map.of("relu2_2", f.get("relu2_2").mul(2)));
        org.assertj.core.api.Assertions.assertThat(viaExtractor.shape()).containsExactly(1, 3, 32, 32);
        org.assertj.core.api.Assertions.assertThat(viaExtractor.norm2Number().doubleValue()).isGreaterThan(0);
    }

    @Test
    void parameterGradientAloneEqualsTheFullBackwardsParameterGradient() {
        // The generator's first conv (3 -> f, 9x9, stride 1, input already padded) then takes the correlation path.
        for (int batch : new int[] {1, 3}) {
            TrainableGraph g = generator(true, DataType.DOUBLE);
            INDArray x = image(14, DataType.DOUBLE, batch, 3, 16, 16);
            INDArray dy = image(15, DataType.DOUBLE, batch, 3, 16, 16);
            g.forward(x, true);
            INDArray only = g.parameterGradient(dy).gradient().dup();
            g.forward(x, true);
            assertAllClose(only, g.backward(dy).paramGradient().gradient(), 1e-10, 1e-12);
        }
    }

    @Test
    void aSavedNchwGeneratorStillRestoresAndMatchesTheNhwcOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // What format-1 model files hold: the NCHW graph of DL4J's own layers.
        org.deeplearning4j.nn.graph.ComputationGraph old = new org.deeplearning4j.nn.graph.ComputationGraph(
                Generator.graphConfiguration(GEN, new Adam(1e-3), DataType.FLOAT, false));
        old.init();
        java.io.File f = dir.resolve("old.zip").toFile();
        org.deeplearning4j.util.ModelSerializer.writeModel(old, f, true);
        Generator restored = Generator.restore(GEN,
                org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(f, true));
        org.assertj.core.api.Assertions.assertThat(restored.graph().getLayers())
                .noneMatch(l -> l instanceof org.stylegan.core.nn.NhwcConvolution2DLayer);
        INDArray x = image(16, DataType.FLOAT, 1, 3, 24, 24);
        assertAllClose(restored.output(x), generator(true, DataType.FLOAT).output(x), 1e-4, 1e-5);
    }
}
