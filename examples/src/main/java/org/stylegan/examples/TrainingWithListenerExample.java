package org.stylegan.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stylegan.core.StyleModel;
import org.stylegan.core.StyleTransfer;
import org.stylegan.core.train.History;
import org.stylegan.core.train.StepEvent;
import org.stylegan.core.train.TrainingContext;
import org.stylegan.core.train.TrainingListener;
import org.stylegan.io.Images;

/**
 * Watches a training run with a {@link TrainingListener}: logs the loss terms every few steps and writes a preview
 * of the current generator's output on a fixed content batch, so you can see the style appear.
 *
 * <pre>
 * java -cp examples/target/style-gan-cli.jar org.stylegan.examples.TrainingWithListenerExample
 * </pre>
 */
public final class TrainingWithListenerExample {

    private TrainingWithListenerExample() {
    }

    /**
     * What {@link #run} produced.
     *
     * @param model    the trained model
     * @param log      the logged lines, one per logged step
     * @param previews preview PNGs, in step order
     */
    public record Result(StyleModel model, List<String> log, List<Path> previews) {
    }

    /** Logs every {@code logEvery} steps and writes a preview every {@code previewEvery} steps (and at the end). */
    public static final class PreviewListener implements TrainingListener {
        private final Path folder;
        private final int logEvery;
        private final int previewEvery;
        private final PrintStream console;
        private final List<String> log = new ArrayList<>();
        private final List<Path> previews = new ArrayList<>();
        private TrainingContext context;

        /** Creates a listener writing previews into {@code folder}. */
        public PreviewListener(Path folder, int logEvery, int previewEvery, PrintStream console) {
            this.folder = folder;
            this.logEvery = logEvery;
            this.previewEvery = previewEvery;
            this.console = console;
        }

        @Override
        public void onStart(TrainingContext ctx) {
            this.context = ctx; // valid until training ends; used from onStep (the training thread)
        }

        @Override
        public void onStep(StepEvent e) {
            boolean last = e.step() + 1 == e.totalSteps();
            if (e.step() % logEvery == 0 || last) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "step %4d/%d  total %.3f",
                        e.step() + 1, e.totalSteps(), e.total()));
                e.terms().forEach((k, v) -> line.append(String.format(Locale.ROOT, "  %s %.4g", k, v)));
                line.append(String.format(Locale.ROOT, "  (%.0f ms)", e.stepMillis()));
                log.add(line.toString());
                console.println(line);
            }
            if ((e.step() + 1) % previewEvery == 0 || last) {
                INDArray preview = context.stylize(context.previewContent());
                Path file = folder.resolve(String.format(Locale.ROOT, "preview-%05d.png", e.step() + 1));
                try {
                    Files.createDirectories(folder);
                    Images.writePng(Images.toImages(preview).get(0), file);
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
                previews.add(file);
            }
        }

        @Override
        public void onEnd(History history) {
            console.printf(Locale.ROOT, "done: %d steps, %d previews in %s%n", history.size(), previews.size(), folder);
        }
    }

    /** Trains on the bundled photos against the bundled "stained_glass" style, 200 steps, previews in out/listener. */
    public static void main(String[] args) throws IOException {
        run(StyleTransfer.builder().steps(200), Path.of("out", "listener"), System.out);
    }

    /**
     * Trains with a {@link PreviewListener} attached.
     *
     * @param builder a configured builder (tests pass tiny settings)
     * @param outDir  where previews go
     */
    public static Result run(StyleTransfer.Builder builder, Path outDir, PrintStream console) throws IOException {
        int steps = builder.build().config().steps();
        PreviewListener listener = new PreviewListener(outDir, Math.max(1, steps / 20), Math.max(1, steps / 4),
                console);
        List<java.awt.image.BufferedImage> photos = BundledImages.content().stream()
                .map(BundledImages.Image::load).toList();
        StyleModel model = builder.listeners(listener).build()
                .fit(photos, BundledImages.get(BundledImages.Kind.STYLE, "stained_glass").load());
        return new Result(model, List.copyOf(listener.log), List.copyOf(listener.previews));
    }
}
