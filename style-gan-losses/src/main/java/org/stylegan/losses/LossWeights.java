package org.stylegan.losses;

/**
 * Weights of the generator objective {@code L = alpha L_content + beta L_style + gamma L_adv + tv L_tv}.
 *
 * <p>Every weight must be finite and >= 0; a zero weight switches its term off. {@link #DEFAULTS} are the
 * library's one set of default weights ({@code TrainerConfig} and {@code StyleTransfer} take theirs from here;
 * docs/training-guide.md lists them). The trainer applies them to auto-balanced terms (each divided by its
 * first-step value), so they are ratios of contributions: tv 0.02 there is not the raw 1e-4 of the PyTorch
 * peer's benchmark workload, and gamma 0.1 rather than the peer's 1, which our measurements found unstable.
 *
 * @param alpha content weight
 * @param beta style weight
 * @param gamma adversarial weight
 * @param tv total variation weight
 */
public record LossWeights(double alpha, double beta, double gamma, double tv) {

    /** alpha 1, beta 10, gamma 0.1, tv 0.02: the defaults of the trainer. */
    public static final LossWeights DEFAULTS = new LossWeights(1, 10, 0.1, 0.02);

    /**
     * Creates validated weights.
     *
     * @param alpha content weight, finite and >= 0
     * @param beta style weight, finite and >= 0
     * @param gamma adversarial weight, finite and >= 0
     * @param tv total variation weight, finite and >= 0
     * @throws IllegalArgumentException naming the first invalid weight
     */
    public LossWeights {
        Checks.nonNegative("alpha", alpha);
        Checks.nonNegative("beta", beta);
        Checks.nonNegative("gamma", gamma);
        Checks.nonNegative("tv", tv);
    }

    /**
     * Returns content and style weights only (gamma = tv = 0), the design's {@code alpha L_c + beta L_s}.
     *
     * @param alpha content weight
     * @param beta style weight
     * @return the weights
     */
    public static LossWeights of(double alpha, double beta) {
        return new LossWeights(alpha, beta, 0, 0);
    }

    /**
     * Returns a copy with a new content weight.
     *
     * @param v new alpha, finite and >= 0
     * @return a copy with alpha = v
     */
    public LossWeights withAlpha(double v) {
        return new LossWeights(v, beta, gamma, tv);
    }

    /**
     * Returns a copy with a new style weight.
     *
     * @param v new beta, finite and >= 0
     * @return a copy with beta = v
     */
    public LossWeights withBeta(double v) {
        return new LossWeights(alpha, v, gamma, tv);
    }

    /**
     * Returns a copy with a new adversarial weight.
     *
     * @param v new gamma, finite and >= 0
     * @return a copy with gamma = v
     */
    public LossWeights withGamma(double v) {
        return new LossWeights(alpha, beta, v, tv);
    }

    /**
     * Returns a copy with a new total variation weight.
     *
     * @param v new tv, finite and >= 0
     * @return a copy with tv = v
     */
    public LossWeights withTv(double v) {
        return new LossWeights(alpha, beta, gamma, v);
    }
}
