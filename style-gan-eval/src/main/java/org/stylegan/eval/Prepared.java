package org.stylegan.eval;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Random;

/**
 * One image at the working size with everything the measures compare precomputed: luminance, palette
 * signature, and per scale the filter-bank and patch-distribution signatures.
 *
 * <p>Immutable after construction, so one instance (a style, a content photo) can be compared against many
 * outputs from several threads.
 */
final class Prepared {
    /** Sides of the square patches compared at every pyramid level, in level pixels. */
    static final int PATCH = 8;
    /** Quantiles kept per filter-bank channel. */
    static final int QUANTILES = 64;
    /** Bins of each projected colour distribution. */
    static final int PALETTE_BINS = 256;
    /** Filter-bank channels per level: 4 first-derivative, 4 second-derivative orientations, contrast, coherence. */
    static final int CHANNELS = 10;

    /** Unit directions in RGB for the sliced palette distance: 3 axes, 6 face and 4 body diagonals. */
    static final double[][] DIRECTIONS = directions();

    final int width;
    final int height;
    final Plane luma;
    /** Per direction, the cumulative distribution over {@link #PALETTE_BINS} bins of the projected colours. */
    final float[][] paletteCdf;
    final Level[] levels;

    /** Precomputed features of one pyramid level. */
    static final class Level {
        final int width;
        final int height;
        /** [channel][quantile] of the filter responses, ascending. */
        final float[][] quantiles;
        /** Mean absolute deviation from the median of each channel: the channel's natural unit. */
        final float[] spread;
        /** [projection][quantile] of the patch descriptors projected on the fixed random directions. */
        final float[][] patchQuantiles;

        Level(Plane z, int level, float[][] projections) {
            width = z.width;
            height = z.height;
            Plane[] ch = filterBank(z);
            quantiles = new float[CHANNELS][];
            spread = new float[CHANNELS];
            for (int k = 0; k < CHANNELS; k++) {
                float[] s = subsample(ch[k].v);
                Arrays.sort(s);
                quantiles[k] = quantiles(s);
                float median = s[s.length / 2];
                double dev = 0;
                for (float f : s) {
                    dev += Math.abs(f - median);
                }
                spread[k] = (float) (dev / s.length);
            }
            // A sparser grid where there are many patches: a few thousand estimate the distribution well enough.
            patchQuantiles = patchSignature(z, Math.max(1, 4 >> level), projections);
        }
    }

    Prepared(BufferedImage image, int width, int height, int levelCount, float[][] projections) {
        this.width = width;
        this.height = height;
        Plane[] rgb = Images.rgbPlanes(image, width, height);
        float[] y = new float[width * height];
        for (int i = 0; i < y.length; i++) {
            y[i] = 0.299f * rgb[0].v[i] + 0.587f * rgb[1].v[i] + 0.114f * rgb[2].v[i];
        }
        luma = new Plane(width, height, y);
        paletteCdf = paletteSignature(rgb);
        levels = new Level[levelCount];
        Plane z = luma.standardized();
        for (int l = 0; l < levelCount; l++) {
            if (l > 0) {
                z = z.halve();
            }
            levels[l] = new Level(z, l, projections);
        }
    }

    // ---------------------------------------------------------------- palette

    private static double[][] directions() {
        double[][] d = new double[13][];
        int k = 0;
        for (int a = 0; a < 3; a++) {
            double[] e = new double[3];
            e[a] = 1;
            d[k++] = e;
        }
        double r2 = 1 / Math.sqrt(2);
        int[][] pairs = {{0, 1}, {0, 2}, {1, 2}};
        for (int[] p : pairs) {
            for (int s = -1; s <= 1; s += 2) {
                double[] e = new double[3];
                e[p[0]] = r2;
                e[p[1]] = s * r2;
                d[k++] = e;
            }
        }
        double r3 = 1 / Math.sqrt(3);
        for (int s1 = -1; s1 <= 1; s1 += 2) {
            for (int s2 = -1; s2 <= 1; s2 += 2) {
                d[k++] = new double[] {r3, s1 * r3, s2 * r3};
            }
        }
        return d;
    }

    /** Lowest and highest projection of the RGB unit cube onto direction {@code d}. */
    static double[] range(double[] d) {
        double lo = 0;
        double hi = 0;
        for (double c : d) {
            lo += Math.min(0, c);
            hi += Math.max(0, c);
        }
        return new double[] {lo, hi};
    }

