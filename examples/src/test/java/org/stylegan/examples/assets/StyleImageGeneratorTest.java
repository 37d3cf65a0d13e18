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

    @ParameterizedTest
    @EnumSource(StyleImageGenerator.EvaluationStyle.class)
    void evaluationStylesAreDeterministicAndHaveTextureAtSeveralScales(StyleImageGenerator.EvaluationStyle style) {
        BufferedImage a = style.render(64, 48, 3);
        assertThat(a.getWidth()).isEqualTo(64);
        assertThat(a.getHeight()).isEqualTo(48);
        assertThat(pixels(a)).isEqualTo(pixels(style.render(64, 48, 3)));
        assertThat(pixels(a)).isNotEqualTo(pixels(style.render(64, 48, 4)));
        // Marks at the pixel scale and structure at the 8 px scale: both mean absolute luminance differences
        // (neighbours 1 px and 8 px apart) are well above a flat or blurred image's.
        BufferedImage img = style.render(128, 128, StyleImageGenerator.DEFAULT_SEED);
        assertThat(meanAbsDifference(img, 1)).as("1 px luminance contrast of %s", style).isGreaterThan(5);
        assertThat(meanAbsDifference(img, 8)).as("8 px luminance contrast of %s", style).isGreaterThan(15);
        Set<Integer> coarseColours = new HashSet<>();
        for (int rgb : pixels(img)) {
            coarseColours.add(((rgb >> 21) & 7) << 6 | ((rgb >> 13) & 7) << 3 | ((rgb >> 5) & 7));
        }
        assertThat(coarseColours).as("distinct 3-bit-per-channel colours").hasSizeGreaterThan(6);
    }

    @Test
    void evaluationSetStylesAreReproducibleFromTheGenerator() throws java.io.IOException {
        // Surefire runs in examples/; the evaluation set is at the repository root.
        java.nio.file.Path dir = java.nio.file.Path.of("..", "evaluation", "styles");
        for (StyleImageGenerator.EvaluationStyle style : StyleImageGenerator.EvaluationStyle.values()) {
            BufferedImage stored = javax.imageio.ImageIO.read(dir.resolve(style.fileStem() + ".jpg").toFile());
            assertThat(stored).as("evaluation/styles/%s.jpg", style.fileStem()).isNotNull();
            BufferedImage fresh = style.render(StyleImageGenerator.DEFAULT_SIZE, StyleImageGenerator.DEFAULT_SIZE,
                    StyleImageGenerator.DEFAULT_SEED);
            // Compared on 4x4 block means: JPEG's chroma subsampling alone moves the pure-colour dots of
            // pointillism by ~9.5 per pixel, while a changed drawing moves whole regions.
            assertThat(meanAbsError(blockMeans(stored), blockMeans(fresh))).as("mean abs error of %s", style)
                    .isLessThan(6.0);
        }
    }

    @Test
    void rejectsTinySizes() {
        assertThatThrownBy(() -> StyleImageGenerator.swirls(4, 64, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 8x8, found 4x64");
        assertThatThrownBy(() -> StyleImageGenerator.EvaluationStyle.WOODCUT.render(64, 7, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 8x8, found 64x7");
    }

    private static double meanAbsError(int[] p, int[] q) {
        assertThat(p).hasSameSizeAs(q);
        double err = 0;
        for (int i = 0; i < p.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                err += Math.abs(((p[i] >> shift) & 255) - ((q[i] >> shift) & 255));
            }
        }
        return err / (3.0 * p.length);
    }

    /** RGB means of 4x4 blocks, packed as pixels. */
    private static int[] blockMeans(BufferedImage img) {
        int w = img.getWidth() / 4;
        int h = img.getHeight() / 4;
        int[] out = new int[w * h];
        for (int by = 0; by < h; by++) {
            for (int bx = 0; bx < w; bx++) {
                int[] sum = new int[3];
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 4; x++) {
                        int p = img.getRGB(bx * 4 + x, by * 4 + y);
                        sum[0] += (p >> 16) & 255;
                        sum[1] += (p >> 8) & 255;
                        sum[2] += p & 255;
                    }
                }
                out[by * w + bx] = (sum[0] / 16) << 16 | (sum[1] / 16) << 8 | sum[2] / 16;
            }
        }
        return out;
    }

    /** Mean absolute luminance difference of pixels {@code d} apart horizontally and vertically. */
    private static double meanAbsDifference(BufferedImage img, int d) {
        double sum = 0;
        int n = 0;
        for (int y = 0; y + d < img.getHeight(); y++) {
            for (int x = 0; x + d < img.getWidth(); x++) {
                double l = luma(img.getRGB(x, y));
                sum += Math.abs(l - luma(img.getRGB(x + d, y))) + Math.abs(l - luma(img.getRGB(x, y + d)));
                n += 2;
            }
        }
        return sum / n;
    }

    private static double luma(int rgb) {
        return 0.299 * ((rgb >> 16) & 255) + 0.587 * ((rgb >> 8) & 255) + 0.114 * (rgb & 255);
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
