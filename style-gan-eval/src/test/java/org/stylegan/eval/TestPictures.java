package org.stylegan.eval;

import java.awt.image.BufferedImage;
import java.util.Random;

/** Small synthetic pictures for the evaluator's tests: a "painting", a "photo", and the usual manipulations. */
final class TestPictures {
    private TestPictures() {
    }

    /**
     * A painting-like texture: short diagonal strokes in a blue/yellow palette. Different seeds give different
     * instances of the same texture.
     */
    static BufferedImage strokes(int w, int h, long seed) {
        Random r = new Random(seed);
        int[] palette = {0x1d3f8a, 0x2f5fb3, 0x0b1d51, 0xf4d03f, 0x7fb2d9};
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[w * h];
        java.util.Arrays.fill(px, 0x102050);
        for (int s = 0; s < w * h / 6; s++) {
            int x = r.nextInt(w);
            int y = r.nextInt(h);
            int c = palette[r.nextInt(palette.length)];
            int len = 3 + r.nextInt(4);
            for (int t = 0; t < len; t++) {
                int xx = x + t;
                int yy = y + t / 2;
                if (xx < w && yy < h) {
                    px[yy * w + xx] = c;
                }
            }
        }
        img.setRGB(0, 0, w, h, px, 0, w);
        return img;
    }

    /** A photo-like picture: smooth warm gradients, a few soft-edged discs and mild sensor noise. */
    static BufferedImage photo(int w, int h, long seed) {
        Random r = new Random(seed);
        double[][] discs = new double[4][];
        for (int i = 0; i < discs.length; i++) {
            discs[i] = new double[] {r.nextDouble() * w, r.nextDouble() * h, (0.12 + 0.15 * r.nextDouble()) * w,
                r.nextDouble()};
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double red = 150 + 60.0 * x / w;
                double green = 110 + 50.0 * y / h;
                double blue = 60 + 20.0 * (x + y) / (w + h);
                for (double[] d : discs) {
                    double in = 1 / (1 + Math.exp((Math.hypot(x - d[0], y - d[1]) - d[2]) * 1.5));
                    red += in * (d[3] * 90 - 60);
                    green += in * (40 - d[3] * 70);
                    blue += in * 30;
                }
                double n = r.nextGaussian() * 3;
                img.setRGB(x, y, rgb(red + n, green + n, blue + n));
            }
        }
        return img;
    }

    /** Per-channel histogram matching of {@code content} to {@code palette}: a pure recolouring. */
    static BufferedImage recolour(BufferedImage content, BufferedImage palette) {
        int w = content.getWidth();
        int h = content.getHeight();
        int[][] map = new int[3][256];
        for (int ch = 0; ch < 3; ch++) {
            double[] cc = cdf(content, ch);
            double[] cs = cdf(palette, ch);
            for (int i = 0; i < 256; i++) {
                int j = 0;
                while (j < 255 && cs[j] < cc[i] - 1e-12) {
                    j++;
                }
                map[ch][i] = j;
            }
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = content.getRGB(x, y);
                out.setRGB(x, y, map[0][(p >> 16) & 255] << 16 | map[1][(p >> 8) & 255] << 8 | map[2][p & 255]);
            }
        }
        return out;
    }

    /**
     * Colour transfer that keeps the photo's luminance structure: luminance mapped affinely to the palette image's
     * mean and deviation, chroma (Cb, Cr) histogram-matched to the palette image's (in the manner of Reinhard et
     * al.'s colour transfer).
     */
    static BufferedImage colourTransfer(BufferedImage content, BufferedImage palette) {
        double[][] c = ycc(content);
        double[][] p = ycc(palette);
        int n = c[0].length;
        double mc = mean(c[0]);
        double mp = mean(p[0]);
        double gain = sd(p[0], mp) / Math.max(1e-9, sd(c[0], mc));
        double[] cb = matchValues(c[1], p[1]);
        double[] cr = matchValues(c[2], p[2]);
        int w = content.getWidth();
        BufferedImage out = new BufferedImage(w, content.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < n; i++) {
            double y = (c[0][i] - mc) * gain + mp;
            double b = cb[i] - 128;
            double r = cr[i] - 128;
            out.setRGB(i % w, i / w, rgb(y + 1.402 * r, y - 0.344136 * b - 0.714136 * r, y + 1.772 * b));
        }
        return out;
    }

    private static double[][] ycc(BufferedImage img) {
        int w = img.getWidth();
        double[][] o = new double[3][w * img.getHeight()];
        for (int i = 0; i < o[0].length; i++) {
            int px = img.getRGB(i % w, i / w);
            double r = (px >> 16) & 255;
            double g = (px >> 8) & 255;
            double b = px & 255;
            o[0][i] = 0.299 * r + 0.587 * g + 0.114 * b;
            o[1][i] = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
            o[2][i] = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
        }
        return o;
    }

    /** Gives each value the value of equal rank in {@code ref} (exact histogram matching, ties by index). */
    private static double[] matchValues(double[] src, double[] ref) {
        double[] sorted = ref.clone();
        java.util.Arrays.sort(sorted);
        Integer[] order = new Integer[src.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(src[a], src[b]));
        double[] out = new double[src.length];
        for (int k = 0; k < order.length; k++) {
            out[order[k]] = sorted[(int) ((long) k * sorted.length / order.length)];
        }
        return out;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double sd(double[] v, double m) {
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }

    private static double[] cdf(BufferedImage img, int ch) {
        int shift = 16 - 8 * ch;
        double[] c = new double[256];
        int n = img.getWidth() * img.getHeight();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                c[(img.getRGB(x, y) >> shift) & 255] += 1.0 / n;
            }
        }
        for (int i = 1; i < 256; i++) {
            c[i] += c[i - 1];
        }
        return c;
    }

    /** Box-averaged copy at another size (the kind of resampling an image viewer does). */
    static BufferedImage scaled(BufferedImage src, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION,
                java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    /** A single-colour image. */
    static BufferedImage flat(int w, int h, int rgb) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, rgb);
            }
        }
        return out;
    }

    private static int rgb(double r, double g, double b) {
        return clamp(r) << 16 | clamp(g) << 8 | clamp(b);
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
