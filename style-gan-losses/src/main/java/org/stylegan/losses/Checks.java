package org.stylegan.losses;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Argument checks shared by the losses; every failure is an {@link IllegalArgumentException}
 * naming the argument, the value found and what is expected.
 */
final class Checks {

    private Checks() {
    }

    static void finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, found " + value);
        }
    }

    static void nonNegative(String name, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, found " + value);
        }
    }

    /** Checks non-null, floating point (FLOAT or DOUBLE) and the given rank. */
    static void tensor(String name, INDArray a, int rank) {
        if (a == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (a.rank() != rank) {
            throw new IllegalArgumentException(name + " must have rank " + rank
                    + (rank == 4 ? " (NCHW)" : "") + ", found rank " + a.rank() + " with shape "
                    + Arrays.toString(a.shape()));
        }
        DataType t = a.dataType();
        if (t != DataType.FLOAT && t != DataType.DOUBLE) {
            throw new IllegalArgumentException(name + " must be FLOAT or DOUBLE, found " + t
                    + "; convert it with castTo(DataType.FLOAT)");
        }
        if (a.length() == 0) {
            throw new IllegalArgumentException(name + " must not be empty, found shape "
                    + Arrays.toString(a.shape()));
        }
    }

    static void sameShape(String nameA, INDArray a, String nameB, INDArray b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(nameA + " has shape " + Arrays.toString(a.shape())
                    + " but " + nameB + " has shape " + Arrays.toString(b.shape()) + "; they must match");
        }
    }

    static void sameType(String nameA, INDArray a, String nameB, INDArray b) {
        if (a.dataType() != b.dataType()) {
            throw new IllegalArgumentException(nameA + " is " + a.dataType() + " but " + nameB
                    + " is " + b.dataType() + "; they must have the same data type");
        }
    }

    /**
     * Throws if the array holds NaN or infinite values, naming how many and the first position.
     * Called only after a loss came out non-finite, so the hot path pays no extra pass.
     */
    static void allFinite(String name, INDArray a) {
        long nan = Nd4j.getExecutioner().exec(new MatchCondition(a, Conditions.isNan())).getLong(0);
        long inf = Nd4j.getExecutioner().exec(new MatchCondition(a, Conditions.isInfinite())).getLong(0);
        if (nan == 0 && inf == 0) {
            return;
        }
        INDArray flat = a.reshape('c', new long[] {a.length()});
        long first = BooleanIndexing.firstIndex(flat, Conditions.isNan()).getLong(0);
        long firstInf = BooleanIndexing.firstIndex(flat, Conditions.isInfinite()).getLong(0);
        if (first < 0 || (firstInf >= 0 && firstInf < first)) {
            first = firstInf;
        }
        String where = first >= 0
                ? " (first at index " + Arrays.toString(unravel(first, a.shape())) + " = "
                        + flat.getDouble(first) + ")"
                : "";
        throw new IllegalArgumentException(name + " contains " + nan + " NaN and " + inf
                + " infinite values" + where + "; all values must be finite");
    }

    /**
     * After a loss came out non-finite: names the offending input, or reports an overflow when
     * every input is finite.
     */
    static void explainNonFinite(String loss, double value, String[] names, INDArray... inputs) {
        for (int i = 0; i < inputs.length; i++) {
            allFinite(names[i], inputs[i]);
        }
        throw new IllegalArgumentException(loss + " overflowed to " + value
                + " although every input is finite; the inputs are too large for "
                + inputs[0].dataType() + " (use DOUBLE or rescale them)");
    }

    private static long[] unravel(long flatIndex, long[] shape) {
        long[] idx = new long[shape.length];
        long rest = flatIndex;
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = rest % shape[d];
            rest /= shape[d];
        }
        return idx;
    }
}
