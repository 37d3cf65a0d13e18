package org.stylegan.examples.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stylegan.examples.BundledImages;
import org.stylegan.examples.BundledImages.Kind;

class StyleImageGeneratorTest {

    @ParameterizedTest
    @EnumSource(StyleImageGenerator.Style.class)
    void sameSeedGivesSamePixelsAndOtherSeedDiffers(StyleImageGenerator.Style style) {
        BufferedImage a = style.render(64, 48, 3);
        BufferedImage b = style.render(64, 48, 3);
        BufferedImage c = style.render(64, 48, 4);
        assertThat(a.getWidth()).isEqualTo(64);
        assertThat(a.getHeight()).isEqualTo(48);
        assertThat(pixels(a)).isEqualTo(pixels(b));
        assertThat(pixels(a)).isNotEqualTo(pixels(c));
    }

    @ParameterizedTest
    @EnumSource(StyleImageGenerator.Style.class)
    void isColourfulAndTextured(StyleImageGenerator.Style style) {
        BufferedImage img = style.render(64, 64, StyleImageGenerator.DEFAULT_SEED);
        double saturation = 0;
        Set<Integer> coarseColours = new HashSet<>();
        for (int rgb : pixels(img)) {
            int r = (rgb >> 16) & 255;
            int g = (rgb >> 8) & 255;
            int b = rgb & 255;
            int max = Math.max(r, Math.max(g, b));
            int min = Math.min(r, Math.min(g, b));
            saturation += max == 0 ? 0 : (max - min) / (double) max;
            coarseColours.add((r >> 5) << 6 | (g >> 5) << 3 | (b >> 5));
        }
        assertThat(saturation / (64 * 64)).as("mean HSV saturation").isGreaterThan(0.3);
        assertThat(coarseColours).as("distinct 3-bit-per-channel colours").hasSizeGreaterThan(20);
    }

    @Test
    void bundledStyleImagesAreReproducibleFromTheGenerator() {
        // JPEG at q=0.9 plus rasteriser differences across JDKs stay far below this mean error.
        for (StyleImageGenerator.Style style : StyleImageGenerator.Style.values()) {
            BufferedImage bundled = BundledImages.get(Kind.STYLE, style.fileStem()).load();
            BufferedImage fresh = style.render(StyleImageGenerator.DEFAULT_SIZE, StyleImageGenerator.DEFAULT_SIZE,
                    StyleImageGenerator.DEFAULT_SEED);
            int[] p = pixels(bundled);
            int[] q = pixels(fresh);
            assertThat(p).hasSameSizeAs(q);
            double err = 0;
            for (int i = 0; i < p.length; i++) {
                for (int shift = 0; shift <= 16; shift += 8) {
                    err += Math.abs(((p[i] >> shift) & 255) - ((q[i] >> shift) & 255));
                }
            }
            assertThat(err / (3.0 * p.length)).as("mean abs error of %s", style).isLessThan(8.0);
        }
    }

    @Test
    void rejectsTinySizes() {
        assertThatThrownBy(() -> StyleImageGenerator.swirls(4, 64, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 8x8, found 4x64");
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
