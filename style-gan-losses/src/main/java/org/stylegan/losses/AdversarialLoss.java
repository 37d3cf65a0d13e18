package org.stylegan.losses;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adversarial loss on discriminator outputs: binary cross-entropy from logits (the default, as
 * in the peer's {@code BCEWithLogitsLoss}) or least squares (LSGAN).
 *
 * <p>With target t = 1 for "real" (or 1 - s with label smoothing s) and t = 0 for "fake", over all
 * n elements of the logits (one per image, or one per patch for a PatchGAN):
 * <pre>
 *   BCE:    L = (1/n) sum max(x, 0) - x t + log(1 + exp(-|x|))      dL/dx = (sigmoid(x) - t) / n
 *   LSGAN:  L = (1/n) sum (x - t)^2                                   dL/dx = 2 (x - t) / n
 * </pre>
 * The BCE form is the numerically stable rewrite of {@code -t log sigmoid(x) - (1-t) log(1 - sigmoid(x))}:
 * it stays finite for any finite logit (at x = +-100 in float as well), and the sigmoid in the
 * gradient is evaluated without overflow. The mean runs over every element (batch and patch
 * positions alike), so the loss is a batch mean of per-image patch means. LSGAN uses
 * {@code mean((x - t)^2)} without the factor 1/2 of Mao et al., matching {@code nn.MSELoss} as used
 * in CycleGAN/pix2pix; for LSGAN the discriminator output is a score, not a logit.
 *
 * <p>Usage: the discriminator step minimises {@code compute(D(real), true) + compute(D(fake), false)};
 * the generator step minimises {@code compute(D(G(x)), true)} (the non-saturating GAN loss).
 * Label smoothing (commonly s = 0.1) applies to real targets only and is meant for the
 * discriminator step.
 *
 * <p>Immutable, stateless and thread-safe; inputs are never mutated.
 */
public final class AdversarialLoss {

    /** Which adversarial objective to compute. */
    public enum Kind {
        /** Binary cross-entropy from logits. */
        BCE,
        /** Least squares (LSGAN). */
        LSGAN
    }

    private final Kind kind;
    private final double labelSmoothing;

    private AdversarialLoss(Kind kind, double labelSmoothing) {
        this.kind = kind;
        this.labelSmoothing = labelSmoothing;
    }

    /**
     * Returns binary cross-entropy from logits, no label smoothing.
     *
     * @return the BCE loss
     */
    public static AdversarialLoss bce() {
        return new AdversarialLoss(Kind.BCE, 0);
    }

    /**
     * Returns least-squares GAN loss {@code mean((x - t)^2)}, no label smoothing.
     *
     * @return the LSGAN loss
     */
    public static AdversarialLoss lsgan() {
        return new AdversarialLoss(Kind.LSGAN, 0);
    }

    /**
     * Returns a copy whose real target is {@code 1 - smoothing} (fake stays 0).
     *
     * @param smoothing in [0, 1); default 0
     * @return a new loss with label smoothing
     */
    public AdversarialLoss withLabelSmoothing(double smoothing) {
        if (!Double.isFinite(smoothing) || smoothing < 0 || smoothing >= 1) {
            throw new IllegalArgumentException("labelSmoothing must be in [0, 1), found " + smoothing
                    + "; 0.1 is a common choice");
        }
        return new AdversarialLoss(kind, smoothing);
    }

    /** @return BCE or LSGAN */
    public Kind kind() {
        return kind;
    }

    /** @return the label smoothing s (real target 1 - s) */
    public double labelSmoothing() {
        return labelSmoothing;
    }

    /**
     * Computes the loss against target "real" or "fake" and its gradient with respect to the logits.
     *
     * @param logits discriminator output of any rank >= 1 (e.g. [B, 1] or a [B, 1, h, w] patch map)
     * @param targetReal true for target 1 (or 1 - s), false for target 0
     * @return value (mean over all elements) and dL/dlogits
     * @throws IllegalArgumentException on null, non-float, empty or non-finite logits
     */
    public LossResult compute(INDArray logits, boolean targetReal) {
        if (logits == null) {
            throw new IllegalArgumentException("logits must not be null");
        }
        Checks.tensor("logits", logits, logits.rank());
        double t = targetReal ? 1.0 - labelSmoothing : 0.0;
        double n = logits.length();
        double value;
        INDArray grad;
        if (kind == Kind.BCE) {
            // e = exp(-|x|) in (0, 1]: never overflows.
            INDArray e = Transforms.exp(Transforms.abs(logits, true).negi(), false);
            // Per element first, then sum: summing max(x,0) and x t separately would cancel badly.
            INDArray perElement = Transforms.relu(logits, true).subi(logits.mul(t))
                    .addi(Transforms.log1p(e, true));
            value = perElement.sumNumber().doubleValue() / n;
            // Stable sigmoid: 1/(1+e) for x >= 0, e/(1+e) = 1 - 1/(1+e) for x < 0.
            INDArray inv = e.addi(1.0).rdivi(1.0);                // 1/(1+e), in place on e
            INDArray neg = logits.lt(0.0).castTo(logits.dataType()); // 1 where x < 0
            // sigmoid = inv + neg * (1 - 2 inv)
            INDArray sig = neg.muli(inv.mul(-2.0).addi(1.0)).addi(inv);
            grad = sig.subi(t).divi(n);
        } else {
            INDArray diff = logits.sub(t);
            double norm = diff.norm2Number().doubleValue();
            value = norm * norm / n;
            grad = diff.muli(2.0 / n);
        }
        if (!Double.isFinite(value)) {
            Checks.explainNonFinite(kind + " adversarial loss", value, new String[] {"logits"}, logits);
        }
        return new LossResult(value, grad);
    }

    @Override
    public String toString() {
        return "AdversarialLoss[" + kind + (labelSmoothing > 0 ? ", labelSmoothing=" + labelSmoothing : "") + "]";
    }
}
