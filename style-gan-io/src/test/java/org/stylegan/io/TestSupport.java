package org.stylegan.io;

import static org.assertj.core.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Shared helpers for the io tests: synthetic images and tolerance-aware comparisons. */
final class TestSupport {
    private TestSupport() {
    }

    /** A deterministic colourful image: smooth gradients plus seeded noise. */
    static BufferedImage noiseImage(int w, int h, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int red = (x * 255 / Math.max(1, w - 1) + r.nextInt(32)) & 0xFF;
                int green = (y * 255 / Math.max(1, h - 1) + r.nextInt(32)) & 0xFF;
                int blue = r.nextInt(256);
                img.setRGB(x, y, (red << 16) | (green << 8) | blue);
            }
        }
        return img;
    }

    /** A smooth image (compresses well as JPEG). */
    static BufferedImage smoothImage(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int red = 40 + x * 150 / Math.max(1, w - 1);
                int green = 60 + y * 120 / Math.max(1, h - 1);
                int blue = 100 + (x + y) * 50 / Math.max(1, w + h - 2);
                img.setRGB(x, y, (red << 16) | (green << 8) | blue);
            }
        }
        return img;
    }

    static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, out)) {
            throw new IllegalStateException("no writer for " + format + " / type " + img.getType());
        }
        return out.toByteArray();
    }

    static int[] rgb(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    /** Asserts |a - e| <= atol + rtol |e| elementwise, naming the first failing index. */
    static void assertAllClose(INDArray actual, INDArray expected, double rtol, double atol) {
        if (!java.util.Arrays.equals(actual.shape(), expected.shape())) {
            fail("shape " + java.util.Arrays.toString(actual.shape()) + " != expected "
                    + java.util.Arrays.toString(expected.shape()));
        }
        double[] a = actual.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] e = expected.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]))) {
                fail("first mismatch at flat index " + i + ": actual " + a[i] + ", expected " + e[i]
                        + " (rtol " + rtol + ", atol " + atol + ")");
            }
        }
    }

    /** Max absolute per-channel difference between two same-size images. */
    static int maxChannelDiff(BufferedImage a, BufferedImage b) {
        int[] pa = rgb(a);
        int[] pb = rgb(b);
        int max = 0;
        for (int i = 0; i < pa.length; i++) {
            for (int s = 0; s <= 16; s += 8) {
                max = Math.max(max, Math.abs(((pa[i] >> s) & 255) - ((pb[i] >> s) & 255)));
            }
        }
        return max;
    }
}
