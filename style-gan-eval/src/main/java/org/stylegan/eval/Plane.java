package org.stylegan.eval;

import java.util.Arrays;

/**
 * A single-channel float image, row-major, with the few filters the measures need.
 *
 * <p>Borders are handled by clamping coordinates (edge replication), so a flat image stays flat under every
 * filter. Instances are treated as immutable once built: operations return new planes.
 */
final class Plane {
    final int width;
    final int height;
    final float[] v;

    Plane(int width, int height, float[] v) {
        if (v.length != width * height) {
            throw new IllegalArgumentException("plane data has " + v.length + " values, expected " + width * height);
        }
        this.width = width;
        this.height = height;
        this.v = v;
    }

    Plane(int width, int height) {
        this(width, height, new float[width * height]);
    }

    float at(int x, int y) {
        return v[y * width + x];
    }

    /** Value at (x, y) with coordinates clamped into the image. */
    float clamped(int x, int y) {
        int cx = x < 0 ? 0 : x >= width ? width - 1 : x;
        int cy = y < 0 ? 0 : y >= height ? height - 1 : y;
        return v[cy * width + cx];
    }

    /** Resamples to the given size: area averaging when shrinking an axis, linear interpolation when growing it. */
    Plane resize(int w, int h) {
        if (w == width && h == height) {
            return this;
        }
        Resampler rx = new Resampler(width, w);
        Resampler ry = new Resampler(height, h);
        float[] tmp = new float[w * height];
        for (int y = 0; y < height; y++) {
            rx.apply(v, y * width, 1, tmp, y * w, 1);
        }
        float[] out = new float[w * h];
        for (int x = 0; x < w; x++) {
            ry.apply(tmp, x, w, out, x, w);
        }
        return new Plane(w, h, out);
    }

    /** Halves the size with 2x2 box averaging (odd last rows and columns are dropped). */
    Plane halve() {
        int w = width / 2;
        int h = height / 2;
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            int r0 = 2 * y * width;
            int r1 = r0 + width;
            for (int x = 0; x < w; x++) {
                out[y * w + x] = 0.25f * (v[r0 + 2 * x] + v[r0 + 2 * x + 1] + v[r1 + 2 * x] + v[r1 + 2 * x + 1]);
            }
        }
        return new Plane(w, h, out);
    }

    /** Separable Gaussian blur with standard deviation {@code sigma} pixels, truncated at 3 sigma. */
    Plane gaussian(double sigma) {
        int r = Math.max(1, (int) Math.ceil(3 * sigma));
        float[] k = new float[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            double g = Math.exp(-0.5 * i * i / (sigma * sigma));
            k[i + r] = (float) g;
            sum += g;
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= (float) sum;
        }
        float[] tmp = new float[v.length];
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < width; x++) {
                float s = 0;
                for (int i = -r; i <= r; i++) {
                    int xx = x + i;
                    xx = xx < 0 ? 0 : xx >= width ? width - 1 : xx;
                    s += k[i + r] * v[row + xx];
                }
                tmp[row + x] = s;
            }
        }
        float[] out = new float[v.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float s = 0;
                for (int i = -r; i <= r; i++) {
                    int yy = y + i;
                    yy = yy < 0 ? 0 : yy >= height ? height - 1 : yy;
                    s += k[i + r] * tmp[yy * width + x];
                }
                out[y * width + x] = s;
            }
        }
        return new Plane(width, height, out);
    }

    /** Pixel-wise product with another plane of the same size. */
    Plane times(Plane o) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * o.v[i];
        }
        return new Plane(width, height, out);
    }

    /** Horizontal central difference (half the difference of the right and left neighbours). */
    Plane dx() {
        float[] out = new float[v.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                out[y * width + x] = 0.5f * (clamped(x + 1, y) - clamped(x - 1, y));
            }
        }
        return new Plane(width, height, out);
    }

    /** Vertical central difference. */
    Plane dy() {
        float[] out = new float[v.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                out[y * width + x] = 0.5f * (clamped(x, y + 1) - clamped(x, y - 1));
            }
        }
        return new Plane(width, height, out);
    }

    double mean() {
        double s = 0;
        for (float f : v) {
            s += f;
        }
        return s / v.length;
    }

    /**
     * Zero mean, unit standard deviation; a flat plane becomes all zeros.
     *
     * <p>Texture measures run on this, so a global change of brightness or contrast (what a recolouring does)
     * leaves them nearly unchanged and only the palette figure moves.
     */
    Plane standardized() {
        double m = mean();
        double ss = 0;
        for (float f : v) {
            ss += (f - m) * (f - m);
        }
        double sd = Math.sqrt(ss / v.length);
        // A flat plane (sd ~ 0, e.g. a collapsed generator) has no structure to scale up: keep it flat.
        double inv = sd < 1e-6 ? 0 : 1 / sd;
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) ((v[i] - m) * inv);
        }
        return new Plane(width, height, out);
    }

    /** The value below which the given fraction of pixels lies (nearest rank). */
    float quantile(double q) {
        float[] s = v.clone();
        Arrays.sort(s);
        int i = (int) Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))));
        return s[i];
    }

    /**
     * Precomputed 1D resampling weights from {@code n} samples to {@code m}.
     *
     * <p>Shrinking averages every input sample by its overlap with the output pixel's footprint (exact area
     * averaging, no aliasing of fine texture into false coarse texture); growing interpolates linearly between
     * pixel centres.
     */
    private static final class Resampler {
        final int[] start;
        final float[][] weights;

        Resampler(int n, int m) {
            start = new int[m];
            weights = new float[m][];
            double scale = (double) n / m;
            for (int i = 0; i < m; i++) {
                if (scale >= 1) {
                    double a = i * scale;
                    double b = a + scale;
                    int s = (int) Math.floor(a);
                    int e = Math.min(n, (int) Math.ceil(b));
                    float[] w = new float[e - s];
                    for (int j = s; j < e; j++) {
                        w[j - s] = (float) ((Math.min(b, j + 1) - Math.max(a, j)) / scale);
                    }
                    start[i] = s;
                    weights[i] = w;
                } else {
                    double c = (i + 0.5) * scale - 0.5;
                    int s = (int) Math.floor(c);
                    double f = c - s;
                    int s0 = Math.max(0, Math.min(n - 1, s));
                    int s1 = Math.max(0, Math.min(n - 1, s + 1));
                    if (s0 == s1) {
                        start[i] = s0;
                        weights[i] = new float[] {1f};
                    } else {
                        start[i] = s0;
                        weights[i] = new float[] {(float) (1 - f), (float) f};
                    }
                }
            }
        }

        void apply(float[] in, int inOff, int inStride, float[] out, int outOff, int outStride) {
            for (int i = 0; i < start.length; i++) {
                float[] w = weights[i];
                float s = 0;
                int p = inOff + start[i] * inStride;
                for (float wj : w) {
                    s += wj * in[p];
                    p += inStride;
                }
                out[outOff + i * outStride] = s;
            }
        }
    }
}
