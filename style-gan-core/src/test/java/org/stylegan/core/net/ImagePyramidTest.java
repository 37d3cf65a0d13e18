package org.stylegan.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stylegan.core.TestSupport;

class ImagePyramidTest {
    @Test
    void downAveragesTwoByTwoBlocks() {
        INDArray x = Nd4j.create(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
                new long[] {1, 1, 4, 4}, 'c');
        INDArray expected = Nd4j.create(new double[] {3.5, 5.5, 11.5, 13.5}, new long[] {1, 1, 2, 2}, 'c');
        TestSupport.assertAllClose(ImagePyramid.down(x), expected, 0, 1e-12);
    }

    /** Central differences of L = sum(w * down(x)) against downBackward(w), double precision, batch 1 and 3. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void downBackwardIsTheGradientOfDown(int batch) {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.DOUBLE, batch, 3, 6, 8).subi(0.5);
        INDArray w = Nd4j.rand(DataType.DOUBLE, batch, 3, 3, 4).subi(0.5);
        INDArray analytic = ImagePyramid.downBackward(w);
        double h = 1e-6;
        for (long i = 0; i < x.length(); i++) {
            double o = x.getDouble(i);
            x.putScalar(i, o + h);
            double lp = ImagePyramid.down(x).mul(w).sumNumber().doubleValue();
            x.putScalar(i, o - h);
            double lm = ImagePyramid.down(x).mul(w).sumNumber().doubleValue();
            x.putScalar(i, o);
            double numeric = (lp - lm) / (2 * h);
            double a = analytic.getDouble(i);
            assertThat(Math.abs(a - numeric)).as("element %d: analytic %s, numeric %s", i, a, numeric)
                    .isLessThanOrEqualTo(1e-8 + 1e-6 * (Math.abs(a) + Math.abs(numeric)));
        }
    }

    @Test
    void pyramidHalvesEachLevelAndKeepsTheInput() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 16, 8);
        List<INDArray> p = ImagePyramid.of(x, 3);
        assertThat(p).hasSize(3);
        assertThat(p.get(0)).isSameAs(x);
        assertThat(p.get(2).shape()).containsExactly(2, 3, 4, 2);
        assertThat(x.shape()).containsExactly(2, 3, 16, 8);
    }

    @Test
    void oddSidesAndBadLevelsAreRefusedWithTheFix() {
        assertThatThrownBy(() -> ImagePyramid.down(Nd4j.zeros(DataType.FLOAT, 1, 3, 5, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5x4").hasMessageContaining("even");
        assertThatThrownBy(() -> ImagePyramid.of(Nd4j.zeros(DataType.FLOAT, 1, 3, 4, 4), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("levels must be >= 1, found 0");
    }
}
