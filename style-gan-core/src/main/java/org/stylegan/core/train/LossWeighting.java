package org.stylegan.core.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.stylegan.losses.LossWeights;
import org.stylegan.losses.WeightedLoss;

/**
 * The weights of the generator objective: the config's alpha, beta, gamma and tv, each times its auto-balance
 * scale. With {@link TrainerConfig#autoBalance()} the scale of a term is 1/|v0|, its raw value at the run's first
 * step (so every term starts at its weight); without, or for a term that starts at ~0, it is 1. The scales are
 * fixed after the first step so the objective does not move under the optimizer; checkpoints and models store
 * them.
 */
final class LossWeighting {
    private final TrainerConfig cfg;
    private Map<String, Double> scales;

    LossWeighting(TrainerConfig cfg) {
        this.cfg = cfg;
    }

    /** Returns the effective weights for this step's raw term values, measuring the scales on the first call. */
    LossWeights weights(Map<String, Double> raw) {
        if (scales == null) {
            scales = measure(raw);
        }
        return new LossWeights(cfg.alpha() * scale(WeightedLoss.CONTENT), cfg.beta() * scale(WeightedLoss.STYLE),
                cfg.gamma() * scale(WeightedLoss.ADVERSARIAL), cfg.tv() * scale(WeightedLoss.TV));
    }

    /** The scale per term, or null before the first step. */
    Map<String, Double> scales() {
        return scales == null ? null : Collections.unmodifiableMap(scales);
    }

    /** Restores scales saved by a checkpoint (null: measure them at the next step). */
    void restore(Map<String, Double> saved) {
        scales = saved == null ? null : new LinkedHashMap<>(saved);
    }

    private double scale(String term) {
        return scales.getOrDefault(term, 1.0);
    }

    private Map<String, Double> measure(Map<String, Double> raw) {
        Map<String, Double> s = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : raw.entrySet()) {
            double v = Math.abs(e.getValue());
            // A term that starts at (almost) zero cannot be normalised by its start value; leave it unscaled.
            s.put(e.getKey(), cfg.autoBalance() && v > 1e-12 ? 1.0 / v : 1.0);
        }
        return s;
    }
}
