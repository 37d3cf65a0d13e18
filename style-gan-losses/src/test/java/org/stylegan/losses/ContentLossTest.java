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

class ContentLossTest {

    @Test
    void handComputed2x2SingleChannel() {
        INDArray g = Nd4j.create(new double[] {1, 2, 3, 4}, new long[] {1, 1, 2, 2}, 'c');
        INDArray t = Nd4j.create(new double[] {0, 2, 5, 4}, new long[] {1, 1, 2, 2}, 'c');
        LossResult r = ContentLoss.pixel().compute(g, t);
        // diffs 1, 0, -2, 0 -> (1 + 4) / 4
        assertClose(r.value(), 1.25, 1e-12, 0);
        assertAllClose(r.gradient(), Nd4j.create(new double[] {0.5, 0, -1, 0}, new long[] {1, 1, 2, 2}, 'c'), 1e-12, 0);
    }

    @Test
    void normalisesByPixelsChannelsAndBatch() {
        // Two images, 3 channels, 2x2: every element differs by 1 in image 0 and by 3 in image 1.
        INDArray g = Nd4j.zeros(DataType.DOUBLE, 2, 3, 2, 2);
        INDArray t = Nd4j.zeros(DataType.DOUBLE, 2, 3, 2, 2);
        t.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)).assign(1);
        t.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)).assign(3);
        // design per image: (1/N) sum_j ||.||^2 = 3*1 and 3*9; ours divides by M=3 and takes the batch mean
        assertClose(ContentLoss.features().compute(g, t).value(), (1.0 + 9.0) / 2, 1e-12, 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void gradientCheckPixelAndFeatures(int batch) {
        INDArray t = Fixtures.uniform(7, batch, 3, 5, 4);
        INDArray g = Fixtures.uniform(8, batch, 3, 5, 4);
        for (ContentLoss loss : new ContentLoss[] {ContentLoss.pixel(), ContentLoss.features()}) {
            GradientCheck.Result res = GradientCheck.check(x -> loss.compute(x, t).value(), g,
                    loss.compute(g, t).gradient());
            assertThat(res.failures()).as(res.summary()).isZero();
            assertThat(res.checked()).isEqualTo(batch * 60);
        }
    }

    @Test
    void floatInputGivesFloatGradientMatchingDouble() {
        INDArray t = Fixtures.uniform(1, 2, 4, 6, 6);
        INDArray g = Fixtures.uniform(2, 2, 4, 6, 6);
        LossResult d = ContentLoss.pixel().compute(g, t);
        LossResult f = ContentLoss.pixel().compute(Fixtures.f32(g), Fixtures.f32(t));
        assertThat(f.gradient().dataType()).isEqualTo(DataType.FLOAT);
        assertClose(f.value(), d.value(), 1e-5, 0);
        assertAllClose(f.gradient(), d.gradient(), 1e-4, 1e-7);
    }

    @Test
    void doesNotMutateInputs() {
        INDArray t = Fixtures.uniform(3, 2, 3, 4, 4);
        INDArray g = Fixtures.uniform(4, 2, 3, 4, 4);
        INDArray t0 = t.dup();
        INDArray g0 = g.dup();
        LossResult r = ContentLoss.pixel().compute(g, t);
        r.gradient().muli(100); // the gradient is the caller's own array
        assertUnchanged(g, g0);
        assertUnchanged(t, t0);
    }

    @Test
    void rejectsMismatchedShapesNamingBoth() {
        assertThatThrownBy(() -> ContentLoss.pixel().compute(Nd4j.zeros(1, 3, 4, 4), Nd4j.zeros(1, 3, 4, 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("generated has shape [1, 3, 4, 4] but target has shape [1, 3, 4, 5]; they must match");
    }

    @Test
    void rejectsWrongRankTypeAndNull() {
        assertThatThrownBy(() -> ContentLoss.pixel().compute(Nd4j.zeros(3, 4, 4), Nd4j.zeros(3, 4, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("generated must have rank 4").hasMessageContaining("[3, 4, 4]");
        assertThatThrownBy(() -> ContentLoss.pixel().compute(Nd4j.zeros(1, 3, 4, 4), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target must not be null");
        assertThatThrownBy(() -> ContentLoss.pixel().compute(Nd4j.zeros(DataType.DOUBLE, 1, 1, 2, 2),
                Nd4j.zeros(DataType.FLOAT, 1, 1, 2, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DOUBLE").hasMessageContaining("FLOAT");
        assertThatThrownBy(() -> ContentLoss.pixel().compute(Nd4j.zeros(DataType.INT32, 1, 1, 2, 2),
                Nd4j.zeros(DataType.INT32, 1, 1, 2, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be FLOAT or DOUBLE, found INT");
    }

    @Test
    void rejectsNaNAndInfNamingTheInputAndPosition() {
        INDArray g = Nd4j.zeros(DataType.FLOAT, 1, 3, 4, 4);
        INDArray t = Nd4j.zeros(DataType.FLOAT, 1, 3, 4, 4);
        t.putScalar(new long[] {0, 1, 2, 3}, Float.NaN);
        t.putScalar(new long[] {0, 2, 0, 0}, Float.POSITIVE_INFINITY);
        assertThatThrownBy(() -> ContentLoss.pixel().compute(g, t))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("target contains 1 NaN and 1 infinite values (first at index [0, 1, 2, 3] = NaN);"
                        + " all values must be finite");
    }
}
