package org.stylegan.losses;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Deterministic test tensors. */
final class Fixtures {

    private Fixtures() {
    }

    /** Uniform values in [lo, hi), DOUBLE, from a fixed seed. */
    static INDArray uniformIn(long seed, double lo, double hi, long... shape) {
        Random r = new Random(seed);
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * r.nextDouble();
        }
        return Nd4j.create(v, shape, 'c');
    }

    static INDArray uniform(long seed, long... shape) {
        return uniformIn(seed, -1, 1, shape);
    }

    static INDArray f32(INDArray a) {
        return a.castTo(DataType.FLOAT);
    }
}