    private static float[][] paletteSignature(Plane[] rgb) {
        int n = rgb[0].v.length;
        float[][] cdf = new float[DIRECTIONS.length][];
        for (int k = 0; k < DIRECTIONS.length; k++) {
            double[] d = DIRECTIONS[k];
            double[] r = range(d);
            double scale = PALETTE_BINS / (r[1] - r[0]);
            int[] hist = new int[PALETTE_BINS];
            for (int i = 0; i < n; i++) {
                double p = d[0] * rgb[0].v[i] + d[1] * rgb[1].v[i] + d[2] * rgb[2].v[i];
                int b = (int) ((p - r[0]) * scale);
                hist[b < 0 ? 0 : b >= PALETTE_BINS ? PALETTE_BINS - 1 : b]++;
            }
            float[] c = new float[PALETTE_BINS];
            long acc = 0;
            for (int b = 0; b < PALETTE_BINS; b++) {
                acc += hist[b];
                c[b] = (float) ((double) acc / n);
            }
            cdf[k] = c;
        }
        return cdf;
    }

    /**
     * Sliced Wasserstein-1 distance between the colour distributions, in RGB units (channels in [0, 1]).
     *
     * <p>The mean over the 13 directions of the area between the two projected cumulative distributions.
     */
    static double paletteDistance(Prepared a, Prepared b) {
        double sum = 0;
        for (int k = 0; k < DIRECTIONS.length; k++) {
            double[] r = range(DIRECTIONS[k]);
            double bin = (r[1] - r[0]) / PALETTE_BINS;
            float[] ca = a.paletteCdf[k];
            float[] cb = b.paletteCdf[k];
            double area = 0;
            for (int i = 0; i < PALETTE_BINS; i++) {
                area += Math.abs(ca[i] - cb[i]);
            }
            sum += area * bin;
        }
        return sum / DIRECTIONS.length;
    }

    // ---------------------------------------------------------------- filter bank

    /**
     * Responses of the oriented derivative filter bank at one level (Gaussian derivatives at sigma 1, steered to
     * 0, 45, 90 and 135 degrees), plus local contrast and the coherence of the local orientation.
     */
    static Plane[] filterBank(Plane z) {
        Plane g = z.gaussian(1.0);
        Plane gx = g.dx();
        Plane gy = g.dy();
        Plane gxx = gx.dx();
        Plane gyy = gy.dy();
        Plane gxy = gx.dy();
        int n = z.v.length;
        Plane[] out = new Plane[CHANNELS];
        for (int o = 0; o < 4; o++) {
            double t = o * Math.PI / 4;
            float c = (float) Math.cos(t);
            float s = (float) Math.sin(t);
            float[] first = new float[n];
            float[] second = new float[n];
            for (int i = 0; i < n; i++) {
                first[i] = c * gx.v[i] + s * gy.v[i];
                second[i] = c * c * gxx.v[i] + 2 * c * s * gxy.v[i] + s * s * gyy.v[i];
            }
            out[o] = new Plane(z.width, z.height, first);
            out[4 + o] = new Plane(z.width, z.height, second);
        }
        // Structure tensor over a wider window: its energy is local contrast, its anisotropy says whether strokes
        // or hatching run in one direction there.
        Plane jxx = gx.times(gx).gaussian(2.0);
        Plane jyy = gy.times(gy).gaussian(2.0);
        Plane jxy = gx.times(gy).gaussian(2.0);
        float[] contrast = new float[n];
        float[] coherence = new float[n];
        for (int i = 0; i < n; i++) {
            float tr = jxx.v[i] + jyy.v[i];
            float dd = jxx.v[i] - jyy.v[i];
            contrast[i] = (float) Math.sqrt(Math.max(0, tr));
            coherence[i] = (float) (Math.sqrt(dd * dd + 4 * jxy.v[i] * jxy.v[i]) / (tr + 1e-3));
        }
        out[8] = new Plane(z.width, z.height, contrast);
        out[9] = new Plane(z.width, z.height, coherence);
        return out;
    }

    /**
     * Filter-bank texture distance at one level: for each channel the Wasserstein-1 distance between the two
     * response distributions (from their quantiles), in units of the reference's spread of that channel, then
     * the mean over channels.
     */
    static double filterBankDistance(Level a, Level b, Level unit) {
        double sum = 0;
        for (int k = 0; k < CHANNELS; k++) {
            double w = 0;
            for (int i = 0; i < QUANTILES; i++) {
                w += Math.abs(a.quantiles[k][i] - b.quantiles[k][i]);
            }
            // A floor keeps a flat reference channel from turning rounding noise into a large distance.
            sum += w / QUANTILES / Math.max(unit.spread[k], 0.01);
        }
        return sum / CHANNELS;
    }

    // ---------------------------------------------------------------- patches

