package org.stylegan.core.train;

/**
 * Training produced NaN or infinity in a loss term or gradient. Thrown before the bad update is applied, so
 * the networks keep their last good parameters and no checkpoint is written for this step.
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int step;
    private final String term;

    /**
     * @param step    0-based iteration that diverged
     * @param term    what was not finite (a loss term name, or e.g. "generator gradient")
     * @param message full message with a hint
     */
    public TrainingDivergedException(int step, String term, String message) {
        super(message);
        this.step = step;
        this.term = term;
    }

    /** Returns the iteration that diverged. */
    public int step() {
        return step;
    }

    /** Returns what was not finite. */
    public String term() {
        return term;
    }
}
