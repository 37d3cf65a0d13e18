package org.stylegan.losses;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Style loss: Gram-matrix MSE over feature maps (Gatys et al., the default) or the design's
 * pixel form, mean squared colour difference between the generated image and the style image.
 *
 * <h2>Gram form ({@link Mode#GRAM}, default)</h2>
 * For features F of shape [B, C, H, W], reshaped to [B, C, HW]:
 * <pre>
 *   G(F)     = F F^T / (C H W)                                   shape [B, C, C]
 *   L_l      = mean over B*C*C elements of (G(F_l) - T_l)^2       (= F.mse_loss(gram(f), t))
 *   L        = sum_l w_l L_l                                      (w_l = 1 unless configured)
 *   dL/dF_l  = w_l (D + D^T) F / (C H W),  D = 2 (G(F_l) - T_l) / (B C C)
 * </pre>
 * T_l is the style image's Gram at layer l, [1, C, C] (broadcast over the batch) or [B, C, C].
 * Layer weights are not normalised: with the default (all 1) the loss is the plain sum over
 * layers, as in the peer ({@code mse(gram(f1), t1) + mse(gram(f2), t2)}).
 *
 * <h2>Pixel form ({@link Mode#PIXEL})</h2>
 * <pre>
 *   L = mean over B*C*H*W elements of (generated - style)^2,   dL/dgenerated = 2 (generated - style) / (B C H W)
 * </pre>
 * The style image must have the generated image's C, H and W; with batch 1 it is compared with
 * every generated image (broadcast), otherwise the batch sizes must match. Resize or crop the style
 * image first if the sizes differ.
 *
 * <p><b>Why Gram is the default.</b> The pixel form compares colours position by position, so
 * minimising it together with a pixel content loss only cross-fades the two images: the optimum of
 * {@code a |x - content|^2 + b |x - style|^2} is the blend {@code (a content + b style)/(a + b)}.
 * It transfers no texture. A Gram matrix sums over positions, so it keeps which feature channels
 * fire together (texture, palette, stroke statistics) while forgetting where; matching it
 * transfers style without copying the style image's layout.
 *
 * <p>Immutable, stateless and thread-safe; inputs are never mutated.
 */
public final class StyleLoss {

    /** Which style loss to compute. */
    public enum Mode {
        /** Gram-matrix MSE over feature maps ({@link StyleLoss#computeGram}). */
        GRAM,
        /** Mean squared colour difference in pixel space ({@link StyleLoss#computePixel}). */
        PIXEL
    }

    private final Mode mode;
    private final double[] layerWeights; // null = 1.0 for every layer

    private StyleLoss(Builder b) {
        this.mode = b.mode;
        this.layerWeights = b.layerWeights == null ? null : b.layerWeights.clone();
    }

    /**
     * Returns a builder; defaults: {@link Mode#GRAM}, every layer weight 1.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the configured mode */
    public Mode mode() {
        return mode;
    }

    /**
     * Returns the configured per-layer weights (a copy), or an empty array when every layer
     * weighs 1.
     *
     * @return layer weights
     */
    public double[] layerWeights() {
        return layerWeights == null ? new double[0] : layerWeights.clone();
    }

    /**
     * Computes the Gram matrices {@code F F^T / (C H W)} of a batch of feature maps.
     *
     * @param features [B, C, H, W], FLOAT or DOUBLE (not mutated)
     * @return a new [B, C, C] array of the same data type
     */
    public static INDArray gram(INDArray features) {
        Checks.tensor("features", features, 4);
        return gramOf(flatten(features), features);
    }

    /**
     * Computes the weighted Gram loss over feature layers and one gradient per layer.
     *
     * @param generatedFeatures feature maps of the generated images, one [B, C_l, H_l, W_l] per layer
     * @param targetGrams style Grams, one [1, C_l, C_l] or [B, C_l, C_l] per layer (constants)
     * @return total value, unweighted per-layer values, dL/dF_l per layer
     * @throws IllegalStateException if this loss is in {@link Mode#PIXEL}
     * @throws IllegalArgumentException on list length, shape, type or layer-weight mismatch, or NaN/Inf
     */
    public MultiLossResult computeGram(List<INDArray> generatedFeatures, List<INDArray> targetGrams) {
        if (mode != Mode.GRAM) {
            throw new IllegalStateException("computeGram called on a StyleLoss in mode " + mode
                    + "; build one with mode(StyleLoss.Mode.GRAM)");
        }
        if (generatedFeatures == null || targetGrams == null) {
            throw new IllegalArgumentException("generatedFeatures and targetGrams must not be null");
        }
        int layers = generatedFeatures.size();
        if (layers == 0) {
            throw new IllegalArgumentException("generatedFeatures must hold at least one layer, found 0");
        }
        if (targetGrams.size() != layers) {
            throw new IllegalArgumentException("generatedFeatures has " + layers
                    + " layers but targetGrams has " + targetGrams.size() + "; they must match");
        }
        if (layerWeights != null && layerWeights.length != layers) {
            throw new IllegalArgumentException("layerWeights has " + layerWeights.length
                    + " entries " + Arrays.toString(layerWeights) + " but " + layers
                    + " feature layers were given; they must match");
        }
        List<Double> values = new ArrayList<>(layers);
        List<INDArray> grads = new ArrayList<>(layers);
        double total = 0;
        for (int l = 0; l < layers; l++) {
            double w = layerWeights == null ? 1.0 : layerWeights[l];
            String fName = "generatedFeatures[" + l + "]";
            String tName = "targetGrams[" + l + "]";
            INDArray f = generatedFeatures.get(l);
            INDArray t = targetGrams.get(l);
            Checks.tensor(fName, f, 4);
            Checks.tensor(tName, t, 3);
            Checks.sameType(fName, f, tName, t);
            long b = f.size(0);
            long c = f.size(1);
            long chw = c * f.size(2) * f.size(3);
            if (t.size(1) != c || t.size(2) != c || (t.size(0) != 1 && t.size(0) != b)) {
                throw new IllegalArgumentException(tName + " has shape " + Arrays.toString(t.shape())
                        + " but " + fName + " has shape " + Arrays.toString(f.shape()) + "; expected [1, "
                        + c + ", " + c + "] or [" + b + ", " + c + ", " + c + "]");
            }
            INDArray flat = flatten(f); // [B, C, HW]
            INDArray g = gramOf(flat, f);
            INDArray d = t.size(0) == b ? g.subi(t) : g.subi(t.broadcast(b, c, c));
            double n = d.length();
            double norm = d.norm2Number().doubleValue();
            double value = norm * norm / n;
            if (!Double.isFinite(value)) {
                Checks.explainNonFinite("Gram style loss at layer " + l, value,
                        new String[] {fName, tName}, f, t);
            }
            values.add(value);
            total += w * value;
            // dL/dF = w * (D + D^T) F / (C H W) with D = 2 (G - T) / (B C C).
            INDArray sym = d.add(d.permute(0, 2, 1)).muli(w * 2.0 / (n * chw));
            // Written into an array of the feature maps' shape, so that the gradient callers get owns its buffer and
            // close() frees it (a reshaped matmul result would be a view, and closing a view does nothing).
            INDArray grad = Nd4j.createUninitialized(f.dataType(), f.shape(), 'c');
            Nd4j.matmul(sym, flat, grad.reshape('c', b, c, chw / c));
            // Freed now: temporaries left to the garbage collector keep the process mapping fresh pages.
            closeOwned(g, sym);
            grads.add(grad);
        }
        return new MultiLossResult(total, values, grads);
    }

    /**
     * Computes the pixel-form style loss (mean squared colour difference) and its gradient.
     *
     * @param generated [B, C, H, W] generated images
     * @param styleImage [1, C, H, W] (compared with every generated image) or [B, C, H, W]
     * @return value and dL/dgenerated
     * @throws IllegalStateException if this loss is in {@link Mode#GRAM}
     * @throws IllegalArgumentException on shape or type mismatch, or NaN/Inf
     */
    public LossResult computePixel(INDArray generated, INDArray styleImage) {
        if (mode != Mode.PIXEL) {
            throw new IllegalStateException("computePixel called on a StyleLoss in mode " + mode
                    + "; build one with mode(StyleLoss.Mode.PIXEL)");
        }
        Checks.tensor("generated", generated, 4);
        Checks.tensor("styleImage", styleImage, 4);
        Checks.sameType("generated", generated, "styleImage", styleImage);
        long[] gs = generated.shape();
        long[] ss = styleImage.shape();
        boolean sameChw = gs[1] == ss[1] && gs[2] == ss[2] && gs[3] == ss[3];
        if (!sameChw || (ss[0] != 1 && ss[0] != gs[0])) {
            throw new IllegalArgumentException("generated has shape " + Arrays.toString(gs)
                    + " but styleImage has shape " + Arrays.toString(ss) + "; styleImage must be [1, "
                    + gs[1] + ", " + gs[2] + ", " + gs[3] + "] or the same shape (resize or crop it first)");
        }
        INDArray diff = ss[0] == gs[0] ? generated.sub(styleImage) : generated.sub(styleImage.broadcast(gs));
        double n = diff.length();
        double norm = diff.norm2Number().doubleValue();
        double value = norm * norm / n;
        if (!Double.isFinite(value)) {
            Checks.explainNonFinite("pixel style loss", value,
                    new String[] {"generated", "styleImage"}, generated, styleImage);
        }
        return new LossResult(value, diff.muli(2.0 / n));
    }

    @Override
    public String toString() {
        return "StyleLoss[mode=" + mode + ", layerWeights="
                + (layerWeights == null ? "all 1" : Arrays.toString(layerWeights)) + "]";
    }

    /** Closes arrays created here (never views, never caller arrays). */
    private static void closeOwned(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a != null && a.closeable()) {
                a.close();
            }
        }
    }

    /** [B, C, H, W] -> [B, C, HW] in C order (a view when already C-contiguous). */
    private static INDArray flatten(INDArray f) {
        return f.reshape('c', new long[] {f.size(0), f.size(1), f.size(2) * f.size(3)});
    }

    private static INDArray gramOf(INDArray flat, INDArray f) {
        double scale = 1.0 / (f.size(1) * f.size(2) * f.size(3));
        return Nd4j.matmul(flat, flat, false, true, false).muli(scale);
    }

    /** Builder for {@link StyleLoss}; {@link #build()} validates. */
    public static final class Builder {
        private Mode mode = Mode.GRAM;
        private double[] layerWeights;

        private Builder() {
        }

        /**
         * Sets the mode. Default {@link Mode#GRAM}.
         *
         * @param mode GRAM or PIXEL
         * @return this builder
         */
        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /**
         * Sets one weight per feature layer, in the order the layers are passed to
         * {@link StyleLoss#computeGram}. Default: every layer weight 1 (plain sum). Each weight
         * must be finite and >= 0, and at least one must be > 0. GRAM mode only.
         *
         * @param weights per-layer weights (copied)
         * @return this builder
         */
        public Builder layerWeights(double... weights) {
            this.layerWeights = weights == null ? null : weights.clone();
            return this;
        }

        /**
         * Validates and builds the loss.
         *
         * @return an immutable StyleLoss
         * @throws IllegalArgumentException if the configuration is invalid
         */
        public StyleLoss build() {
            if (mode == null) {
                throw new IllegalArgumentException("mode must be GRAM or PIXEL, found null");
            }
            if (layerWeights != null) {
                if (mode != Mode.GRAM) {
                    throw new IllegalArgumentException("layerWeights apply only to mode GRAM, found mode "
                            + mode + " with layerWeights " + Arrays.toString(layerWeights));
                }
                if (layerWeights.length == 0) {
                    throw new IllegalArgumentException("layerWeights must hold at least one weight, found none;"
                            + " omit layerWeights(...) for equal weights");
                }
                boolean anyPositive = false;
                for (int i = 0; i < layerWeights.length; i++) {
                    Checks.nonNegative("layerWeights[" + i + "]", layerWeights[i]);
                    anyPositive |= layerWeights[i] > 0;
                }
                if (!anyPositive) {
                    throw new IllegalArgumentException("layerWeights must have at least one weight > 0, found "
                            + Arrays.toString(layerWeights));
                }
            }
            return new StyleLoss(this);
        }
    }
}
