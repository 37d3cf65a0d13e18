package org.stylegan.models.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import org.stylegan.core.StyleModel;
import org.stylegan.models.PretrainedStyle;

/** The check that a style's model still makes its stored thumbnail. */
public final class Thumbnails {
    private Thumbnails() {
    }

    /**
     * Stylizes the catalog's thumbnail photo with the style's model at the manifest's size and checks every channel
     * of every pixel against {@code thumbnail.png} within 1 (one 8-bit level: other CPUs' kernels may round the
     * last float bit differently).
     */
    public static void assertReproduced(PretrainedStyle style) throws IOException {
        StyleModel model = style.load();
        BufferedImage expected = style.thumbnail();
        BufferedImage actual = model.stylize(style.catalog().thumbnailPhoto(),
                StyleModel.Options.DEFAULT.withMaxSize(style.manifest().thumbnail().maxSize()));
        assertWithinOneLevel(actual, expected, style.name() + "/thumbnail.png");
    }

    /** Same size, and every channel of every pixel within 1 of {@code expected}; names the first pixel that is not. */
    public static void assertWithinOneLevel(BufferedImage actual, BufferedImage expected, String what) {
        assertThat(actual.getWidth()).as(what + " width").isEqualTo(expected.getWidth());
        assertThat(actual.getHeight()).as(what + " height").isEqualTo(expected.getHeight());
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int x = 0; x < expected.getWidth(); x++) {
                int a = actual.getRGB(x, y);
                int e = expected.getRGB(x, y);
                for (int shift = 0; shift < 24; shift += 8) {
                    int d = Math.abs(((a >> shift) & 0xff) - ((e >> shift) & 0xff));
                    if (d > 1) {
                        throw new AssertionError(String.format("%s: pixel (%d, %d) is #%06x, the stored one #%06x "
                                + "(a channel differs by %d > 1)", what, x, y, a & 0xffffff, e & 0xffffff, d));
                    }
                }
            }
        }
    }
}
