package org.stylegan.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stylegan.core.TestSupport.assertAllClose;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
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

/** The polyphase path of {@link NhwcConvolution2DLayer}: gradients, equality with the direct path, path choice. */
class PolyphaseConvTest {

    private static NhwcConvolution2D conv(int k, int pad, int cOut, Activation act) {
        return new NhwcConvolution2D.Builder(k).padding(pad).nOut(cOut).activation(act).build();
    }

    private static TrainableGraph net(NhwcConvolution2D layer, int h, int w, int cIn, DataType dt, int phase) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(dt).seed(7)
                .updater(new Sgd(0.1)).weightInit(WeightInit.RELU).biasInit(0.1).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(h, w, cIn, CNN2DFormat.NHWC)).addLayer("l", layer, "in")
                .setOutputs("l").build();
        TrainableGraph net = TestSupport.graph(conf);
        layer(net).phaseOverride = phase;
        return net;
    }

    private static NhwcConvolution2DLayer layer(TrainableGraph net) {
        return (NhwcConvolution2DLayer) net.graph().getLayer("l");
    }

    private static INDArray randn(long seed, DataType dt, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, shape).castTo(dt);
    }

    @ParameterizedTest
    @CsvSource({"1, 3, 0, 8, 10, 2", "3, 3, 0, 8, 10, 2", "1, 5, 0, 10, 8, 2", "3, 5, 0, 10, 8, 2",
        "1, 4, 1, 7, 9, 2", "3, 3, 1, 8, 4, 4"})
    void polyphaseGradientsMatchFiniteDifferences(int batch, int k, int pad, int h, int w, int phase) {
        int cOut = phase == 4 ? 1 : 3;
        TrainableGraph net = net(conv(k, pad, cOut, Activation.TANH), h, w, 2, DataType.DOUBLE, phase);
        TestSupport.checkGradients(net, randn(batch, DataType.DOUBLE, batch, h, w, 2), 80 + k, 500);
    }

    @ParameterizedTest
    @CsvSource({"1", "3"})
    void oddOutputTakesTheDirectPathAndItsGradientsMatch(int batch) {
        // 9x8 input, 3x3 kernel: 7x6 output, odd height, so no phase factor divides it.
        TrainableGraph net = net(conv(3, 0, 3, Activation.TANH), 9, 8, 2, DataType.DOUBLE, -1);
        assertThat(NhwcConvolution2DLayer.Polyphase.factor(layer(net).layerConf(), 1L << 20, 7, 6)).isEqualTo(1);
        TestSupport.checkGradients(net, randn(batch + 10, DataType.DOUBLE, batch, 9, 8, 2), 77, 500);
    }

    @ParameterizedTest
    @CsvSource({"1, 3, 0, 2, 3", "3, 5, 0, 2, 3", "3, 5, 1, 2, 2", "2, 3, 1, 4, 1", "3, 9, 4, 2, 4"})
    void polyphaseEqualsDirectPathForwardAndBackward(int batch, int k, int pad, int phase, int cOut) {
        int h = 12;
        int w = 8;
        TrainableGraph poly = net(conv(k, pad, cOut, Activation.TANH), h, w, 3, DataType.DOUBLE, phase);
        TrainableGraph direct = net(conv(k, pad, cOut, Activation.TANH), h, w, 3, DataType.DOUBLE, 1);
        direct.graph().params().assign(randn(5, DataType.DOUBLE, direct.graph().params().shape()).muli(0.3));
        poly.graph().params().assign(direct.graph().params());
        compare(poly, direct, randn(6, DataType.DOUBLE, batch, h, w, 3), 1e-10, 1e-12);
    }

    @Test
    void floatGeneratorOutputShapeAgreesWithDirectPath() {
        // The generator's last conv: reflection-padded 264x264x32 -> 256x256x3, 9x9, tanh.
        TrainableGraph poly = net(conv(9, 0, 3, Activation.TANH), 264, 264, 32, DataType.FLOAT, -1);
        assertThat(NhwcConvolution2DLayer.Polyphase.factor(layer(poly).layerConf(), 1, 256, 256)).isEqualTo(2);
        TrainableGraph direct = net(conv(9, 0, 3, Activation.TANH), 264, 264, 32, DataType.FLOAT, 1);
        poly.graph().params().assign(direct.graph().params());
        compare(poly, direct, randn(8, DataType.FLOAT, 1, 264, 264, 32), 1e-4, 1e-5);
    }

    /**
     * Output, input gradient and parameter gradients of two nets with equal parameters, each within rtol of the
     * expected value or of the expected array's largest magnitude (float sums of 65536 pixels cancel to values
     * far below their terms, so element-relative error alone would test summation order).
     */
    private static void compare(TrainableGraph a, TrainableGraph b, INDArray x, double rtol, double atol) {
        close(a.output(x), b.output(x), rtol, atol);
        INDArray g = randn(9, x.dataType(), a.output(x).shape());
        a.forward(x, true);
        TrainableGraph.Backward ga = a.backward(g);
        b.forward(x, true);
        TrainableGraph.Backward gb = b.backward(g);
        close(ga.inputGradient(), gb.inputGradient(), rtol, atol);
        close(ga.paramGradient().getGradientFor("l_W"), gb.paramGradient().getGradientFor("l_W"), rtol, atol);
        close(ga.paramGradient().getGradientFor("l_b"), gb.paramGradient().getGradientFor("l_b"), rtol, atol);
    }

    private static void close(INDArray actual, INDArray expected, double rtol, double atol) {
        double scale = expected.amaxNumber().doubleValue();
        assertAllClose(actual, expected, rtol, Math.max(atol, rtol * scale));
    }

    @Test
    void pathChoiceFollowsChannelsStrideKernelSizeAndWork() {
        // nIn is set by the input type in a graph; here by hand.
        NhwcConvolution2D g3 = new NhwcConvolution2D.Builder(9).nIn(32).nOut(3).build();
        NhwcConvolution2D g1 = new NhwcConvolution2D.Builder(9).nIn(32).nOut(1).build();
        NhwcConvolution2D g8 = new NhwcConvolution2D.Builder(9).nIn(32).nOut(8).build();
        NhwcConvolution2D strided = new NhwcConvolution2D.Builder(9).stride(2).nIn(32).nOut(3).build();
        NhwcConvolution2D k1 = new NhwcConvolution2D.Builder(1).nIn(4096).nOut(3).build();
        assertThat(NhwcConvolution2DLayer.Polyphase.factor(g3, 1, 256, 256)).isEqualTo(2);
        assertThat(NhwcConvolution2DLayer.Polyphase.factor(g1, 1, 256, 256)).isEqualTo(4);
        assertThat(NhwcConvolution2DLayer.Polyphase.factor(g1, 1, 254, 254)).isEqualTo(2);
        assertThat(NhwcConvolution2DLayer.Polyphase.factor(g3, 1, 255, 256)).isEqualTo(1);
        assertThat(NhwcConvolution2DLayer.Polyphase.factor(g8, 1, 256, 256)).isEqualTo(1);
        assertThat(NhwcConvolution2DLayer.Polyphase.factor(strided, 1, 128, 128)).isEqualTo(1);
        assertThat(NhwcConvolution2DLayer.Polyphase.factor(k1, 1, 256, 256)).isEqualTo(1);
        // Too little work: the resnet discriminator's 256 -> 1, 3x3 head at 32x32, batch 1 (batch 4 pays off).
        NhwcConvolution2D head = new NhwcConvolution2D.Builder(3).padding(1).nIn(256).nOut(1).build();
        assertThat(NhwcConvolution2DLayer.Polyphase.factor(head, 1, 32, 32)).isEqualTo(1);
        assertThat(NhwcConvolution2DLayer.Polyphase.factor(head, 4, 32, 32)).isEqualTo(2);
    }
}
