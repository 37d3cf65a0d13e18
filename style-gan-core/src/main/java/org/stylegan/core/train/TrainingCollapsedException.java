package org.stylegan.core.train;

/**
 * Thrown when training collapsed again after {@link GanTrainer#MAX_ROLLBACKS} rollbacks in one run: the settings,
 * not bad luck, are the cause. The message names the step, the kind of collapse and the fix.
 */
public final class TrainingCollapsedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int step;
    private final String kind;

    TrainingCollapsedException(int step, String kind, String message) {
        super(message);
        this.step = step;
        this.kind = kind;
    }

    /** The step whose output showed the last collapse. */
    public int step() {
        return step;
    }

    /** The kind of the last collapse ({@link CollapseEvent#kind()}). */
    public String kind() {
        return kind;
    }
}
