package org.stylegan.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stylegan.core.StyleModel;
import org.stylegan.core.StyleTransfer;
import org.stylegan.core.TestSupport;
import org.stylegan.core.net.GeneratorConfig;
import org.stylegan.core.net.Normalization;
import org.stylegan.core.net.Padding;
import org.stylegan.core.net.Upsampling;

/** Starting a run from a checkpoint's networks (fine-tuning), and the photo size training crops come from. */
class FineTuneInitTest {
    @TempDir
    Path tmp;

    private static ContentSource content(TrainerConfig cfg) {
        return ContentSource.images(TrainFixtures.contentImages(3, 40), cfg.imageSize(), cfg.batchSize(), cfg.seed());
    }

    private Path pretrained(TrainerConfig cfg) throws Exception {
        Path ckpt = tmp.resolve("pretrained.zip");
        try (GanTrainer t = GanTrainer.create(cfg, content(cfg), List.of(TrainFixtures.styleTensor(48)))) {
            t.step();
            t.step();
            t.saveCheckpoint(ckpt);
        }
        return ckpt;
    }

    /**
     * The new run starts at step 0 from the checkpoint's generator and discriminators (every level), with the
     * target's own style and weights, and the architectures of the checkpoint even when the target names others.
     */
    @Test
    void initFromStartsAFreshRunFromTheCheckpointsNetworks() throws Exception {
        TrainerConfig source = TrainFixtures.tiny().gamma(0.3).discriminatorScales(2).build();
        Path ckpt = pretrained(source);
        TrainingArchive.Checkpoint saved = TrainingArchive.loadCheckpoint(ckpt);
        GeneratorConfig other = new GeneratorConfig(4, 2, 1, Normalization.INSTANCE, Padding.REFLECTION,
                Upsampling.NEAREST_CONV, 9);
        TrainerConfig target = TrainFixtures.tiny().gamma(0.1).beta(3).generator(other).discriminatorScales(2).build();
        try (GanTrainer t = GanTrainer.initFrom(ckpt, target, content(target),
                List.of(Nd4j.rand(1, 3, 48, 48).muli(2).subi(1)))) {
            assertThat(t.currentStep()).isZero();
            assertThat(t.config().generator()).isEqualTo(source.generator());
            assertThat(t.config().beta()).isEqualTo(3);
            assertThat(t.config().gamma()).isEqualTo(0.1);
            TestSupport.assertAllClose(t.generator().graph().params(), saved.generator().params(), 0, 0);
            for (int k = 0; k < 2; k++) {
                TestSupport.assertAllClose(t.discriminators().get(k).graph().params(),
                        saved.discriminators().get(k).params(), 0, 0);
            }
            INDArray before = t.generator().graph().params().dup();
            StepEvent e = t.step();
            assertThat(e.step()).isZero();
            assertThat(t.generator().graph().params()).isNotEqualTo(before);
        }
    }

    @Test
    void aGanRunCannotStartFromACheckpointWithoutDiscriminator() throws Exception {
        Path ckpt = pretrained(TrainFixtures.tiny().gamma(0).build());
        TrainerConfig target = TrainFixtures.tiny().gamma(0.2).build();
        assertThatThrownBy(() -> GanTrainer.initFrom(ckpt, target, content(target),
                List.of(TrainFixtures.styleTensor(48))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds no discriminator").hasMessageContaining("gamma 0");
    }

    /** The facade's initFrom trains from the checkpoint (its generator, not a fresh one) and names a missing file. */
    @Test
    void styleTransferInitFromUsesTheCheckpoint() throws Exception {
        TrainerConfig source = TrainFixtures.tiny().gamma(0.3).build();
        Path ckpt = pretrained(source);
        StyleModel m = StyleTransfer.builder().steps(1).imageSize(32).styleSize(32).discriminatorCrop(32)
                .styleTaps("relu1_2", "relu2_2").contentTap("relu2_2").gamma(0.3).lrGenerator(1e-9)
                .initFrom(ckpt).build()
                .fit(TrainFixtures.contentImages(3, 40), TrainFixtures.styleImage(48));
        assertThat(m.generatorConfig()).isEqualTo(source.generator());
        // With a negligible learning rate the fine-tuned generator is the pretrained one: same pixels.
        BufferedImage photo = TrainFixtures.contentImages(1, 32).get(0);
        BufferedImage tuned = m.stylize(photo);
        BufferedImage original = StyleModel.load(ckpt).stylize(photo);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                for (int shift = 0; shift < 24; shift += 8) {
                    int a = (tuned.getRGB(x, y) >> shift) & 0xff;
                    int b = (original.getRGB(x, y) >> shift) & 0xff;
                    assertThat(Math.abs(a - b)).as("pixel (%d, %d)", x, y).isLessThanOrEqualTo(1);
                }
            }
        }
        assertThatThrownBy(() -> StyleTransfer.builder().initFrom(tmp.resolve("missing.zip")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.zip");
    }

    /** photoSize resizes photos before the crop: a 32 px crop of a photo at 64 px holds a quarter of it. */
    @Test
    void photoSizeCropsFromLargerPhotos() {
        List<BufferedImage> photos = TrainFixtures.contentImages(1, 80);
        try (ContentSource whole = ContentSource.images(photos, 32, 32, 1, 5);
             ContentSource part = ContentSource.images(photos, 32, 64, 1, 5)) {
            INDArray a = whole.nextBatch();
            INDArray b = part.nextBatch();
            assertThat(a.shape()).containsExactly(1, 3, 32, 32);
            assertThat(b.shape()).containsExactly(1, 3, 32, 32);
            // The content fixture is a gradient over the photo: a crop of the larger photo spans about half the range.
            double rangeWhole = a.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(0)).maxNumber().doubleValue()
                    - a.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(0)).minNumber().doubleValue();
            double rangePart = b.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(0)).maxNumber().doubleValue()
                    - b.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(0)).minNumber().doubleValue();
            assertThat(rangePart).isLessThan(0.7 * rangeWhole);
        }
        assertThatThrownBy(() -> TrainerConfig.builder().imageSize(64).photoSize(48).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("photoSize");
        TrainerConfig c = TrainerConfig.builder().imageSize(64).photoSize(128).build();
        assertThat(TrainerConfig.fromJson(c.toJson()).photoSize()).isEqualTo(128);
        assertThat(TrainerConfig.builder().imageSize(64).build().effectivePhotoSize()).isEqualTo(64);
    }
}
