package org.stylegan.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stylegan.core.TestSupport;
import org.stylegan.core.net.Generator;

class CollapseGuardTest {
    private static INDArray healthy() {
        Nd4j.getRandom().setSeed(1);
        return Nd4j.rand(DataType.FLOAT, 2, 3, 16, 16).muli(1.6).subi(0.8);
    }

    @Test
    void aHealthyBatchIsNoCollapse() {
        assertThat(new CollapseGuard().check(healthy(), 1.2)).isEmpty();
    }

    @Test
    void oneFlatImageInTheBatchIsFlat() {
        INDArray x = healthy();
        x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)).assign(0.3);
        assertThat(new CollapseGuard().check(x, 1.2)).contains(CollapseGuard.Collapse.FLAT);
    }

    @Test
    void aNearlyBlackImageWithSomeNoiseIsSaturated() {
        Nd4j.getRandom().setSeed(2);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, 16, 16).muli(0.2).subi(1); // mean -0.9 .. contrast kept
        x.subi(0.05);
        assertThat(new CollapseGuard().check(x, Double.NaN)).contains(CollapseGuard.Collapse.SATURATED);
    }

    @Test
    void theDiscriminatorMustWinPatienceStepsInARow() {
        CollapseGuard g = new CollapseGuard();
        for (int i = 0; i < CollapseGuard.PATIENCE - 1; i++) {
            assertThat(g.check(healthy(), 0.001)).isEmpty();
        }
        assertThat(g.check(healthy(), 0.5)).as("a step where D did not win breaks the streak").isEmpty();
        Optional<CollapseGuard.Collapse> last = Optional.empty();
        for (int i = 0; i < CollapseGuard.PATIENCE; i++) {
            last = g.check(healthy(), 0.001);
        }
        assertThat(last).contains(CollapseGuard.Collapse.DISCRIMINATOR_WON);
    }

    @Test
    void snapshotRestoresParametersAndOptimizerState() {
        Generator gen = Generator.builder().baseFilters(4).residualBlocks(1).seed(3).build();
        INDArray x = healthy();
        // One update so the Adam state is not zero.
        gen.engine().forward(x, true);
        gen.engine().applyGradient(gen.engine().parameterGradient(Nd4j.onesLike(x)), 2);
        INDArray params = gen.graph().params().dup();
        INDArray adam = gen.graph().getUpdater().getStateViewArray().dup();
        try (NetworkSnapshot s = NetworkSnapshot.of(List.of(gen.engine()), 1)) {
            gen.engine().forward(x, true);
            gen.engine().applyGradient(gen.engine().parameterGradient(Nd4j.onesLike(x).muli(3)), 2);
            assertThat(gen.graph().params().equalsWithEps(params, 1e-7)).as("the second update moved them").isFalse();
            s.restore();
            assertThat(s.step()).isEqualTo(1);
        }
        TestSupport.assertAllClose(gen.graph().params(), params, 0, 0);
        TestSupport.assertAllClose(gen.graph().getUpdater().getStateViewArray(), adam, 0, 0);
    }
}
