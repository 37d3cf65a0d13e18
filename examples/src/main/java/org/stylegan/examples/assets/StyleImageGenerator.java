package org.stylegan.examples.assets;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.Arc2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntFunction;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Generates the bundled style images procedurally, so that every style image we ship is our own work.
 *
 * <p>Three styles with strong colour and texture, each a pure function of (width, height, seed):
 * <ul>
 *   <li>{@link #stainedGlass}: a Voronoi mosaic of bold jewel-coloured panes with dark lead outlines;</li>
 *   <li>{@link #swirls}: short brush strokes that follow a swirling flow field (night-sky palette);</li>
 *   <li>{@link #composition}: a Kandinsky-like composition of concentric circles, bars, arcs and lines.</li>
 * </ul>
 * Output depends only on the arguments and Java2D's rasteriser; the bundled JPEGs were made with
 * {@code java org.stylegan.examples.assets.StyleImageGenerator <images/style folder>} (defaults below).
 *
 * <p>The six {@link EvaluationStyle}s are the style images of the evaluation set ({@code evaluation/styles}):
 * impasto oil strokes, a stone mosaic, pen-and-ink hatching, a large-shape cut-out composition, pointillism
 * and a woodcut, written by {@code StyleImageGenerator --evaluation <evaluation/styles folder>}.
 */
public final class StyleImageGenerator {

    /** Side length of the bundled style images, in pixels. */
    public static final int DEFAULT_SIZE = 512;
    /** Seed used for the bundled style images. */
    public static final long DEFAULT_SEED = 20240601L;
    /** JPEG quality used for the bundled style images. */
    public static final float JPEG_QUALITY = 0.90f;

    private StyleImageGenerator() {
    }

    /** One generated style: its file stem and how to draw it. */
    public enum Style {
        /** Voronoi "stained glass" mosaic. */
        STAINED_GLASS("stained_glass"),
        /** Swirly brush-stroke flow field. */
        SWIRLS("swirls"),
        /** Kandinsky-like composition of circles and lines. */
        COMPOSITION("composition");

        private final String fileStem;

        Style(String fileStem) {
            this.fileStem = fileStem;
        }

        /** File name stem, e.g. {@code stained_glass}. */
        public String fileStem() {
            return fileStem;
        }

        /** Renders this style at the given size with the given seed. */
        public BufferedImage render(int width, int height, long seed) {
            return switch (this) {
                case STAINED_GLASS -> stainedGlass(width, height, seed);
                case SWIRLS -> swirls(width, height, seed);
                case COMPOSITION -> composition(width, height, seed);
            };
        }
    }

    /**
     * One style image of the evaluation set ({@code evaluation/styles}): a kind of painting or print the
     * evaluator judges recipes on. Not bundled in the jar.
     */
    public enum EvaluationStyle {
        /** Oil landscape in three passes of ever finer strokes with impasto ridges. */
        IMPASTO("impasto"),
        /** Stone mosaic: a sun in concentric rings of tesserae over rows of waves and fields. */
        MOSAIC("mosaic"),
        /** Pen-and-ink still life in up to four layers of cross-hatching with contours. */
        HATCHING("hatching"),
        /** Large-shape composition: colour fields and big cut-paper shapes. */
        CUTOUTS("cutouts"),
        /** Pointillist landscape of dabs of pure pigment. */
        POINTILLISM("pointillism"),
        /** Two-block woodcut: carved lines whose width follows the tone, a red sun. */
        WOODCUT("woodcut");

        private final String fileStem;

        EvaluationStyle(String fileStem) {
            this.fileStem = fileStem;
        }

        /** File name stem, e.g. {@code impasto}. */
        public String fileStem() {
            return fileStem;
        }

        /** Renders this style at the given size (at least 8x8) with the given seed; a new TYPE_INT_RGB image. */
        public BufferedImage render(int width, int height, long seed) {
            checkSize(width, height);
            return switch (this) {
                case IMPASTO -> Paintings.impasto(width, height, seed);
                case MOSAIC -> Paintings.mosaic(width, height, seed);
                case HATCHING -> Paintings.hatching(width, height, seed);
                case CUTOUTS -> Paintings.cutouts(width, height, seed);
                case POINTILLISM -> Paintings.pointillism(width, height, seed);
                case WOODCUT -> Paintings.woodcut(width, height, seed);
            };
        }
    }

    /**
     * Writes every {@link Style} as {@code <stem>.jpg} into the given folder (default size, seed, quality), or
     * with {@code --evaluation} first, every {@link EvaluationStyle}.
     *
     * @param args the output folder (created if missing), optionally preceded by {@code --evaluation}
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        boolean evaluation = args.length == 2 && args[0].equals("--evaluation");
        if (args.length != 1 && !evaluation) {
            throw new IllegalArgumentException("usage: StyleImageGenerator [--evaluation] <output folder>, found "
                    + args.length + " arguments");
        }
        Path out = Path.of(args[args.length - 1]);
        Files.createDirectories(out);
        if (evaluation) {
            for (EvaluationStyle style : EvaluationStyle.values()) {
                write(style.render(DEFAULT_SIZE, DEFAULT_SIZE, DEFAULT_SEED), out.resolve(style.fileStem() + ".jpg"));
            }
            return;
        }
        for (Style style : Style.values()) {
            write(style.render(DEFAULT_SIZE, DEFAULT_SIZE, DEFAULT_SEED), out.resolve(style.fileStem() + ".jpg"));
        }
    }

    private static void write(BufferedImage image, Path file) throws IOException {
        writeJpeg(image, file, JPEG_QUALITY);
        System.out.println("wrote " + file + " (" + Files.size(file) + " bytes)");
    }

    // ---------------------------------------------------------------- stained glass

    /** Jewel-tone palette of the stained-glass panes. */
    private static final int[] GLASS = {
        0x1b3fa0, 0x2a6fdb, 0xc8102e, 0xe8a317, 0x0f8a5f, 0x6a2c91, 0x14a3a3, 0xf2d024, 0xd9531e, 0x8e1b3a,
    };

    /**
     * Renders a Voronoi mosaic: jittered-grid seeds, one bold colour per cell with a soft inner glow,
     * dark outlines where the two nearest seeds are almost equidistant, and fine glass grain.
     *
     * @param width  image width in pixels, at least 8
     * @param height image height in pixels, at least 8
     * @param seed   random seed; equal arguments give equal images
     * @return a new TYPE_INT_RGB image
     */
    public static BufferedImage stainedGlass(int width, int height, long seed) {
        checkSize(width, height);
        Random rnd = new Random(seed);
        // At least 12 px per pane, so small test images are not all lead outline.
        double cell = Math.max(Math.max(width, height) / 11.0, 12.0);
        int gx = (int) Math.ceil(width / cell) + 2;
        int gy = (int) Math.ceil(height / cell) + 2;
        int n = gx * gy;
        double[] sx = new double[n];
        double[] sy = new double[n];
        int[] colour = new int[n];
        for (int j = 0; j < gy; j++) {
            for (int i = 0; i < gx; i++) {
                int k = j * gx + i;
                sx[k] = (i - 1 + 0.15 + 0.7 * rnd.nextDouble()) * cell;
                sy[k] = (j - 1 + 0.15 + 0.7 * rnd.nextDouble()) * cell;
                colour[k] = GLASS[rnd.nextInt(GLASS.length)];
            }
        }
        double lead = Math.max(1.0, cell * 0.07);
        Random grain = new Random(seed ^ 0x5DEECE66DL);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                // Only the 3x3 neighbourhood of grid cells can hold the two nearest seeds.
                int ci = (int) (x / cell) + 1;
                int cj = (int) (y / cell) + 1;
                double d1 = Double.MAX_VALUE;
                double d2 = Double.MAX_VALUE;
                int best = 0;
                for (int j = Math.max(0, cj - 2); j <= Math.min(gy - 1, cj + 2); j++) {
                    for (int i = Math.max(0, ci - 2); i <= Math.min(gx - 1, ci + 2); i++) {
                        int k = j * gx + i;
                        double dx = x - sx[k];
                        double dy = y - sy[k];
                        double d = Math.sqrt(dx * dx + dy * dy);
                        if (d < d1) {
                            d2 = d1;
                            d1 = d;
                            best = k;
                        } else if (d < d2) {
                            d2 = d;
                        }
                    }
                }
                double edge = (d2 - d1) / 2.0; // distance to the cell border
                int rgb;
                if (edge < lead) {
                    double t = edge / lead;
                    int v = (int) (18 + 30 * t * t);
                    rgb = (v << 16) | (v << 8) | (v + 4);
                } else {
                    // Brighter toward the seed: light shining through thicker, uneven glass.
                    double glow = 0.75 + 0.45 * Math.exp(-d1 / (cell * 0.45));
                    double noise = 0.92 + 0.16 * grain.nextDouble();
                    rgb = scale(colour[best], glow * noise);
                }
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    // ---------------------------------------------------------------- swirls

    /** Night-sky palette: deep blues, teal, and warm yellows for the stars. */
    private static final int[] NIGHT = {0x0b1d51, 0x1d3f8a, 0x2f5fb3, 0x4d86c6, 0x7fb2d9, 0x1a6b7a};
    private static final int[] STAR = {0xf4d03f, 0xf7e27a, 0xe59f1f, 0xfff4c2};

    /**
     * Renders swirling brush strokes: a flow field made of a few vortices plus a gentle drift, traced by
     * thousands of short tapered strokes in a blue/yellow palette, with two bright "stars".
     *
     * @param width  image width in pixels, at least 8
     * @param height image height in pixels, at least 8
     * @param seed   random seed; equal arguments give equal images
     * @return a new TYPE_INT_RGB image
     */
    public static BufferedImage swirls(int width, int height, long seed) {
        checkSize(width, height);
        Random rnd = new Random(seed);
        int vortices = 5;
        double[] vx = new double[vortices];
        double[] vy = new double[vortices];
        double[] vs = new double[vortices];
        for (int i = 0; i < vortices; i++) {
            vx[i] = width * (0.1 + 0.8 * rnd.nextDouble());
            vy[i] = height * (0.1 + 0.8 * rnd.nextDouble());
            vs[i] = (rnd.nextBoolean() ? 1 : -1) * (0.6 + 0.8 * rnd.nextDouble());
        }
        double scale = Math.max(width, height);
        double[] starX = {vx[0], vx[1]};
        double[] starY = {vy[0], vy[1]};
        double starR = scale * 0.09;

        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setPaint(new GradientPaint(0, 0, new Color(0x0a1640), 0, height, new Color(0x21407a)));
            g.fillRect(0, 0, width, height);
            double baseWidth = Math.max(1.5, scale / 90.0);
            int strokes = (int) (width * height / (baseWidth * baseWidth) * 0.9);
            for (int s = 0; s < strokes; s++) {
                double x = rnd.nextDouble() * width;
                double y = rnd.nextDouble() * height;
                double nearStar = Double.MAX_VALUE;
                for (int i = 0; i < starX.length; i++) {
                    nearStar = Math.min(nearStar, Math.hypot(x - starX[i], y - starY[i]) / starR);
                }
                int base = nearStar < 1.0 || rnd.nextDouble() < 0.04
                        ? STAR[rnd.nextInt(STAR.length)]
                        : NIGHT[rnd.nextInt(NIGHT.length)];
                double w = baseWidth * (0.7 + 0.8 * rnd.nextDouble());
                int steps = 6 + rnd.nextInt(10);
                Path2D.Double path = new Path2D.Double();
                path.moveTo(x, y);
                for (int t = 0; t < steps; t++) {
                    double[] v = flow(x, y, vx, vy, vs, scale);
                    x += v[0] * w * 0.9;
                    y += v[1] * w * 0.9;
                    path.lineTo(x, y);
                }
                // A darker, wider pass then a lighter, narrower one gives each stroke a painted ridge.
                g.setStroke(new BasicStroke((float) w, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.setColor(new Color(scale(base, 0.7)));
                g.draw(path);
                g.setStroke(new BasicStroke((float) (w * 0.45), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.setColor(new Color(scale(base, 1.0 + 0.25 * rnd.nextDouble())));
                g.draw(path);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Unit flow direction at (x, y): rotational vortices with 1/r falloff plus a slow horizontal drift. */
    private static double[] flow(double x, double y, double[] vx, double[] vy, double[] vs, double scale) {
        double fx = 0.35;
        double fy = 0.08 * Math.sin(y / scale * 9.0);
        for (int i = 0; i < vx.length; i++) {
            double dx = x - vx[i];
            double dy = y - vy[i];
            double r2 = dx * dx + dy * dy + (scale * 0.02) * (scale * 0.02);
            double k = vs[i] * scale * 0.12 / r2;
            fx += -dy * k;
            fy += dx * k;
        }
        double len = Math.hypot(fx, fy);
        return len < 1e-12 ? new double[] {1, 0} : new double[] {fx / len, fy / len};
    }

    // ---------------------------------------------------------------- composition

    private static final int[] BOLD = {
        0xd62828, 0xf77f00, 0xfcbf49, 0x003049, 0x2a9d8f, 0x6a4c93, 0x1982c4, 0x8ac926, 0xff595e, 0x111111,
    };

    /**
     * Renders a Kandinsky-like composition: a warm graded ground, concentric circle groups, bold bars,
     * arcs, triangles, a checkerboard patch and thin black lines, over a fine paper grain.
     *
     * @param width  image width in pixels, at least 8
     * @param height image height in pixels, at least 8
     * @param seed   random seed; equal arguments give equal images
     * @return a new TYPE_INT_RGB image
     */
    public static BufferedImage composition(int width, int height, long seed) {
        checkSize(width, height);
        Random rnd = new Random(seed);
        double s = Math.min(width, height);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setPaint(new GradientPaint(0, 0, new Color(0xf3e3c3), width, height, new Color(0xd9b98a)));
            g.fillRect(0, 0, width, height);
            IntFunction<Color> pick = alpha -> {
                int c = BOLD[rnd.nextInt(BOLD.length)];
                return new Color((c >> 16) & 255, (c >> 8) & 255, c & 255, alpha);
            };
            // Large translucent colour fields first, so later shapes overlap them.
            for (int i = 0; i < 5; i++) {
                g.setColor(pick.apply(90));
                Polygon p = new Polygon();
                for (int k = 0; k < 4; k++) {
                    p.addPoint((int) (rnd.nextDouble() * width), (int) (rnd.nextDouble() * height));
                }
                g.fill(p);
            }
            // Concentric circle groups, the signature motif.
            for (int i = 0; i < 6; i++) {
                double cx = rnd.nextDouble() * width;
                double cy = rnd.nextDouble() * height;
                double r = s * (0.06 + 0.14 * rnd.nextDouble());
                int rings = 3 + rnd.nextInt(4);
                for (int k = 0; k < rings; k++) {
                    double rr = r * (1.0 - (double) k / rings);
                    g.setColor(pick.apply(255));
                    g.fill(new Ellipse2D.Double(cx - rr, cy - rr, 2 * rr, 2 * rr));
                }
                g.setColor(Color.BLACK);
                g.setStroke(new BasicStroke((float) Math.max(1, s / 200)));
                g.draw(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
            }
            // Bold bars and thin lines at assorted angles.
            for (int i = 0; i < 14; i++) {
                boolean bar = i < 5;
                g.setColor(bar ? pick.apply(255) : Color.BLACK);
                g.setStroke(new BasicStroke((float) (bar ? s * (0.02 + 0.03 * rnd.nextDouble())
                        : Math.max(1, s / 150 * (0.5 + rnd.nextDouble()))), BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
                double x0 = rnd.nextDouble() * width;
                double y0 = rnd.nextDouble() * height;
                double a = rnd.nextDouble() * Math.PI;
                double len = s * (0.25 + 0.6 * rnd.nextDouble());
                g.draw(new Line2D.Double(x0, y0, x0 + Math.cos(a) * len, y0 + Math.sin(a) * len));
            }
            // Arcs and triangles.
            for (int i = 0; i < 4; i++) {
                g.setColor(pick.apply(255));
                g.setStroke(new BasicStroke((float) (s * 0.012)));
                double r = s * (0.1 + 0.2 * rnd.nextDouble());
                g.draw(new Arc2D.Double(rnd.nextDouble() * width - r, rnd.nextDouble() * height - r, 2 * r, 2 * r,
                        rnd.nextDouble() * 360, 60 + rnd.nextDouble() * 160, Arc2D.OPEN));
                g.setColor(pick.apply(230));
                double tx = rnd.nextDouble() * width;
                double ty = rnd.nextDouble() * height;
                double ts = s * (0.05 + 0.1 * rnd.nextDouble());
                g.fill(new Polygon(new int[] {(int) tx, (int) (tx + ts), (int) (tx - ts * 0.3)},
                        new int[] {(int) ty, (int) (ty + ts * 0.4), (int) (ty + ts)}, 3));
            }
            // A small checkerboard patch.
            int cells = 4;
            double cs = s * 0.035;
            double px = rnd.nextDouble() * (width - cells * cs);
            double py = rnd.nextDouble() * (height - cells * cs);
            Color a = pick.apply(255);
            for (int j = 0; j < cells; j++) {
                for (int i = 0; i < cells; i++) {
                    g.setColor(((i + j) & 1) == 0 ? Color.BLACK : a);
                    g.fill(new java.awt.geom.Rectangle2D.Double(px + i * cs, py + j * cs, cs, cs));
                }
            }
            // Paper grain: faint dark speckles, so flat areas still carry texture.
            g.setComposite(AlphaComposite.SrcOver);
            Random grain = new Random(seed ^ 0x9E3779B97F4A7C15L);
            int speckles = width * height / 12;
            for (int i = 0; i < speckles; i++) {
                g.setColor(new Color(40, 25, 10, 10 + grain.nextInt(25)));
                g.fillRect(grain.nextInt(width), grain.nextInt(height), 1 + grain.nextInt(2), 1);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    // ---------------------------------------------------------------- helpers

    private static void checkSize(int width, int height) {
        if (width < 8 || height < 8) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "style image size must be at least 8x8, found %dx%d", width, height));
        }
    }

    private static int scale(int rgb, double f) {
        int r = clamp((int) Math.round(((rgb >> 16) & 255) * f));
        int gr = clamp((int) Math.round(((rgb >> 8) & 255) * f));
        int b = clamp((int) Math.round((rgb & 255) * f));
        return (r << 16) | (gr << 8) | b;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** Writes a baseline JPEG at the given quality, atomically (temp file in the same folder, then rename). */
    static void writeJpeg(BufferedImage image, Path file, float quality) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IOException("no JPEG ImageWriter available in this JRE");
        }
        ImageWriter writer = writers.next();
        Path dir = file.toAbsolutePath().getParent();
        // Not Files.createTempFile: its 0600 mode would survive the rename.
        Path tmp = dir.resolve("." + file.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp);
                 ImageOutputStream ios = ImageIO.createImageOutputStream(os)) {
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
                writer.setOutput(ios);
                writer.write(null, new IIOImage(image, null, null), param);
            } finally {
                writer.dispose();
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
