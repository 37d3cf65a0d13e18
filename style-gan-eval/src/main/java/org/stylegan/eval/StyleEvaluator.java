package org.stylegan.eval;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Judges a stylized image against its style image and content photo with measures the trainer does not optimise.
 *
 * <p>Figures (definitions and ranges in {@code docs/evaluation.md}):
 * <ul>
 *   <li>content: luminance SSIM and edge F1 of output against the photo (1 = unchanged);</li>
 *   <li>palette ratio: sliced Wasserstein distance of the RGB distributions, {@code D(output, style) /
 *       D(content, style)} (0 = the style's palette, 1 = the photo's);</li>
 *   <li>texture ratios at 8, 16 and 32 px patches: oriented-derivative filter-bank statistics and the distance
 *       between the distributions of small patches, each {@code D(output, style) / D(content, style)};</li>
 *   <li>a summary {@linkplain Evaluation#score() score} for picking checkpoints.</li>
 * </ul>
 * None of these is what the trainer minimises (Gram matrices and features of a random conv net, a discriminator,
 * total variation), so a model cannot score well by overfitting its own loss.
 *
 * <p>Sizes: the content photo and the style image are each resampled so that their longer side is the
 * {@linkplain Builder#workingSize working size} (area averaging down, linear interpolation up), which makes the
 * figures independent of file resolution. The output is resampled to the photo's working size, so it may be
 * stored at another resolution than the photo (a {@code --max-size} run), but it must have the photo's aspect
 * ratio (within 2% or one pixel).
 *
 * <p>Deterministic: the only random choice, the patch projections, comes from the {@linkplain Builder#seed
 * seed}. Immutable and thread-safe. One evaluation at 256 px costs about 0.23 s of CPU on one core. For repeated
 * evaluation against one style and photo (training checkpoints), build a {@link #reference} once: it keeps the
 * style's and the photo's statistics, and each further output costs about 0.07 s.
 *
 * <pre>{@code
 * StyleEvaluator evaluator = StyleEvaluator.builder().build();
 * Evaluation e = evaluator.evaluate(style, photo, stylized);
 * System.out.println(e.paletteRatio() + " " + e.texture().get(0).patchRatio() + " " + e.score());
 * }</pre>
 */
public final class StyleEvaluator {
    private final int workingSize;
    private final int scales;
    private final long seed;
    /** Random directions of the sliced patch-distribution distance, shared by every image. */
    private final float[][] projections;

    private StyleEvaluator(Builder b) {
        this.workingSize = b.workingSize;
        this.scales = b.scales;
        this.seed = b.seed;
        this.projections = Prepared.projections(PROJECTIONS, b.seed);
    }

    /** Random projections of the patch-distribution distance. */
    static final int PROJECTIONS = 64;

    /** A builder with the defaults (working size 256, 3 scales, seed 2026). */
    public static Builder builder() {
        return new Builder();
    }

    /** The longer side, in pixels, that the style and the photo are resampled to. */
    public int workingSize() {
        return workingSize;
    }

    /** How many patch scales are reported: 8 px, then each next one twice as large. */
    public int scales() {
        return scales;
    }

    /** The seed of the random patch projections. */
    public long seed() {
        return seed;
    }

    /**
     * Evaluates one output.
     *
     * @param style   the style image the output was made with
     * @param content the photo that was stylized
     * @param output  the stylized photo (the photo's aspect ratio, any resolution)
     * @return the figures
     * @throws IllegalArgumentException if an image is null or too small, or the output's shape is not the photo's
     */
    public Evaluation evaluate(BufferedImage style, BufferedImage content, BufferedImage output) {
        return reference(style, content).evaluate(output);
    }

    /**
     * Precomputes everything about a style and a photo, so that each {@link Reference#evaluate} only has to
     * analyse the output (about a third of the work of {@link #evaluate}).
     *
     * @throws IllegalArgumentException if an image is null or too small for the working size and scales
     */
    public Reference reference(BufferedImage style, BufferedImage content) {
        check("style", style, "pass the style image the output was made with");
        check("content", content, "pass the photo that was stylized");
        return new Reference(style, content);
    }

    /** Working size (long side = {@link #workingSize}) for an image, checked to hold the coarsest patch. */
    private int[] workingShape(String what, BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int ww;
        int wh;
        if (w >= h) {
            ww = workingSize;
            wh = (int) Math.max(1, Math.round((double) h * workingSize / w));
        } else {
            wh = workingSize;
            ww = (int) Math.max(1, Math.round((double) w * workingSize / h));
        }
        int need = Prepared.PATCH << (scales - 1);
        if (Math.min(ww, wh) < need) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s image %dx%d is too elongated: at working size %d its short side is %d px, and %d scales "
                            + "need at least %d px (crop it, or use a larger workingSize or fewer scales)",
                    what, w, h, workingSize, Math.min(ww, wh), scales, need));
        }
        return new int[] {ww, wh};
    }

    private static void check(String what, BufferedImage img, String fix) {
        if (img == null) {
            throw new IllegalArgumentException(what + " image must not be null: " + fix);
        }
        if (img.getWidth() < Builder.MIN_IMAGE_SIDE || img.getHeight() < Builder.MIN_IMAGE_SIDE) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s image must be at least %dx%d px, found %dx%d: %s", what, Builder.MIN_IMAGE_SIDE,
                    Builder.MIN_IMAGE_SIDE, img.getWidth(), img.getHeight(), fix));
        }
    }

    private static double ratio(double num, double den) {
        if (den > 1e-12) {
            return num / den;
        }
        return num > 1e-12 ? Double.POSITIVE_INFINITY : 0;
    }

    /**
     * A style image and a photo with their statistics computed once, for evaluating many outputs of them
     * (training checkpoints, strengths, presets). Immutable and thread-safe.
     */
    public final class Reference {
        private final int width;
        private final int height;
        private final int contentWidth;
        private final int contentHeight;
        private final Prepared style;
        private final Prepared content;
        private final boolean[] contentEdges;
        private final double contentPalette;
        private final double[] contentFilterBank;
        private final double[] contentPatch;
        private final double contentBaseline;

        private Reference(BufferedImage styleImage, BufferedImage contentImage) {
            int[] ss = workingShape("style", styleImage);
            int[] cs = workingShape("content", contentImage);
            contentWidth = contentImage.getWidth();
            contentHeight = contentImage.getHeight();
            width = cs[0];
            height = cs[1];
            style = new Prepared(styleImage, ss[0], ss[1], scales, projections);
            content = new Prepared(contentImage, width, height, scales, projections);
            contentEdges = ContentMeasures.edges(content.luma);
            contentPalette = Prepared.paletteDistance(content, style);
            contentFilterBank = new double[scales];
            contentPatch = new double[scales];
            for (int l = 0; l < scales; l++) {
                contentFilterBank[l] = Prepared.filterBankDistance(content.levels[l], style.levels[l],
                        style.levels[l]);
                contentPatch[l] = Prepared.patchDistance(content.levels[l], style.levels[l]);
            }
            // How much "content" a bare style image already shows against this photo: the zero of contentKept.
            Plane styleLuma = lumaAt(styleImage, width, height);
            contentBaseline = Evaluation.contentFigure(ContentMeasures.ssim(styleLuma, content.luma),
                    ContentMeasures.edgeF1(contentEdges, ContentMeasures.edges(styleLuma), width, height));
        }

        /** The evaluator this reference belongs to. */
        public StyleEvaluator evaluator() {
            return StyleEvaluator.this;
        }

        /**
         * Evaluates one output of this style and photo.
         *
         * @param output the stylized photo: the photo's aspect ratio (within 2% or one pixel), any resolution
         * @throws IllegalArgumentException if the output is null, too small, or not the photo's shape
         */
        public Evaluation evaluate(BufferedImage output) {
            check("output", output, "pass the stylized photo");
            checkShape(output);
            Prepared out = new Prepared(output, width, height, scales, projections);
            double ssim = ContentMeasures.ssim(out.luma, content.luma);
            double edges = ContentMeasures.edgeF1(contentEdges, ContentMeasures.edges(out.luma), width, height);
            double palette = Prepared.paletteDistance(out, style);
            List<TextureScale> texture = new ArrayList<>();
            for (int l = 0; l < scales; l++) {
                double fb = Prepared.filterBankDistance(out.levels[l], style.levels[l], style.levels[l]);
                double patch = Prepared.patchDistance(out.levels[l], style.levels[l]);
                texture.add(new TextureScale(Prepared.PATCH << l, ratio(fb, contentFilterBank[l]),
                        ratio(patch, contentPatch[l]), fb, contentFilterBank[l], patch, contentPatch[l]));
            }
            return Evaluation.of(ssim, edges, ratio(palette, contentPalette), palette, contentPalette, texture,
                    contentBaseline);
        }

        private void checkShape(BufferedImage output) {
            int ow = output.getWidth();
            int oh = output.getHeight();
            double aspectOut = (double) ow / oh;
            double aspectIn = (double) contentWidth / contentHeight;
            boolean close = Math.abs(aspectOut / aspectIn - 1) <= 0.02
                    || Math.abs(ow - Math.round((double) oh * contentWidth / contentHeight)) <= 1
                    || Math.abs(oh - Math.round((double) ow * contentHeight / contentWidth)) <= 1;
            if (!close) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "output image is %dx%d but the content photo is %dx%d: the output must be the stylized "
                                + "photo at the photo's aspect ratio (stylize the whole photo, or crop the photo "
                                + "the same way as the output)", ow, oh, contentWidth, contentHeight));
            }
        }

        private static Plane lumaAt(BufferedImage img, int w, int h) {
            Plane[] rgb = Images.rgbPlanes(img, w, h);
            float[] y = new float[w * h];
            for (int i = 0; i < y.length; i++) {
                y[i] = 0.299f * rgb[0].v[i] + 0.587f * rgb[1].v[i] + 0.114f * rgb[2].v[i];
            }
            return new Plane(w, h, y);
        }
    }

    /** Settings of a {@link StyleEvaluator}; every setter validates in {@link #build()}. */
    public static final class Builder {
        /** Smallest accepted image side, in pixels. */
        public static final int MIN_IMAGE_SIDE = 8;

        private int workingSize = 256;
        private int scales = 3;
        private long seed = 2026;

        private Builder() {
        }

        /**
         * The longer side, in pixels, that style and photo are resampled to before measuring (default 256; 64 to
         * 2048). Texture scales are in pixels of this size, so compare figures only at equal working sizes.
         */
        public Builder workingSize(int pixels) {
            this.workingSize = pixels;
            return this;
        }

        /** How many patch scales to report, 8 px and each next twice as large (default 3: 8, 16, 32 px; 1 to 4). */
        public Builder scales(int count) {
            this.scales = count;
            return this;
        }

        /**
         * Seed of the random directions of the patch-distribution distance (default 2026). Equal seeds give equal
         * figures; another seed moves patch ratios by sampling noise only (about 1-3%).
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Validates the settings and builds the evaluator.
         *
         * @throws IllegalArgumentException naming the setting, its value and the accepted range
         */
        public StyleEvaluator build() {
            if (workingSize < 64 || workingSize > 2048) {
                throw new IllegalArgumentException("workingSize must be in [64, 2048], found " + workingSize);
            }
            if (scales < 1 || scales > 4) {
                throw new IllegalArgumentException("scales must be in [1, 4], found " + scales);
            }
            if ((Prepared.PATCH << (scales - 1)) > workingSize / 2) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "scales %d needs a workingSize of at least %d, found %d (use fewer scales or a larger "
                                + "workingSize)", scales, 2 * (Prepared.PATCH << (scales - 1)), workingSize));
            }
            return new StyleEvaluator(this);
        }
    }
}
