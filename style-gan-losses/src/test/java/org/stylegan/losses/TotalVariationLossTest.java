package org.stylegan.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stylegan.losses.testing.NdAssertions.assertAllClose;
import static org.stylegan.losses.testing.NdAssertions.assertClose;
import static org.stylegan.losses.testing.NdAssertions.assertUnchanged;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stylegan.losses.testing.GradientCheck;

class TotalVariationLossTest {

    // [[1, 2], [4, 8]]: vertical diffs 3, 6; horizontal diffs 1, 4.
    private static final INDArray IMG = Nd4j.create(new double[] {1, 2, 4, 8}, new long[] {1, 1, 2, 2}, 'c');

    @Test
    void l1HandComputed2x2() {
        LossResult r = TotalVariationLoss.l1().compute(IMG);
        assertClose(r.value(), (3 + 6) / 2.0 + (1 + 4) / 2.0, 1e-12, 0);
        // x00: -1/2 (down) -1/2 (right); x01: -1/2 + 1/2; x10: +1/2 - 1/2; x11: +1/2 + 1/2
        assertAllClose(r.gradient(), Nd4j.create(new double[] {-1, 0, 0, 1}, new long[] {1, 1, 2, 2}, 'c'), 1e-12, 0);
        assertThat(new TotalVariationLoss().norm()).isEqualTo(TotalVariationLoss.Norm.L1);
    }

    @Test
    void squaredHandComputed2x2() {
        LossResult r = TotalVariationLoss.squared().compute(IMG);
        assertClose(r.value(), (9 + 36) / 2.0 + (1 + 16) / 2.0, 1e-12, 0);
        // dh = [3, 6] -> g = dh: x00 -3-1, x01 -6+1, x10 3-4, x11 6+4
        assertAllClose(r.gradient(), Nd4j.create(new double[] {-4, -5, -1, 10}, new long[] {1, 1, 2, 2}, 'c'), 1e-12, 0);
    }

    @Test
    void constantImageHasZeroLossAndZeroSubgradient() {
        INDArray c = Nd4j.zeros(DataType.FLOAT, 2, 3, 5, 4).addi(0.3);
        LossResult r = TotalVariationLoss.l1().compute(c);
        assertThat(r.value()).isZero();
        assertAllClose(r.gradient(), Nd4j.zeros(DataType.FLOAT, 2, 3, 5, 4), 0, 0);
    }

    @Test
    void meansRunOverDifferenceTensorsLikeThePeer() {
        INDArray x = Fixtures.uniform(61, 2, 3, 5, 7);
        double dh = 0;
        double dw = 0;
        for (int b = 0; b < 2; b++) {
            for (int ch = 0; ch < 3; ch++) {
                for (int i = 0; i < 5; i++) {
                    for (int j = 0; j < 7; j++) {
                        double v = x.getDouble(b, ch, i, j);
                        if (i + 1 < 5) {
                            dh += Math.abs(x.getDouble(b, ch, i + 1, j) - v);
                        }
                        if (j + 1 < 7) {
                            dw += Math.abs(x.getDouble(b, ch, i, j + 1) - v);
                        }
                    }
                }
            }
        }
        assertClose(TotalVariationLoss.l1().compute(x).value(), dh / (2 * 3 * 4 * 7) + dw / (2 * 3 * 5 * 6), 1e-12, 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void gradientCheckBothNorms(int batch) {
        // Random values: no neighbour difference is within eps of the L1 kink.
        INDArray x = Fixtures.uniform(62, batch, 3, 5, 4);
        for (TotalVariationLoss loss : new TotalVariationLoss[] {TotalVariationLoss.l1(), TotalVariationLoss.squared()}) {
            GradientCheck.Result c = GradientCheck.check(v -> loss.compute(v).value(), x, loss.compute(x).gradient());
            assertThat(c.failures()).as(loss + " " + c.summary()).isZero();
        }
    }

    @Test
    void floatMatchesDoubleAndInputsUntouched() {
        INDArray x = Fixtures.uniform(63, 2, 3, 16, 16);
        INDArray xf = Fixtures.f32(x);
        INDArray x0 = x.dup();
        INDArray xf0 = xf.dup();
        for (TotalVariationLoss loss : new TotalVariationLoss[] {TotalVariationLoss.l1(), TotalVariationLoss.squared()}) {
            LossResult d = loss.compute(x);
            LossResult f = loss.compute(xf);
            assertClose(f.value(), d.value(), 1e-5, 0);
            assertAllClose(f.gradient(), d.gradient(), 1e-4, 1e-7);
        }
        assertUnchanged(x, x0);
        assertUnchanged(xf, xf0);
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> TotalVariationLoss.l1().compute(Nd4j.zeros(1, 3, 1, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("image must have height and width >= 2, found shape [1, 3, 1, 4]");
        assertThatThrownBy(() -> TotalVariationLoss.l1().compute(Nd4j.zeros(3, 4, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("image must have rank 4");
        INDArray bad = Nd4j.zeros(DataType.DOUBLE, 1, 1, 3, 3);
        bad.putScalar(new long[] {0, 0, 2, 1}, Double.POSITIVE_INFINITY);
        assertThatThrownBy(() -> TotalVariationLoss.squared().compute(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("image contains 0 NaN and 1 infinite values (first at index [0, 0, 2, 1] = Infinity); all values must be finite");
    }
}
