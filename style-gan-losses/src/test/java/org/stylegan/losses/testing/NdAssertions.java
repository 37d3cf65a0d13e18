package org.stylegan.losses.testing;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Tolerance-aware array assertions: never compare floating point exactly.
 *
 * <p>Elements agree when {@code |actual - expected| <= atol + rtol * |expected|} (NumPy's
 * {@code allclose}); NaN agrees with nothing. Failures name the first failing index and count all
 * failures. Self-contained (ND4J + JDK only) so other modules can copy it.
 */
public final class NdAssertions {

    private NdAssertions() {
    }

    /**
     * Asserts two arrays have the same shape and agree element-wise within tolerance.
     *
     * @param actual computed array
     * @param expected reference array
     * @param rtol relative tolerance
     * @param atol absolute tolerance
     * @throws AssertionError naming the first failing index, both values and the failure count
     */
    public static void assertAllClose(INDArray actual, INDArray expected, double rtol, double atol) {
        if (actual == null || expected == null) {
            throw new AssertionError("expected " + expected + " but was " + actual);
        }
        if (!Arrays.equals(actual.shape(), expected.shape())) {
            throw new AssertionError("shape mismatch: actual " + Arrays.toString(actual.shape())
                    + ", expected " + Arrays.toString(expected.shape()));
        }
        double[] a = actual.dup('c').castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble();
        double[] e = expected.dup('c').castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble();
        int failures = 0;
        int first = -1;
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]))) {
                if (first < 0) {
                    first = i;
                }
                failures++;
            }
        }
        if (failures > 0) {
            throw new AssertionError("arrays differ at " + failures + " of " + a.length + " elements; first at index "
                    + Arrays.toString(GradientCheck.unravel(first, actual.shape())) + ": actual " + a[first]
                    + ", expected " + e[first] + " (rtol " + rtol + ", atol " + atol + ")");
        }
    }

    /**
     * Asserts a scalar agrees within tolerance.
     *
     * @param actual computed value
     * @param expected reference value
     * @param rtol relative tolerance
     * @param atol absolute tolerance
     */
    public static void assertClose(double actual, double expected, double rtol, double atol) {
        if (!(Math.abs(actual - expected) <= atol + rtol * Math.abs(expected))) {
            throw new AssertionError("actual " + actual + ", expected " + expected + " (rtol " + rtol
                    + ", atol " + atol + ")");
        }
    }

    /**
     * Asserts an input was not modified: same shape, data type and bit-identical values as a copy
     * taken before the call (exact on purpose: a loss must not touch its inputs at all).
     *
     * @param after the input after the call
     * @param before a {@code dup()} taken before the call
     */
    public static void assertUnchanged(INDArray after, INDArray before) {
        if (after.dataType() != before.dataType() || !Arrays.equals(after.shape(), before.shape())) {
            throw new AssertionError("input changed type or shape: " + after.dataType() + Arrays.toString(after.shape())
                    + " was " + before.dataType() + Arrays.toString(before.shape()));
        }
        double[] a = after.dup('c').data().asDouble();
        double[] b = before.dup('c').data().asDouble();
        for (int i = 0; i < a.length; i++) {
            if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) {
                throw new AssertionError("input was modified at index "
                        + Arrays.toString(GradientCheck.unravel(i, after.shape())) + ": now " + a[i] + ", was " + b[i]);
            }
        }
    }
}
