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

class AdversarialLossTest {

    @Test
    void bceAtLogitZeroIsLn2WithGradientHalf() {
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 2, 1, 3, 3);
        for (boolean real : new boolean[] {true, false}) {
            LossResult r = AdversarialLoss.bce().compute(x, real);
            assertClose(r.value(), Math.log(2), 1e-12, 0);
            double g = (0.5 - (real ? 1 : 0)) / 18;
            assertAllClose(r.gradient(), Nd4j.zeros(DataType.DOUBLE, 2, 1, 3, 3).addi(g), 1e-12, 0);
        }
    }

    @Test
    void bceMatchesNaiveFormulaForModerateLogits() {
        double[] xs = {-3, -0.5, 0.25, 2, 4};
        INDArray x = Nd4j.create(xs, new long[] {5, 1}, 'c');
        double expectedReal = 0;
        double expectedFake = 0;
        for (double v : xs) {
            double p = 1 / (1 + Math.exp(-v));
            expectedReal -= Math.log(p) / 5;
            expectedFake -= Math.log(1 - p) / 5;
        }
        assertClose(AdversarialLoss.bce().compute(x, true).value(), expectedReal, 1e-12, 0);
        assertClose(AdversarialLoss.bce().compute(x, false).value(), expectedFake, 1e-12, 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "DOUBLE"})
    void bceIsStableAtPlusMinus100(String type) {
        INDArray x = Nd4j.create(new double[] {100, -100}, new long[] {2, 1}, 'c').castTo(DataType.valueOf(type));
        LossResult real = AdversarialLoss.bce().compute(x, true);
        LossResult fake = AdversarialLoss.bce().compute(x, false);
        // real: -log sigmoid(100) ~ 0, -log sigmoid(-100) = 100 + log1p(e^-100) ~ 100; mean = 50
        assertClose(real.value(), 50, 1e-6, 0);
        assertClose(fake.value(), 50, 1e-6, 0);
        // gradient (sigmoid(x) - t) / 2: real -> [~0, -0.5], fake -> [0.5, ~0]
        assertAllClose(real.gradient(), Nd4j.create(new double[] {0, -0.5}, new long[] {2, 1}, 'c'), 0, 1e-7);
        assertAllClose(fake.gradient(), Nd4j.create(new double[] {0.5, 0}, new long[] {2, 1}, 'c'), 0, 1e-7);
        assertThat(real.gradient().dataType()).isEqualTo(DataType.valueOf(type));
        INDArray big = Nd4j.create(new double[] {1e4, -1e4, 88.8, -88.8}, new long[] {4}, 'c').castTo(DataType.valueOf(type));
        assertThat(Double.isFinite(AdversarialLoss.bce().compute(big, true).value())).isTrue();
        assertThat(AdversarialLoss.bce().compute(big, true).gradient().isNaN().any()).isFalse();
        assertThat(AdversarialLoss.bce().compute(big, false).gradient().isInfinite().any()).isFalse();
    }

    @Test
    void labelSmoothingMovesOnlyTheRealTarget() {
        AdversarialLoss smooth = AdversarialLoss.bce().withLabelSmoothing(0.1);
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 4, 1);
        assertAllClose(smooth.compute(x, true).gradient(), Nd4j.zeros(DataType.DOUBLE, 4, 1).addi((0.5 - 0.9) / 4), 1e-12, 0);
        assertAllClose(smooth.compute(x, false).gradient(), Nd4j.zeros(DataType.DOUBLE, 4, 1).addi(0.5 / 4), 1e-12, 0);
        // At logit log(9) (sigmoid = 0.9) the smoothed real loss is at its minimum: gradient 0.
        INDArray opt = Nd4j.zeros(DataType.DOUBLE, 1, 1).addi(Math.log(9));
        assertAllClose(smooth.compute(opt, true).gradient(), Nd4j.zeros(DataType.DOUBLE, 1, 1), 0, 1e-12);
        assertThat(smooth.labelSmoothing()).isEqualTo(0.1);
        assertThat(AdversarialLoss.bce().labelSmoothing()).isZero();
    }

    @Test
    void lsganHandComputed() {
        INDArray x = Nd4j.create(new double[] {0.5, 2}, new long[] {2, 1}, 'c');
        LossResult real = AdversarialLoss.lsgan().compute(x, true);
        assertClose(real.value(), (0.25 + 1) / 2, 1e-12, 0);
        assertAllClose(real.gradient(), Nd4j.create(new double[] {-0.5, 1}, new long[] {2, 1}, 'c'), 1e-12, 0);
        LossResult fake = AdversarialLoss.lsgan().withLabelSmoothing(0.2).compute(x, false);
        assertClose(fake.value(), (0.25 + 4) / 2, 1e-12, 0);
        LossResult smoothReal = AdversarialLoss.lsgan().withLabelSmoothing(0.2).compute(x, true);
        assertClose(smoothReal.value(), (0.09 + 1.44) / 2, 1e-12, 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void gradientCheckAllModes(int batch) {
        INDArray patch = Fixtures.uniformIn(51, -4, 4, batch, 1, 4, 4);
        INDArray vector = Fixtures.uniformIn(52, -4, 4, batch, 1);
        AdversarialLoss[] losses = {AdversarialLoss.bce(), AdversarialLoss.bce().withLabelSmoothing(0.1),
            AdversarialLoss.lsgan(), AdversarialLoss.lsgan().withLabelSmoothing(0.1)};
        for (AdversarialLoss loss : losses) {
            for (INDArray x : new INDArray[] {patch, vector}) {
                for (boolean real : new boolean[] {true, false}) {
                    GradientCheck.Result c = GradientCheck.check(v -> loss.compute(v, real).value(), x,
                            loss.compute(x, real).gradient());
                    assertThat(c.failures()).as(loss + " real=" + real + " " + c.summary()).isZero();
                }
            }
        }
    }

    @Test
    void doesNotMutateLogits() {
        INDArray x = Fixtures.uniformIn(53, -5, 5, 3, 1, 4, 4);
        INDArray x0 = x.dup();
        AdversarialLoss.bce().compute(x, true).gradient().addi(1);
        AdversarialLoss.bce().withLabelSmoothing(0.1).compute(x, false);
        AdversarialLoss.lsgan().compute(x, true).gradient().addi(1);
        assertUnchanged(x, x0);
        INDArray xf = Fixtures.f32(x);
        INDArray xf0 = xf.dup();
        AdversarialLoss.bce().compute(xf, true);
        assertUnchanged(xf, xf0);
    }

    @Test
    void rejectsBadInputAndSmoothing() {
        INDArray x = Nd4j.zeros(DataType.FLOAT, 2, 1);
        x.putScalar(1, 0, Float.NaN);
        assertThatThrownBy(() -> AdversarialLoss.bce().compute(x, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("logits contains 1 NaN and 0 infinite values (first at index [1, 0] = NaN); all values must be finite");
        INDArray inf = Nd4j.zeros(DataType.DOUBLE, 3);
        inf.putScalar(2, Double.NEGATIVE_INFINITY);
        assertThatThrownBy(() -> AdversarialLoss.lsgan().compute(inf, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logits contains 0 NaN and 1 infinite");
        assertThatThrownBy(() -> AdversarialLoss.bce().compute(null, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logits must not be null");
        assertThatThrownBy(() -> AdversarialLoss.bce().withLabelSmoothing(1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("labelSmoothing must be in [0, 1), found 1.0; 0.1 is a common choice");
        assertThatThrownBy(() -> AdversarialLoss.bce().withLabelSmoothing(-0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found -0.1");
    }
}
