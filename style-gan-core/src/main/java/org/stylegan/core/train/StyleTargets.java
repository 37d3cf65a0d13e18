package org.stylegan.core.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stylegan.core.net.FeatureExtractor;
import org.stylegan.core.net.Features;
import org.stylegan.io.ImageOps;
import org.stylegan.losses.StyleLoss;

/**
 * The style side of training, fixed for a run: the style images resized so their shorter side is
 * {@link TrainerConfig#styleSize()} (the discriminator's real crops come from them) and, per style tap, the mean
 * Gram matrix [1, C, C] over those images (the style loss's target), computed once.
 *
 * <p>Owns the Grams for the trainer's lifetime; the per-image activations are closed as soon as their Grams exist.
 */
final class StyleTargets {
    private final List<INDArray> images;
    private final List<INDArray> grams;

    private StyleTargets(List<INDArray> images, List<INDArray> grams) {
        this.images = images;
        this.grams = grams;
    }

    /**
     * Resizes the style images and computes their mean Grams with the feature network.
     *
     * @throws IllegalArgumentException when there is no style image or one is not [1, 3, H, W]
     */
    static StyleTargets of(List<INDArray> styleImages, TrainerConfig cfg, FeatureExtractor fx, DataType dataType) {
        List<INDArray> images = resize(styleImages, cfg.styleSize(), dataType);
        return new StyleTargets(images, meanGrams(images, fx));
    }

    /** The style images as used (resized to styleSize, in the networks' data type). */
    List<INDArray> images() {
        return images;
    }

    /** Per style tap, the mean Gram [1, C, C] over the style images. */
    List<INDArray> grams() {
        return grams;
    }

    private static List<INDArray> resize(List<INDArray> images, int styleSize, DataType dt) {
        if (images == null || images.isEmpty()) {
            throw new IllegalArgumentException("at least one style image is required, found none");
        }
        List<INDArray> out = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            INDArray s = images.get(i);
            if (s == null || s.rank() != 4 || s.size(0) != 1 || s.size(1) != 3) {
                throw new IllegalArgumentException("style image " + i + " must be [1, 3, H, W] in [-1, 1], found "
                        + (s == null ? "null" : Arrays.toString(s.shape())));
            }
            long h = s.size(2);
            long w = s.size(3);
            double k = (double) styleSize / Math.min(h, w);
            int nh = (int) Math.max(styleSize, Math.round(h * k));
            int nw = (int) Math.max(styleSize, Math.round(w * k));
            INDArray r = (nh == h && nw == w) ? s : ImageOps.resize(s.castTo(DataType.FLOAT), nw, nh);
            out.add(r.castTo(dt));
        }
        return List.copyOf(out);
    }

    private static List<INDArray> meanGrams(List<INDArray> images, FeatureExtractor fx) {
        List<INDArray> sums = null;
        for (INDArray s : images) {
            Features extracted = fx.extract(s);
            List<INDArray> feats = extracted.style();
            if (sums == null) {
                sums = new ArrayList<>();
                for (INDArray f : feats) {
                    sums.add(StyleLoss.gram(f));
                }
            } else {
                for (int i = 0; i < feats.size(); i++) {
                    INDArray gram = StyleLoss.gram(feats.get(i));
                    sums.get(i).addi(gram);
                    gram.close();
                }
            }
            // This image's activations are copies only its Grams needed: free them now, not at the next GC.
            for (INDArray a : extracted.all().values()) {
                if (!a.isView() && !a.wasClosed()) {
                    a.close();
                }
            }
        }
        List<INDArray> out = new ArrayList<>();
        for (INDArray gram : sums) {
            out.add(gram.divi(images.size()));
        }
        return List.copyOf(out);
    }
}
