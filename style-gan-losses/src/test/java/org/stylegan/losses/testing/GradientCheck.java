package org.stylegan.losses.testing;

import java.util.Arrays;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Finite-difference gradient check in double precision.
 *
 * <p>For each checked element i of the input, the numerical derivative is the central difference
 * {@code n_i = (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)}; it agrees with the analytic gradient
 * {@code a_i} when {@code |a_i - n_i| / (|a_i| + |n_i|) <= maxRelError} or
 * {@code |a_i - n_i| <= absFloor} (the floor covers elements whose true gradient is ~0, where the
 * relative error is noise). Perturbations are applied to a private copy: the caller's input is
 * never modified.
 *
 * <p>Self-contained (ND4J + JDK only) so other modules can copy it. Typical use:
 * <pre>{@code
 * GradientCheck.Result r = GradientCheck.check(x -> loss.compute(x, t).value(), x, loss.compute(x, t).gradient());
 * assertThat(r.failures()).as(r.summary()).isZero();
 * }</pre>
 */
public final class GradientCheck {

    /** Default step: 1e-6 balances truncation (eps^2) against round-off (1e-16/eps) in double. */
    public static final double DEFAULT_EPS = 1e-6;
    /** Default relative error bound. */
    public static final double DEFAULT_MAX_REL_ERROR = 1e-5;
    /** Default absolute floor below which a difference always passes. */
    public static final double DEFAULT_ABS_FLOOR = 1e-9;
    /** Default maximum number of elements checked; larger inputs are sampled with a fixed seed. */
    public static final int DEFAULT_MAX_CHECKS = 600;

    private GradientCheck() {
    }

    /**
     * Outcome of a gradient check.
     *
     * @param checked elements compared
     * @param failures elements outside the tolerance
     * @param maxRelError largest relative error among elements not covered by the absolute floor
     * @param firstFailure description of the first failing element, or empty
     */
    public record Result(int checked, int failures, double maxRelError, String firstFailure) {

        /** @return a one-line summary for assertion messages */
        public String summary() {
            return "gradient check: " + failures + " of " + checked + " elements failed, max relative error "
                    + maxRelError + (firstFailure.isEmpty() ? "" : "; first failure: " + firstFailure);
        }

        /** @return true when no element failed */
        public boolean passed() {
            return failures == 0;
        }
    }

    /**
     * Checks with the default step, tolerances and sample size, seed 42.
     *
     * @param loss scalar function of the input (must not keep or mutate its argument)
     * @param input DOUBLE input at which to check
     * @param analytic analytic gradient, same shape as input
     * @return the result
     */
    public static Result check(ToDoubleFunction<INDArray> loss, INDArray input, INDArray analytic) {
        return check(loss, input, analytic, DEFAULT_EPS, DEFAULT_MAX_REL_ERROR, DEFAULT_ABS_FLOOR,
                DEFAULT_MAX_CHECKS, 42L);
    }

    /**
     * Checks the analytic gradient of {@code loss} at {@code input} by central differences.
     *
     * @param loss scalar function of the input
     * @param input DOUBLE input at which to check (not modified)
     * @param analytic analytic gradient, same shape as input
     * @param eps finite-difference step
     * @param maxRelError relative error bound
     * @param absFloor absolute error always accepted
     * @param maxChecks maximum elements checked (all when the input is smaller)
     * @param seed seed for sampling elements of large inputs
     * @return the result
     */
    public static Result check(ToDoubleFunction<INDArray> loss, INDArray input, INDArray analytic,
            double eps, double maxRelError, double absFloor, int maxChecks, long seed) {
        if (input.dataType() != DataType.DOUBLE || analytic.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("gradient checks need DOUBLE input and gradient, found "
                    + input.dataType() + " and " + analytic.dataType());
        }
        if (!Arrays.equals(input.shape(), analytic.shape())) {
            throw new IllegalArgumentException("analytic gradient has shape " + Arrays.toString(analytic.shape())
                    + " but input has shape " + Arrays.toString(input.shape()) + "; they must match");
        }
        INDArray x = input.dup('c');
        INDArray a = analytic.dup('c').reshape('c', new long[] {analytic.length()});
        INDArray flat = x.reshape('c', new long[] {x.length()}); // view of x
        long[] indices = pick(x.length(), maxChecks, seed);
        int failures = 0;
        double maxRel = 0;
        String first = "";
        for (long i : indices) {
            double orig = flat.getDouble(i);
            flat.putScalar(i, orig + eps);
            double plus = loss.applyAsDouble(x);
            flat.putScalar(i, orig - eps);
            double minus = loss.applyAsDouble(x);
            flat.putScalar(i, orig);
            double numeric = (plus - minus) / (2 * eps);
            double an = a.getDouble(i);
            double absErr = Math.abs(an - numeric);
            double denom = Math.abs(an) + Math.abs(numeric);
            double rel = denom == 0 ? 0 : absErr / denom;
            if (absErr > absFloor) {
                maxRel = Math.max(maxRel, rel);
                if (rel > maxRelError || Double.isNaN(rel)) {
                    if (failures == 0) {
                        first = "index " + Arrays.toString(unravel(i, x.shape())) + ": analytic " + an
                                + ", numeric " + numeric + ", relative error " + rel;
                    }
                    failures++;
                }
            }
        }
        return new Result(indices.length, failures, maxRel, first);
    }

    private static long[] pick(long length, int maxChecks, long seed) {
        if (length <= maxChecks) {
            long[] all = new long[(int) length];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        return new Random(seed).longs(0, length).distinct().limit(maxChecks).sorted().toArray();
    }

    static long[] unravel(long flatIndex, long[] shape) {
        long[] idx = new long[shape.length];
        long rest = flatIndex;
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = rest % shape[d];
            rest /= shape[d];
        }
        return idx;
    }
}
