package org.stylegan.core.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A read-only view of a running training, handed to {@link TrainingListener#onStart}. Valid until the
 * training ends; call its methods from listener callbacks only (the training thread).
 */
public interface TrainingContext {

    /** Returns the training configuration. */
    TrainerConfig config();

    /** Returns the step training starts from (0 for a fresh run, k after resuming at step k). */
    int startStep();

    /** Returns a fixed content batch [n, 3, size, size] in [-1, 1] for previews (the first batch of the run). */
    INDArray previewContent();

    /** Returns the first style image as [1, 3, H, W] in [-1, 1] (resized as used for training). */
    INDArray styleImage();

    /** Runs the generator in inference mode on NCHW images in [-1, 1] (current parameters). */
    INDArray stylize(INDArray content);

    /**
     * Asks training to stop after the current step, e.g. at a time budget. The step finishes, a checkpoint is
     * written if a checkpoint folder is set, listeners get {@link TrainingListener#onEnd}, and the history holds
     * the steps run so far; resuming from that checkpoint continues the run.
     */
    void requestStop();
}
