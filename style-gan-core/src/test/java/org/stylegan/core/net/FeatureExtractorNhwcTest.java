package org.stylegan.core.net;

import org.stylegan.core.TestSupport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.stylegan.core.TestSupport.assertAllClose;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stylegan.core.nn.MaxPooling2DLayer;
import org.stylegan.core.nn.NhwcConvolution2DLayer;
import org.stylegan.core.net.FeatureExtractor;
import org.stylegan.core.net.Features;

/**
 * The random feature network runs NHWC inside; built with the same seed from DL4J's NCHW layers it must compute the
 * same taps and the same image gradient. The NHWC network's own image gradient is checked by finite differences.
 */
class FeatureExtractorNhwcTest {
    private static final String[] ALL_STYLE = {"relu1_1", "relu1_2", "relu2_1", "relu2_2", "relu3_1"};

    private static FeatureExtractor.Builder builder(long seed, DataType dt) {
        return FeatureExtractor.builder().seed(seed).styleTaps(ALL_STYLE).contentTap("relu2_2").dataType(dt);
    }

    private static INDArray image(long seed, DataType dt, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(dt, shape).muli(2).subi(1);
    }

    @Test
    void defaultExtractorIsNhwcInside() {
        FeatureExtractor fe = FeatureExtractor.random(1);
        long convs = 0;
        for (Layer l : fe.graph().getLayers()) {
            assertThat(l).isNotInstanceOf(org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class);
            convs += l instanceof NhwcConvolution2DLayer ? 1 : 0;
        }
        assertThat(convs).isEqualTo(4);
        assertThat(fe.graph().getLayer("pool2")).isInstanceOf(MaxPooling2DLayer.class);
    }

    @Test
    void nhwcAndNchwExtractorsComputeTheSameTaps() {
        FeatureExtractor nhwc = builder(5, DataType.FLOAT).build(true);
        FeatureExtractor nchw = builder(5, DataType.FLOAT).build(false);
        assertThat(nhwc.taps()).containsExactly(ALL_STYLE).isEqualTo(nchw.taps());
        assertThat(nhwc.numParams()).isEqualTo(nchw.numParams());
        INDArray x = image(6, DataType.FLOAT, 2, 3, 20, 28);
        Features a = nhwc.forward(x);
        Features b = nchw.forward(x);
        Features c = nhwc.extract(x);
        for (String t : ALL_STYLE) {
            assertAllClose(a.get(t), b.get(t), 1e-4, 1e-4);
            assertAllClose(c.get(t), b.get(t), 1e-4, 1e-4);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void nhwcAndNchwExtractorsHaveTheSameImageGradient(int batch) {
        FeatureExtractor nhwc = builder(7, DataType.DOUBLE).build(true);
        FeatureExtractor nchw = builder(7, DataType.DOUBLE).build(false);
        INDArray x = image(8, DataType.DOUBLE, batch, 3, 12, 16);
        Features a = nhwc.forward(x);
        Features b = nchw.forward(x);
        Map<String, INDArray> grads = new LinkedHashMap<>();
        long seed = 9;
        for (String t : new String[] {"relu1_2", "relu2_2", "relu3_1"}) {
            grads.put(t, image(seed++, DataType.DOUBLE, b.get(t).shape()));
        }
        for (String t : ALL_STYLE) {
            assertAllClose(a.get(t), b.get(t), 1e-9, 1e-12);
        }
        assertAllClose(nhwc.backward(a, grads), nchw.backward(b, grads), 1e-9, 1e-12);
    }

    @Test
    void releaseActivationsKeepsTheCallersGradientsAndTheTaps() {
        for (boolean nhwc : new boolean[] {true, false}) {
            FeatureExtractor fe = FeatureExtractor.builder().seed(3).build(nhwc);
            INDArray x = image(4, DataType.FLOAT, 1, 3, 16, 16);
            Features f = fe.forward(x);
            INDArray tap = f.get("relu1_2").dup();
            INDArray g = image(5, DataType.FLOAT, f.content().shape());
            INDArray dx = fe.backward(f, Map.of("relu2_2", g));
            fe.releaseActivations();
            assertThat(g.wasClosed()).as("caller's gradient closed (nhwc=%s)", nhwc).isFalse();
            assertAllClose(f.get("relu1_2"), tap, 0, 0);
            // and a second step with the same gradient array gives the same result
            Features f2 = fe.forward(x);
            assertAllClose(fe.backward(f2, Map.of("relu2_2", g)), dx, 1e-6, 1e-6);
            fe.releaseActivations();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void nhwcExtractorImageGradientMatchesFiniteDifferences(int batch) {
        FeatureExtractor fe = builder(11, DataType.DOUBLE).build(true);
        INDArray x = image(12, DataType.DOUBLE, batch, 3, 8, 12);
        Features f = fe.forward(x);
        Map<String, INDArray> w = new LinkedHashMap<>();
        long seed = 13;
        for (String t : ALL_STYLE) {
            w.put(t, image(seed++, DataType.DOUBLE, f.get(t).shape()).muli(0.5));
        }
        // The network is piecewise linear (convs, ReLU, max pooling), so central differences carry no truncation
        // error; a step of 1e-5 keeps the round-off of a five-tap loss below the tolerance.
        TestSupport.checkFeatureGradient(fe, x, w, 1e-5, 80);
    }
}
