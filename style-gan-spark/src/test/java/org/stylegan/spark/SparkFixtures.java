package org.stylegan.spark;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.stylegan.core.StyleModel;
import org.stylegan.core.StyleTransfer;
import org.stylegan.io.Images;
import org.stylegan.io.testing.BadImageCorpus;

/**
 * Shared test fixtures: one local Spark session, one tiny model trained in-process (one step, 32 px) and the test
 * input folder of bundled, generated, odd and broken images (all <= 64 px).
 */
final class SparkFixtures {
    /** The bundled photos of the examples module (the test runs in this module's folder). */
    static final Path BUNDLED = Path.of("../examples/src/main/resources/org/stylegan/examples/images");

    private static SparkSession spark;
    private static Path model;

    private SparkFixtures() {
    }

    /**
     * The session: {@code local[2,4]} is local[2] (two task threads) with up to 4 attempts per task; plain local[N]
     * never retries a failed task.
     */
    static synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSession.builder().master("local[2,4]").appName("style-gan-spark-test")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "4")
                    .getOrCreate();
            spark.sparkContext().setLogLevel("ERROR");
        }
        return spark;
    }

    /** A model trained for one step at 32 px with the default generator, saved once per test JVM. */
    static synchronized Path model() {
        if (model == null) {
            try {
                Path dir = Files.createTempDirectory("style-gan-spark-model");
                List<BufferedImage> content = new ArrayList<>();
                for (Path p : bundled("content")) {
                    content.add(fit(Images.read(p), 48));
                }
                BufferedImage style = fit(Images.read(bundled("style").get(0)), 48);
                StyleModel m = StyleTransfer.builder().imageSize(32).batchSize(1).styleSize(32).discriminatorCrop(32)
                        .styleTaps("relu1_2", "relu2_2").contentTap("relu2_2").steps(1).seed(11).build()
                        .fit(content, style);
                model = dir.resolve("model.zip");
                m.save(model);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return model;
    }

    /**
     * Writes the test input folder: the bundled photos scaled to 64 px, generated photos (several of one size, so
     * they batch), and in {@code odd/} every case of the bad-input corpus (odd encodings that convert, images too
     * small for the generator, broken files) plus a text file that is not an image.
     */
    static Path inputFolder(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("bundled"));
        for (Path p : bundled("content")) {
            Images.writeJpeg(fit(Images.read(p), 64), dir.resolve("bundled").resolve(p.getFileName()), 0.9f);
        }
        Path gen = Files.createDirectories(dir.resolve("generated"));
        for (int i = 0; i < 5; i++) {
            Images.writePng(generated(48, 32, i), gen.resolve("same-size-" + i + ".png"));
        }
        Images.writePng(generated(40, 56, 7), gen.resolve("tall.png"));
        Images.writePng(generated(64, 64, 8), gen.resolve("square.png"));
        Path odd = Files.createDirectories(dir.resolve("odd"));
        for (BadImageCorpus.Case c : BadImageCorpus.all()) {
            c.write(odd);
        }
        Files.writeString(odd.resolve("notes.txt"), "not an image, and not named like one\n");
        return dir;
    }

    /** The image files of a folder, recursively, sorted. */
    static List<Path> images(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> StylizeJob.isImage(p.toString())).sorted().toList();
        }
    }

    /** A deterministic photo-like image: a gradient and a few shapes, different per seed. */
    static BufferedImage generated(int w, int h, int seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setPaint(new java.awt.GradientPaint(0, 0, new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)), w, h,
                new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256))));
        g.fillRect(0, 0, w, h);
        for (int i = 0; i < 4; i++) {
            g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
            g.fillOval(r.nextInt(w), r.nextInt(h), 4 + r.nextInt(w / 2), 4 + r.nextInt(h / 2));
        }
        g.dispose();
        return img;
    }

    /** Scales an image so that its longer side is {@code size}. */
    static BufferedImage fit(BufferedImage img, int size) {
        double k = (double) size / Math.max(img.getWidth(), img.getHeight());
        int w = Math.max(1, (int) Math.round(img.getWidth() * k));
        int h = Math.max(1, (int) Math.round(img.getHeight() * k));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    /** Every pixel of an image as 0xRRGGBB. */
    static int[] pixels(BufferedImage img) {
        BufferedImage rgb = Images.read(img);
        return rgb.getRGB(0, 0, rgb.getWidth(), rgb.getHeight(), null, 0, rgb.getWidth());
    }

    private static List<Path> bundled(String kind) throws IOException {
        try (Stream<Path> s = Files.list(BUNDLED.resolve(kind))) {
            return s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        }
    }
}
