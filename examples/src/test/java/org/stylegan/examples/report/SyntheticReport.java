package org.stylegan.examples.report;

import org.stylegan.io.Images;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.stylegan.examples.BundledImages;
import org.stylegan.examples.BundledImages.Kind;

/**
 * Builds a complete report from synthetic data (no training): bundled images, a colour-blended stand-in
 * for the stylized output, and noisy decaying loss curves. Used by tests and for eyeballing the page.
 */
final class SyntheticReport {

    private SyntheticReport() {
    }

    /** Writes the report into {@code folder}; returns index.html. */
    static Path build(Path folder, int cellHeight, int steps) throws IOException {
        Files.createDirectories(folder);
        SampleGrid grid = SampleGrid.builder().cellHeight(cellHeight).build();
        ReportData.Builder data = ReportData.builder("Synthetic run <demo>")
                .subtitle("report layout check with stand-in images & curves")
                .createdAt(Instant.parse("2024-06-01T12:00:00Z"));
        List<BundledImages.Image> contents = BundledImages.content();
        BufferedImage style = BundledImages.get(Kind.STYLE, "swirls").load();
        for (int i = 0; i < 2; i++) {
            BufferedImage content = contents.get(i).load();
            BufferedImage fake = blend(SampleGrid.scale(content, 64, 64 * content.getHeight() / content.getWidth()),
                    style);
            String name = contents.get(i).name();
            Files.createDirectories(folder.resolve("stylized"));
            Images.writePng(fake, folder.resolve("stylized/" + name + " (swirls).png"));
            data.stylized("stylized/" + name + " (swirls).png", name + " in swirls");
            grid.write(folder.resolve("grids/" + name + ".png"), List.of(List.of(
                    new SampleGrid.Panel("content", content), new SampleGrid.Panel("stylized", fake),
                    new SampleGrid.Panel("style", style))));
            data.grid("grids/" + name + ".png", name + " + swirls");
        }
        long[] x = new long[steps];
        Map<String, double[]> series = new LinkedHashMap<>();
        String[] names = {"content", "style", "adversarial_g", "adversarial_d", "tv", "total"};
        Random rnd = new Random(7);
        for (int k = 0; k < names.length; k++) {
            double[] v = new double[steps];
            for (int s = 0; s < steps; s++) {
                x[s] = s * 10L;
                v[s] = Math.pow(10, 2 - k * 0.6) * Math.exp(-s / (steps / 3.0)) * (1 + 0.2 * rnd.nextGaussian())
                        + 0.01 * (k + 1);
            }
            series.put(names[k], v);
        }
        series.get("tv")[0] = 0.0; // must be dropped on the log axis, not crash
        LossCurvePlot.builder().build().write(folder.resolve("curves/losses.png"), List.of(names), x, series);
        LossCurvePlot.builder().title("Losses (linear, EMA)").logY(false).smoothing(0.8).build()
                .write(folder.resolve("curves/losses-linear.png"), List.of(names), x, series);
        data.curve("curves/losses.png", "all loss terms, log scale")
                .curve("curves/losses-linear.png", "linear scale, EMA 0.8");
        data.metric("final total loss", String.format("%.4f", series.get("total")[steps - 1]))
                .metric("steps", String.valueOf(x[steps - 1]))
                .metric("throughput", "12.3 img/s");
        data.config("generator", "resnet, 3 residual blocks, 32 base channels")
                .config("loss weights", "alpha=1.0 beta=10.0 gamma=0.1 tv=1e-5")
                .config("learning rate", 2e-4)
                .config("seed", 42)
                .config("note", "values are escaped: <b>not bold</b> & \"quoted\"")
                .config("long value", "a".repeat(40) + "/" + "b".repeat(60) + "/model.zip");
        data.timing("load images", Duration.ofMillis(420))
                .timing("training (" + steps + " steps)", Duration.ofSeconds(754))
                .timing("stylize 4 images", Duration.ofMillis(3_200));
        data.note("Synthetic data: the stylized images are colour blends, not model output.");
        return HtmlReport.write(folder, data.build());
    }

    /** A stand-in "stylized" image: the content's luminance tinted with the style's colours. */
    static BufferedImage blend(BufferedImage content, BufferedImage style) {
        int w = content.getWidth();
        int h = content.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int c = content.getRGB(x, y);
                int s = style.getRGB(x * style.getWidth() / w, y * style.getHeight() / h);
                double lum = (0.299 * ((c >> 16) & 255) + 0.587 * ((c >> 8) & 255) + 0.114 * (c & 255)) / 255.0;
                int r = (int) Math.min(255, ((s >> 16) & 255) * (0.4 + lum));
                int g = (int) Math.min(255, ((s >> 8) & 255) * (0.4 + lum));
                int b = (int) Math.min(255, (s & 255) * (0.4 + lum));
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }

    /** Writes the synthetic report into args[0], at full size, for a look in a browser. */
    public static void main(String[] args) throws IOException {
        System.out.println(build(Path.of(args[0]), 256, 300));
    }
}
