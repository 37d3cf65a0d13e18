package org.stylegan.eval;

/** Content preservation: luminance SSIM and edge agreement between the content photo and an output. */
final class ContentMeasures {
    /** SSIM's stabilising constants for a dynamic range of 1: (0.01)^2 and (0.03)^2. */
    private static final double C1 = 1e-4;
    private static final double C2 = 9e-4;
    /** Fraction of pixels with the strongest gradient that count as edges. */
    static final double EDGE_FRACTION = 0.10;
    /** Gradient magnitude below which a pixel is never an edge (luminance units per pixel). */
    private static final float EDGE_FLOOR = 1e-3f;

    private ContentMeasures() {
    }

    /** Mean structural similarity of two luminance planes of the same size (Gaussian window, sigma 1.5). */
    static double ssim(Plane x, Plane y) {
        Plane mx = x.gaussian(1.5);
        Plane my = y.gaussian(1.5);
        Plane sxx = x.times(x).gaussian(1.5);
        Plane syy = y.times(y).gaussian(1.5);
        Plane sxy = x.times(y).gaussian(1.5);
        double sum = 0;
        for (int i = 0; i < x.v.length; i++) {
            double ux = mx.v[i];
            double uy = my.v[i];
            double vx = sxx.v[i] - ux * ux;
            double vy = syy.v[i] - uy * uy;
            double cxy = sxy.v[i] - ux * uy;
            sum += (2 * ux * uy + C1) * (2 * cxy + C2) / ((ux * ux + uy * uy + C1) * (vx + vy + C2));
        }
        return sum / x.v.length;
    }

    /**
     * Edge map: the {@link #EDGE_FRACTION} of pixels with the strongest gradient after a sigma-1 blur (and above a
     * small floor, so a flat image has no edges).
     */
    static boolean[] edges(Plane luma) {
        Plane g = luma.gaussian(1.0);
        Plane gx = g.dx();
        Plane gy = g.dy();
        float[] mag = new float[g.v.length];
        for (int i = 0; i < mag.length; i++) {
            mag[i] = (float) Math.hypot(gx.v[i], gy.v[i]);
        }
        Plane m = new Plane(g.width, g.height, mag);
        float thr = Math.max(EDGE_FLOOR, m.quantile(1 - EDGE_FRACTION));
        boolean[] e = new boolean[mag.length];
        for (int i = 0; i < mag.length; i++) {
            e[i] = mag[i] > thr;
        }
        return e;
    }

    /**
     * F1 score of two edge maps with a tolerance of one pixel (an edge counts as found if the other map has an
     * edge in its 3x3 neighbourhood). 1 when both maps are empty, 0 when only one is.
     */
    static double edgeF1(boolean[] a, boolean[] b, int width, int height) {
        int na = 0;
        int nb = 0;
        int aHit = 0;
        int bHit = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                if (a[i]) {
                    na++;
                    if (near(b, x, y, width, height)) {
                        aHit++;
                    }
                }
                if (b[i]) {
                    nb++;
                    if (near(a, x, y, width, height)) {
                        bHit++;
                    }
                }
            }
        }
        if (na == 0 && nb == 0) {
            return 1;
        }
        if (na == 0 || nb == 0) {
            return 0;
        }
        double recall = (double) aHit / na;
        double precision = (double) bHit / nb;
        return recall + precision == 0 ? 0 : 2 * recall * precision / (recall + precision);
    }

    private static boolean near(boolean[] m, int x, int y, int width, int height) {
        for (int yy = Math.max(0, y - 1); yy <= Math.min(height - 1, y + 1); yy++) {
            for (int xx = Math.max(0, x - 1); xx <= Math.min(width - 1, x + 1); xx++) {
                if (m[yy * width + xx]) {
                    return true;
                }
            }
        }
        return false;
    }
}
