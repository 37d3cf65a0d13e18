package org.stylegan.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stylegan.core.net.Discriminator;
import org.stylegan.core.net.FeatureExtractor;
import org.stylegan.core.net.Generator;

/** Smoke test of the GAN-iteration benchmark's step on tiny images: it runs, trains both networks, stays finite. */
class ComposedGanStepTest {

    @Test
    void oneIterationUpdatesGeneratorAndDiscriminatorOnce() {
        Generator g = Generator.builder().baseFilters(4).residualBlocks(1).build();
        Discriminator d = Discriminator.builder().baseFilters(4).build();
        INDArray gBefore = g.graph().params().dup();
        INDArray dBefore = d.graph().params().dup();
        ComposedGanStep step = new ComposedGanStep(g, d, FeatureExtractor.random(7),
                BenchSupport.uniform(1, 2, 3, 32, 32), BenchSupport.uniform(2, 2, 3, 32, 32));

        double loss = step.step();

        assertThat(loss).isFinite().isPositive();
        assertThat(g.engine().iteration()).isEqualTo(1);
        assertThat(d.engine().iteration()).isEqualTo(1);
        assertThat(g.graph().params().equalsWithEps(gBefore, 0)).as("generator parameters changed").isFalse();
        assertThat(d.graph().params().equalsWithEps(dBefore, 0)).as("discriminator parameters changed").isFalse();
    }
}
