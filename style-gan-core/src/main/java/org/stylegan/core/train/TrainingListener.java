package org.stylegan.core.train;

import java.nio.file.Path;

/**
 * Callbacks from {@link GanTrainer}; every method has a no-op default, so implement only what you need.
 * Callbacks run on the training thread, between iterations: keep them quick.
 */
public interface TrainingListener {

    /** Called once before the first iteration (also after a resume, with {@code context.startStep() > 0}). */
    default void onStart(TrainingContext context) {
    }

    /** Called after every iteration. */
    default void onStep(StepEvent event) {
    }

    /** Called after a checkpoint was written (atomically) to {@code file}. */
    default void onCheckpoint(int step, Path file) {
    }

    /**
     * Called after the collapse guard rolled the networks back to their last snapshot and halved the learning rates;
     * training goes on.
     */
    default void onCollapse(CollapseEvent event) {
    }

    /**
     * Called after the generator was evaluated on the held-out photo (every {@code evaluateEvery} steps and after the
     * last step, when {@code TrainerConfig.evaluateEvery() > 0}).
     */
    default void onEvaluation(EvaluationEvent event) {
    }

    /** Called once after the last iteration (not when training failed). */
    default void onEnd(History history) {
    }
}
