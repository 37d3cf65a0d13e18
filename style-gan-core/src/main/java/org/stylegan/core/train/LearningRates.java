package org.stylegan.core.train;

import java.util.List;
import org.stylegan.core.net.Discriminator;
import org.stylegan.core.net.Generator;

/**
 * Applies the config's learning-rate schedule ({@link TrainerConfig#lrFactor}) times the collapse guard's
 * {@link #scale()} to both optimizers before each step, touching an optimizer only when its rate changes.
 */
final class LearningRates {
    private final TrainerConfig cfg;
    private final Generator g;
    private final List<Discriminator> ds;
    private double generator = Double.NaN;
    private double discriminator = Double.NaN;
    private double scale = 1;

    /** {@code ds}: every discriminator of the pyramid (they share the discriminator's rate), empty when off. */
    LearningRates(TrainerConfig cfg, Generator g, List<Discriminator> ds) {
        this.cfg = cfg;
        this.g = g;
        this.ds = List.copyOf(ds);
    }

    /** Sets the rates of {@code step}. */
    void update(int step) {
        double f = cfg.lrFactor(step) * scale;
        if (cfg.lrGenerator() * f != generator) {
            generator = cfg.lrGenerator() * f;
            g.engine().setLearningRate(generator);
        }
        if (!ds.isEmpty() && cfg.lrDiscriminator() * f != discriminator) {
            discriminator = cfg.lrDiscriminator() * f;
            ds.forEach(d -> d.engine().setLearningRate(discriminator));
        }
    }

    /** The factor on both rates left by collapse rollbacks: 1, then halved by each {@link #halve()}. */
    double scale() {
        return scale;
    }

    /** Halves both rates from the next {@link #update} on (after a collapse rollback). */
    void halve() {
        scale *= 0.5;
    }

    /** Restores the factor saved in a checkpoint. */
    void restoreScale(double saved) {
        scale = saved;
    }

    /** The generator's rate of the last step. */
    double generator() {
        return generator;
    }

    /** The discriminator's rate of the last step, NaN without a discriminator. */
    double discriminator() {
        return ds.isEmpty() ? Double.NaN : discriminator;
    }
}
