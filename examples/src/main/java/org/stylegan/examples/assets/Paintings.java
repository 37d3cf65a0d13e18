package org.stylegan.examples.assets;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * The evaluation set's style images: six kinds of painting and print, each a pure function of (width, height,
 * seed) drawn with Java2D. Each has structure at several scales — a composition of large regions, marks of a
 * characteristic shape and size (strokes, tiles, hatching, dots, gouges), and grain inside the marks — so that
 * texture measures at 8, 16 and 32 px all have something to find.
 */
final class Paintings {
    private Paintings() {
    }

    // ---------------------------------------------------------------- shared scene

    /** Colour of a simple landscape (sky with a sun, two hill bands, a field, a tree) at (u, v) in [0, 1]^2. */
    private static int landscape(double u, double v, int[] pal) {
        double horizon = 0.46 + 0.04 * Math.sin(u * 7.0);
        double sunD = Math.hypot(u - 0.72, v - 0.2);
        double treeD = Math.hypot((u - 0.24) / 0.9, v - 0.5);
        if (treeD < 0.13 && v < 0.72) {
            return pal[6];
        }
        if (v < horizon) {
            if (sunD < 0.07) {
                return pal[4];
            }
            double t = v / horizon;
            int sky = mix(pal[0], pal[1], t);
            return sunD < 0.16 ? mix(pal[5], sky, (sunD - 0.07) / 0.09) : sky;
        }
        double far = horizon + 0.09 + 0.03 * Math.sin(u * 13 + 1);
        if (v < far) {
            return pal[2];
        }
        if (v < 0.66 + 0.03 * Math.sin(u * 5 + 2)) {
            return mix(pal[3], pal[2], 0.3);
        }
        return mix(pal[3], pal[7], (v - 0.66) / 0.34);
    }

    /** Direction (radians) of brushwork in the landscape at (u, v): swirls round the sun, contours, furrows. */
    private static double landscapeFlow(double u, double v) {
        double horizon = 0.46 + 0.04 * Math.sin(u * 7.0);
        if (v < horizon) {
            double a = Math.atan2(v - 0.2, u - 0.72) + Math.PI / 2;
            double near = Math.exp(-Math.hypot(u - 0.72, v - 0.2) * 6);
            return near * a + (1 - near) * (0.25 * Math.sin(u * 9 + v * 5));
        }
        if (v < 0.66) {
            return 0.28 * Math.cos(u * 7.0) * 0.6;
        }
        // Furrows converge toward a vanishing point on the horizon.
        return Math.atan2(v - 0.46, u - 0.5);
    }

    // ---------------------------------------------------------------- impasto

