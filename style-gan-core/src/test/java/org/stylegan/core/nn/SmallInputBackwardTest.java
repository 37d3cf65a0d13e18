package org.stylegan.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stylegan.core.TestSupport.assertAllClose;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.stylegan.core.TestSupport;
import org.stylegan.core.internal.TrainableGraph;

/**
 * The few-input-channel backward paths of {@link NhwcConvolution2DLayer} ({@link SmallInputBackward}): equal to
 * libnd4j's conv2d_bp in all three backward modes, and gradients that match finite differences.
 */
class SmallInputBackwardTest {

    private static TrainableGraph net(int cIn, int cOut, int k, int stride, int pad, int h, int w, DataType dt,
                                      boolean small) {
        NhwcConvolution2D layer = new NhwcConvolution2D.Builder(k).stride(stride).padding(pad).nOut(cOut)
                .activation(Activation.LEAKYRELU).build();
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(dt).seed(7)
                .updater(new Sgd(0.1)).weightInit(WeightInit.RELU).biasInit(0.1).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(h, w, cIn, CNN2DFormat.NHWC)).addLayer("l", layer, "in")
                .setOutputs("l").build();
        TrainableGraph net = TestSupport.graph(conf);
        ((NhwcConvolution2DLayer) net.graph().getLayer("l")).smallInputOverride = small ? 1 : 0;
        return net;
    }

    private static INDArray randn(long seed, DataType dt, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, shape).castTo(dt);
    }

    /**
     * Float: the new paths against conv2d_bp (the same layer with them switched off), for the full backward pass,
     * the input gradient alone ({@link TrainableGraph#inputGradient}) and the parameter gradients alone
     * ({@link TrainableGraph#parameterGradient}). Rows: D's first layer (4x4, stride 2, padding 1) at even and odd
     * sizes, G's (9x9, stride 1, no padding; 64x64 with 32 outputs takes the output-polyphase input gradient),
     * VGG's (3x3, padding 1), a kernel the stride does not divide, stride 3 and one input channel.
     */
    @ParameterizedTest
    @CsvSource({"1, 3, 16, 4, 2, 1, 16, 16", "3, 3, 16, 4, 2, 1, 17, 15", "1, 3, 8, 4, 2, 1, 64, 64",
        "3, 3, 8, 9, 1, 0, 20, 19", "1, 3, 32, 9, 1, 0, 64, 64", "3, 3, 16, 3, 1, 1, 21, 18",
        "1, 4, 8, 3, 2, 1, 13, 16", "3, 2, 8, 5, 3, 2, 19, 20", "1, 1, 8, 4, 2, 0, 14, 15"})
    void equalsConv2dBpInAllModes(int batch, int cIn, int cOut, int k, int stride, int pad, int h, int w) {
        TrainableGraph fast = net(cIn, cOut, k, stride, pad, h, w, DataType.FLOAT, true);
        TrainableGraph ref = net(cIn, cOut, k, stride, pad, h, w, DataType.FLOAT, false);
        ref.graph().params().assign(randn(5, DataType.FLOAT, ref.graph().params().shape()).muli(0.3));
        fast.graph().params().assign(ref.graph().params());
        INDArray x = randn(6, DataType.FLOAT, batch, h, w, cIn);
        INDArray g = randn(9, DataType.FLOAT, ref.output(x).shape());

        ref.forward(x, true);
        TrainableGraph.Backward expected = ref.backward(g);
        INDArray dxRef = expected.inputGradient().dup();
        INDArray dwRef = expected.paramGradient().getGradientFor("l_W").dup();
        INDArray dbRef = expected.paramGradient().getGradientFor("l_b").dup();

        fast.forward(x, true);
        TrainableGraph.Backward full = fast.backward(g);
        close(full.inputGradient(), dxRef);
        close(full.paramGradient().getGradientFor("l_W"), dwRef);
        close(full.paramGradient().getGradientFor("l_b"), dbRef);

        fast.forward(x, true);
        close(fast.inputGradient(g), dxRef);

        fast.forward(x, true);
        Gradient params = fast.parameterGradient(g);
        close(params.getGradientFor("l_W"), dwRef);
        close(params.getGradientFor("l_b"), dbRef);
    }

    /**
     * Within 1e-4 of the expected value or of the expected array's largest magnitude (float sums over thousands of
     * pixels in a different order cancel to values far below their terms).
     */
    private static void close(INDArray actual, INDArray expected) {
        assertThat(actual.shape()).isEqualTo(expected.shape());
        double scale = expected.amaxNumber().doubleValue();
        assertAllClose(actual, expected, 1e-4, Math.max(1e-6, 1e-4 * scale));
    }

    @ParameterizedTest
    @CsvSource({"1, 4, 2, 1, 10, 8", "3, 4, 2, 1, 9, 11", "1, 5, 1, 2, 8, 9", "3, 3, 2, 1, 9, 8", "3, 5, 3, 0, 11, 10"})
    void gradientsMatchFiniteDifferences(int batch, int k, int stride, int pad, int h, int w) {
        TrainableGraph net = net(3, 4, k, stride, pad, h, w, DataType.DOUBLE, true);
        TestSupport.checkGradients(net, randn(batch, DataType.DOUBLE, batch, h, w, 3), 60 + k, 400);
    }

    @Test
    void pathChoiceFollowsInputChannelsWorkAndWantedGradients() {
        NhwcConvolution2D d0 = new NhwcConvolution2D.Builder(4).stride(2).padding(1).nIn(3).nOut(64).build();
        NhwcConvolution2D d1 = new NhwcConvolution2D.Builder(4).stride(2).padding(1).nIn(64).nOut(128).build();
        long[] b4 = {4, 128, 128, 64};
        long[] half = {4, 64, 64, 64};
        long[] small = {1, 32, 32, 64};
        assertThat(SmallInputBackward.pays(d0, b4, true)).isTrue();
        assertThat(SmallInputBackward.pays(d0, b4, false)).isTrue();
        assertThat(SmallInputBackward.pays(d0, half, true)).isFalse();
        assertThat(SmallInputBackward.pays(d0, half, false)).isTrue();
        assertThat(SmallInputBackward.pays(d0, small, false)).isFalse();
        assertThat(SmallInputBackward.pays(d1, new long[] {4, 64, 64, 128}, false)).isFalse();
        // G's first layer, 3 -> 32 9x9 on a reflection-padded 264x264 input.
        NhwcConvolution2D g0 = new NhwcConvolution2D.Builder(9).nIn(3).nOut(32).build();
        assertThat(SmallInputBackward.pays(g0, new long[] {1, 256, 256, 32}, true)).isTrue();
        assertThat(SmallInputBackward.pays(g0, new long[] {1, 64, 64, 32}, true)).isFalse();
        // The 64x64, 3 -> 32 9x9 row of equalsConv2dBpInAllModes gets its input gradient (32 -> 3 channels) from the
        // output-polyphase convolution.
        assertThat(NhwcConvolution2DLayer.Polyphase.factor(new int[] {9, 9}, new int[] {1, 1}, 32, 3, 1, 64, 64))
                .isEqualTo(2);
    }

    @Test
    void phaseKernelIsTheFlippedTransposedKernelForStrideOne() {
        INDArray w = randn(3, DataType.DOUBLE, 3, 3, 2, 5);
        INDArray wd = SmallInputBackward.phaseKernel(w, new int[] {1, 1});
        assertThat(wd.shape()).containsExactly(3, 3, 5, 2);
        for (int u = 0; u < 3; u++) {
            for (int v = 0; v < 3; v++) {
                assertThat(wd.getDouble(2 - u, 2 - v, 4, 1)).isEqualTo(w.getDouble(u, v, 1, 4));
            }
        }
        // Stride 2, 3x3: padded to 4x4 with zero taps; phase (1, 1) at t = 0 reads tap 2*1 + 1 = 3, past the kernel.
        INDArray w2 = SmallInputBackward.phaseKernel(w, new int[] {2, 2});
        assertThat(w2.shape()).containsExactly(2, 2, 5, 8);
        assertThat(w2.getDouble(0, 0, 0, 3 * 2)).isZero();
        assertThat(w2.getDouble(1, 1, 2, 3 * 2 + 1)).isEqualTo(w.getDouble(1, 1, 1, 2));
    }
}
