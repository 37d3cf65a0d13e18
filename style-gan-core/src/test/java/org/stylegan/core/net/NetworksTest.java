package org.stylegan.core.net;

import org.stylegan.core.TestSupport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.stylegan.core.net.Generator;
import org.stylegan.core.net.GeneratorConfig;
import org.stylegan.core.net.Discriminator;
import org.stylegan.core.net.DiscriminatorConfig;
import org.stylegan.core.net.FeatureExtractor;
import org.stylegan.core.net.Features;
import org.stylegan.core.net.Normalization;
import org.stylegan.core.net.Padding;
import org.stylegan.core.net.Upsampling;
import org.stylegan.core.internal.TrainableGraph;

class NetworksTest {

    private static INDArray image(long seed, int b, int h, int w) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, b, 3, h, w).muli(2).subi(1);
    }

    @Test
    void defaultGeneratorMapsImagesToSameSizeInTanhRange() {
        Generator g = Generator.builder().build();
        assertThat(g.config()).isEqualTo(GeneratorConfig.defaults());
        INDArray y = g.output(image(1, 1, 36, 52));
        assertThat(y.shape()).containsExactly(1, 3, 36, 52);
        assertThat(y.maxNumber().doubleValue()).isLessThanOrEqualTo(1.0);
        assertThat(y.minNumber().doubleValue()).isGreaterThanOrEqualTo(-1.0);
    }

    @Test
    void defaultGeneratorHasTheReferenceParameterCount() {
        // torch: sum(p.numel() for p in generator().parameters()) with affine instance norm
        assertThat(Generator.builder().build().numParams()).isEqualTo(1_679_235L);
    }

    @Test
    void generatorRejectsSizesNotDivisibleByFour() {
        Generator g = Generator.builder().baseFilters(4).residualBlocks(1).build();
        assertThatThrownBy(() -> g.output(image(1, 1, 30, 32)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("height 30 is not divisible by 4; pad the image (ImageOps.padToMultiple) or resize");
        assertThatThrownBy(() -> g.engine().forward(image(1, 1, 32, 30), true))
                .hasMessageContaining("width 30 is not divisible by 4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ZERO", "REFLECTION"})
    void generatorVariantsKeepShape(String padding) {
        for (Upsampling up : Upsampling.values()) {
            for (Normalization n : Normalization.values()) {
                Generator g = Generator.builder().baseFilters(4).residualBlocks(1).padding(Padding.valueOf(padding))
                        .upsampling(up).normalization(n).build();
                assertThat(g.engine().forward(image(2, 2, 16, 24), true).shape()).containsExactly(2, 3, 16, 24);
            }
        }
    }

    @Test
    void patchGanMatchesReferenceShapeAndParameterCount() {
        Discriminator d = Discriminator.builder().build();
        assertThat(d.numParams()).isEqualTo(2_766_529L);
        // 64 -> 32 -> 16 -> 8 -> 7 -> 6
        assertThat(d.output(image(3, 2, 64, 64)).shape()).containsExactly(2, 1, 6, 6);
        assertThat(d.config().outputSize(256)).isEqualTo(30);
    }

    @Test
    void resnetDiscriminatorGlobalAndPatchOutputs() {
        Discriminator global = Discriminator.builder().type(DiscriminatorConfig.Type.RESNET).baseFilters(8)
                .layers(3).output(DiscriminatorConfig.Output.GLOBAL).build();
        assertThat(global.output(image(4, 3, 32, 32)).shape()).containsExactly(3, 1);
        Discriminator patch = Discriminator.builder().type(DiscriminatorConfig.Type.RESNET).baseFilters(8)
                .layers(2).build();
        assertThat(patch.output(image(4, 3, 32, 32)).shape()).containsExactly(3, 1, 8, 8);
    }

    @Test
    void discriminatorBackwardLeavesParametersAndUpdaterStateUntouched() {
        Discriminator d = Discriminator.builder().baseFilters(8).build();
        // One real step so the Adam state is non-trivial.
        INDArray x = image(5, 2, 32, 32);
        INDArray logits = d.engine().forward(x, true);
        d.engine().applyGradient(d.engine().backward(Nd4j.onesLike(logits).divi(logits.length())).paramGradient(), 2);
        INDArray params = d.graph().params().dup();
        INDArray state = d.graph().getUpdater().getStateViewArray().dup();
        int iteration = d.engine().iteration();

        logits = d.engine().forward(image(6, 2, 32, 32), true);
        TrainableGraph.Backward bw = d.engine().backward(Nd4j.onesLike(logits));
        assertThat(bw.inputGradient().shape()).containsExactly(2, 3, 32, 32);
        assertThat(bw.inputGradient().amaxNumber().doubleValue()).isGreaterThan(0);
        assertThat(d.graph().params()).isEqualTo(params);
        assertThat(d.graph().getUpdater().getStateViewArray()).isEqualTo(state);
        assertThat(d.engine().iteration()).isEqualTo(iteration);
    }

    @Test
    void trainableGraphInputGradientMatchesFiniteDifferencesOnATinyGraph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(2)
                .updater(new Sgd(0.1)).graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(6, 5, 2))
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(3).padding(1, 1).activation(Activation.TANH)
                        .convolutionMode(ConvolutionMode.Truncate).build(), "in")
                .addLayer("c2", new ConvolutionLayer.Builder(2, 2).stride(2, 2).nOut(2)
                        .activation(Activation.SIGMOID).convolutionMode(ConvolutionMode.Truncate).build(), "c1")
                .setOutputs("c2").build();
        TrainableGraph net = TestSupport.graph(conf);
        Nd4j.getRandom().setSeed(3);
        TestSupport.checkGradients(net, Nd4j.randn(DataType.DOUBLE, 3, 2, 6, 5), 4, 400);
    }

    @Test
    void applyGradientIsOneSgdStepOfTheBatchMeanGradient() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(2)
                .updater(new Sgd(0.5)).graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(4, 4, 1))
                .addLayer("c1", new ConvolutionLayer.Builder(2, 2).nOut(1).activation(Activation.IDENTITY)
                        .convolutionMode(ConvolutionMode.Truncate).build(), "in")
                .setOutputs("c1").build();
        TrainableGraph net = TestSupport.graph(conf);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 1, 4, 4);
        INDArray out = net.forward(x, true);
        Gradient g = net.backward(Nd4j.onesLike(out).divi(3)).paramGradient();
        INDArray expected = net.graph().params().sub(g.gradient().mul(0.5));
        net.applyGradient(g, 3);
        TestSupport.assertAllClose(net.graph().params(), expected, 1e-12, 1e-12);
        assertThat(net.iteration()).isEqualTo(1);
        assertThat(net.lastBatchSize()).isEqualTo(3);
    }

    @Test
    void backwardWithoutTrainingForwardFails() {
        Generator g = Generator.builder().baseFilters(4).residualBlocks(0).build();
        g.output(image(1, 1, 16, 16));
        assertThatThrownBy(() -> g.engine().backward(Nd4j.zeros(DataType.FLOAT, 1, 3, 16, 16)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("forward(x, true)");
    }

    @Test
    void adamStepsReduceAnMseLoss() {
        Generator g = Generator.builder().baseFilters(4).residualBlocks(1).updater(new Adam(1e-2)).build();
        INDArray x = image(7, 2, 16, 16);
        INDArray target = image(8, 2, 16, 16).muli(0.5);
        double first = 0;
        double last = 0;
        for (int i = 0; i < 30; i++) {
            INDArray y = g.engine().forward(x, true);
            INDArray diff = y.sub(target);
            double loss = diff.mul(diff).meanNumber().doubleValue();
            if (i == 0) {
                first = loss;
            }
            last = loss;
            g.engine().applyGradient(g.engine().backward(diff.muli(2.0 / diff.length())).paramGradient(), 2);
        }
        assertThat(last).isLessThan(0.7 * first);
        assertThat(g.engine().iteration()).isEqualTo(30);
    }

    @Test
    void featureExtractorTapsAndShapes() {
        FeatureExtractor fe = FeatureExtractor.random(1);
        assertThat(fe.numParams()).isEqualTo(260_160L); // torchvision vgg16().features[:9]
        assertThat(fe.styleTaps()).containsExactly("relu1_2", "relu2_2");
        assertThat(fe.contentTap()).isEqualTo("relu2_2");
        Features f = fe.forward(image(9, 2, 32, 24));
        assertThat(f.get("relu1_2").shape()).containsExactly(2, 64, 32, 24);
        assertThat(f.content().shape()).containsExactly(2, 128, 16, 12);
        assertThat(f.style()).hasSize(2);
        assertThat(f.get("relu1_2").minNumber().doubleValue()).isGreaterThanOrEqualTo(0.0);

        FeatureExtractor deep = FeatureExtractor.builder().seed(1).styleTaps("relu1_2", "relu2_2", "relu3_1").build();
        assertThat(deep.forward(image(9, 1, 32, 24)).get("relu3_1").shape()).containsExactly(1, 256, 8, 6);
        // same seed, same weights for the shared layers
        assertThat(deep.graph().getLayer("conv1_1").params()).isEqualTo(fe.graph().getLayer("conv1_1").params());
    }

    @Test
    void featureExtractorBackwardGivesImageGradientAndKeepsWeights() {
        FeatureExtractor fe = FeatureExtractor.random(3);
        INDArray w0 = fe.graph().params().dup();
        Features f = fe.forward(image(10, 1, 16, 16));
        INDArray g = fe.backward(f, Map.of("relu2_2", Nd4j.onesLike(f.content())));
        assertThat(g.shape()).containsExactly(1, 3, 16, 16);
        assertThat(g.amaxNumber().doubleValue()).isGreaterThan(0);
        assertThat(fe.graph().params()).isEqualTo(w0);
        fe.forward(image(11, 1, 16, 16));
        assertThatThrownBy(() -> fe.backward(f, Map.of())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void featureExtractorExtractMatchesForwardButCannotBeDifferentiated() {
        FeatureExtractor fe = FeatureExtractor.random(4);
        INDArray x = image(12, 2, 16, 16);
        Features a = fe.extract(x);
        Features b = fe.forward(x);
        TestSupport.assertAllClose(a.get("relu1_2"), b.get("relu1_2"), 1e-6, 1e-6);
        TestSupport.assertAllClose(a.content(), b.content(), 1e-6, 1e-6);
        assertThatThrownBy(() -> fe.backward(a, Map.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not extract()");
        fe.extract(x);
        assertThatThrownBy(() -> fe.backward(b, Map.of())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void featureExtractorExtractContentReturnsTheContentTapAndStaysValid() {
        FeatureExtractor fe = FeatureExtractor.random(4);
        INDArray x = image(13, 2, 16, 16);
        Features all = fe.extract(x);
        // extractContent frees the other taps by closing them, which only works on arrays that own their buffer
        assertThat(all.all().values()).allSatisfy(a -> assertThat(a.isView()).isFalse());
        INDArray expected = all.content().dup();
        INDArray c = fe.extractContent(x);
        assertThat(c.shape()).containsExactly(expected.shape());
        // later passes must neither reuse nor free the caller's array
        fe.extract(image(14, 2, 16, 16));
        fe.forward(image(15, 2, 16, 16));
        fe.releaseActivations();
        assertThat(c.wasClosed()).isFalse();
        TestSupport.assertAllClose(c, expected, 1e-6, 1e-6);
    }
}
