package org.stylegan.core.train;

import java.util.List;
import org.stylegan.core.net.Discriminator;
import org.stylegan.core.net.Generator;

/**
 * Applies the config's learning-rate schedule ({@link TrainerConfig#lrFactor}) to both optimizers before each
 * step, touching an optimizer only when its rate changes.
 */
final class LearningRates {
    private final TrainerConfig cfg;
    private final Generator g;
    private final List<Discriminator> ds;
    private double generator = Double.NaN;
    private double discriminator = Double.NaN;

    /** {@code ds}: every discriminator of the pyramid (they share the discriminator's rate), empty when off. */
    LearningRates(TrainerConfig cfg, Generator g, List<Discriminator> ds) {
        this.cfg = cfg;
        this.g = g;
        this.ds = List.copyOf(ds);
    }

    /** Sets the rates of {@code step}. */
    void update(int step) {
        double f = cfg.lrFactor(step);
        if (cfg.lrGenerator() * f != generator) {
            generator = cfg.lrGenerator() * f;
            g.engine().setLearningRate(generator);
        }
        if (!ds.isEmpty() && cfg.lrDiscriminator() * f != discriminator) {
            discriminator = cfg.lrDiscriminator() * f;
            ds.forEach(d -> d.engine().setLearningRate(discriminator));
        }
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
