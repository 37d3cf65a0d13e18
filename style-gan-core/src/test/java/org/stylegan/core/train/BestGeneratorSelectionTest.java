package org.stylegan.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stylegan.core.TestSupport;
import org.stylegan.core.net.Generator;
import org.stylegan.eval.StyleEvaluator;

/** Evaluations on a held-out photo during training, and the selection of the best generator. */
class BestGeneratorSelectionTest {
    private static final StyleEvaluator SMALL = StyleEvaluator.builder().workingSize(64).build();

    private static GanTrainer trainer(TrainerConfig cfg) {
        return GanTrainer.create(cfg, ContentSource.images(TrainFixtures.contentImages(3, 40), cfg.imageSize(),
                cfg.batchSize(), cfg.seed()), List.of(TrainFixtures.styleTensor(48)));
    }

    private static BufferedImage heldOut() {
        return TrainFixtures.contentImages(5, 44).get(4);   // not among the three training images
    }

    /** Evaluations come every evaluateEvery steps and after the last one, to listeners and into the history. */
    @Test
    void listenerReceivesEvaluationsAtTheirSteps() {
        TrainerConfig cfg = TrainFixtures.tiny().steps(7).gamma(0).evaluateEvery(3).build();
        List<EvaluationEvent> seen = new ArrayList<>();
        History h;
        try (GanTrainer t = trainer(cfg).evaluateOn(heldOut(), SMALL)) {
            t.addListener(new TrainingListener() {
                @Override
                public void onEvaluation(EvaluationEvent e) {
                    seen.add(e);
                }
            });
            h = t.train();
        }
        assertThat(seen).extracting(EvaluationEvent::step).containsExactly(3, 6, 7);
        assertThat(h.evaluations()).containsExactlyElementsOf(seen);
        assertThat(seen).allSatisfy(e -> {
            assertThat(e.score()).isBetween(0.0, 1.0);
            assertThat(e.evaluation().texture()).hasSize(3);
        });
        History read = History.fromJson(h.toJson());
        assertThat(read.evaluations()).extracting(EvaluationEvent::step).containsExactly(3, 6, 7);
        for (int i = 0; i < 3; i++) {
            assertThat(read.evaluations().get(i).score()).isCloseTo(seen.get(i).score(), Offset.offset(1e-4));
            assertThat(read.evaluations().get(i).evaluation().paletteRatio())
                    .isCloseTo(seen.get(i).evaluation().paletteRatio(), Offset.offset(1e-4));
        }
        assertThat(read.best().map(EvaluationEvent::step)).isEqualTo(h.best().map(EvaluationEvent::step));
    }

    /**
     * From step 5 on the generator's output is made flat on purpose (guard off), so the last evaluations score 0
     * and the best is an earlier one: the selected generator holds exactly the parameters it had at that step.
     */
    @Test
    void bestGeneratorIsTheBestScoringStepsGenerator() {
        TrainerConfig cfg = TrainFixtures.tiny().steps(8).gamma(0).evaluateEvery(2).collapseSnapshotEvery(0).build();
        Map<Integer, INDArray> paramsAt = new LinkedHashMap<>();
        History h;
        try (GanTrainer t = trainer(cfg).evaluateOn(heldOut(), SMALL)) {
            t.addListener(new TrainingListener() {
                @Override
                public void onStep(StepEvent e) {
                    if (e.step() >= 4) {
                        CollapseRecoveryTest.flatten(t.generator());
                    }
                }

                @Override
                public void onEvaluation(EvaluationEvent e) {
                    paramsAt.put(e.step(), t.generator().graph().params().dup());
                }
            });
            h = t.train();
            EvaluationEvent best = t.bestEvaluation().orElseThrow();
            assertThat(h.best()).contains(best);
            assertThat(h.evaluations()).extracting(EvaluationEvent::step).containsExactly(2, 4, 6, 8);
            assertThat(best.step()).isLessThanOrEqualTo(4);
            for (EvaluationEvent e : h.evaluations()) {
                assertThat(e.score()).as("step " + e.step()).isLessThanOrEqualTo(best.score());
            }
            assertThat(h.evaluations().get(3).score()).as("flat output").isLessThan(best.score() + 1e-12);
            Generator chosen = t.bestGenerator().orElseThrow();
            TestSupport.assertAllClose(chosen.graph().params(), paramsAt.get(best.step()), 0, 0);
            assertThat(chosen.graph().params()).isNotEqualTo(t.generator().graph().params());
        }
    }

    /** Without evaluations there is no best generator: StyleTransfer then keeps the last one. */
    @Test
    void noEvaluationNoSelection() {
        try (GanTrainer t = trainer(TrainFixtures.tiny().steps(2).gamma(0).build())) {
            History h = t.train();
            assertThat(h.evaluations()).isEmpty();
            assertThat(h.best()).isEmpty();
            assertThat(t.bestGenerator()).isEmpty();
            assertThat(h.toJson()).doesNotContain("evaluations");
        }
    }
}
