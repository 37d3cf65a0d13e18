package org.stylegan.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.assertj.core.data.Offset;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;
import org.stylegan.core.net.FeatureExtractor;
import org.stylegan.core.net.Generator;

/** A run whose loss network was loaded from a file resumes with that network or not at all. */
class ResumeFeatureNetworkTest {
    private static final String CONTENT = "block2_conv1";
    private static final String[] STYLE = {"block1_conv2", "block2_conv1"};

    private static ContentSource content(TrainerConfig cfg) {
        return ContentSource.images(TrainFixtures.contentImages(3, 40), cfg.imageSize(), cfg.batchSize(), cfg.seed());
    }

    private static List<INDArray> styles() {
        return List.of(TrainFixtures.styleTensor(48));
    }

    private static GanTrainer trainer(TrainerConfig cfg, FeatureExtractor features) {
        return new GanTrainer(cfg, Generator.builder().config(cfg.generator()).build(), null, features, content(cfg),
                styles());
    }

    @Test
    void resumeOfAFileNetworkRunNeedsThatNetworkAndThenContinuesExactly(@TempDir Path dir) throws Exception {
        Path vgg = dir.resolve("vgg16_dl4j_inference.zip");
        ModelSerializer.writeModel(miniVgg(), vgg.toFile(), false);
        TrainerConfig cfg = TrainFixtures.tiny().steps(2).gamma(0).build();
        Path checkpoint = dir.resolve("checkpoint.zip");
        try (GanTrainer t = trainer(cfg, FeatureExtractor.fromZooModel(vgg, CONTENT, STYLE))) {
            t.step();
            t.saveCheckpoint(checkpoint);
        }

        assertThatThrownBy(() -> GanTrainer.resume(checkpoint, null, content(cfg), styles()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was trained with the feature network loaded from " + vgg.toAbsolutePath())
                .hasMessageContaining("the random network would change the loss")
                .hasMessageContaining("pass FeatureExtractor.fromZooModel(Path.of(\"" + vgg.toAbsolutePath()
                        + "\"), \"block2_conv1\", \"block1_conv2\", \"block2_conv1\")");
        assertThatThrownBy(() -> GanTrainer.resume(checkpoint, null,
                FeatureExtractor.fromZooModel(vgg, "block1_conv2", "block1_conv2"), content(cfg), styles()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but resume was given " + vgg.toAbsolutePath() + " with content layer block1_conv2");

        double expected;
        try (GanTrainer t = trainer(cfg, FeatureExtractor.fromZooModel(vgg, CONTENT, STYLE))) {
            t.step();
            expected = t.step().total();
        }
        try (GanTrainer t = GanTrainer.resume(checkpoint, null, FeatureExtractor.fromZooModel(vgg, CONTENT, STYLE),
                content(cfg), styles())) {
            assertThat(t.step().total()).isCloseTo(expected, Offset.offset(1e-5 * Math.abs(expected)));
        }
    }

    @Test
    void resumeOfARandomNetworkRunRefusesAFileNetwork(@TempDir Path dir) throws Exception {
        Path vgg = dir.resolve("vgg.zip");
        ModelSerializer.writeModel(miniVgg(), vgg.toFile(), false);
        TrainerConfig cfg = TrainFixtures.tiny().steps(2).gamma(0).build();
        Path checkpoint = dir.resolve("checkpoint.zip");
        try (GanTrainer t = trainer(cfg, GanTrainer.featureExtractor(cfg, DataType.FLOAT))) {
            t.step();
            t.saveCheckpoint(checkpoint);
        }
        assertThatThrownBy(() -> GanTrainer.resume(checkpoint, null, FeatureExtractor.fromZooModel(vgg, CONTENT, STYLE),
                content(cfg), styles()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was trained with the config's random feature network");
        try (GanTrainer t = GanTrainer.resume(checkpoint, null, content(cfg), styles())) {
            assertThat(t.currentStep()).isEqualTo(1);
        }
    }

    /** A VGG-named float network small enough for 32 px crops. */
    private static ComputationGraph miniVgg() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
                .updater(new Sgd(0.01)).graphBuilder()
                .addInputs("input").setInputTypes(InputType.convolutional(32, 32, 3))
                .addLayer("block1_conv1", conv(4), "input")
                .addLayer("block1_conv2", conv(4), "block1_conv1")
                .addLayer("block1_pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2).stride(2, 2).build(), "block1_conv2")
                .addLayer("block2_conv1", conv(6), "block1_pool")
                .setOutputs("block2_conv1").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static ConvolutionLayer conv(int out) {
        return new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(out).activation(Activation.RELU)
                .convolutionMode(ConvolutionMode.Truncate).build();
    }
}
