package org.stylegan.core.internal;

import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A parameter gradient copied out of a network ({@link TrainableGraph#backward}, {@link
 * TrainableGraph#parameterGradient}): one flat array, with the per-variable gradients as views of it.
 *
 * <p>{@link #close()} frees the flat array at once. Why it exists: in DL4J 1.0.0-M2.1 {@code Gradient.gradient()}
 * returns a reshaped <em>view</em> of the flat array, and closing a view is a silent no-op, so a caller could not free
 * the copy; each training step then left it (11 MB for the default discriminator, 6.7 MB for the generator) to the
 * garbage collector, and the process kept asking the OS for fresh pages (measured: 10,000-20,000 minor faults and
 * 20-40% more time per discriminator step at batch 4 between collections). Using the gradient after {@code close()}
 * is an error.
 */
public final class GradientCopy extends DefaultGradient implements AutoCloseable {
    private final transient INDArray flat;

    GradientCopy(INDArray flat) {
        super(flat);
        this.flat = flat;
    }

    /** The flat array this copy owns (tests check that {@link #close()} frees it). */
    public INDArray flat() {
        return flat;
    }

    /** Frees the flat gradient array (and with it every per-variable view). Idempotent. */
    @Override
    public void close() {
        if (flat != null && !flat.wasClosed()) {
            flat.close();
        }
    }

    /**
     * Frees {@code gradient} now if it is a {@link GradientCopy}; otherwise closes what can be closed of it (its
     * per-variable arrays; views are skipped by ND4J).
     */
    public static void release(org.deeplearning4j.nn.gradient.Gradient gradient) {
        if (gradient instanceof GradientCopy copy) {
            copy.close();
        } else if (gradient != null) {
            gradient.gradientForVariable().values().forEach(a -> {
                if (a != null && a.closeable()) {
                    a.close();
                }
            });
        }
    }
}
