package org.stylegan.core;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stylegan.core.train.ContentSource;
import org.stylegan.core.train.GanTrainer;
import org.stylegan.core.train.TrainFixtures;
import org.stylegan.core.train.TrainerConfig;
import org.stylegan.io.Images;

/**
 * Writes the golden model and checkpoint files that {@link GoldenModelFilesTest} loads.
 *
 * <p>Run by hand, only when the model format changes on purpose (the files were written by the code of
 * 2026-12-06, before the package reshaping of issue 19):
 * <pre>{@code
 * mvn -q -pl style-gan-core test-compile
 * java -cp "style-gan-core/target/test-classes:style-gan-core/target/classes:$(cat cp.txt)" \
 *     org.stylegan.core.GoldenFiles style-gan-core/src/test/resources/golden
 * }</pre>
 * where {@code cp.txt} comes from {@code mvn -q -pl style-gan-core dependency:build-classpath -Dmdep.outputFile=cp.txt}.
 */
final class GoldenFiles {
    /** The trained model (generator only). */
    static final String MODEL = "tiny-model.zip";
    /** A checkpoint with both networks, their Adam state, RNG and data position. */
    static final String CHECKPOINT = "tiny-checkpoint.zip";
    /** The generator's output on {@link #input()} in [-1, 1], NCHW, as written by {@link Nd4j#saveBinary}. */
    static final String GENERATOR_OUTPUT = "tiny-generator-output.bin";
    /** The discriminator's logits on {@link #input()}. */
    static final String DISCRIMINATOR_OUTPUT = "tiny-discriminator-output.bin";
    /** {@code StyleModel.stylize} of {@link #inputImage()} at strength 1, as a PNG. */
    static final String STYLIZED = "tiny-stylized.png";

    private GoldenFiles() {
    }

    /** The fixed input: a 36x28 smooth synthetic image (not a multiple of 4, so padding and cropping run too). */
    static BufferedImage inputImage() {
        BufferedImage im = TrainFixtures.contentImages(2, 40).get(1);
        return im.getSubimage(2, 5, 36, 28);
    }

    /** The fixed 32x32 tensor input of both networks. */
    static INDArray input() {
        return Images.toTensor(TrainFixtures.contentImages(1, 32).get(0));
    }

    /** The tiny config of the golden files: reflection padding, instance norm, resize-convolution, PatchGAN. */
    static TrainerConfig config() {
        return TrainFixtures.tiny().steps(3).gamma(0.1).seed(20261206L).build();
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        TrainerConfig cfg = config();
        try (GanTrainer t = GanTrainer.create(cfg, ContentSource.images(TrainFixtures.contentImages(3, 40),
                cfg.imageSize(), cfg.batchSize(), cfg.seed()), List.of(TrainFixtures.styleTensor(48)))) {
            t.train();
            t.saveCheckpoint(dir.resolve(CHECKPOINT));
            StyleModel model = StyleModel.of(t.generator(), cfg, t.history(), t.balanceScales(), null);
            model.save(dir.resolve(MODEL));
            Nd4j.saveBinary(GoldenModelFilesTest.generatorOutput(t), dir.resolve(GENERATOR_OUTPUT).toFile());
            Nd4j.saveBinary(GoldenModelFilesTest.discriminatorOutput(t), dir.resolve(DISCRIMINATOR_OUTPUT).toFile());
            Images.writePng(model.stylize(inputImage()), dir.resolve(STYLIZED));
        }
    }
}
