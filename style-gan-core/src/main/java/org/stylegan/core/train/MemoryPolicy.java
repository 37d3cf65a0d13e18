package org.stylegan.core.train;

/**
 * When the trainer asks the JVM for a collection: once the steps since the last one took {@link #GC_TIME_RATIO}
 * times as long as that collection did, so its cost stays at about 2% of training time.
 *
 * <p>Why at all: DL4J layers without workspaces allocate their temporaries (im2col, normalisation intermediates,
 * epsilons) as fresh native buffers that only a collection of their Java owners frees, and those owners are too
 * small to make the JVM collect on its own: without this a 128 px run sat at ~8 GB resident. The step closes the
 * arrays it can reach itself; this bounds the rest.
 */
final class MemoryPolicy {
    /** Training time per nanosecond of collection. */
    static final int GC_TIME_RATIO = 50;
    private static final long GC_MIN_NANOS = 2_000_000;

    private long stepNanosSinceGc;
    private long lastGcNanos = GC_MIN_NANOS;

    /** Records a step's wall time and collects when the budget is reached. */
    void afterStep(long stepNanos) {
        stepNanosSinceGc += stepNanos;
        if (stepNanosSinceGc < GC_TIME_RATIO * lastGcNanos) {
            return;
        }
        long t = System.nanoTime();
        System.gc();
        lastGcNanos = Math.max(GC_MIN_NANOS, System.nanoTime() - t);
        stepNanosSinceGc = 0;
    }
}
