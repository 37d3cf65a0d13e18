package org.stylegan.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stylegan.core.TestSupport.assertAllClose;

import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
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

class CustomLayersTest {

    private static INDArray input(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    private static void randomizeParams(TrainableGraph net, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray p = net.graph().params();
        p.assign(Nd4j.rand(DataType.DOUBLE, p.shape()).muli(1.5).addi(0.25)); // gamma, beta in [0.25, 1.75]
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void instanceNormGradientsMatchFiniteDifferences(int batch) {
        TrainableGraph net = TestSupport.graph(LayerGraphs.single(
                new InstanceNormalization.Builder().channels(3).build(), 3, 5, 4, DataType.DOUBLE));
        randomizeParams(net, 11);
        TestSupport.checkGradients(net, input(5, batch, 3, 5, 4).muli(2).addi(0.3), 99, 500);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void instanceNormWithFusedActivationGradientsMatch(int batch) {
        TrainableGraph net = TestSupport.graph(LayerGraphs.single(
                new InstanceNormalization.Builder().channels(2).activation(Activation.TANH).build(), 2, 4, 6,
                DataType.DOUBLE));
        randomizeParams(net, 12);
        TestSupport.checkGradients(net, input(6, batch, 2, 4, 6), 98, 500);
    }

    @Test
    void instanceNormWithAZeroScaleStillHasCorrectGradients() {
        TrainableGraph net = TestSupport.graph(LayerGraphs.single(
                new InstanceNormalization.Builder().channels(2).activation(Activation.TANH).build(), 2, 4, 4,
                DataType.DOUBLE));
        randomizeParams(net, 13);
        net.graph().params().putScalar(0, 0.0); // gamma of channel 0
        TestSupport.checkGradients(net, input(14, 3, 2, 4, 4), 93, 500);
    }

    @Test
    void instanceNormWithoutAffineHasNoParamsAndCorrectGradient() {
        TrainableGraph net = TestSupport.graph(LayerGraphs.single(
                new InstanceNormalization.Builder().channels(2).affine(false).build(), 2, 3, 3, DataType.DOUBLE));
        assertThat(net.numParams()).isZero();
        TestSupport.checkGradients(net, input(8, 3, 2, 3, 3), 97, 500);
    }

    @Test
    void instanceNormForwardNormalizesEachPlane() {
        TrainableGraph net = TestSupport.graph(LayerGraphs.single(
                new InstanceNormalization.Builder().channels(3).build(), 3, 6, 5, DataType.DOUBLE));
        INDArray x = input(9, 2, 3, 6, 5).muli(3).addi(1);
        INDArray y = net.output(x);
        // Per-plane reference with plain Java arithmetic.
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 3; c++) {
                double[] v = x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(n),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(c)).dup().data().asDouble();
                double mean = java.util.Arrays.stream(v).average().orElseThrow();
                double var = java.util.Arrays.stream(v).map(a -> (a - mean) * (a - mean)).average().orElseThrow();
                for (int i = 0; i < 6; i++) {
                    for (int j = 0; j < 5; j++) {
                        double expected = (x.getDouble(n, c, i, j) - mean) / Math.sqrt(var + 1e-5);
                        assertThat(y.getDouble(n, c, i, j)).isCloseTo(expected,
                                org.assertj.core.data.Offset.offset(1e-9));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void reflectionPaddingGradientsMatchFiniteDifferences(int batch) {
        TrainableGraph net = TestSupport.graph(LayerGraphs.single(ReflectionPadding2D.of(2, 1, 3, 1), 2, 4, 5,
                DataType.DOUBLE));
        TestSupport.checkGradients(net, input(10, batch, 2, 4, 5), 96, 500);
    }

    @Test
    void reflectionPaddingMatchesTorchLayout() {
        TrainableGraph net = TestSupport.graph(LayerGraphs.single(ReflectionPadding2D.of(2), 1, 3, 4, DataType.DOUBLE));
        INDArray x = Nd4j.arange(12).castTo(DataType.DOUBLE).reshape(1, 1, 3, 4);
        INDArray y = net.output(x);
        double[][] expected = LayerGraphs.TORCH_REFLECT_PAD2_OF_ARANGE12;
        assertAllClose(y, Nd4j.create(expected).reshape(1, 1, 7, 8), 0, 0);
    }

    @Test
    void reflectionPaddingTooLargeForInputFailsClearly() {
        TrainableGraph net = TestSupport.graph(LayerGraphs.single(ReflectionPadding2D.of(4), 1, 8, 8, DataType.FLOAT));
        assertThatThrownBy(() -> net.output(Nd4j.rand(DataType.FLOAT, 1, 1, 4, 8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("height 4");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void nearestUpsamplingGradientsMatchFiniteDifferences(int batch) {
        TrainableGraph net = TestSupport.graph(LayerGraphs.single(NearestUpsampling2D.of(2), 2, 3, 4, DataType.DOUBLE));
        TestSupport.checkGradients(net, input(13, batch, 2, 3, 4), 94, 500);
    }

    @Test
    void nearestUpsamplingByThreeGradientsMatch() {
        TrainableGraph net = TestSupport.graph(LayerGraphs.single(NearestUpsampling2D.of(3), 2, 2, 3, DataType.DOUBLE));
        TestSupport.checkGradients(net, input(14, 2, 2, 2, 3), 93, 500);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void nearestUpsamplingMatchesDl4jUpsampling2DForwardAndBackward(int batch) {
        TrainableGraph ours = TestSupport.graph(LayerGraphs.single(NearestUpsampling2D.of(2), 3, 5, 4, DataType.DOUBLE));
        TrainableGraph dl4j = TestSupport.graph(LayerGraphs.single(
                new org.deeplearning4j.nn.conf.layers.Upsampling2D.Builder(2).build(), 3, 5, 4, DataType.DOUBLE));
        INDArray x = input(15, batch, 3, 5, 4);
        assertAllClose(ours.output(x), dl4j.output(x), 0, 0);
        INDArray g = input(16, batch, 3, 10, 8);
        ours.forward(x, true);
        dl4j.forward(x, true);
        assertAllClose(ours.backward(g).inputGradient(), dl4j.backward(g).inputGradient(), 1e-12, 1e-12);
    }

    @Test
    void nearestUpsamplingCopiesEachPixelIntoAnSByBlock() {
        TrainableGraph net = TestSupport.graph(LayerGraphs.single(NearestUpsampling2D.of(2), 1, 2, 2, DataType.DOUBLE));
        INDArray y = net.output(Nd4j.create(new double[][] {{1, 2}, {3, 4}}).reshape(1, 1, 2, 2));
        double[][] expected = {{1, 1, 2, 2}, {1, 1, 2, 2}, {3, 3, 4, 4}, {3, 3, 4, 4}};
        assertAllClose(y, Nd4j.create(expected).reshape(1, 1, 4, 4), 0, 0);
        assertThatThrownBy(() -> NearestUpsampling2D.of(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scale must be >= 1");
    }

    @Test
    void nearestUpsamplingSurvivesModelSerializerRoundTrip(@TempDir Path dir) throws Exception {
        ComputationGraphConfiguration conf = LayerGraphs.single(NearestUpsampling2D.of(3), 2, 4, 4, DataType.FLOAT);
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        File f = dir.resolve("up.zip").toFile();
        ModelSerializer.writeModel(g, f, true);
        ComputationGraph loaded = ModelSerializer.restoreComputationGraph(f, true);
        assertThat(loaded.getConfiguration()).isEqualTo(g.getConfiguration());
        assertThat(((NearestUpsampling2D) loaded.getLayer("l").conf().getLayer()).getScale()).isEqualTo(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 2, 4, 4);
        assertAllClose(loaded.outputSingle(x), g.outputSingle(x), 0, 0);
    }

    @Test
    void convInstanceNormChainGradientsMatch() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(3)
                .updater(new Sgd(0.1)).graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(6, 6, 2))
                .addLayer("pad", ReflectionPadding2D.of(1), "in")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.IDENTITY)
                        .convolutionMode(ConvolutionMode.Truncate).build(), "pad")
                .addLayer("in1", new InstanceNormalization.Builder().activation(Activation.TANH).build(), "conv")
                .setOutputs("in1").build();
        TrainableGraph net = TestSupport.graph(conf);
        TestSupport.checkGradients(net, input(12, 3, 2, 6, 6), 95, 400);
    }

    @Test
    void customLayersSurviveModelSerializerRoundTrip(@TempDir Path dir) throws Exception {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(8, 8, 3))
                .addLayer("pad", ReflectionPadding2D.of(1, 2, 0, 1), "in")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY)
                        .convolutionMode(ConvolutionMode.Truncate).build(), "pad")
                .addLayer("norm", new InstanceNormalization.Builder().eps(1e-3).activation(Activation.RELU).build(),
                        "conv")
                .setOutputs("norm").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        g.params().assign(Nd4j.rand(DataType.FLOAT, g.params().shape()));
        File f = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(g, f, true);
        ComputationGraph loaded = ModelSerializer.restoreComputationGraph(f, true);
        assertThat(loaded.getConfiguration()).isEqualTo(g.getConfiguration());
        InstanceNormalization norm = (InstanceNormalization) loaded.getLayer("norm").conf().getLayer();
        assertThat(norm.getEps()).isEqualTo(1e-3);
        assertThat(((ReflectionPadding2D) loaded.getLayer("pad").conf().getLayer()).getPadding())
                .containsExactly(1, 2, 0, 1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 8, 8);
        assertAllClose(loaded.outputSingle(x), g.outputSingle(x), 0, 0);
    }
}
