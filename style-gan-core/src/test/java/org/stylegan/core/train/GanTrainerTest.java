package org.stylegan.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.gradient.Gradient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.stylegan.core.net.Discriminator;
import org.stylegan.core.net.Generator;
import org.stylegan.core.StyleModel;
import org.stylegan.core.TestSupport;
import org.stylegan.losses.WeightedLoss;

class GanTrainerTest {
    @TempDir
    Path tmp;

    private static GanTrainer trainer(TrainerConfig cfg) {
        return GanTrainer.create(cfg, ContentSource.images(TrainFixtures.contentImages(3, 40), cfg.imageSize(),
                cfg.batchSize(), cfg.seed()), List.of(TrainFixtures.styleTensor(48)));
    }

    @Test
    void styleTargetIsTheMeanGramOverTheStyleImages() {
        TrainerConfig cfg = TrainFixtures.tiny().build();
        INDArray a = TrainFixtures.styleTensor(48);
        INDArray b = TrainFixtures.styleTensor(48).neg(); // a different image, same shape and range
        List<INDArray> ta = styleTargets(cfg, List.of(a));
        List<INDArray> tb = styleTargets(cfg, List.of(b));
        List<INDArray> tab = styleTargets(cfg, List.of(a, b));
        assertThat(tab).hasSameSizeAs(ta);
        for (int i = 0; i < ta.size(); i++) {
            assertThat(ta.get(i).equalsWithEps(tb.get(i), 1e-6)).as("the two style images differ").isFalse();
            TestSupport.assertAllClose(tab.get(i), ta.get(i).add(tb.get(i)).divi(2), 1e-5, 1e-6);
        }
    }

    private static List<INDArray> styleTargets(TrainerConfig cfg, List<INDArray> styles) {
        try (GanTrainer t = GanTrainer.create(cfg, ContentSource.images(TrainFixtures.contentImages(3, 40),
                cfg.imageSize(), cfg.batchSize(), cfg.seed()), styles)) {
            return t.styleTargets().stream().map(INDArray::dup).toList();
        }
    }

    @Test
    void discriminatorSeparatesAndStyleLossFalls() {
        TrainerConfig cfg = TrainFixtures.tiny().steps(30).gamma(0.1).lrDiscriminator(1e-3).build();
        History h;
        try (GanTrainer t = trainer(cfg)) {
            h = t.train();
        }
        double[] style = h.series(WeightedLoss.STYLE);
        double lateStyle = mean(style, 25, 30);
        assertThat(lateStyle).as("style loss late vs step 0").isLessThan(0.5 * style[0]);
        double[] dl = h.discriminatorLosses();
        assertThat(mean(dl, 25, 30)).as("D loss late vs early").isLessThan(mean(dl, 0, 3) - 0.1);
        StepEvent first = h.events().get(0);
        StepEvent last = h.last();
        assertThat(last.dReal() - last.dFake()).as("D(real) - D(fake)")
                .isGreaterThan(first.dReal() - first.dFake() + 0.1);
    }

    private static double mean(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s / (to - from);
    }

    @Test
    void sameSeedSameHistory() {
        TrainerConfig cfg = TrainFixtures.tiny().steps(3).imagePoolSize(2).build();
        History a;
        History b;
        try (GanTrainer t = trainer(cfg)) {
            a = t.train();
        }
        try (GanTrainer t = trainer(cfg)) {
            b = t.train();
        }
        for (int i = 0; i < 3; i++) {
            assertThat(b.events().get(i).terms()).isEqualTo(a.events().get(i).terms());
            assertThat(b.events().get(i).discriminatorLoss()).isEqualTo(a.events().get(i).discriminatorLoss());
        }
    }

