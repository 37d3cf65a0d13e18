package org.stylegan.core.train;

import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Stops training with a {@link TrainingDivergedException} when a loss term, an activation or a gradient is NaN
 * or infinite, before the update that would spread it into the parameters. The message names the step, the term
 * and the fix (lower learning rates or gamma; the last checkpoint is intact).
 */
final class DivergenceGuard {
    private final TrainerConfig cfg;
    private final IntSupplier step;

    DivergenceGuard(TrainerConfig cfg, IntSupplier step) {
        this.cfg = cfg;
        this.step = step;
    }

    /** Throws when {@code a} (if not null) holds a NaN or an infinity. */
    void finite(INDArray a, String what) {
        if (a != null && countNonFinite(a) > 0) {
            throw diverged(what, Double.NaN, null);
        }
    }

    /** Throws when a parameter gradient holds a NaN or an infinity. */
    void finite(Gradient gradient, String what) {
        if (countNonFinite(gradient.gradient()) > 0) {
            throw diverged(what, Double.NaN, null);
        }
    }

    /** Throws when {@code value} is not finite. */
    void finite(double value, String term) {
        if (!Double.isFinite(value)) {
            throw diverged(term, value, null);
        }
    }

    /** Evaluates a loss; a loss that rejects its (non-finite) input is divergence, not a usage error. */
    <T> T loss(String term, Supplier<T> loss) {
        try {
            return loss.get();
        } catch (IllegalArgumentException e) {
            throw diverged(term, Double.NaN, e);
        }
    }

    private static long countNonFinite(INDArray a) {
        long nan = Nd4j.getExecutioner().exec(new MatchCondition(a, Conditions.isNan())).getLong(0);
        long inf = Nd4j.getExecutioner().exec(new MatchCondition(a, Conditions.isInfinite())).getLong(0);
        return nan + inf;
    }

    TrainingDivergedException diverged(String term, double value, Exception cause) {
        String what = Double.isNaN(value) ? "is NaN" : Double.isInfinite(value) ? "is infinite" : "is not finite";
        if (cause != null) {
            what = "is not finite (" + cause.getMessage() + ")";
        }
        int at = step.getAsInt();
        String msg = "training diverged at step " + at + ": term '" + term + "' " + what
                + "; lower the learning rate (lrGenerator=" + cfg.lrGenerator() + ", lrDiscriminator="
                + cfg.lrDiscriminator() + ") or gamma (" + cfg.gamma() + ")"
                + (cfg.checkpointDir() != null ? "; the last checkpoint in " + cfg.checkpointDir() + " is intact" : "");
        TrainingDivergedException e = new TrainingDivergedException(at, term, msg);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }
}
