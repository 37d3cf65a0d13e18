package org.stylegan.core.train;

import java.util.Objects;
import org.stylegan.eval.Evaluation;

/**
 * The evaluator's figures for the generator after {@code step} steps, on the run's held-out photo against the
 * style image ({@link GanTrainer#evaluateOn}); immutable. {@link Evaluation#score()} (higher is better) selects
 * the best generator.
 *
 * @param step       steps done when the generator was evaluated
 * @param evaluation the figures (docs/evaluation.md)
 */
public record EvaluationEvent(int step, Evaluation evaluation) {
    /** Checks the evaluation is there. */
    public EvaluationEvent {
        Objects.requireNonNull(evaluation, "evaluation");
    }

    /** The summary score, {@code contentKept * styleMoved}, in [0, 1]; higher is better. */
    public double score() {
        return evaluation.score();
    }
}