    @Test
    void resumeEqualsUninterruptedRun() throws Exception {
        TrainerConfig cfg = TrainFixtures.tiny().steps(4).imagePoolSize(2).lrDecayFrom(1).build();
        Path ckpt = tmp.resolve("ckpt.zip");
        try (GanTrainer t = trainer(cfg)) {
            t.step();
            t.step();
            t.step();
            t.saveCheckpoint(ckpt);
        }
        StepEvent resumed;
        try (GanTrainer t = GanTrainer.resume(ckpt, null, ContentSource.images(TrainFixtures.contentImages(3, 40),
                32, 2, cfg.seed()), List.of(TrainFixtures.styleTensor(48)))) {
            assertThat(t.currentStep()).isEqualTo(3);
            assertThat(t.history().size()).isEqualTo(3);
            resumed = t.step();
        }
        StepEvent straight;
        try (GanTrainer t = trainer(cfg)) {
            t.step();
            t.step();
            t.step();
            straight = t.step();
        }
        assertThat(resumed.step()).isEqualTo(3);
        for (String term : straight.terms().keySet()) {
            assertThat(resumed.term(term)).as(term)
                    .isCloseTo(straight.term(term), org.assertj.core.data.Percentage.withPercentage(1e-3));
        }
        assertThat(resumed.discriminatorLoss()).isCloseTo(straight.discriminatorLoss(),
                org.assertj.core.data.Percentage.withPercentage(1e-3));
        assertThat(resumed.lrGenerator()).isEqualTo(straight.lrGenerator());
        // A checkpoint loads as a model too.
        assertThat(StyleModel.load(ckpt).history().size()).isEqualTo(3);
    }

    @Test
    void divergenceStopsBeforeTheUpdateAndKeepsTheCheckpoint() throws Exception {
        Path dir = tmp.resolve("ck");
        TrainerConfig cfg = TrainFixtures.tiny().steps(50).checkpointDir(dir).checkpointEvery(1).build();
        GanTrainer t = trainer(cfg);
        t.train0(1);
        Path file = dir.resolve(GanTrainer.CHECKPOINT_FILE);
        assertThat(file).exists();
        // Inject NaN into the generator's parameters: the next step must stop with the promised message.
        t.generator().graph().params().putScalar(0, Double.NaN);
        INDArray before = t.discriminator().graph().params().dup();
        assertThatThrownBy(t::train).isInstanceOf(TrainingDivergedException.class)
                .hasMessageStartingWith("training diverged at step 1: term '")
                .hasMessageContaining("lower the learning rate (lrGenerator=");
        assertThat(t.discriminator().graph().params()).isEqualTo(before);
        t.close();
        StyleModel m = StyleModel.load(file);
        assertThat(m.history().size()).isEqualTo(1);
        GanTrainer.resume(file, null, ContentSource.images(TrainFixtures.contentImages(3, 40), 32, 2, 42),
                List.of(TrainFixtures.styleTensor(48))).close();
    }

