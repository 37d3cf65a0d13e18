package org.stylegan.core.net;

import org.nd4j.linalg.learning.config.Adam;

/**
 * The library's default optimizer settings, defined once: {@code TrainerConfig}, {@code StyleTransfer},
 * {@link Generator#builder()} and {@link Discriminator#builder()} all take theirs from here (docs/training-guide.md
 * lists them). Adam with the GAN convention's betas (0.5, 0.999); the generator learns at 1e-3, the discriminator
 * at 2e-4. The PyTorch peer's benchmark workload uses 2e-4 for both: the benchmarks set that explicitly.
 */
public final class AdamDefaults {
    /** Generator learning rate, 1e-3. */
    public static final double GENERATOR_LEARNING_RATE = 1e-3;
    /** Discriminator learning rate, 2e-4. */
    public static final double DISCRIMINATOR_LEARNING_RATE = 2e-4;
    /** Adam beta1, 0.5 (GAN convention). */
    public static final double BETA1 = 0.5;
    /** Adam beta2, 0.999. */
    public static final double BETA2 = 0.999;
    /** Adam epsilon, 1e-8. */
    public static final double EPSILON = 1e-8;

    private AdamDefaults() {
    }

    /** Returns Adam with the given learning rate and the default betas and epsilon. */
    public static Adam adam(double learningRate) {
        return new Adam(learningRate, BETA1, BETA2, EPSILON);
    }
}
