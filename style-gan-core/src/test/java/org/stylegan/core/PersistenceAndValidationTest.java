package org.stylegan.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stylegan.core.TestSupport.assertAllClose;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.stylegan.core.net.Generator;
import org.stylegan.core.net.GeneratorConfig;
import org.stylegan.core.net.Discriminator;
import org.stylegan.core.net.DiscriminatorConfig;
import org.stylegan.core.net.FeatureExtractor;
import org.stylegan.core.net.Features;
import org.stylegan.core.net.Normalization;
import org.stylegan.core.net.Padding;
import org.stylegan.core.net.Upsampling;

class PersistenceAndValidationTest {

    private static INDArray image(long seed, int b, int h, int w) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, b, 3, h, w).muli(2).subi(1);
    }

    @Test
    void sameSeedGivesIdenticalNetworksAndOtherSeedsDiffer() {
        Generator a = Generator.builder().baseFilters(4).residualBlocks(1).seed(7).build();
        Generator b = Generator.builder().baseFilters(4).residualBlocks(1).seed(7).build();
        Generator c = Generator.builder().baseFilters(4).residualBlocks(1).seed(8).build();
        assertThat(a.graph().params()).isEqualTo(b.graph().params());
        assertThat(a.graph().params()).isNotEqualTo(c.graph().params());
        INDArray x = image(1, 1, 16, 16);
        assertThat(a.output(x)).isEqualTo(b.output(x));

        Discriminator d1 = Discriminator.builder().baseFilters(8).seed(3).build();
        Discriminator d2 = Discriminator.builder().baseFilters(8).seed(3).build();
        assertThat(d1.graph().params()).isEqualTo(d2.graph().params());

        FeatureExtractor f1 = FeatureExtractor.random(5);
        FeatureExtractor f2 = FeatureExtractor.random(5);
        assertThat(f1.graph().params()).isEqualTo(f2.graph().params());
        assertThat(FeatureExtractor.random(6).graph().params()).isNotEqualTo(f1.graph().params());
        // Kaiming normal: std sqrt(2 / fan_in) for conv1_1 (fan_in 27)
        INDArray w = f1.graph().getLayer("conv1_1").getParam("W");
        assertThat(w.stdNumber().doubleValue()).isCloseTo(Math.sqrt(2.0 / 27), org.assertj.core.data.Percentage.withPercentage(10));
    }

    @Test
    void generatorSurvivesModelSerializerWithUpdaterState(@TempDir Path dir) throws Exception {
        Generator g = Generator.builder().baseFilters(4).residualBlocks(1).build();
        INDArray x = image(2, 2, 16, 16);
        INDArray y = g.engine().forward(x, true);
        g.engine().applyGradient(g.engine().backward(y.mul(0.1)).paramGradient(), 2);
        File f = dir.resolve("g.zip").toFile();
        ModelSerializer.writeModel(g.graph(), f, true);
        Generator restored = Generator.restore(GeneratorConfig.fromJson(g.config().toJson()),
                ModelSerializer.restoreComputationGraph(f, true));
        assertThat(restored.numParams()).isEqualTo(g.numParams());
        assertThat(restored.engine().iteration()).isEqualTo(1);
        assertAllClose(restored.output(x), g.output(x), 0, 0);
        // The next training step is identical too (Adam state restored).
        for (Generator net : new Generator[] {g, restored}) {
            INDArray out = net.engine().forward(x, true);
            net.engine().applyGradient(net.engine().backward(out.mul(0.1)).paramGradient(), 2);
        }
        assertAllClose(restored.graph().params(), g.graph().params(), 0, 0);
    }

    @Test
    void discriminatorSurvivesModelSerializer(@TempDir Path dir) throws Exception {
        Discriminator d = Discriminator.builder().type(DiscriminatorConfig.Type.RESNET).baseFilters(4).layers(2)
                .output(DiscriminatorConfig.Output.GLOBAL).build();
        File f = dir.resolve("d.zip").toFile();
        ModelSerializer.writeModel(d.graph(), f, false);
        Discriminator restored = Discriminator.restore(DiscriminatorConfig.fromJson(d.config().toJson()),
                ModelSerializer.restoreComputationGraph(f, false));
        INDArray x = image(3, 2, 16, 16);
        assertAllClose(restored.output(x), d.output(x), 0, 0);
        assertThatThrownBy(() -> Discriminator.restore(DiscriminatorConfig.defaults(),
                ModelSerializer.restoreComputationGraph(f, false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wrong config");
    }

    @Test
    void configsRoundTripThroughJson() {
        GeneratorConfig g = new GeneratorConfig(16, 3, 2, Normalization.BATCH, Padding.ZERO, Upsampling.TRANSPOSED, 9);
        assertThat(GeneratorConfig.fromJson(g.toJson())).isEqualTo(g);
        DiscriminatorConfig d = new DiscriminatorConfig(DiscriminatorConfig.Type.RESNET, 32, 4, Normalization.NONE,
                DiscriminatorConfig.Output.GLOBAL, 0.1, 5);
        assertThat(DiscriminatorConfig.fromJson(d.toJson())).isEqualTo(d);
        assertThat(GeneratorConfig.fromJson("{}")).isEqualTo(GeneratorConfig.defaults());
        assertThatThrownBy(() -> GeneratorConfig.fromJson("{\"padding\":\"MIRROR\"}"))
                .hasMessageContaining("padding must be one of");
        assertThatThrownBy(() -> GeneratorConfig.fromJson("{\"version\":2}"))
                .hasMessageContaining("expected version 1, found 2");
        assertThatThrownBy(() -> GeneratorConfig.fromJson("not json")).hasMessageContaining("invalid generator");
    }

    @Test
    void buildersRejectBadValuesWithClearMessages() {
        assertThatThrownBy(() -> Generator.builder().residualBlocks(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("residualBlocks must be >= 0, found -1");
        assertThatThrownBy(() -> Generator.builder().baseFilters(0).build())
                .hasMessage("baseFilters must be >= 1, found 0");
        assertThatThrownBy(() -> Generator.builder().downsamplings(7).build())
                .hasMessage("downsamplings must be in 0..6, found 7");
        assertThatThrownBy(() -> Generator.builder().normalization(null).build())
                .hasMessage("normalization must not be null");
        assertThatThrownBy(() -> Generator.builder().dataType(DataType.HALF))
                .hasMessageContaining("dataType must be FLOAT or DOUBLE");
        assertThatThrownBy(() -> Discriminator.builder().layers(0).build())
                .hasMessage("layers must be in 1..8, found 0");
        assertThatThrownBy(() -> Discriminator.builder().leakySlope(-0.1).build())
                .hasMessage("leakySlope must be in [0, 1), found -0.1");
        assertThatThrownBy(() -> FeatureExtractor.builder().styleTaps("relu4_1").build())
                .hasMessageContaining("unknown tap 'relu4_1'");
    }

    @Test
    void networksRejectBadInputsAtCallTime() {
        Generator g = Generator.builder().baseFilters(4).residualBlocks(0).build();
        assertThatThrownBy(() -> g.output(Nd4j.rand(DataType.FLOAT, 1, 1, 16, 16)))
                .hasMessageContaining("[batch, 3, height, width]");
        assertThatThrownBy(() -> g.output(image(1, 1, 4, 4)))
                .hasMessageContaining("too small").hasMessageContaining(">= 8");
        Discriminator d = Discriminator.builder().build();
        assertThatThrownBy(() -> d.output(image(1, 1, 16, 16)))
                .hasMessageContaining("needs height and width >= ");
    }

    private static ComputationGraph miniVgg(long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.DOUBLE).updater(new Nesterovs(0.01)).graphBuilder()
                .addInputs("input").setInputTypes(InputType.convolutional(16, 16, 3))
                .addLayer("block1_conv1", conv(4), "input")
                .addLayer("block1_conv2", conv(4), "block1_conv1")
                .addLayer("block1_pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2).stride(2, 2).build(), "block1_conv2")
                .addLayer("block2_conv1", conv(6), "block1_pool")
                .addLayer("fc1", new DenseLayer.Builder().nOut(5).activation(Activation.RELU).build(), "block2_conv1")
                .addLayer("predictions", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "fc1")
                .setOutputs("predictions").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static ConvolutionLayer conv(int out) {
        return new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(out).activation(Activation.RELU)
                .convolutionMode(ConvolutionMode.Truncate).build();
    }

    @Test
    void zooModelLoadingTapsNamedLayersWithVggPreprocessing(@TempDir Path dir) throws Exception {
        ComputationGraph vgg = miniVgg(4);
        Path file = dir.resolve("vgg16_dl4j_inference.zip");
        ModelSerializer.writeModel(vgg, file.toFile(), false);

        FeatureExtractor fe = FeatureExtractor.fromZooModel(file, "block2_conv1", "block1_conv2", "block2_conv1");
        assertThat(fe.contentTap()).isEqualTo("block2_conv1");
        assertThat(fe.styleTaps()).containsExactly("block1_conv2", "block2_conv1");
        assertThat(fe.graph().getVertex("fc1")).as("layers after the deepest tap are dropped").isNull();

        INDArray x = image(5, 2, 16, 16).castTo(DataType.DOUBLE);
        Features f = fe.forward(x);
        INDArray pre = x.add(1).muli(127.5);
        INDArray means = Nd4j.createFromArray(123.68, 116.779, 103.939);
        org.nd4j.linalg.factory.Broadcast.sub(pre, means, pre, 1);
        Map<String, INDArray> acts = vgg.feedForward(pre, false);
        assertAllClose(f.get("block1_conv2"), acts.get("block1_conv2"), 1e-9, 1e-9);
        assertAllClose(f.content(), acts.get("block2_conv1"), 1e-9, 1e-9);

        // backward includes the 127.5 input scaling: finite differences on a few pixels
        INDArray w = Nd4j.rand(DataType.DOUBLE, f.content().shape());
        INDArray dx = fe.backward(f, Map.of("block2_conv1", w)).dup('c');
        INDArray xd = x.dup('c');
        for (long i = 0; i < xd.length(); i += 97) {
            double o = xd.getDouble(i);
            xd.putScalar(i, o + 1e-6);
            double lp = fe.forward(xd).content().mul(w).sumNumber().doubleValue();
            xd.putScalar(i, o - 1e-6);
            double lm = fe.forward(xd).content().mul(w).sumNumber().doubleValue();
            xd.putScalar(i, o);
            double num = (lp - lm) / 2e-6;
            assertThat(dx.getDouble(i)).isCloseTo(num, org.assertj.core.data.Offset.offset(1e-5 * (1 + Math.abs(num))));
        }
    }

    @Test
    void zooModelLoadingFailsClearly(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> FeatureExtractor.fromZooModel(dir.resolve("missing.zip"), "a", "b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("VGG model file not found");
        Path junk = dir.resolve("junk.zip");
        Files.writeString(junk, "not a zip");
        assertThatThrownBy(() -> FeatureExtractor.fromZooModel(junk, "a", "b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot read a DL4J ComputationGraph");
        Path file = dir.resolve("vgg.zip");
        ModelSerializer.writeModel(miniVgg(1), file.toFile(), false);
        assertThatThrownBy(() -> FeatureExtractor.fromZooModel(file, "block5_conv3", "block1_conv2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no layer 'block5_conv3'").hasMessageContaining("block1_conv1");
    }
}
