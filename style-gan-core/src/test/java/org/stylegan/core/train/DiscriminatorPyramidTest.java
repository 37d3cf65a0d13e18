package org.stylegan.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stylegan.core.TestSupport;
import org.stylegan.core.net.Discriminator;
import org.stylegan.core.net.Generator;
import org.stylegan.core.net.ImagePyramid;
import org.stylegan.io.ModelArchive;
import org.stylegan.losses.AdversarialLoss;
import org.stylegan.losses.WeightedLoss;

/** The discriminator pyramid ({@link TrainerConfig#discriminatorScales()}): gradient, training, files, config. */
class DiscriminatorPyramidTest {
    @TempDir
    Path tmp;

    private static GanTrainer trainer(TrainerConfig cfg) {
        return GanTrainer.create(cfg, ContentSource.images(TrainFixtures.contentImages(3, 40), cfg.imageSize(),
                cfg.batchSize(), cfg.seed()), List.of(TrainFixtures.styleTensor(48)));
    }

    /**
     * The adversarial term over a 3-level pyramid is the mean of the levels' non-saturating losses on the generated
     * images averaged down k times, and its image gradient (D_k's input gradient mapped back through
     * ImagePyramid.downBackward k times, summed) is d(gamma * L_adv)/dy: central differences in double precision,
     * batch 1 and 3.
     */
    @Test
    void adversarialImageGradientThroughThePyramidMatchesFiniteDifferences() {
        for (int batch : new int[] {1, 3}) {
            TrainerConfig cfg = TrainFixtures.tiny().imageSize(48).styleSize(48).discriminatorCrop(48)
                    .discriminatorScales(3).alpha(0).beta(0).tv(0).gamma(0.7).autoBalance(false).batchSize(batch)
                    .build();
            List<Discriminator> ds = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                ds.add(Discriminator.builder().config(cfg.discriminatorAt(k)).dataType(DataType.DOUBLE).build());
            }
            Generator g = Generator.builder().config(cfg.generator()).dataType(DataType.DOUBLE).build();
            GeneratorObjective objective = new GeneratorObjective(cfg, g, GanTrainer.featureExtractor(cfg,
                    DataType.DOUBLE), ds, List.of(), new LossWeighting(cfg), new DivergenceGuard(cfg, () -> 0));
            Nd4j.getRandom().setSeed(17 + batch);
            INDArray y = Nd4j.rand(DataType.DOUBLE, batch, 3, 48, 48).subi(0.5).muli(1.8);

            INDArray analytic;
            double total;
            try (GeneratorObjective.Result r = objective.evaluate(y, y, null)) {
                analytic = r.imageGradient().dup('c');
                total = r.total();
            }
            // The value: gamma times the mean over levels of BCE(D_k(down^k y) -> real).
            double expected = 0;
            INDArray level = y;
            for (int k = 0; k < 3; k++) {
                expected += AdversarialLoss.bce().compute(ds.get(k).output(level), true).value() / 3;
                level = k < 2 ? ImagePyramid.down(level) : level;
            }
            assertThat(total).isCloseTo(0.7 * expected, Percentage.withPercentage(1e-8));

            INDArray yd = y.dup('c');
            long n = yd.length();
            int failures = 0;
            StringBuilder report = new StringBuilder();
            double eps = 1e-6;
            for (long i = 7; i < n; i += n / 24) {
                double orig = yd.getDouble(i);
                yd.putScalar(i, orig + eps);
                double plus = value(objective, yd);
                yd.putScalar(i, orig - eps);
                double minus = value(objective, yd);
                yd.putScalar(i, orig);
                double numeric = (plus - minus) / (2 * eps);
                double a = analytic.getDouble(i);
                double rel = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), 1e-12);
                if (rel > 1e-5 && Math.abs(a - numeric) > 1e-9) {
                    failures++;
                    report.append(String.format("y[%d]: analytic %.10g numeric %.10g rel %.3g%n", i, a, numeric, rel));
                }
            }
            assertThat(failures).as("batch " + batch + ":\n" + report).isZero();
            assertThat(analytic.norm2Number().doubleValue()).as("gradient is not zero").isGreaterThan(0);
        }
    }

    private static double value(GeneratorObjective objective, INDArray y) {
        try (GeneratorObjective.Result r = objective.evaluate(y, y, null)) {
            return r.total();
        }
    }

    /**
     * With one scale (the default) the trainer computes what it computed before the pyramid: the history of a
     * tiny GAN run with an image pool equals the one recorded with the previous release (commit f10cb8c).
     */
    @Test
    void oneScaleReproducesTheRunOfTheReleaseBeforeThePyramid() {
        TrainerConfig cfg = TrainFixtures.tiny().steps(3).gamma(0.5).imagePoolSize(2).build();
        assertThat(cfg.discriminatorScales()).isEqualTo(1);
        History h;
        try (GanTrainer t = trainer(cfg)) {
            h = t.train();
        }
        double[][] expected = PINNED;
        for (int i = 0; i < 3; i++) {
            StepEvent e = h.events().get(i);
            assertThat(e.term(WeightedLoss.CONTENT)).as("content " + i).isCloseTo(expected[i][0], Percentage.withPercentage(1e-6));
            assertThat(e.term(WeightedLoss.STYLE)).as("style " + i).isCloseTo(expected[i][1], Percentage.withPercentage(1e-6));
            assertThat(e.term(WeightedLoss.ADVERSARIAL)).as("adversarial " + i)
                    .isCloseTo(expected[i][2], Percentage.withPercentage(1e-6));
            assertThat(e.term(WeightedLoss.TV)).as("tv " + i).isCloseTo(expected[i][3], Percentage.withPercentage(1e-6));
            assertThat(e.discriminatorLoss()).as("D loss " + i).isCloseTo(expected[i][4], Percentage.withPercentage(1e-6));
        }
    }

    // content, style, adversarial, tv, D loss per step, printed by the release before the pyramid (f10cb8c).
    private static final double[][] PINNED = {
        {0.3266236994378211, 3.132517632327815E-5, 0.6559456719292535, 0.4744781165994624, 1.5592146449618869},
        {0.33667286786837636, 2.1247087580092682E-5, 0.720109780629476, 0.4803229506297778, 1.5003945562574599},
        {0.3127468258849717, 1.5160333579898686E-5, 0.7236853175693088, 0.47311885382539487, 1.4931587643093533},
    };

    /**
     * A 2-level run updates both discriminators, writes level 1 as its own checkpoint entry next to the
     * "discriminator" entry of level 0, and resumes to the step the uninterrupted run takes.
     */
    @Test
    void pyramidTrainsEveryLevelAndResumesFromItsCheckpoint() throws Exception {
        TrainerConfig cfg = TrainFixtures.tiny().steps(3).gamma(0.5).discriminatorScales(2).build();
        Path ckpt = tmp.resolve("ckpt.zip");
        try (GanTrainer t = trainer(cfg)) {
            assertThat(t.discriminators()).hasSize(2);
            assertThat(t.discriminators().get(1).config()).isEqualTo(cfg.discriminatorAt(1));
            assertThat(cfg.discriminatorAt(1).seed()).isNotEqualTo(cfg.discriminatorAt(0).seed());
            INDArray p0 = t.discriminators().get(0).graph().params().dup();
            INDArray p1 = t.discriminators().get(1).graph().params().dup();
            StepEvent e = t.step();
            assertThat(e.discriminatorLoss()).isFinite();
            assertThat(t.discriminators().get(0).graph().params()).isNotEqualTo(p0);
            assertThat(t.discriminators().get(1).graph().params()).isNotEqualTo(p1);
            t.step();
            t.saveCheckpoint(ckpt);
        }
        assertThat(ModelArchive.load(ckpt).has("discriminator")).isTrue();
        assertThat(ModelArchive.load(ckpt).has("discriminator_1")).isTrue();
        StepEvent resumed;
        INDArray resumedD1;
        try (GanTrainer t = GanTrainer.resume(ckpt, null, ContentSource.images(TrainFixtures.contentImages(3, 40),
                32, 2, cfg.seed()), List.of(TrainFixtures.styleTensor(48)))) {
            resumed = t.step();
            resumedD1 = t.discriminators().get(1).graph().params().dup();
        }
        try (GanTrainer t = trainer(cfg)) {
            t.step();
            t.step();
            StepEvent straight = t.step();
            for (Map.Entry<String, Double> term : straight.terms().entrySet()) {
                assertThat(resumed.term(term.getKey())).as(term.getKey())
                        .isCloseTo(term.getValue(), Percentage.withPercentage(1e-3));
            }
            assertThat(resumed.discriminatorLoss()).isCloseTo(straight.discriminatorLoss(),
                    Percentage.withPercentage(1e-3));
            TestSupport.assertAllClose(resumedD1, t.discriminators().get(1).graph().params(), 1e-4, 1e-6);
        }
    }

    @Test
    void configRefusesPyramidsTheCropCannotHold() {
        assertThatThrownBy(() -> TrainFixtures.tiny().discriminatorCrop(30).discriminatorScales(3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("discriminatorCrop 30 must be divisible by 4");
        assertThatThrownBy(() -> TrainFixtures.tiny().discriminatorScales(3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("smallest level 8 px").hasMessageContaining("needs >= 12");
        assertThatThrownBy(() -> TrainFixtures.tiny().discriminatorScales(0).build())
                .hasMessageContaining("discriminatorScales must be in 1..6, found 0");
        // A config written before the pyramid (no key) reads as one scale.
        String old = TrainFixtures.tiny().build().toJson().replaceAll("\"discriminatorScales\" : 1,", "");
        assertThat(old).doesNotContain("discriminatorScales");
        assertThat(TrainerConfig.fromJson(old).discriminatorScales()).isEqualTo(1);
        TrainerConfig three = TrainFixtures.tiny().imageSize(48).discriminatorCrop(48).discriminatorScales(3).build();
        assertThat(TrainerConfig.fromJson(three.toJson())).isEqualTo(three);
    }
}
