package org.stylegan.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stylegan.core.TestSupport;
import org.stylegan.core.net.Generator;

/** The collapse guard wired into {@link GanTrainer}: an injected collapse is rolled back, a healthy run is not. */
class CollapseRecoveryTest {
    @TempDir
    Path tmp;

    private static GanTrainer trainer(TrainerConfig cfg) {
        return GanTrainer.create(cfg, ContentSource.images(TrainFixtures.contentImages(3, 40), cfg.imageSize(),
                cfg.batchSize(), cfg.seed()), List.of(TrainFixtures.styleTensor(48)));
    }

    /** Zeroes the weights and bias of the generator's last convolution: its output becomes tanh(0), one flat grey. */
    static void flatten(Generator g) {
        for (Layer l : g.graph().getLayers()) {
            if (l.conf().getLayer().getLayerName().startsWith(Generator.OUTPUT)) {
                l.paramTable().values().forEach(p -> p.assign(0));
            }
        }
    }

    private static double outputStd(GanTrainer t) {
        INDArray y = t.generator().output(TrainFixtures.styleTensor(32));
        return y.stdNumber().doubleValue();
    }

    /**
     * At step 5 a listener flattens the generator's output. The next step's output is flat: the guard rolls every
     * network back to the snapshot taken after step 6 (the parameters the listener saw before breaking them), halves
     * both learning rates, tells the listeners and the history, and training ends with a non-flat generator. A
     * checkpoint keeps the halved rates for resume.
     */
    @Test
    void injectedCollapseIsRolledBackWithLowerLearningRates() throws Exception {
        TrainerConfig cfg = TrainFixtures.tiny().steps(12).gamma(0.3).discriminatorScales(2)
                .collapseSnapshotEvery(2).checkpointDir(tmp).build();
        List<CollapseEvent> seen = new ArrayList<>();
        INDArray[] beforeBreak = new INDArray[2];
        INDArray[] atRollback = new INDArray[2];
        History h;
        try (GanTrainer t = trainer(cfg)) {
            t.addListener(new TrainingListener() {
                @Override
                public void onStep(StepEvent e) {
                    if (e.step() == 5) {
                        beforeBreak[0] = t.generator().graph().params().dup();
                        beforeBreak[1] = t.discriminators().get(1).graph().params().dup();
                        flatten(t.generator());
                    }
                }

                @Override
                public void onCollapse(CollapseEvent e) {
                    seen.add(e);
                    atRollback[0] = t.generator().graph().params().dup();
                    atRollback[1] = t.discriminators().get(1).graph().params().dup();
                }
            });
            h = t.train();
            assertThat(t.currentStep()).isEqualTo(12);
            assertThat(outputStd(t)).as("output std after training").isGreaterThan(CollapseGuard.MIN_STD * 5);
        }
        assertThat(seen).hasSize(1);
        CollapseEvent c = seen.get(0);
        assertThat(c.step()).isEqualTo(6);
        assertThat(c.kind()).isEqualTo("FLAT");
        assertThat(c.restoredTo()).isEqualTo(6);
        assertThat(c.lrGenerator()).isEqualTo(cfg.lrGenerator() * 0.5);
        assertThat(c.lrDiscriminator()).isEqualTo(cfg.lrDiscriminator() * 0.5);
        TestSupport.assertAllClose(atRollback[0], beforeBreak[0], 0, 0);
        TestSupport.assertAllClose(atRollback[1], beforeBreak[1], 0, 0);
        assertThat(h.collapses()).containsExactly(c);
        assertThat(h.events().get(6).lrGenerator()).isEqualTo(cfg.lrGenerator());
        assertThat(h.events().get(7).lrGenerator()).isEqualTo(cfg.lrGenerator() * 0.5);
        assertThat(h.events().get(7).lrDiscriminator()).isEqualTo(cfg.lrDiscriminator() * 0.5);
        assertThat(History.fromJson(h.toJson()).collapses()).containsExactly(c);

        // Resume keeps the halved rates and the recorded collapse.
        Path ckpt = tmp.resolve(GanTrainer.CHECKPOINT_FILE);
        try (GanTrainer t = GanTrainer.resume(ckpt, cfg.toBuilder().steps(13).build(),
                ContentSource.images(TrainFixtures.contentImages(3, 40), 32, 2, cfg.seed()),
                List.of(TrainFixtures.styleTensor(48)))) {
            assertThat(t.history().collapses()).containsExactly(c);
            assertThat(t.step().lrGenerator()).isEqualTo(cfg.lrGenerator() * 0.5);
        }
    }

    /** A healthy run takes its snapshots and never rolls back; its history has no collapse. */
    @Test
    void healthyRunNeverRollsBack() {
        TrainerConfig cfg = TrainFixtures.tiny().steps(10).gamma(0.3).collapseSnapshotEvery(1).build();
        List<CollapseEvent> seen = new ArrayList<>();
        History h;
        try (GanTrainer t = trainer(cfg)) {
            t.addListener(new TrainingListener() {
                @Override
                public void onCollapse(CollapseEvent e) {
                    seen.add(e);
                }
            });
            h = t.train();
        }
        assertThat(seen).isEmpty();
        assertThat(h.collapses()).isEmpty();
        assertThat(h.events()).allSatisfy(e -> assertThat(e.lrGenerator()).isEqualTo(cfg.lrGenerator()));
        assertThat(h.toJson()).doesNotContain("collapses");
    }

    /** A generator broken after every step collapses again after each rollback; the fourth collapse stops the run. */
    @Test
    void fourthCollapseStopsWithTheFix() {
        TrainerConfig cfg = TrainFixtures.tiny().steps(12).gamma(0).collapseSnapshotEvery(2).build();
        try (GanTrainer t = trainer(cfg)) {
            t.addListener(new TrainingListener() {
                @Override
                public void onStep(StepEvent e) {
                    flatten(t.generator());
                }
            });
            assertThatThrownBy(t::train).isInstanceOf(TrainingCollapsedException.class)
                    .hasMessageContaining("after 3 rollbacks").hasMessageContaining("lower gamma")
                    .hasMessageContaining("learning rates");
            assertThat(t.history().collapses()).hasSize(3);
        }
    }
}
