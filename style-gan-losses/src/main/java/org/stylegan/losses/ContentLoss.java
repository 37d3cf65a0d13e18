package org.stylegan.losses;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Content loss: mean squared difference between a generated tensor and its target, in pixel space
 * or on feature maps.
 *
 * <p>The design writes it as {@code L_c = sum_i (1/N) sum_j ||C_ij - C~_ij||^2}, with i over
 * images, j over the N pixel positions and {@code ||.||^2} the squared norm over the M channels.
 * This class implements, for a batch of B tensors of shape [M, H, W] (N = H * W):
 *
 * <pre>
 *   L = (1/B) sum_i  (1/(N*M)) sum_j ||C_ij - C~_ij||^2
 *     = mean over all B*M*H*W elements of (generated - target)^2
 *   dL/dgenerated = 2 (generated - target) / (B*M*H*W)
 * </pre>
 *
 * That is, each image's value is additionally divided by the channel count M and the sum over
 * images is a batch mean: the design's per-batch value equals {@code L * B * M}. This keeps the
 * loss's scale independent of batch size and channel count and makes it identical to PyTorch's
 * {@code F.mse_loss(generated, target)} (the peer's content term).
 *
 * <p>{@link #pixel()} and {@link #features()} compute the same formula; they differ only in the
 * input they are documented for and the names in error messages. Pixel-space content keeps image
 * structure well but pins the output to the photo's exact colours; on feature maps (for example
 * relu2_2) it keeps structure while leaving texture and colour free for the style term.
 *
 * <p>Stateless and thread-safe; inputs are never mutated.
 */
public final class ContentLoss {

    private static final ContentLoss PIXEL = new ContentLoss("pixel");
    private static final ContentLoss FEATURES = new ContentLoss("features");

    private final String space;

    private ContentLoss(String space) {
        this.space = space;
    }

    /**
     * Returns the content loss on images (NCHW, typically 3 channels in [-1, 1]).
     *
     * @return the pixel-space content loss
     */
    public static ContentLoss pixel() {
        return PIXEL;
    }

    /**
     * Returns the content loss on feature maps (NCHW activations of a feature network).
     *
     * @return the feature-space content loss
     */
    public static ContentLoss features() {
        return FEATURES;
    }

    /**
     * Computes the mean squared difference and its gradient with respect to {@code generated}.
     *
     * @param generated NCHW tensor, FLOAT or DOUBLE
     * @param target NCHW tensor of the same shape and data type (treated as a constant)
     * @return value and dL/dgenerated (same shape as generated)
     * @throws IllegalArgumentException on null, wrong rank, shape or type mismatch, or NaN/Inf
     */
    public LossResult compute(INDArray generated, INDArray target) {
        Checks.tensor("generated", generated, 4);
        Checks.tensor("target", target, 4);
        Checks.sameShape("generated", generated, "target", target);
        Checks.sameType("generated", generated, "target", target);

        INDArray diff = generated.sub(target);
        double n = diff.length();
        double value = diff.norm2Number().doubleValue();
        value = value * value / n;
        if (!Double.isFinite(value)) {
            Checks.explainNonFinite(space + " content loss", value,
                    new String[] {"generated", "target"}, generated, target);
        }
        return new LossResult(value, diff.muli(2.0 / n));
    }

    @Override
    public String toString() {
        return "ContentLoss[" + space + "]";
    }
}
