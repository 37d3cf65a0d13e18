package org.stylegan.core.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What happened in one training iteration; immutable.
 *
 * <p>Term names are {@code content}, {@code style}, {@code adversarial} and {@code tv}
 * ({@link org.stylegan.losses.WeightedLoss} constants); only terms with a weight &gt; 0 appear.
 * {@code terms} holds raw (unweighted, unbalanced) values; {@code weighted} holds what each term
 * contributed to the generator objective, {@code weight * autoBalanceScale * raw}; {@code total} is their sum.
 *
 * @param step              0-based index of this iteration
 * @param totalSteps        steps of the whole run (for ETA)
 * @param terms             raw value per term
 * @param weighted          weighted (and auto-balanced) value per term
 * @param total             generator objective, the sum of {@code weighted}
 * @param discriminatorLoss discriminator loss (real + fake terms; NaN when the adversarial term is off); with a
 *                          discriminator pyramid the mean over its levels
 * @param dReal             mean D probability on real images (BCE: sigmoid of the logits; LSGAN: mean score),
 *                          with a pyramid the mean over levels
 * @param dFake             mean D probability on generated images (same convention, same mean)
 * @param lrGenerator       generator learning rate used in this step
 * @param lrDiscriminator   discriminator learning rate used in this step
 * @param stepMillis        wall time of the iteration
 * @param imagesPerSecond   content images processed per second in this iteration
 */
public record StepEvent(int step, int totalSteps, Map<String, Double> terms, Map<String, Double> weighted,
                        double total, double discriminatorLoss, double dReal, double dFake,
                        double lrGenerator, double lrDiscriminator, double stepMillis, double imagesPerSecond) {

    /** Copies the maps (keeping their order). */
    public StepEvent {
        terms = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(terms, "terms")));
        weighted = java.util.Collections.unmodifiableMap(
                new LinkedHashMap<>(Objects.requireNonNull(weighted, "weighted")));
    }

    /** Returns the raw value of a term, or NaN when the term is not active. */
    public double term(String name) {
        return terms.getOrDefault(name, Double.NaN);
    }
}
