package org.stylegan.eval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The evaluator's figures for one (style, content, output) triple, or their mean over several.
 *
 * <p>Lower ratios are better; content figures and the score are higher-is-better. See {@code docs/evaluation.md}
 * for the definitions.
 *
 * @param ssim                   mean luminance SSIM of output and content, in [-1, 1] (1: same luminance
 *                               structure; unrelated images score about 0 to 0.2)
 * @param edgeF1                 agreement of the strongest 10% gradient pixels of output and content with a
 *                               one-pixel tolerance, F1 in [0, 1] (1: same edges; unrelated images ~0.2-0.4)
 * @param paletteRatio           {@code D_pal(output, style) / D_pal(content, style)}, >= 0: 0 is the style's
 *                               colour distribution, 1 the photo's
 * @param paletteDistance        D_pal(output, style): sliced Wasserstein-1 distance of the RGB distributions,
 *                               channels in [0, 1]; >= 0 (black against white: 0.82)
 * @param contentPaletteDistance D_pal(content, style)
 * @param texture                texture figures per patch scale, finest first
 * @param contentBaseline        {@code (max(ssim, 0) + edgeF1) / 2} of the style image itself (resized to the
 *                               photo's shape) against the photo: the content figure of a pure style image
 * @param contentKept            content kept above that baseline, in [0, 1] (1: as much as the photo itself)
 * @param styleMoved             {@code 1 - (2/3 meanTextureRatio + 1/3 paletteRatio)} clipped to [0, 1]
 * @param score                  {@code contentKept * styleMoved}, in [0, 1], higher is better; 0 for both the
 *                               untouched photo and the bare style image
 */
public record Evaluation(double ssim, double edgeF1, double paletteRatio, double paletteDistance,
        double contentPaletteDistance, List<TextureScale> texture, double contentBaseline, double contentKept,
        double styleMoved, double score) {

    /** Copies the texture list, so the record stays immutable. */
    public Evaluation {
        texture = List.copyOf(texture);
    }

    /** The content figure the score uses: {@code (max(ssim, 0) + edgeF1) / 2}, in [0, 1]. */
    public double content() {
        return contentFigure(ssim, edgeF1);
    }

    /** The mean of every texture ratio (filter bank and nearest patch, all scales). */
    public double meanTextureRatio() {
        double s = 0;
        for (TextureScale t : texture) {
            s += t.meanRatio();
        }
        return s / texture.size();
    }

    static double contentFigure(double ssim, double edgeF1) {
        return (Math.max(0, ssim) + edgeF1) / 2;
    }

    /**
     * Combines the figures into the summary score (see the class javadoc for the formula).
     *
     * @param contentBaseline the content figure of the bare style image against the photo
     */
    static Evaluation of(double ssim, double edgeF1, double paletteRatio, double paletteDistance,
            double contentPaletteDistance, List<TextureScale> texture, double contentBaseline) {
        double c = contentFigure(ssim, edgeF1);
        double headroom = 1 - contentBaseline;
        double kept = headroom <= 1e-9 ? (c >= 1 ? 1 : 0) : clamp01((c - contentBaseline) / headroom);
        double meanTexture = 0;
        for (TextureScale t : texture) {
            meanTexture += t.meanRatio();
        }
        meanTexture /= texture.size();
        double moved = clamp01(1 - (2.0 / 3 * meanTexture + 1.0 / 3 * paletteRatio));
        return new Evaluation(ssim, edgeF1, paletteRatio, paletteDistance, contentPaletteDistance, texture,
                contentBaseline, kept, moved, kept * moved);
    }

    private static double clamp01(double x) {
        return x < 0 ? 0 : x > 1 ? 1 : x;
    }

    /**
     * The field-by-field mean of several evaluations (each figure, ratios included, is averaged; the score is the
     * mean of the scores), e.g. over the style x photo pairs of the evaluation set.
     *
     * @throws IllegalArgumentException if the collection is empty or the evaluations have different scale counts
     */
    public static Evaluation mean(Collection<Evaluation> all) {
        Objects.requireNonNull(all, "evaluations");
        if (all.isEmpty()) {
            throw new IllegalArgumentException("evaluations must not be empty: pass at least one Evaluation");
        }
        int scales = all.iterator().next().texture.size();
        double[] f = new double[9];
        double[][] t = new double[scales][6];
        for (Evaluation e : all) {
            if (e.texture.size() != scales) {
                throw new IllegalArgumentException("evaluations have different scale counts: " + scales + " and "
                        + e.texture.size() + "; average evaluations made with the same settings");
            }
            double[] v = {e.ssim, e.edgeF1, e.paletteRatio, e.paletteDistance, e.contentPaletteDistance,
                e.contentBaseline, e.contentKept, e.styleMoved, e.score};
            for (int i = 0; i < v.length; i++) {
                f[i] += v[i];
            }
            for (int s = 0; s < scales; s++) {
                TextureScale x = e.texture.get(s);
                double[] w = {x.filterBankRatio(), x.patchRatio(), x.filterBankDistance(),
                    x.contentFilterBankDistance(), x.patchDistance(), x.contentPatchDistance()};
                for (int i = 0; i < w.length; i++) {
                    t[s][i] += w[i];
                }
            }
        }
        int n = all.size();
        List<TextureScale> tex = new ArrayList<>();
        for (int s = 0; s < scales; s++) {
            tex.add(new TextureScale(all.iterator().next().texture.get(s).patchSize(), t[s][0] / n, t[s][1] / n,
                    t[s][2] / n, t[s][3] / n, t[s][4] / n, t[s][5] / n));
        }
        return new Evaluation(f[0] / n, f[1] / n, f[2] / n, f[3] / n, f[4] / n, tex, f[5] / n, f[6] / n, f[7] / n,
                f[8] / n);
    }

    /** The figures as one JSON object (numbers with 4 significant decimals; non-finite values as strings). */
    public String toJson() {
        StringBuilder b = new StringBuilder("{");
        b.append("\"ssim\": ").append(num(ssim));
        b.append(", \"edgeF1\": ").append(num(edgeF1));
        b.append(", \"paletteRatio\": ").append(num(paletteRatio));
        b.append(", \"paletteDistance\": ").append(num(paletteDistance));
        b.append(", \"contentPaletteDistance\": ").append(num(contentPaletteDistance));
        b.append(", \"texture\": [");
        for (int i = 0; i < texture.size(); i++) {
            TextureScale t = texture.get(i);
            b.append(i == 0 ? "" : ", ").append("{\"patchSize\": ").append(t.patchSize());
            b.append(", \"filterBankRatio\": ").append(num(t.filterBankRatio()));
            b.append(", \"patchRatio\": ").append(num(t.patchRatio()));
            b.append(", \"filterBankDistance\": ").append(num(t.filterBankDistance()));
            b.append(", \"contentFilterBankDistance\": ").append(num(t.contentFilterBankDistance()));
            b.append(", \"patchDistance\": ").append(num(t.patchDistance()));
            b.append(", \"contentPatchDistance\": ").append(num(t.contentPatchDistance())).append('}');
        }
        b.append("], \"meanTextureRatio\": ").append(num(meanTextureRatio()));
        b.append(", \"contentBaseline\": ").append(num(contentBaseline));
        b.append(", \"contentKept\": ").append(num(contentKept));
        b.append(", \"styleMoved\": ").append(num(styleMoved));
        b.append(", \"score\": ").append(num(score)).append('}');
        return b.toString();
    }

    private static String num(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.4f", x) : "\"" + x + "\"";
    }

    /** A short multi-line summary: content figures, palette, texture per scale, score. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "content  ssim %.3f  edges %.3f%n", ssim, edgeF1));
        b.append(String.format(Locale.ROOT, "palette  ratio %.3f  (%.4f / %.4f)%n", paletteRatio, paletteDistance,
                contentPaletteDistance));
        for (TextureScale t : texture) {
            b.append(String.format(Locale.ROOT, "texture  %2d px  filter bank %.3f  patches %.3f%n", t.patchSize(),
                    t.filterBankRatio(), t.patchRatio()));
        }
        b.append(String.format(Locale.ROOT, "score    %.3f  (content kept %.3f x style moved %.3f)", score,
                contentKept, styleMoved));
        return b.toString();
    }
}
