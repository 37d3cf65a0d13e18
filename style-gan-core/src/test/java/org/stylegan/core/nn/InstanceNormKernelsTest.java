package org.stylegan.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The two-thread passes of {@link InstanceNormKernels} (this thread and the helper, each half of the rows; the
 * boundary may fall inside an example's rows) give the statistics of a double-precision reference and the same
 * output as one thread. Unit-test arrays are far below the size from which the kernels split, so the tests ask for
 * one and two pieces explicitly.
 */
class InstanceNormKernelsTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 37})
    void splitPassesMatchReferenceAndOneThread(int m) {
        int n = 3; // with m rows per example, the halves of 3 * m rows split an example when m is odd
        int c = 24;
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.randn(DataType.FLOAT, n, m, c).muli(2).addi(5);
        float[] xv = x.data().asFloat();
        double eps = 1e-5;
        double[] muRef = new double[n * c];
        double[] invRef = new double[n * c];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                double s = 0;
                for (int p = 0; p < m; p++) {
                    s += xv[(i * m + p) * c + k];
                }
                double mu = s / m;
                double q = 0;
                for (int p = 0; p < m; p++) {
                    double d = xv[(i * m + p) * c + k] - mu;
                    q += d * d;
                }
                muRef[i * c + k] = mu;
                invRef[i * c + k] = 1 / Math.sqrt(q / m + eps);
            }
        }
        double[] a = new double[n * c];
        double[] b = new double[n * c];
        for (int j = 0; j < n * c; j++) {
            a[j] = 0.5 + j % 7 * 0.25;
            b[j] = -1 + j % 5 * 0.5;
        }

        INDArray one = Nd4j.createUninitialized(DataType.FLOAT, n, m, c);
        InstanceNormKernels.affine(x, one, n, m, c, a, b, InstanceNormKernels.LEAKY_RELU, 0.2f, 1);

        double[] mu = new double[n * c];
        double[] inv = new double[n * c];
        InstanceNormKernels.stats(x, n, m, c, eps, mu, inv, 2);
        INDArray two = Nd4j.createUninitialized(DataType.FLOAT, n, m, c);
        InstanceNormKernels.affine(x, two, n, m, c, a, b, InstanceNormKernels.LEAKY_RELU, 0.2f, 2);

        for (int j = 0; j < n * c; j++) {
            assertThat(mu[j]).as("mean of plane %d", j).isCloseTo(muRef[j], within(1e-5));
            assertThat(inv[j]).as("1/std of plane %d", j).isCloseTo(invRef[j], within(1e-5 * invRef[j]));
        }
        // Element-wise, so the split must not change a single value.
        assertThat(two.data().asFloat()).containsExactly(one.data().asFloat());
    }
}