    /**
     * {@code count} fixed random unit directions in patch-descriptor space ({@code PATCH * PATCH} dimensions),
     * drawn from a Gaussian with the given seed. Every image of one evaluator is projected on the same ones.
     */
    static float[][] projections(int count, long seed) {
        Random rnd = new Random(seed);
        int d = PATCH * PATCH;
        float[][] out = new float[count][d];
        for (int k = 0; k < count; k++) {
            double n = 0;
            double[] g = new double[d];
            for (int i = 0; i < d; i++) {
                g[i] = rnd.nextGaussian();
                n += g[i] * g[i];
            }
            n = Math.sqrt(n);
            for (int i = 0; i < d; i++) {
                out[k][i] = (float) (g[i] / n);
            }
        }
        return out;
    }

    /**
     * Quantiles of every mean-free {@code PATCH x PATCH} patch (on a grid with the given stride) projected on each
     * direction: the sliced representation of the image's patch distribution at this level.
     */
    private static float[][] patchSignature(Plane z, int stride, float[][] projections) {
        int d = PATCH * PATCH;
        int gw = (z.width - PATCH) / stride + 1;
        int gh = (z.height - PATCH) / stride + 1;
        int n = gw * gh;
        int k = projections.length;
        float[][] projected = new float[k][n];
        float[] patch = new float[d];
        for (int gy = 0; gy < gh; gy++) {
            for (int gx = 0; gx < gw; gx++) {
                double m = 0;
                for (int y = 0; y < PATCH; y++) {
                    int row = (gy * stride + y) * z.width + gx * stride;
                    for (int x = 0; x < PATCH; x++) {
                        float f = z.v[row + x];
                        patch[y * PATCH + x] = f;
                        m += f;
                    }
                }
                // Mean-free: a patch is judged by its structure, not its brightness (the palette's job).
                float mf = (float) (m / d);
                for (int i = 0; i < d; i++) {
                    patch[i] -= mf;
                }
                int p = gy * gw + gx;
                for (int j = 0; j < k; j++) {
                    projected[j][p] = dot(patch, 0, projections[j], 0, d);
                }
            }
        }
        float[][] q = new float[k][];
        for (int j = 0; j < k; j++) {
            Arrays.sort(projected[j]);
            q[j] = quantiles(projected[j]);
        }
        return q;
    }

    /**
     * Patch-distribution distance at one level, in standard deviations of luminance: the sliced Wasserstein-1
     * distance between the two images' distributions of mean-free 8x8 patches (mean over the random directions
     * of the Wasserstein-1 distance of the projected values).
     *
     * <p>It compares which patches occur and how often, not whether each patch has a close twin: a nearest-patch
     * distance was tried first and rejected because it rates a flat image, whose patches all match the style's
     * flattest patch, better than another instance of the style's own texture (docs/evaluation.md).
     */
    static double patchDistance(Level a, Level b) {
        double sum = 0;
        for (int j = 0; j < a.patchQuantiles.length; j++) {
            float[] qa = a.patchQuantiles[j];
            float[] qb = b.patchQuantiles[j];
            double w = 0;
            for (int i = 0; i < QUANTILES; i++) {
                w += Math.abs(qa[i] - qb[i]);
            }
            sum += w / QUANTILES;
        }
        return sum / a.patchQuantiles.length;
    }

    /**
     * Every {@code n / 16384}-th value (all of them for small planes): 16k samples pin 64 quantiles down well and
     * halve the sorting at the finest level of a 256 px image.
     */
    static float[] subsample(float[] v) {
        int step = Math.max(1, v.length / 16384);
        if (step == 1) {
            return v.clone();
        }
        float[] out = new float[(v.length + step - 1) / step];
        for (int i = 0, j = 0; i < v.length; i += step, j++) {
            out[j] = v[i];
        }
        return out;
    }

    /** {@link #QUANTILES} evenly spaced quantiles (at the bin centres) of an ascending array. */
    static float[] quantiles(float[] sorted) {
        float[] q = new float[QUANTILES];
        for (int i = 0; i < QUANTILES; i++) {
            q[i] = sorted[(int) ((i + 0.5) * sorted.length / QUANTILES)];
        }
        return q;
    }

    /** Dot product with four independent accumulators (d must be a multiple of 4). */
    static float dot(float[] a, int ao, float[] b, int bo, int d) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        for (int i = 0; i < d; i += 4) {
            s0 += a[ao + i] * b[bo + i];
            s1 += a[ao + i + 1] * b[bo + i + 1];
            s2 += a[ao + i + 2] * b[bo + i + 2];
            s3 += a[ao + i + 3] * b[bo + i + 3];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
