package org.stylegan.examples.report;

import org.stylegan.io.Images;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Composes images side by side into one grid picture with small captions, e.g. content | stylized | style.
 *
 * <p>Every panel is scaled (aspect kept) to the grid's cell height; rows may differ in width and are
 * left-aligned on a white canvas. Instances are immutable and thread-safe.
 */
public final class SampleGrid {

    /**
     * One captioned picture of a grid.
     *
     * @param caption short text drawn under the image (may be empty)
     * @param image   the picture, any size and type
     */
    public record Panel(String caption, BufferedImage image) {
        /** Validates the fields. */
        public Panel {
            Objects.requireNonNull(caption, "caption");
            Objects.requireNonNull(image, "image");
        }
    }

    private final int cellHeight;
    private final int gap;
    private final int fontSize;

    private SampleGrid(Builder b) {
        this.cellHeight = b.cellHeight;
        this.gap = b.gap;
        this.fontSize = b.fontSize;
    }

    /** A builder with the defaults stated on each setter. */
    public static Builder builder() {
        return new Builder();
    }

    /** Height every panel is scaled to, in pixels. */
    public int cellHeight() {
        return cellHeight;
    }

    /** One row: content | stylized | style, captioned so. */
    public BufferedImage triplet(BufferedImage content, BufferedImage stylized, BufferedImage style) {
        return compose(List.of(List.of(
                new Panel("content", content), new Panel("stylized", stylized), new Panel("style", style))));
    }

    /**
     * Composes rows of panels into one TYPE_INT_RGB image.
     *
     * @param rows at least one row, each with at least one panel
     * @throws IllegalArgumentException if there are no rows or a row is empty
     */
    public BufferedImage compose(List<List<Panel>> rows) {
        Objects.requireNonNull(rows, "rows");
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("rows must hold at least one row of panels, found none");
        }
        ReportFiles.preferHeadless();
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, fontSize);
        int captionHeight = fontSize + fontSize / 2 + 4;
        int rowHeight = cellHeight + captionHeight;
        int width = 0;
        int[][] widths = new int[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            List<Panel> row = Objects.requireNonNull(rows.get(r), "row " + r);
            if (row.isEmpty()) {
                throw new IllegalArgumentException("row " + r + " must hold at least one panel, found none");
            }
            widths[r] = new int[row.size()];
            int rowWidth = gap;
            for (int c = 0; c < row.size(); c++) {
                BufferedImage img = row.get(c).image();
                widths[r][c] = Math.max(1, (int) Math.round((double) img.getWidth() * cellHeight / img.getHeight()));
                rowWidth += widths[r][c] + gap;
            }
            width = Math.max(width, rowWidth);
        }
        int height = gap + rows.size() * (rowHeight + gap);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(font);
            FontMetrics fm = g.getFontMetrics();
            int y = gap;
            for (int r = 0; r < rows.size(); r++) {
                int x = gap;
                for (int c = 0; c < rows.get(r).size(); c++) {
                    Panel p = rows.get(r).get(c);
                    int w = widths[r][c];
                    g.drawImage(scale(p.image(), w, cellHeight), x, y, null);
                    g.setColor(new Color(0x333333));
                    String caption = fit(p.caption(), fm, w);
                    g.drawString(caption, x + (w - fm.stringWidth(caption)) / 2, y + cellHeight + 2 + fm.getAscent());
                    x += w + gap;
                }
                y += rowHeight + gap;
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * Composes and writes a PNG atomically.
     *
     * @throws IOException if the file cannot be written
     */
    public void write(Path png, List<List<Panel>> rows) throws IOException {
        Images.writePng(compose(rows), png);
    }

    /** Truncates a caption with an ellipsis so it stays under its panel. */
    private static String fit(String text, FontMetrics fm, int width) {
        if (fm.stringWidth(text) <= width) {
            return text;
        }
        String s = text;
        while (!s.isEmpty() && fm.stringWidth(s + "…") > width) {
            s = s.substring(0, s.length() - 1);
        }
        return s + "…";
    }

    /**
     * Scales with repeated halving then one bilinear step, which avoids the aliasing of a single large
     * bilinear reduction; enlarging is one bicubic step.
     */
    static BufferedImage scale(BufferedImage src, int w, int h) {
        BufferedImage cur = src;
        int cw = src.getWidth();
        int ch = src.getHeight();
        while (cw / 2 >= w && ch / 2 >= h) {
            cw /= 2;
            ch /= 2;
            cur = draw(cur, cw, ch, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        }
        if (cw == w && ch == h && cur.getType() == BufferedImage.TYPE_INT_RGB) {
            return cur;
        }
        boolean up = w > cw || h > ch;
        return draw(cur, w, h, up ? RenderingHints.VALUE_INTERPOLATION_BICUBIC : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    }

    private static BufferedImage draw(BufferedImage src, int w, int h, Object interpolation) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            // White under transparent pixels, matching how the library composites alpha.
            g.drawImage(src, 0, 0, w, h, Color.WHITE, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Builder for {@link SampleGrid}; {@link #build()} validates. */
    public static final class Builder {
        private int cellHeight = 256;
        private int gap = 8;
        private int fontSize = 13;

        private Builder() {
        }

        /** Height of every panel in pixels, 16 to 2048; default 256. */
        public Builder cellHeight(int cellHeight) {
            this.cellHeight = cellHeight;
            return this;
        }

        /** Space between and around panels in pixels, 0 to 64; default 8. */
        public Builder gap(int gap) {
            this.gap = gap;
            return this;
        }

        /** Caption font size in points, 6 to 48; default 13. */
        public Builder fontSize(int fontSize) {
            this.fontSize = fontSize;
            return this;
        }

        /** Validates and builds. */
        public SampleGrid build() {
            if (cellHeight < 16 || cellHeight > 2048) {
                throw new IllegalArgumentException("cellHeight must be in [16, 2048], found " + cellHeight);
            }
            if (gap < 0 || gap > 64) {
                throw new IllegalArgumentException("gap must be in [0, 64], found " + gap);
            }
            if (fontSize < 6 || fontSize > 48) {
                throw new IllegalArgumentException("fontSize must be in [6, 48], found " + fontSize);
            }
            return new SampleGrid(this);
        }
    }
}
