package org.stylegan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stylegan.core.train.ContentSource;
import org.stylegan.core.train.GanTrainer;
import org.stylegan.core.train.TrainFixtures;
import org.stylegan.core.train.TrainerConfig;
import org.stylegan.io.Images;

/**
 * Model and checkpoint files written by an earlier release keep loading and computing the same outputs: the
 * golden files (see {@link GoldenFiles}) hold a generator and a discriminator made of our own layers (NHWC
 * convolution, instance norm, reflection padding, resize-convolution), whose class names are written into them.
 */
class GoldenModelFilesTest {
    private static Path golden(String name) {
        try {
            return Path.of(GoldenModelFilesTest.class.getResource("/golden/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static INDArray generatorOutput(GanTrainer t) {
        return t.generator().output(GoldenFiles.input()).dup();
    }

    static INDArray discriminatorOutput(GanTrainer t) {
        return t.discriminator().output(GoldenFiles.input()).dup();
    }

    private static INDArray stored(String name) throws IOException {
        return Nd4j.readBinary(golden(name).toFile());
    }

    @Test
    void goldenModelStylizesAsItDidWhenWritten() throws IOException {
        StyleModel model = StyleModel.load(golden(GoldenFiles.MODEL));
        assertThat(model.config()).isEqualTo(GoldenFiles.config());
        BufferedImage expected = Images.read(golden(GoldenFiles.STYLIZED));
        BufferedImage actual = model.stylize(GoldenFiles.inputImage());
        assertThat(actual.getWidth()).isEqualTo(expected.getWidth());
        assertThat(actual.getHeight()).isEqualTo(expected.getHeight());
        for (int y = 0; y < actual.getHeight(); y++) {
            for (int x = 0; x < actual.getWidth(); x++) {
                int a = actual.getRGB(x, y);
                int e = expected.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    int d = Math.abs(((a >> shift) & 0xff) - ((e >> shift) & 0xff));
                    assertThat(d).as("channel at bit %d of pixel (%d, %d)", shift, x, y).isLessThanOrEqualTo(1);
                }
            }
        }
    }

    @Test
    void goldenCheckpointResumesBothNetworksWithTheirOutputs() throws IOException {
        TrainerConfig cfg = GoldenFiles.config();
        try (GanTrainer t = GanTrainer.resume(golden(GoldenFiles.CHECKPOINT), null,
                ContentSource.images(TrainFixtures.contentImages(3, 40), cfg.imageSize(), cfg.batchSize(),
                        cfg.seed()), List.of(TrainFixtures.styleTensor(48)))) {
            assertThat(t.currentStep()).isEqualTo(cfg.steps());
            TestSupport.assertAllClose(generatorOutput(t), stored(GoldenFiles.GENERATOR_OUTPUT), 1e-4, 1e-5);
            TestSupport.assertAllClose(discriminatorOutput(t), stored(GoldenFiles.DISCRIMINATOR_OUTPUT), 1e-4, 1e-5);
        }
    }
}
