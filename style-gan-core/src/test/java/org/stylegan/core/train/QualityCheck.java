package org.stylegan.core.train;

import java.nio.file.Files;
import java.nio.file.Path;
import org.stylegan.core.StyleModel;
import org.stylegan.core.StyleTransfer;
import org.stylegan.io.Images;

/**
 * Manual quality check (not a unit test): trains on the bundled images with the defaults and writes sample grids.
 * Args: contentDir styleFile outDir steps gamma.
 */
public final class QualityCheck {
    private QualityCheck() {
    }

    public static void main(String[] args) throws Exception {
        Path content = Path.of(args[0]);
        Path style = Path.of(args[1]);
        Path out = Files.createDirectories(Path.of(args[2]));
        int steps = Integer.parseInt(args[3]);
        double gamma = Double.parseDouble(args[4]);
        double tv = args.length > 5 ? Double.parseDouble(args[5]) : 0.02;
        long t0 = System.nanoTime();
        StyleModel m = StyleTransfer.builder().steps(steps).gamma(gamma).tv(tv)
                .listeners(Listeners.console(System.out, false, 25), Listeners.sampleGrid(out, 50),
                        Listeners.csv(out.resolve("losses.csv")))
                .build().fit(content, style);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("trained %d steps in %.1f s: %.2f steps/s%n", steps, s, steps / s);
        try (var files = Files.list(content)) {
            for (Path p : files.toList()) {
                Images.writePng(m.stylize(p, StyleModel.Options.DEFAULT.withMaxSize(256)),
                        out.resolve("out-" + p.getFileName() + ".png"));
            }
        }
        m.save(out.resolve("model.zip"));
    }
}