    /**
     * Oil painting with visible impasto: a landscape painted in three passes of ever finer brush strokes that
     * follow the forms, each stroke with a dark edge and a light ridge.
     */
    static BufferedImage impasto(int width, int height, long seed) {
        int[] pal = {0x1f3f8f, 0x9fc3e0, 0x4f6f8f, 0x6f9a3a, 0xffd23a, 0xf4a640, 0x1f4a2a, 0xc99a3a};
        Random rnd = new Random(seed);
        BufferedImage img = canvas(width, height, 0x6b5a44);
        Graphics2D g = graphics(img);
        double s = Math.max(width, height) / 512.0;
        double[][] passes = {{18, 40, 1.6}, {9, 20, 1.3}, {4, 10, 0.7}};
        try {
            for (double[] pass : passes) {
                double w = Math.max(1.2, pass[0] * s);
                double len = Math.max(3, pass[1] * s);
                int count = (int) (width * height / (w * len) * pass[2]);
                for (int i = 0; i < count; i++) {
                    double x = rnd.nextDouble() * width;
                    double y = rnd.nextDouble() * height;
                    int base = jitter(landscape(x / width, y / height, pal), rnd, 0.12);
                    double a = landscapeFlow(x / width, y / height) + rnd.nextGaussian() * 0.18;
                    Path2D.Double p = new Path2D.Double();
                    p.moveTo(x, y);
                    double bend = rnd.nextGaussian() * 0.25;
                    for (int k = 1; k <= 3; k++) {
                        a += bend / 3;
                        x += Math.cos(a) * len / 3;
                        y += Math.sin(a) * len / 3;
                        p.lineTo(x, y);
                    }
                    double wi = w * (0.7 + 0.6 * rnd.nextDouble());
                    stroke(g, p, wi, scale(base, 0.72));
                    stroke(g, p, wi * 0.75, base);
                    // Highlight ridge, offset toward the light (upper left).
                    Path2D.Double ridge = new Path2D.Double(p, java.awt.geom.AffineTransform.getTranslateInstance(
                            -wi * 0.15, -wi * 0.15));
                    stroke(g, ridge, Math.max(0.8, wi * 0.22), scale(base, 1.3));
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    // ---------------------------------------------------------------- mosaic

    /**
     * Stone mosaic: a sun of tesserae laid in concentric rings (opus vermiculatum) over waves and a field laid in
     * straight rows, each tile a slightly irregular quadrilateral of a stone colour, in grey grout.
     */
    static BufferedImage mosaic(int width, int height, long seed) {
        int[] stones = {0xb5532f, 0xd9a441, 0xeee1c3, 0x3b4a5a, 0x2a2420, 0x3d7ea6, 0x6b8e4e, 0x8c2f2a};
        Random rnd = new Random(seed);
        BufferedImage img = canvas(width, height, 0x8a8175);
        Graphics2D g = graphics(img);
        double s = Math.max(width, height) / 512.0;
        double t = Math.max(3, 11 * s);
        double cx = width * 0.5;
        double cy = height * 0.42;
        double sunR = Math.min(width, height) * 0.3;
        try {
            // Background rows, skipping the sun's disc.
            for (double y = 0; y < height; y += t) {
                double off = rnd.nextDouble() * t;
                for (double x = -off; x < width; x += t * (0.8 + 0.4 * rnd.nextDouble())) {
                    double mx = x + t / 2;
                    double my = y + t / 2;
                    if (Math.hypot(mx - cx, my - cy) < sunR + t * 0.5) {
                        continue;
                    }
                    double v = my / height;
                    double wave = Math.sin(mx / width * 14 + Math.sin(my / height * 9) * 2);
                    int c;
                    if (v < 0.7) {
                        c = v < 0.2 ? stones[3] : (wave > 0.4 ? stones[2] : stones[5]);
                    } else {
                        c = wave > 0.6 ? stones[1] : (wave < -0.6 ? stones[7] : stones[6]);
                    }
                    tile(g, rnd, x, y, t * 0.88, t * 0.88, 0, c);
                }
            }
            // The sun: concentric rings of tiles, rays alternating colour.
            for (double r = t * 0.5; r < sunR; r += t) {
                int n = Math.max(1, (int) Math.round(2 * Math.PI * r / t));
                double phase = rnd.nextDouble();
                for (int i = 0; i < n; i++) {
                    double a = 2 * Math.PI * (i + phase) / n;
                    double ray = Math.sin(a * 12);
                    int c = r < sunR * 0.35 ? stones[1] : (ray > 0.2 ? stones[0] : stones[1]);
                    if (r > sunR * 0.92) {
                        c = stones[4];
                    }
                    tile(g, rnd, cx + Math.cos(a) * r - t / 2, cy + Math.sin(a) * r - t / 2, t * 0.86,
                            2 * Math.PI * r / n * 0.86, a + Math.PI / 2, c);
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void tile(Graphics2D g, Random rnd, double x, double y, double w, double h, double angle, int c) {
        double j = Math.max(0.5, w * 0.12);
        double mx = x + w / 2;
        double my = y + w / 2;
        double[][] corners = {{-w / 2, -h / 2}, {w / 2, -h / 2}, {w / 2, h / 2}, {-w / 2, h / 2}};
        Path2D.Double p = new Path2D.Double();
        for (int k = 0; k < 4; k++) {
            double px = corners[k][0] + rnd.nextGaussian() * j;
            double py = corners[k][1] + rnd.nextGaussian() * j;
            double rx = mx + px * Math.cos(angle) - py * Math.sin(angle);
            double ry = my + px * Math.sin(angle) + py * Math.cos(angle);
            if (k == 0) {
                p.moveTo(rx, ry);
            } else {
                p.lineTo(rx, ry);
            }
        }
        p.closePath();
        int base = jitter(c, rnd, 0.1);
        g.setColor(new Color(base));
        g.fill(p);
        // A worn, lighter face inside each stone.
        g.setColor(new Color(scale(base, 1.12)));
        double f = 0.45;
        g.fill(new Ellipse2D.Double(mx - w * f / 2 - w * 0.08, my - w * f / 2 - w * 0.08, w * f, w * f));
    }

    // ---------------------------------------------------------------- hatching

    /**
     * Pen-and-ink drawing: a still life (sphere, vase, table, cast shadows) shaded with up to four layers of
     * slightly wavering hatching, darker tones getting more layers, and contour lines, on cream paper.
     */
    static BufferedImage hatching(int width, int height, long seed) {
        Random rnd = new Random(seed);
        BufferedImage img = canvas(width, height, 0xf3ead8);
        grain(img, new Random(seed ^ 0x51L), 0.04);
        Graphics2D g = graphics(img);
        double s = Math.max(width, height) / 512.0;
        double spacing = Math.max(2.5, 5.5 * s);
        double[] angles = {Math.PI / 4, -Math.PI / 4, 0, Math.PI / 2};
        double[] thresholds = {0.18, 0.4, 0.6, 0.8};
        Color ink = new Color(0x2b, 0x21, 0x18, 225);
        try {
            g.setColor(ink);
            for (int layer = 0; layer < angles.length; layer++) {
                double a = angles[layer] + rnd.nextGaussian() * 0.04;
                double dx = Math.cos(a);
                double dy = Math.sin(a);
                double diag = Math.hypot(width, height);
                g.setStroke(new BasicStroke((float) Math.max(0.7, (1.1 - 0.15 * layer) * s),
                        BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                for (double o = -diag; o < diag; o += spacing * (0.85 + 0.3 * rnd.nextDouble())) {
                    // Line through the centre offset by o along the normal; walk it and pen down where dark enough.
                    double ox = width / 2.0 - dy * o;
                    double oy = height / 2.0 + dx * o;
                    double wob = rnd.nextDouble() * 10;
                    Path2D.Double p = null;
                    for (double tt = -diag / 2; tt < diag / 2; tt += 2 * s) {
                        double wav = Math.sin(tt / (23 * s) + wob) * 0.8 * s;
                        double x = ox + dx * tt - dy * wav;
                        double y = oy + dy * tt + dx * wav;
                        boolean inside = x >= 0 && y >= 0 && x < width && y < height;
                        boolean dark = inside && stillLifeTone(x / width, y / height) + rnd.nextGaussian() * 0.03
                                > thresholds[layer];
                        if (dark) {
                            if (p == null) {
                                p = new Path2D.Double();
                                p.moveTo(x, y);
                            } else {
                                p.lineTo(x, y);
                            }
                        } else if (p != null) {
                            g.draw(p);
                            p = null;
                        }
                    }
                    if (p != null) {
                        g.draw(p);
                    }
                }
            }
            // Contours, drawn twice with a slight offset as a quick pen would.
            g.setStroke(new BasicStroke((float) Math.max(1, 1.8 * s), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            for (int k = 0; k < 2; k++) {
                double j = (k == 0 ? 0 : 1.2) * s;
                g.draw(new Ellipse2D.Double(width * (0.56 - 0.17) + j, height * (0.44 - 0.17 * width / height) - j,
                        width * 0.34, width * 0.34));
                g.draw(vase(width, height, j));
                g.draw(new java.awt.geom.Line2D.Double(0, height * 0.66 + j, width, height * 0.64 - j));
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static Path2D.Double vase(int width, int height, double j) {
        Path2D.Double p = new Path2D.Double();
        double cx = width * 0.25;
        for (int i = 0; i <= 40; i++) {
            double v = 0.2 + 0.46 * i / 40.0;
            double r = vaseRadius(v) * width;
            if (i == 0) {
                p.moveTo(cx - r + j, v * height);
            } else {
                p.lineTo(cx - r + j, v * height);
            }
        }
        for (int i = 40; i >= 0; i--) {
            double v = 0.2 + 0.46 * i / 40.0;
            p.lineTo(cx + vaseRadius(v) * width - j, v * height);
        }
        p.closePath();
        return p;
    }

    private static double vaseRadius(double v) {
        double t = (v - 0.2) / 0.46;
        return 0.04 + 0.09 * Math.sin(Math.PI * Math.pow(t, 0.8)) + (t < 0.12 ? 0.03 * (0.12 - t) / 0.12 : 0);
    }

    /** Darkness in [0, 1] of the still life at (u, v). */
    private static double stillLifeTone(double u, double v) {
        double table = 0.655 - 0.02 * u;
        double tone = v < table ? 0.25 + 0.25 * u * (1 - v) : 0.45 + 0.2 * (v - table);
        // Cast shadows on the table, to the lower right of each object.
        if (v > table && Math.hypot((u - 0.68) / 2.2, (v - 0.7) / 0.8) < 0.06) {
            tone = 0.85;
        }
        if (v > table && Math.hypot((u - 0.34) / 2.0, (v - 0.69) / 0.8) < 0.05) {
            tone = 0.8;
        }
        double sx = (u - 0.56) / 0.17;
        double sy = (v - 0.44) / 0.17 * 1.0;
        double r2 = sx * sx + sy * sy;
        if (r2 < 1) {
            double nz = Math.sqrt(1 - r2);
            double light = Math.max(0, (-sx * 0.5 - sy * 0.6 + nz * 0.62));
            tone = 1 - light * 0.95;
        }
        if (v > 0.2 && v < 0.66 && Math.abs(u - 0.25) < vaseRadius(v)) {
            double nx = (u - 0.25) / vaseRadius(v);
            tone = 0.3 + 0.55 * Math.max(0, nx + 0.3) / 1.3;
        }
        return Math.max(0, Math.min(1, tone));
    }

    // ---------------------------------------------------------------- cut-outs

    /**
     * Large-shape composition in the manner of paper cut-outs: three broad colour fields painted with dry-brush
     * streaks, then big organic shapes (leaves, seaweed, a star) in flat saturated colours with torn edges.
     */
    static BufferedImage cutouts(int width, int height, long seed) {
        int[] fields = {0x1e4fa0, 0xf2c14e, 0xe85d3f};
        int[] shapes = {0x111111, 0xf5f0e6, 0x2f8f5b, 0xd6336c, 0x1e4fa0, 0xf2c14e};
        Random rnd = new Random(seed);
        BufferedImage img = canvas(width, height, 0xf5f0e6);
        Graphics2D g = graphics(img);
        double s = Math.max(width, height) / 512.0;
        try {
            double[] cuts = {0, 0.38 + 0.08 * rnd.nextDouble(), 0.7 + 0.08 * rnd.nextDouble(), 1};
            for (int f = 0; f < 3; f++) {
                double y0 = cuts[f] * height;
                double y1 = cuts[f + 1] * height;
                g.setColor(new Color(fields[f]));
                g.fill(new java.awt.geom.Rectangle2D.Double(0, y0, width, y1 - y0));
                // Dry-brush streaks: long, thin, translucent, in shades of the field's colour.
                int streaks = (int) ((y1 - y0) * width / (60 * s * s));
                for (int i = 0; i < streaks; i++) {
                    double x = rnd.nextDouble() * width;
                    double y = y0 + rnd.nextDouble() * (y1 - y0);
                    double len = (30 + 90 * rnd.nextDouble()) * s;
                    int c = scale(fields[f], 0.82 + 0.36 * rnd.nextDouble());
                    g.setColor(new Color((c >> 16) & 255, (c >> 8) & 255, c & 255, 70));
                    g.setStroke(new BasicStroke((float) ((1 + 3 * rnd.nextDouble()) * s), BasicStroke.CAP_ROUND,
                            BasicStroke.JOIN_ROUND));
                    g.draw(new java.awt.geom.Line2D.Double(x, y, x + len, y + rnd.nextGaussian() * 2 * s));
                }
            }
            // Shapes on a jittered 3x3 grid of places (two left empty), so they spread over the picture.
            int[] places = {0, 2, 3, 4, 5, 6, 8};
            int n = places.length;
            for (int i = 0; i < n; i++) {
                double cx = ((places[i] % 3) + 0.5 + 0.5 * rnd.nextGaussian() * 0.5) / 3 * width;
                double cy = ((places[i] / 3) + 0.5 + 0.5 * rnd.nextGaussian() * 0.5) / 3 * height;
                double r = (i % 2 == 0 ? 0.13 + 0.05 * rnd.nextDouble() : 0.07 + 0.04 * rnd.nextDouble())
                        * Math.min(width, height);
                int lobes = 3 + rnd.nextInt(5);
                double phase = rnd.nextDouble() * Math.PI * 2;
                double depth = 0.25 + 0.35 * rnd.nextDouble();
                double stretch = 0.6 + 0.8 * rnd.nextDouble();
                double rot = rnd.nextDouble() * Math.PI;
                Path2D.Double p = new Path2D.Double();
                int pts = 180;
                for (int k = 0; k <= pts; k++) {
                    double a = 2 * Math.PI * k / pts;
                    // Torn-paper edge: a little high-frequency wobble on the lobed outline.
                    double rr = r * (1 + depth * Math.sin(lobes * a + phase)) + rnd.nextGaussian() * 0.8 * s;
                    double lx = Math.cos(a) * rr * stretch;
                    double ly = Math.sin(a) * rr;
                    double x = cx + lx * Math.cos(rot) - ly * Math.sin(rot);
                    double y = cy + lx * Math.sin(rot) + ly * Math.cos(rot);
                    if (k == 0) {
                        p.moveTo(x, y);
                    } else {
                        p.lineTo(x, y);
                    }
                }
                p.closePath();
                g.setColor(new Color(shapes[i % shapes.length]));
                g.fill(p);
            }
        } finally {
            g.dispose();
        }
        grain(img, new Random(seed ^ 0xC0FFEEL), 0.05);
        return img;
    }

    // ---------------------------------------------------------------- pointillism

    /**
     * Pointillist landscape: a light ground covered with small dabs of a few pure pigments, each dab's colour one
     * of the two pigments nearest the scene's colour there (mixed by the eye), with complementary accents.
     */
    static BufferedImage pointillism(int width, int height, long seed) {
        int[] scene = {0x2a62b8, 0xc4dcef, 0x6c8fb0, 0x5f9a3c, 0xffe45c, 0xffb347, 0x2f5a35, 0xd9b44a};
        int[] pigments = {0x1e50c8, 0x5fa0e6, 0xe8f0f8, 0x2e9c4a, 0x8cc84b, 0xffe14d, 0xff9a2e, 0xe0452b,
            0x9b59b6, 0x1f5e3a, 0xf7d9a6};
        Random rnd = new Random(seed);
        BufferedImage img = canvas(width, height, 0xf4efe2);
        Graphics2D g = graphics(img);
        double s = Math.max(width, height) / 512.0;
        double r = Math.max(1.2, 3.2 * s);
        int count = (int) (width * height / (r * r) * 0.75);
        try {
            for (int i = 0; i < count; i++) {
                double x = rnd.nextDouble() * width;
                double y = rnd.nextDouble() * height;
                int target = landscape(x / width, y / height, scene);
                int c;
                if (rnd.nextDouble() < 0.08) {
                    c = complement(target);
                } else {
                    int[] two = nearestTwo(target, pigments);
                    c = rnd.nextDouble() < 0.6 ? two[0] : two[1];
                }
                double rr = r * (0.7 + 0.6 * rnd.nextDouble());
                double a = landscapeFlow(x / width, y / height);
                g.setColor(new Color(jitter(c, rnd, 0.06)));
                java.awt.geom.AffineTransform at = g.getTransform();
                g.translate(x, y);
                g.rotate(a);
                g.fill(new Ellipse2D.Double(-rr * 1.3, -rr * 0.8, rr * 2.6, rr * 1.6));
                g.setTransform(at);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    // ---------------------------------------------------------------- woodcut

    /**
     * Two-block woodcut print: black lines carved by a gouge — parallel curves whose width follows the tone,
     * wavering a little — over a red second block for the sun, with bold contours and paper grain.
     */
    static BufferedImage woodcut(int width, int height, long seed) {
        Random rnd = new Random(seed);
        double s = Math.max(width, height) / 512.0;
        double spacing = Math.max(3, 7 * s);
        // Low-frequency wobble of the carved lines' width, like a hand-held gouge.
        double[] ph = new double[6];
        for (int i = 0; i < ph.length; i++) {
            ph[i] = rnd.nextDouble() * Math.PI * 2;
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int paper = 0xeadfc8;
        int black = 0x1c1a18;
        int red = 0xc23b22;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double u = (double) x / width;
                double v = (double) y / height;
                double ridge = 0.5 + 0.18 * Math.sin(u * 9 + ph[0]) + 0.08 * Math.sin(u * 23 + ph[1]);
                double sunD = Math.hypot(u - 0.7, v - 0.24);
                double tone;
                double phase;
                int col = paper;
                if (sunD < 0.13) {
                    // Sun: red block with fine concentric carved rings.
                    phase = sunD * height / (spacing * 0.6);
                    tone = 0.7;
                    col = frac(phase) < tone ? red : paper;
                    img.setRGB(x, y, col);
                    continue;
                }
                double shore = 0.7 + 0.02 * Math.sin(u * 11 + ph[2]);
                if (v < ridge) {
                    // Sky: horizontal lines, thinner toward the sun.
                    phase = (y + 3 * s * Math.sin(x / (40 * s) + ph[2])) / spacing;
                    tone = 0.15 + 0.5 * Math.min(1, sunD * 2.2) * (1 - v);
                } else if (v < shore) {
                    // Mountain: lines that follow the ridge's shape, darker toward its foot.
                    phase = (y - ridge * height) / (spacing * 0.8) + 0.35 * x / spacing * 0.1;
                    tone = 0.45 + 0.45 * (v - ridge) / Math.max(0.05, shore - ridge);
                } else {
                    // Sea: wave crests, curls of lines.
                    double wave = Math.sin(u * 18 + ph[3] + Math.sin(v * 30) * 1.2) * 6 * s
                            + Math.sin(u * 41 + ph[4]) * 2 * s;
                    phase = (y + wave) / (spacing * 0.9);
                    tone = 0.3 + 0.45 * (v - shore) / (1 - shore) + 0.15 * Math.sin(u * 18 + ph[3]);
                }
                tone += 0.08 * Math.sin(x / (17 * s) + ph[5]) * Math.sin(y / (13 * s));
                boolean inked = Math.abs(frac(phase) - 0.5) < Math.max(0.05, Math.min(0.48, tone / 2));
                // Bold contour along the mountain ridge.
                if (Math.abs(v - ridge) * height < 2.2 * s || Math.abs(v - shore) * height < 1.6 * s) {
                    inked = true;
                }
                img.setRGB(x, y, inked ? black : col);
            }
        }
        grain(img, new Random(seed ^ 0xBEEFL), 0.06);
        return img;
    }

    // ---------------------------------------------------------------- helpers

    private static double frac(double x) {
        return x - Math.floor(x);
    }

    private static BufferedImage canvas(int width, int height, int rgb) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(rgb));
        g.fillRect(0, 0, width, height);
        g.dispose();
        return img;
    }

    private static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        return g;
    }

    private static void stroke(Graphics2D g, Path2D p, double width, int rgb) {
        g.setStroke(new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.setColor(new Color(rgb));
        g.draw(p);
    }

    /** Multiplies every pixel by 1 +- amount (uniform), as paper or canvas grain. */
    private static void grain(BufferedImage img, Random rnd, double amount) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, scale(img.getRGB(x, y), 1 + amount * (2 * rnd.nextDouble() - 1)));
            }
        }
    }

    private static int jitter(int rgb, Random rnd, double amount) {
        return scale(rgb, 1 + amount * rnd.nextGaussian());
    }

    static int scale(int rgb, double f) {
        int r = clamp((int) Math.round(((rgb >> 16) & 255) * f));
        int g = clamp((int) Math.round(((rgb >> 8) & 255) * f));
        int b = clamp((int) Math.round((rgb & 255) * f));
        return (r << 16) | (g << 8) | b;
    }

    private static int mix(int a, int b, double t) {
        t = Math.max(0, Math.min(1, t));
        int r = (int) Math.round(((a >> 16) & 255) * (1 - t) + ((b >> 16) & 255) * t);
        int g = (int) Math.round(((a >> 8) & 255) * (1 - t) + ((b >> 8) & 255) * t);
        int bl = (int) Math.round((a & 255) * (1 - t) + (b & 255) * t);
        return (r << 16) | (g << 8) | bl;
    }

    private static int complement(int rgb) {
        return ((255 - ((rgb >> 16) & 255)) << 16) | ((255 - ((rgb >> 8) & 255)) << 8) | (255 - (rgb & 255));
    }

    private static int[] nearestTwo(int rgb, int[] palette) {
        int best = 0;
        int second = 1;
        double d1 = Double.MAX_VALUE;
        double d2 = Double.MAX_VALUE;
        for (int i = 0; i < palette.length; i++) {
            double d = dist(rgb, palette[i]);
            if (d < d1) {
                d2 = d1;
                second = best;
                d1 = d;
                best = i;
            } else if (d < d2) {
                d2 = d;
                second = i;
            }
        }
        return new int[] {palette[best], palette[second]};
    }

    private static double dist(int a, int b) {
        double dr = ((a >> 16) & 255) - ((b >> 16) & 255);
        double dg = ((a >> 8) & 255) - ((b >> 8) & 255);
        double db = (a & 255) - (b & 255);
        return dr * dr + dg * dg + db * db;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
