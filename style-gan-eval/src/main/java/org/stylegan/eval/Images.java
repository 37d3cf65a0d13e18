package org.stylegan.eval;

import java.awt.image.BufferedImage;

/** Pixel access for the evaluator: any {@link BufferedImage} to float RGB planes at a chosen size. */
final class Images {
    private Images() {
    }

    /**
     * The image's red, green and blue planes in [0, 1], resampled to {@code width x height}.
     *
     * <p>Works for every image type through {@link BufferedImage#getRGB}; translucent pixels are composited over
     * white, as a viewer would show them, so hidden colours under transparency do not count.
     */
    static Plane[] rgbPlanes(BufferedImage image, int width, int height) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        boolean alpha = image.getColorModel().hasAlpha();
        float[] r = new float[w * h];
        float[] g = new float[w * h];
        float[] b = new float[w * h];
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            float a = alpha ? ((p >>> 24) & 255) / 255f : 1f;
            r[i] = (((p >> 16) & 255) / 255f) * a + (1 - a);
            g[i] = (((p >> 8) & 255) / 255f) * a + (1 - a);
            b[i] = ((p & 255) / 255f) * a + (1 - a);
        }
        return new Plane[] {
            new Plane(w, h, r).resize(width, height),
            new Plane(w, h, g).resize(width, height),
            new Plane(w, h, b).resize(width, height),
        };
    }
}
