package org.stylegan.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stylegan.core.TestSupport.assertAllClose;

import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.stylegan.core.TestSupport;
import org.stylegan.core.internal.TrainableGraph;

/** NHWC convolution and NHWC instance norm: gradients, equality with the NCHW layers, serialisation, errors. */
class NhwcConvAndNormTest {

    private static ComputationGraphConfiguration single(Layer layer, CNN2DFormat f, int c, int h, int w,
                                                        DataType dt) {
        return new NeuralNetConfiguration.Builder().dataType(dt).seed(7).updater(new Sgd(0.1))
                .weightInit(WeightInit.RELU).biasInit(0.1).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(h, w, c, f))
                .addLayer("l", layer, "in").setOutputs("l").build();
    }

    private static INDArray randn(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    private static INDArray toNhwc(INDArray nchw) {
        return nchw.permute(0, 2, 3, 1).dup('c');
    }

    private static INDArray toNchw(INDArray nhwc) {
        return nhwc.permute(0, 3, 1, 2).dup('c');
    }

    private static void randomizeParams(TrainableGraph net, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray p = net.graph().params();
        p.assign(Nd4j.rand(DataType.DOUBLE, p.shape()).muli(1.5).addi(0.25));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void convGradientsMatchFiniteDifferences(int batch) {
        TrainableGraph net = TestSupport.graph(single(new NhwcConvolution2D.Builder(3).nOut(4).build(),
                CNN2DFormat.NHWC, 2, 6, 5, DataType.DOUBLE));
        TestSupport.checkGradients(net, randn(1, batch, 6, 5, 2), 90, 500);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RELU", "TANH", "LEAKYRELU"})
    void stridedPaddedConvWithActivationGradientsMatch(String act) {
        TrainableGraph net = TestSupport.graph(single(new NhwcConvolution2D.Builder(4).stride(2).padding(1).nOut(3)
                .activation(Activation.valueOf(act)).build(), CNN2DFormat.NHWC, 2, 8, 6, DataType.DOUBLE));
        TestSupport.checkGradients(net, randn(2, 3, 8, 6, 2), 91, 500);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void convMatchesDl4jConvolutionLayerForwardAndBackward(int batch) {
        int cin = 3;
        int cout = 5;
        TrainableGraph ours = TestSupport.graph(single(new NhwcConvolution2D.Builder(3).stride(2).padding(1)
                .nOut(cout).build(), CNN2DFormat.NHWC, cin, 9, 7, DataType.DOUBLE));
        TrainableGraph dl4j = TestSupport.graph(single(new ConvolutionLayer.Builder(3, 3).stride(2, 2).padding(1, 1)
                .convolutionMode(ConvolutionMode.Truncate).nOut(cout).activation(Activation.IDENTITY).build(),
                CNN2DFormat.NCHW, cin, 9, 7, DataType.DOUBLE));
        // Same weights: DL4J stores [cOut, cIn, kH, kW], ours [kH, kW, cIn, cOut].
        INDArray w = dl4j.graph().getLayer("l").getParam("W");
        INDArray b = dl4j.graph().getLayer("l").getParam("b");
        b.assign(randn(9, b.shape()));
        ours.graph().getLayer("l").getParam("W").assign(w.permute(2, 3, 1, 0));
        ours.graph().getLayer("l").getParam("b").assign(b);

        INDArray x = randn(3, batch, cin, 9, 7);
        INDArray yRef = dl4j.output(x);
        assertAllClose(toNchw(ours.output(toNhwc(x))), yRef, 1e-12, 1e-12);

        INDArray g = randn(4, yRef.shape());
        dl4j.forward(x, true);
        TrainableGraph.Backward refBw = dl4j.backward(g);
        ours.forward(toNhwc(x), true);
        TrainableGraph.Backward bw = ours.backward(toNhwc(g));
        assertAllClose(toNchw(bw.inputGradient()), refBw.inputGradient(), 1e-10, 1e-12);
        assertAllClose(bw.paramGradient().getGradientFor("l_W"),
                refBw.paramGradient().getGradientFor("l_W").permute(2, 3, 1, 0), 1e-10, 1e-12);
        assertAllClose(bw.paramGradient().getGradientFor("l_b").reshape(cout),
                refBw.paramGradient().getGradientFor("l_b").reshape(cout),
                1e-10, 1e-12);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void instanceNormNhwcGradientsMatchFiniteDifferences(int batch) {
        TrainableGraph net = TestSupport.graph(single(new InstanceNormalization.Builder()
                .dataFormat(CNN2DFormat.NHWC).build(), CNN2DFormat.NHWC, 3, 5, 4, DataType.DOUBLE));
        randomizeParams(net, 11);
        TestSupport.checkGradients(net, randn(5, batch, 5, 4, 3).muli(2).addi(0.3), 99, 500);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RELU", "TANH"})
    void instanceNormNhwcWithFusedActivationGradientsMatch(String act) {
        TrainableGraph net = TestSupport.graph(single(new InstanceNormalization.Builder()
                .dataFormat(CNN2DFormat.NHWC).activation(Activation.valueOf(act)).build(), CNN2DFormat.NHWC,
                3, 4, 5, DataType.DOUBLE));
        randomizeParams(net, 12);
        TestSupport.checkGradients(net, randn(6, 3, 4, 5, 3), 98, 500);
    }

    @Test
    void instanceNormNhwcWithoutAffineGradientsMatch() {
        TrainableGraph net = TestSupport.graph(single(new InstanceNormalization.Builder().affine(false)
                .dataFormat(CNN2DFormat.NHWC).build(), CNN2DFormat.NHWC, 2, 4, 4, DataType.DOUBLE));
        TestSupport.checkGradients(net, randn(7, 2, 4, 4, 2), 97, 500);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void instanceNormNhwcMatchesNchwForwardAndBackward(int batch) {
        TrainableGraph nhwc = TestSupport.graph(single(new InstanceNormalization.Builder().activation(Activation.RELU)
                .dataFormat(CNN2DFormat.NHWC).build(), CNN2DFormat.NHWC, 4, 6, 5, DataType.DOUBLE));
        TrainableGraph nchw = TestSupport.graph(single(new InstanceNormalization.Builder().activation(Activation.RELU)
                .build(), CNN2DFormat.NCHW, 4, 6, 5, DataType.DOUBLE));
        randomizeParams(nchw, 13);
        nhwc.graph().params().assign(nchw.graph().params());
        INDArray x = randn(8, batch, 4, 6, 5).muli(3).addi(1);
        assertAllClose(toNchw(nhwc.output(toNhwc(x))), nchw.output(x), 1e-10, 1e-12);
        INDArray g = randn(9, batch, 4, 6, 5);
        nchw.forward(x, true);
        TrainableGraph.Backward ref = nchw.backward(g);
        nhwc.forward(toNhwc(x), true);
        TrainableGraph.Backward bw = nhwc.backward(toNhwc(g));
        assertAllClose(toNchw(bw.inputGradient()), ref.inputGradient(), 1e-9, 1e-12);
        assertAllClose(bw.paramGradient().gradient(), ref.paramGradient().gradient(), 1e-9, 1e-12);
    }

    @Test
    void floatNhwcLayersAgreeWithDoubleOnes() {
        // The float path runs on oneDNN (conv2d, batchnorm); the double path on libnd4j's generic loops.
        ComputationGraphConfiguration conf = chain(DataType.FLOAT);
        TrainableGraph f = TestSupport.graph(conf);
        TrainableGraph d = TestSupport.graph(chain(DataType.DOUBLE));
        d.graph().params().assign(f.graph().params().castTo(DataType.DOUBLE));
        INDArray x = randn(10, 2, 12, 12, 3);
        assertAllClose(f.output(x.castTo(DataType.FLOAT)).castTo(DataType.DOUBLE), d.output(x), 1e-3, 1e-4);
    }

    private static ComputationGraphConfiguration chain(DataType dt) {
        return new NeuralNetConfiguration.Builder().dataType(dt).seed(5).updater(new Sgd(0.1))
                .weightInit(WeightInit.RELU).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(12, 12, 3, CNN2DFormat.NHWC))
                .addLayer("conv", new NhwcConvolution2D.Builder(3).padding(1).nOut(16).build(), "in")
                .addLayer("norm", new InstanceNormalization.Builder().dataFormat(CNN2DFormat.NHWC)
                        .activation(Activation.RELU).build(), "conv")
                .addLayer("conv2", new NhwcConvolution2D.Builder(3).stride(2).padding(1).nOut(8)
                        .activation(Activation.TANH).build(), "norm")
                .setOutputs("conv2").build();
    }

    @Test
    void chainGradientsMatchFiniteDifferences() {
        TrainableGraph net = TestSupport.graph(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .seed(5).updater(new Sgd(0.1)).weightInit(WeightInit.RELU).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(6, 6, 2, CNN2DFormat.NHWC))
                .addLayer("conv", new NhwcConvolution2D.Builder(3).padding(1).nOut(3).build(), "in")
                .addLayer("norm", new InstanceNormalization.Builder().dataFormat(CNN2DFormat.NHWC)
                        .activation(Activation.RELU).build(), "conv")
                .addLayer("conv2", new NhwcConvolution2D.Builder(3).nOut(2).activation(Activation.TANH).build(),
                        "norm")
                .setOutputs("conv2").build());
        TestSupport.checkGradients(net, randn(11, 3, 6, 6, 2), 96, 400);
    }

    @Test
    void nhwcLayersSurviveModelSerializerRoundTrip(@TempDir Path dir) throws Exception {
        ComputationGraph g = new ComputationGraph(chain(DataType.FLOAT));
        g.init();
        File file = dir.resolve("nhwc.zip").toFile();
        ModelSerializer.writeModel(g, file, true);
        ComputationGraph loaded = ModelSerializer.restoreComputationGraph(file, true);
        assertThat(loaded.getConfiguration()).isEqualTo(g.getConfiguration());
        NhwcConvolution2D conv2 = (NhwcConvolution2D) loaded.getLayer("conv2").conf().getLayer();
        assertThat(conv2.getStride()).containsExactly(2, 2);
        assertThat(conv2.getPadding()).containsExactly(1, 1);
        assertThat(((InstanceNormalization) loaded.getLayer("norm").conf().getLayer()).getDataFormat())
                .isEqualTo(CNN2DFormat.NHWC);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 12, 12, 3);
        assertAllClose(loaded.outputSingle(x), g.outputSingle(x), 0, 0);
    }

    @Test
    void instanceNormJsonWithoutFormatLoadsAsNchw() {
        ComputationGraphConfiguration conf = single(new InstanceNormalization.Builder().build(), CNN2DFormat.NCHW,
                3, 4, 4, DataType.FLOAT);
        String json = conf.toJson().replaceAll(",\\s*\"dataFormat\"\\s*:\\s*\"NCHW\"", "");
        assertThat(json).doesNotContain("dataFormat");
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
        InstanceNormalization in = (InstanceNormalization) ((org.deeplearning4j.nn.conf.graph.LayerVertex)
                back.getVertices().get("l")).getLayerConf().getLayer();
        assertThat(in.getDataFormat()).isEqualTo(CNN2DFormat.NCHW);
    }

    @Test
    void wrongLayoutsAndShapesFailClearly() {
        assertThatThrownBy(() -> single(new NhwcConvolution2D.Builder(3).nOut(2).build(), CNN2DFormat.NCHW, 3, 8, 8,
                DataType.FLOAT)).hasMessageContaining("NHWC").hasMessageContaining("LayoutPermute2D");
        assertThatThrownBy(() -> new NhwcConvolution2D.Builder(3).build()).hasMessageContaining("nOut");
        assertThatThrownBy(() -> new NhwcConvolution2D.Builder(0)).hasMessageContaining("kernel");
        assertThatThrownBy(() -> new NhwcConvolution2D.Builder(3).stride(0)).hasMessageContaining("stride");
        TrainableGraph net = TestSupport.graph(single(new NhwcConvolution2D.Builder(3).nOut(2).build(),
                CNN2DFormat.NHWC, 3, 8, 8, DataType.FLOAT));
        assertThatThrownBy(() -> net.output(Nd4j.rand(DataType.FLOAT, 1, 3, 8, 8)))
                .hasMessageContaining("expects NHWC input [batch, height, width, 3]");
        assertThatThrownBy(() -> net.output(Nd4j.rand(DataType.FLOAT, 1, 2, 2, 3)))
                .hasMessageContaining("smaller than the kernel");
    }
}
