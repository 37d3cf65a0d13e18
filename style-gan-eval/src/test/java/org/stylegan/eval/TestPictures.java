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
