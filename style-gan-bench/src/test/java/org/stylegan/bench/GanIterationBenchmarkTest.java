package org.stylegan.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stylegan.core.net.DiscriminatorConfig;
import org.stylegan.core.net.GeneratorConfig;
import org.stylegan.core.net.Normalization;
import org.stylegan.core.net.Padding;
import org.stylegan.core.net.Upsampling;
import org.stylegan.core.train.ContentSource;
import org.stylegan.core.train.GanTrainer;
import org.stylegan.core.train.StepEvent;
import org.stylegan.core.train.TrainerConfig;

/** The GAN-iteration benchmark times the trainer's step on the peer's gan_iter settings. */
class GanIterationBenchmarkTest {

    @Test
    void configIsThePeersGanIterWorkload() {
        TrainerConfig c = GanIterationBenchmark.peerConfig(4);
        assertThat(c.batchSize()).isEqualTo(4);
        assertThat(c.imageSize()).isEqualTo(256);
        assertThat(c.discriminatorCrop()).isEqualTo(256);
        assertThat(new double[] {c.alpha(), c.beta(), c.gamma(), c.tv()}).containsExactly(1, 10, 1, 1e-4);
        assertThat(c.autoBalance()).isFalse();
        assertThat(new double[] {c.lrGenerator(), c.lrDiscriminator(), c.beta1Generator(), c.beta2Generator(),
            c.beta1Discriminator(), c.beta2Discriminator()}).containsExactly(2e-4, 2e-4, 0.5, 0.999, 0.5, 0.999);
        assertThat(c.styleTaps()).containsExactly("relu1_2", "relu2_2");
        assertThat(c.contentTap()).isEqualTo("relu2_2");
        assertThat(c.generator()).isEqualTo(GeneratorConfig.defaults());
        assertThat(c.discriminator()).isEqualTo(DiscriminatorConfig.defaults());
        assertThat(c.imagePoolSize()).isZero();
        assertThat(c.labelSmoothing()).isZero();
    }

    @Test
    void oneTrainerStepUpdatesGeneratorAndDiscriminatorOnce() {
        TrainerConfig c = GanIterationBenchmark.peerConfig(2).toBuilder().imageSize(32).styleSize(32)
                .discriminatorCrop(32).generator(new GeneratorConfig(4, 2, 1, Normalization.INSTANCE,
                        Padding.REFLECTION, Upsampling.NEAREST_CONV, 1))
                .discriminator(new DiscriminatorConfig(DiscriminatorConfig.Type.PATCH_GAN, 4, 2,
                        Normalization.INSTANCE, DiscriminatorConfig.Output.PATCH, 0.2, 1)).build();
        INDArray content = BenchSupport.uniform(1, 2, 3, 32, 32);
        try (GanTrainer t = GanTrainer.create(c, ContentSource.fixed(List.of(content)),
                List.of(BenchSupport.uniform(2, 1, 3, 32, 32), BenchSupport.uniform(3, 1, 3, 32, 32)))) {
            INDArray gBefore = t.generator().graph().params().dup();
            INDArray dBefore = t.discriminator().graph().params().dup();
            StepEvent e = t.step();
            assertThat(e.total()).isFinite().isPositive();
            assertThat(e.terms()).containsKeys("content", "style", "adversarial", "tv");
            assertThat(e.weighted().get("tv")).isEqualTo(1e-4 * e.terms().get("tv"));
            assertThat(t.generator().engine().iteration()).isEqualTo(1);
            assertThat(t.discriminator().engine().iteration()).isEqualTo(1);
            assertThat(t.generator().graph().params().equalsWithEps(gBefore, 0)).isFalse();
            assertThat(t.discriminator().graph().params().equalsWithEps(dBefore, 0)).isFalse();
            assertThat(content.wasClosed()).as("the content batch stays usable for the next step").isFalse();
        }
    }
}