    @Test
    void firstCheckpointClearsTempFilesOfAnInterruptedSave() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("litter"));
        Path stale = Files.writeString(dir.resolve("." + GanTrainer.CHECKPOINT_FILE + ".x1y2.tmp"), "killed mid-save");
        TrainerConfig cfg = TrainFixtures.tiny().steps(2).checkpointDir(dir).checkpointEvery(1).build();
        try (GanTrainer t = trainer(cfg)) {
            t.train();
        }
        assertThat(stale).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve(GanTrainer.CHECKPOINT_FILE));
        }
        assertThat(StyleModel.load(dir.resolve(GanTrainer.CHECKPOINT_FILE)).history().size()).isEqualTo(2);
    }

    @Test
    void stopRequestEndsAfterTheStepWithACheckpointThatResumes() throws Exception {
        Path dir = tmp.resolve("stop");
        TrainerConfig cfg = TrainFixtures.tiny().steps(10).checkpointDir(dir).build(); // checkpoint only at the end
        List<String> calls = new java.util.ArrayList<>();
        try (GanTrainer t = trainer(cfg)) {
            t.addListener(new TrainingListener() {
                private TrainingContext ctx;

                @Override
                public void onStart(TrainingContext c) {
                    ctx = c;
                }

                @Override
                public void onStep(StepEvent e) {
                    calls.add("step " + e.step());
                    if (calls.size() == 2) {
                        ctx.requestStop();
                    }
                }

                @Override
                public void onEnd(History h) {
                    calls.add("end " + h.size());
                }
            });
            assertThat(t.train().size()).isEqualTo(2);
            assertThat(t.stoppedEarly()).isTrue();
            assertThat(t.currentStep()).isEqualTo(2);
        }
        assertThat(calls).hasSize(3).last().isEqualTo("end 2");
        Path file = dir.resolve(GanTrainer.CHECKPOINT_FILE);
        try (GanTrainer resumed = GanTrainer.resume(file, null,
                ContentSource.images(TrainFixtures.contentImages(3, 40), 32, 2, 42), List.of(TrainFixtures.styleTensor(48)))) {
            assertThat(resumed.currentStep()).isEqualTo(2);
        }
    }

    @Test
    void absurdLearningRateIsStoppedByTheGuardAndTheCheckpointStillLoads() throws Exception {
        // Adam moves every parameter by ~lr per step: at 1e38 the next forward pass overflows float32.
        Path dir = tmp.resolve("absurd");
        TrainerConfig cfg = TrainFixtures.tiny().steps(20).lrGenerator(1e38)
                .checkpointDir(dir).checkpointEvery(1).build();
        try (GanTrainer t = trainer(cfg)) {
            assertThatThrownBy(t::train).isInstanceOf(TrainingDivergedException.class)
                    .hasMessageStartingWith("training diverged at step ")
                    .hasMessageContaining("lower the learning rate (lrGenerator=1.0E38");
            assertThat(t.currentStep()).isLessThan(20);
        }
        StyleModel last = StyleModel.load(dir.resolve(GanTrainer.CHECKPOINT_FILE));
        assertThat(last.history().size()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void nanInDiscriminatorStopsBeforeAnyUpdate() {
        TrainerConfig cfg = TrainFixtures.tiny().steps(3).gamma(0.5).build();
        try (GanTrainer t = trainer(cfg)) {
            t.step();
            t.discriminator().graph().params().putScalar(3, Double.POSITIVE_INFINITY);
            INDArray g = t.generator().graph().params().dup();
            assertThatThrownBy(t::step).isInstanceOf(TrainingDivergedException.class)
                    .hasMessageStartingWith("training diverged at step 1: term 'discriminator logits' is NaN");
            assertThat(t.generator().graph().params()).isEqualTo(g);
            assertThat(t.currentStep()).isEqualTo(1);
        }
    }

    @Test
    void generatorStepLeavesDiscriminatorUntouched() {
        TrainerConfig cfg = TrainFixtures.tiny().gamma(1).build();
        try (GanTrainer t = trainer(cfg)) {
            INDArray params = t.discriminator().graph().params().dup();
            INDArray state = t.discriminator().graph().getUpdater().getStateViewArray().dup();
            int iter = t.discriminator().engine().iteration();
            INDArray x = ContentSource.images(TrainFixtures.contentImages(3, 40), 32, 2, 1).nextBatch();
            GeneratorObjective.Outcome gs = t.generatorGradient(x);
            assertThat(gs.terms()).containsKey(WeightedLoss.ADVERSARIAL);
            assertThat(t.discriminator().graph().params()).isEqualTo(params);
            assertThat(t.discriminator().graph().getUpdater().getStateViewArray()).isEqualTo(state);
            assertThat(t.discriminator().engine().iteration()).isEqualTo(iter);
        }
    }

    /**
     * The generator step's gradient is d(alpha Lc + beta Ls + gamma Ladv + tv Ltv)/d(theta_G) (auto-balanced),
     * checked by central differences in double precision on a tiny config, batch 1 and 3.
     */
    @Test
    void generatorGradientMatchesFiniteDifferences() {
        for (int batch : new int[] {1, 3}) {
            TrainerConfig cfg = TrainFixtures.tiny().imageSize(16).styleSize(16).discriminatorCrop(16).batchSize(batch)
                    .gamma(0.7).tv(0.3).alpha(1).beta(5).build();
            Generator g = Generator.builder().config(cfg.generator()).dataType(DataType.DOUBLE)
                    .updater(new Adam(1e-3)).build();
            Discriminator d = Discriminator.builder().config(cfg.discriminator()).dataType(DataType.DOUBLE).build();
            GanTrainer t = new GanTrainer(cfg, g, d, GanTrainer.featureExtractor(cfg, DataType.DOUBLE),
                    ContentSource.images(TrainFixtures.contentImages(3, 16), 16, batch, 5),
                    List.of(TrainFixtures.styleTensor(16)));
            INDArray x = ContentSource.images(TrainFixtures.contentImages(3, 16), 16, batch, 5).nextBatch()
                    .castTo(DataType.DOUBLE);
            GeneratorObjective.Outcome gs = t.generatorGradient(x);
            assertThat(gs.terms()).containsKeys("content", "style", "adversarial", "tv");
            Gradient grad = gs.gradient();
            INDArray analytic = grad.gradient().dup();
            INDArray p = g.graph().params();
            Random r = new Random(11);
            double eps = 1e-6;
            int checked = 0;
            int failures = 0;
            StringBuilder report = new StringBuilder();
            for (int k = 0; k < (batch == 1 ? 12 : 6); k++) {
                long i = (long) (r.nextDouble() * p.length());
                double orig = p.getDouble(i);
                p.putScalar(i, orig + eps);
                double plus = t.generatorGradient(x).total();
                p.putScalar(i, orig - eps);
                double minus = t.generatorGradient(x).total();
                p.putScalar(i, orig);
                double numeric = (plus - minus) / (2 * eps);
                double a = analytic.getDouble(i);
                double rel = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), 1e-12);
                checked++;
                if (rel > 1e-4 && Math.abs(a - numeric) > 1e-8) {
                    failures++;
                    report.append(String.format("param %d: analytic %.8g numeric %.8g rel %.3g%n", i, a, numeric, rel));
                }
            }
            assertThat(failures).as("batch " + batch + ", " + checked + " checks:\n" + report).isZero();
        }
    }

    /**
     * The discriminator's fakes are the generator's training-mode output for the step's own batch, before the
     * generator's update: replaying one D update on that output (same draws) from copies of both networks gives
     * the trainer's discriminator parameters.
     */
    @Test
    void discriminatorFakesAreTheGeneratorOutputOfTheStepBatch() {
        TrainerConfig cfg = TrainFixtures.tiny().gamma(0.5).build();   // D crop = image size, no image pool
        try (GanTrainer t = trainer(cfg)) {
            Generator g0 = Generator.restore(cfg.generator(), t.generator().graph());
            Discriminator d0 = Discriminator.restore(cfg.discriminator(), t.discriminator().graph());
            INDArray x = ContentSource.images(TrainFixtures.contentImages(3, 40), cfg.imageSize(), cfg.batchSize(),
                    cfg.seed()).nextBatch();
            INDArray before = d0.graph().params().dup();
            t.step();

            INDArray fakes = g0.engine().forward(x, true);
            new DiscriminatorStep(cfg, d0, t.styleImages(), new ImagePool(0), new DivergenceGuard(cfg, () -> 0))
                    .update(fakes, new Random(Seeds.mix(cfg.seed(), 0, 0)));
            TestSupport.assertAllClose(t.discriminator().graph().params(), d0.graph().params(), 1e-6, 1e-8);
            assertThat(d0.graph().params()).isNotEqualTo(before);   // the replayed update did move D
        }
    }

    /** The run's seed seeds both default networks; an explicit network config keeps its own seed. */
    @Test
    void runSeedSeedsTheDefaultNetworksUnlessAConfigIsGiven() {
        TrainerConfig one = TrainerConfig.builder().seed(1).build();
        TrainerConfig two = one.toBuilder().seed(2).build();
        assertThat(one.generator().seed()).isEqualTo(1);
        assertThat(one.discriminator().seed()).isEqualTo(1);
        assertThat(two.generator()).isEqualTo(TrainerConfig.smallGenerator().withSeed(2));
        assertThat(two.discriminator()).isEqualTo(TrainerConfig.smallDiscriminator().withSeed(2));
        assertThat(TrainerConfig.defaults().generator()).isEqualTo(TrainerConfig.smallGenerator());
        assertThat(Generator.builder().config(one.generator()).build().graph().params())
                .isNotEqualTo(Generator.builder().config(two.generator()).build().graph().params());

        TrainerConfig explicit = TrainerConfig.builder().generator(TrainFixtures.tinyGenerator()).seed(3).build();
        assertThat(explicit.generator().seed()).isEqualTo(TrainFixtures.tinyGenerator().seed());
        assertThat(explicit.discriminator().seed()).isEqualTo(3);
        // A saved config stores its networks, seeds included: reading it back never re-derives them.
        TrainerConfig read = TrainerConfig.fromJson(one.toJson());
        assertThat(read.toBuilder().seed(5).build().generator().seed()).isEqualTo(1);
    }
}
