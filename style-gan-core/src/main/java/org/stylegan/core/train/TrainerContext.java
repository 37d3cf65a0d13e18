package org.stylegan.core.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/** What a {@link GanTrainer} hands its listeners at the start of {@code train()}. */
final class TrainerContext implements TrainingContext {
    private final GanTrainer trainer;
    private final ContentFeed content;

    TrainerContext(GanTrainer trainer, ContentFeed content) {
        this.trainer = trainer;
        this.content = content;
    }

    @Override
    public TrainerConfig config() {
        return trainer.config();
    }

    @Override
    public int startStep() {
        return trainer.startStep();
    }

    @Override
    public INDArray previewContent() {
        return content.peekPreview();
    }

    @Override
    public INDArray styleImage() {
        return trainer.styleImages().get(0);
    }

    @Override
    public INDArray stylize(INDArray images) {
        return trainer.generator().output(images.castTo(trainer.generator().dataType()));
    }

    @Override
    public void requestStop() {
        trainer.requestStop();
    }
}
