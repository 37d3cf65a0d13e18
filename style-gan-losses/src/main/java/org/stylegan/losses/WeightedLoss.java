package org.stylegan.losses;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Weighted composition of loss terms, {@code L_total = alpha L_c + beta L_s + gamma L_adv + tv L_tv},
 * reporting each term separately.
 *
 * <p>Each term's gradient is scaled by its weight here, so the trainer only adds gradients that
 * are taken with respect to the same tensor and backpropagates once. Example:
 * <pre>{@code
 * LossBreakdown b = WeightedLoss.with(weights)
 *         .content(ContentLoss.features().compute(genFeat, contentFeat))
 *         .style(style.computeGram(genFeats, styleGrams))
 *         .adversarial(AdversarialLoss.bce().compute(dFake, true))
 *         .tv(TotalVariationLoss.l1().compute(generated))
 *         .build();
 * log.info("step {} total {} terms {}", step, b.total(), b.terms());
 * }</pre>
 * Terms that are not added do not appear. A term with weight 0 is still reported (its weighted
 * value and gradient are 0), which keeps logs comparable when a term is switched off.
 *
 * <p>{@link #with} copies each gradient and leaves the results it is given untouched. {@link #owning} takes the
 * results over instead and scales their gradients in place, which spares a copy of every feature-map gradient per
 * step; {@code GanTrainer} composes its generator objective that way and closes the breakdown after the backward
 * pass.
 *
 * <p>A WeightedLoss collects terms and is not thread-safe; {@link LossBreakdown} is immutable.
 */
public final class WeightedLoss {

    /** Term name of the content loss. */
    public static final String CONTENT = "content";
    /** Term name of the style loss. */
    public static final String STYLE = "style";
    /** Term name of the adversarial loss. */
    public static final String ADVERSARIAL = "adversarial";
    /** Term name of the total variation loss. */
    public static final String TV = "tv";

    private final LossWeights weights;
    private final boolean inPlace;
    private final Map<String, Double> values = new LinkedHashMap<>();
    private final Map<String, Double> termWeights = new LinkedHashMap<>();
    private final Map<String, List<INDArray>> grads = new LinkedHashMap<>();

    private WeightedLoss(LossWeights weights, boolean inPlace) {
        if (weights == null) {
            throw new IllegalArgumentException("weights must not be null; use LossWeights.DEFAULTS");
        }
        this.weights = weights;
        this.inPlace = inPlace;
    }

    /**
     * Starts a composition with the given weights.
     *
     * @param weights validated weights
     * @return an empty composition
     */
    public static WeightedLoss with(LossWeights weights) {
        return new WeightedLoss(weights, false);
    }

    /**
     * Starts a composition that takes ownership of the results added to it: each result's gradients are scaled by
     * the term's weight in place and become the breakdown's weighted gradients (no copies). Do not use a result's
     * gradients after adding it; close the breakdown (or the arrays) when done.
     *
     * @param weights validated weights
     * @return an empty composition
     */
    public static WeightedLoss owning(LossWeights weights) {
        return new WeightedLoss(weights, true);
    }

    /**
     * Adds the term "content", weighted by alpha.
     *
     * @param r content loss result
     * @return this
     */
    public WeightedLoss content(LossResult r) {
        return term(CONTENT, weights.alpha(), r);
    }

    /**
     * Adds the term "style", weighted by beta.
     *
     * @param r style loss result (pixel form)
     * @return this
     */
    public WeightedLoss style(LossResult r) {
        return term(STYLE, weights.beta(), r);
    }

    /**
     * Adds the term "style", weighted by beta, one gradient per layer.
     *
     * @param r Gram style loss result
     * @return this
     */
    public WeightedLoss style(MultiLossResult r) {
        return term(STYLE, weights.beta(), r);
    }

    /**
     * Adds the term "adversarial", weighted by gamma.
     *
     * @param r adversarial loss result
     * @return this
     */
    public WeightedLoss adversarial(LossResult r) {
        return term(ADVERSARIAL, weights.gamma(), r);
    }

    /**
     * Adds the term "tv", weighted by tv.
     *
     * @param r total variation result
     * @return this
     */
    public WeightedLoss tv(LossResult r) {
        return term(TV, weights.tv(), r);
    }

    /**
     * Adds a custom term.
     *
     * @param name unique term name
     * @param weight finite, >= 0
     * @param r the term's result
     * @return this
     */
    public WeightedLoss term(String name, double weight, LossResult r) {
        if (r == null) {
            throw new IllegalArgumentException("result of term '" + name + "' must not be null");
        }
        put(name, weight, r.value(), List.of(r.gradient()));
        return this;
    }

    /**
     * Adds a custom multi-input term.
     *
     * @param name unique term name
     * @param weight finite, >= 0
     * @param r the term's result
     * @return this
     */
    public WeightedLoss term(String name, double weight, MultiLossResult r) {
        if (r == null) {
            throw new IllegalArgumentException("result of term '" + name + "' must not be null");
        }
        put(name, weight, r.value(), r.gradients());
        return this;
    }

    private void put(String name, double weight, double value, List<INDArray> gradients) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("term name must not be blank, found '" + name + "'");
        }
        if (values.containsKey(name)) {
            throw new IllegalArgumentException("term '" + name + "' was already added; add each term once");
        }
        Checks.nonNegative("weight of term '" + name + "'", weight);
        Checks.finite("value of term '" + name + "'", value);
        values.put(name, value);
        termWeights.put(name, weight);
        grads.put(name, gradients.stream().map(g -> inPlace ? g.muli(weight) : g.mul(weight)).toList());
    }

    /**
     * Returns the breakdown of the terms added so far.
     *
     * @return an immutable breakdown
     * @throws IllegalStateException if no term was added
     */
    public LossBreakdown build() {
        if (values.isEmpty()) {
            throw new IllegalStateException("no term was added; call content(...), style(...), adversarial(...)"
                    + " or tv(...) before build()");
        }
        return new LossBreakdown(values, termWeights, grads);
    }
}
