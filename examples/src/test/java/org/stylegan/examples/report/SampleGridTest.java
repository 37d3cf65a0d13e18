package org.stylegan.examples.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleGridTest {

    private static BufferedImage solid(int w, int h, int rgb, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(rgb));
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    @Test
    void scalesPanelsOfAnySizeToTheCellHeightSideBySide() {
        SampleGrid grid = SampleGrid.builder().cellHeight(32).gap(4).fontSize(8).build();
        BufferedImage content = solid(64, 32, 0xff0000, BufferedImage.TYPE_INT_RGB);   // -> 64 x 32
        BufferedImage stylized = solid(16, 16, 0x00ff00, BufferedImage.TYPE_3BYTE_BGR); // -> 32 x 32
        BufferedImage style = solid(50, 100, 0x0000ff, BufferedImage.TYPE_INT_ARGB);   // -> 16 x 32
        BufferedImage out = grid.triplet(content, stylized, style);
        assertThat(out.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(out.getWidth()).isEqualTo(4 + 64 + 4 + 32 + 4 + 16 + 4);
        assertThat(out.getHeight()).isGreaterThan(4 + 32 + 4); // plus a caption band
        // Panel centres carry each source colour.
        assertThat(out.getRGB(4 + 32, 4 + 16) & 0xffffff).isEqualTo(0xff0000);
        assertThat(out.getRGB(4 + 64 + 4 + 16, 4 + 16) & 0xffffff).isEqualTo(0x00ff00);
        assertThat(out.getRGB(4 + 64 + 4 + 32 + 4 + 8, 4 + 16) & 0xffffff).isEqualTo(0x0000ff);
        // Captions put dark pixels under the panels.
        int dark = 0;
        for (int y = 4 + 32; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                if ((out.getRGB(x, y) & 0xff) < 128) {
                    dark++;
                }
            }
        }
        assertThat(dark).isGreaterThan(10);
    }

    @Test
    void rowsOfDifferentWidthShareOneCanvas() {
        SampleGrid grid = SampleGrid.builder().cellHeight(16).gap(2).fontSize(6).build();
        BufferedImage a = solid(16, 16, 0x808080, BufferedImage.TYPE_INT_RGB);
        BufferedImage out = grid.compose(List.of(
                List.of(new SampleGrid.Panel("a", a)),
                List.of(new SampleGrid.Panel("a", a), new SampleGrid.Panel("a very long caption indeed", a))));
        assertThat(out.getWidth()).isEqualTo(2 + 16 + 2 + 16 + 2);
    }

    @Test
    void downscalingAveragesInsteadOfAliasing() {
        // A 1-px checkerboard must become mid-grey, not black or white, when shrunk 8x.
        BufferedImage checker = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                checker.setRGB(x, y, ((x + y) & 1) == 0 ? 0xffffff : 0);
            }
        }
        BufferedImage small = SampleGrid.scale(checker, 8, 8);
        int v = small.getRGB(4, 4) & 0xff;
        assertThat(v).isBetween(100, 155);
    }

    @Test
    void rejectsEmptyInput() {
        SampleGrid grid = SampleGrid.builder().build();
        assertThatThrownBy(() -> grid.compose(List.of())).hasMessageContaining("at least one row");
        assertThatThrownBy(() -> grid.compose(List.of(List.of()))).hasMessageContaining("row 0 must hold");
        assertThatThrownBy(() -> SampleGrid.builder().cellHeight(8).build())
                .hasMessage("cellHeight must be in [16, 2048], found 8");
    }
}
