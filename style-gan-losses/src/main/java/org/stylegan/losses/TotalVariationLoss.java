package org.stylegan.losses;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Total variation loss: penalises differences between vertically and horizontally neighbouring
 * pixels, suppressing high-frequency noise and checkerboard artifacts.
 *
 * <p>With {@code dh = x[:, :, 1:, :] - x[:, :, :-1, :]} and {@code dw = x[:, :, :, 1:] - x[:, :, :, :-1]}:
 * <pre>
 *   L1 (anisotropic, default, as the peer's tv()):  L = mean|dh| + mean|dw|
 *   SQUARED (smooth):                               L = mean(dh^2) + mean(dw^2)
 * </pre>
 * Each mean runs over all elements of its difference tensor ({@code B*C*(H-1)*W} and
 * {@code B*C*H*(W-1)}), so the loss is a batch mean. The L1 gradient uses the subgradient
 * sign(0) = 0. L1 keeps edges sharp; the squared variant is differentiable everywhere but blurs
 * edges, so keep its weight small.
 *
 * <p>Immutable, stateless and thread-safe; inputs are never mutated. Requires H >= 2 and W >= 2.
 */
public final class TotalVariationLoss {

    /** Which penalty is applied to neighbour differences. */
    public enum Norm {
        /** Absolute differences (anisotropic TV). */
        L1,
        /** Squared differences (smooth). */
        SQUARED
    }

    private static final TotalVariationLoss L1 = new TotalVariationLoss(Norm.L1);
    private static final TotalVariationLoss SQUARED = new TotalVariationLoss(Norm.SQUARED);

    private final Norm norm;

    private TotalVariationLoss(Norm norm) {
        this.norm = norm;
    }

    /** Creates the default anisotropic L1 total variation loss (same as {@link #l1()}). */
    public TotalVariationLoss() {
        this(Norm.L1);
    }

    /**
     * Returns the anisotropic L1 variant, {@code mean|dh| + mean|dw|}.
     *
     * @return L1 total variation
     */
    public static TotalVariationLoss l1() {
        return L1;
    }

    /**
     * Returns the smooth squared variant, {@code mean(dh^2) + mean(dw^2)}.
     *
     * @return squared total variation
     */
    public static TotalVariationLoss squared() {
        return SQUARED;
    }

    /** @return L1 or SQUARED */
    public Norm norm() {
        return norm;
    }

    /**
     * Computes the total variation of an image batch and its gradient with respect to the image.
     *
     * @param image [B, C, H, W] with H >= 2 and W >= 2, FLOAT or DOUBLE
     * @return value and dL/dimage
     * @throws IllegalArgumentException on null, wrong rank, too small images or NaN/Inf
     */
    public LossResult compute(INDArray image) {
        Checks.tensor("image", image, 4);
        long h = image.size(2);
        long w = image.size(3);
        if (h < 2 || w < 2) {
            throw new IllegalArgumentException("image must have height and width >= 2, found shape "
                    + Arrays.toString(image.shape()));
        }
        INDArrayIndex all = NDArrayIndex.all();
        INDArray dh = image.get(all, all, NDArrayIndex.interval(1, h), all)
                .sub(image.get(all, all, NDArrayIndex.interval(0, h - 1), all));
        INDArray dw = image.get(all, all, all, NDArrayIndex.interval(1, w))
                .sub(image.get(all, all, all, NDArrayIndex.interval(0, w - 1)));
        double nh = dh.length();
        double nw = dw.length();
        double value;
        INDArray gh;
        INDArray gw;
        if (norm == Norm.L1) {
            value = dh.norm1Number().doubleValue() / nh + dw.norm1Number().doubleValue() / nw;
            gh = Transforms.sign(dh, false).muli(1.0 / nh);
            gw = Transforms.sign(dw, false).muli(1.0 / nw);
        } else {
            double a = dh.norm2Number().doubleValue();
            double b = dw.norm2Number().doubleValue();
            value = a * a / nh + b * b / nw;
            gh = dh.muli(2.0 / nh);
            gw = dw.muli(2.0 / nw);
        }
        if (!Double.isFinite(value)) {
            Checks.explainNonFinite(norm + " total variation loss", value, new String[] {"image"}, image);
        }
        // Each difference d = x[k+1] - x[k] sends +g to x[k+1] and -g to x[k].
        INDArray grad = Nd4j.zeros(image.dataType(), image.shape());
        grad.get(all, all, NDArrayIndex.interval(1, h), all).addi(gh);
        grad.get(all, all, NDArrayIndex.interval(0, h - 1), all).subi(gh);
        grad.get(all, all, all, NDArrayIndex.interval(1, w)).addi(gw);
        grad.get(all, all, all, NDArrayIndex.interval(0, w - 1)).subi(gw);
        return new LossResult(value, grad);
    }

    @Override
    public String toString() {
        return "TotalVariationLoss[" + norm + "]";
    }
}
