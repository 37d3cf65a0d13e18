package org.stylegan.core.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Scratch keeps one block matrix of ones per shape, so alternating shapes do not rebuild them. */
class ScratchTest {
    @Test
    void blockOnesAreKeptPerShapeAndHoldOnesOnTheirBlocks() {
        INDArray a = Scratch.blockOnes(DataType.FLOAT, 2, 3);
        INDArray b = Scratch.blockOnes(DataType.FLOAT, 3, 2);
        assertThat(Scratch.blockOnes(DataType.FLOAT, 2, 3)).isSameAs(a);
        assertThat(Scratch.blockOnes(DataType.FLOAT, 3, 2)).isSameAs(b);
        assertThat(a.toFloatMatrix()).isEqualTo(new float[][] {{1, 1, 1, 0, 0, 0}, {0, 0, 0, 1, 1, 1}});
        assertThat(b.toFloatMatrix()).isEqualTo(new float[][] {{1, 1, 0, 0, 0, 0}, {0, 0, 1, 1, 0, 0},
            {0, 0, 0, 0, 1, 1}});
        assertThat(Scratch.blockOnes(DataType.DOUBLE, 2, 3).dataType()).isEqualTo(DataType.DOUBLE);
    }

    @Test
    void theLeastRecentlyUsedBlockMatrixIsFreedBeyondTheLimit() {
        INDArray first = Scratch.blockOnes(DataType.FLOAT, 1, 101);
        for (int m = 102; m < 102 + Scratch.BLOCK_ONES_KEPT; m++) {
            Scratch.blockOnes(DataType.FLOAT, 1, m);
        }
        assertThat(first.wasClosed()).isTrue();
        INDArray again = Scratch.blockOnes(DataType.FLOAT, 1, 101);
        assertThat(again).isNotSameAs(first);
        assertThat(again.sumNumber().intValue()).isEqualTo(101);
    }
}
