package org.stylegan.examples;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.stylegan.core.net.GeneratorConfig;
import org.stylegan.core.StyleModel;
import org.stylegan.core.StyleTransfer;
import org.stylegan.core.train.History;
import org.stylegan.core.Preset;
import org.stylegan.core.train.TrainerConfig;
import org.stylegan.core.train.TrainingListener;
import org.stylegan.examples.BundledImages.Kind;
import org.stylegan.examples.report.HtmlReport;
import org.stylegan.examples.report.ReportData;
import org.stylegan.examples.report.ReportLinkChecker;
import org.stylegan.examples.report.SampleGrid;
import org.stylegan.examples.report.TrainingReport;
import org.stylegan.io.Images;

/**
 * The quick start: trains a small style model on the bundled photos (some held out) against one bundled
 * style image, stylizes the held-out photos, and writes a report folder:
 *
 * <pre>
 * out/quickstart/
 *   index.html                 grids, curves, configuration, timings
 *   model.zip                  the trained model (style-gan stylize --model ...)
 *   stylized/&lt;photo&gt;.png       each held-out photo, stylized
 *   grids/&lt;photo&gt;.png          content | stylized | style
 *   curves/losses.png          every loss term over the steps (weighted), curves/raw-terms.png (raw)
 * </pre>
 *
 * The defaults ({@link Settings#defaults}) train {@link Preset#FAST}, the GAN recipe docs/quality.md measures, in
 * about three minutes on two CPU cores; see docs/cli.md. {@link #runPretrained} writes the same folder with a pretrained model
 * instead of training one.
 */
public final class Quickstart {

    private Quickstart() {
    }

    /**
     * What to run.
     *
     * @param out        output folder (created)
     * @param steps      training steps
     * @param style      bundled style image name (see {@link BundledImages#names})
     * @param holdOut    bundled content photos kept out of training and stylized afterwards (at least one; at
     *                   least one photo must remain for training)
     * @param imageSize  training crop side (multiple of 4)
     * @param batchSize  crops per step
     * @param alpha      content weight
     * @param beta       style weight
     * @param gamma      adversarial weight (0 = no discriminator)
     * @param tv         total-variation weight
     * @param styleSize  shorter side the style image is resized to for its Gram targets
     * @param generator  generator architecture
     * @param maxSize    longer side the held-out photos are stylized at
     * @param cellHeight panel height in the grids
     * @param seed       training seed
     * @param trainSeconds time budget of training in seconds: training stops after the step that crosses it
     *                   (so a slow or busy machine still finishes in time); 0 = run every step
     * @param preset     the recipe ({@link Preset}) instead of the tuned defaults' weights, or null for those
     */
    public record Settings(Path out, int steps, String style, List<String> holdOut, int imageSize, int batchSize,
                           double alpha, double beta, double gamma, double tv, int styleSize,
                           GeneratorConfig generator, int maxSize, int cellHeight, long seed, int trainSeconds,
                           Preset preset) {

        /** Default output folder. */
        public static final Path DEFAULT_OUT = Path.of("out", "quickstart");
        /** Default style image. */
        public static final String DEFAULT_STYLE = "swirls";
        /** Default number of steps. */
        public static final int DEFAULT_STEPS = 600;
        /** Default training time budget in seconds. */
        public static final int DEFAULT_TRAIN_SECONDS = 180;

        /** Validates names and copies the list; numeric ranges are validated by the trainer's config. */
        public Settings {
            Objects.requireNonNull(out, "out");
            Objects.requireNonNull(style, "style");
            Objects.requireNonNull(generator, "generator");
            BundledImages.get(Kind.STYLE, style);
            holdOut = List.copyOf(holdOut);
            if (holdOut.isEmpty()) {
                throw new IllegalArgumentException("holdOut must name at least one bundled photo, found none; "
                        + "choose from " + BundledImages.names(Kind.CONTENT));
            }
            for (String h : holdOut) {
                BundledImages.get(Kind.CONTENT, h);
            }
            if (holdOut.size() >= BundledImages.content().size()) {
                throw new IllegalArgumentException("holdOut " + holdOut + " leaves no photo for training; hold out "
                        + "at most " + (BundledImages.content().size() - 1));
            }
            if (steps < 1) {
                throw new IllegalArgumentException("steps must be >= 1, found " + steps);
            }
            if (trainSeconds < 0) {
                throw new IllegalArgumentException("trainSeconds must be >= 0 (0 = no limit), found " + trainSeconds);
            }
            if (maxSize < 16 || cellHeight < 16) {
                throw new IllegalArgumentException("maxSize and cellHeight must be >= 16, found " + maxSize + " and "
                        + cellHeight);
            }
        }

        /**
         * The quick start's recipe, writing to {@code out}: {@link Preset#FAST} (the GAN with a 3-level
         * discriminator pyramid, 96 px crops of photos at 256 px, gamma 0.1, alpha 3; docs/quality.md) with the small
         * generator, 600 steps within 180 s, held-out cat, style swirls, outputs at 512 px.
         */
        public static Settings defaults(Path out) {
            return handRecipe(out).withPreset(Preset.FAST);
        }

        /**
         * The quick start's recipe before the presets (what {@code --preset none} trains): 96 px crops of whole
         * photos, batch 2, alpha 1, beta 10, <b>gamma 0</b> (no discriminator), tv 0.1, 600 steps within 180 s. A
         * recolouring with fine texture on the evaluator's figures; kept as the baseline the presets are measured
         * against (docs/evaluation.md, docs/quality.md).
         */
        public static Settings handRecipe(Path out) {
            return new Settings(out, DEFAULT_STEPS, DEFAULT_STYLE, List.of("cat"), 96, 2, 1, 10, 0.0, 0.1, 256,
                    TrainerConfig.smallGenerator(), 512, 256, 42,
                    DEFAULT_TRAIN_SECONDS, null);
        }

        /** Returns a copy with another step count. */
        public Settings withSteps(int v) {
            return new Settings(out, v, style, holdOut, imageSize, batchSize, alpha, beta, gamma, tv, styleSize,
                    generator, maxSize, cellHeight, seed, trainSeconds, preset);
        }

        /** Returns a copy with another style image. */
        public Settings withStyle(String v) {
            return new Settings(out, steps, v, holdOut, imageSize, batchSize, alpha, beta, gamma, tv, styleSize,
                    generator, maxSize, cellHeight, seed, trainSeconds, preset);
        }

        /** Returns a copy with another training crop size. */
        public Settings withImageSize(int v) {
            return new Settings(out, steps, style, holdOut, v, batchSize, alpha, beta, gamma, tv, styleSize,
                    generator, maxSize, cellHeight, seed, trainSeconds, preset);
        }

        /** Returns a copy trained with these loss weights and no preset (the hand recipe with other weights). */
        public Settings withWeights(double a, double b, double g, double t) {
            return new Settings(out, steps, style, holdOut, imageSize, batchSize, a, b, g, t, styleSize, generator,
                    maxSize, cellHeight, seed, trainSeconds, null);
        }

        /** Returns a copy with another generator, style size and output sizes (for tests: tiny everything). */
        public Settings withSizes(GeneratorConfig g, int styleSz, int maxSz, int cell) {
            return new Settings(out, steps, style, holdOut, imageSize, batchSize, alpha, beta, gamma, tv, styleSz, g,
                    maxSz, cell, seed, trainSeconds, preset);
        }

        /** Returns a copy with another training time budget (0 = no limit). */
        public Settings withTrainSeconds(int v) {
            return new Settings(out, steps, style, holdOut, imageSize, batchSize, alpha, beta, gamma, tv, styleSize,
                    generator, maxSize, cellHeight, seed, v, preset);
        }

        /**
         * Returns a copy trained with a preset's recipe (its weights, discriminator pyramid, learning rates and crop
         * size; the whole crop is the discriminator's) and its steps; the quick start's time budget, style size,
         * generator and seed stay. Null: the tuned defaults.
         */
        public Settings withPreset(Preset p) {
            return new Settings(out, p == null ? steps : p.steps(), style, holdOut, p == null ? imageSize : p.imageSize(),
                    batchSize, alpha, beta, gamma, tv, styleSize, generator, maxSize, cellHeight, seed, trainSeconds, p);
        }

        /** Returns a copy with other held-out photos. */
        public Settings withHoldOut(List<String> v) {
            return new Settings(out, steps, style, v, imageSize, batchSize, alpha, beta, gamma, tv, styleSize,
                    generator, maxSize, cellHeight, seed, trainSeconds, preset);
        }

        /** Builds the training configuration these settings stand for. */
        public StyleTransfer.Builder trainer() {
            if (preset != null) {
                return StyleTransfer.builder().preset(preset).steps(steps).imageSize(imageSize)
                        .discriminatorCrop(imageSize).styleSize(styleSize).generator(generator).seed(seed);
            }
            return StyleTransfer.builder().steps(steps).imageSize(imageSize).batchSize(batchSize).alpha(alpha)
                    .beta(beta).gamma(gamma).tv(tv).styleSize(styleSize)
                    .discriminatorCrop(Math.min(64, imageSize)).generator(generator).seed(seed);
        }
    }

    /**
     * What a run wrote.
     *
     * @param index    the report page
     * @param model    the saved model
     * @param stylized one stylized PNG per held-out photo
     * @param grids    one grid PNG per held-out photo
     * @param curves   loss-curve PNGs
     * @param history  the training history
     * @param training wall time of training
     * @param total    wall time of the whole run
     */
    public record Result(Path index, Path model, List<Path> stylized, List<Path> grids, List<Path> curves,
                         History history, Duration training, Duration total) {
    }

    /**
     * Runs the quick start.
     *
     * @param settings  what to run
     * @param log       where to print stage messages (the console), not null
     * @param listeners extra training listeners, e.g. a progress bar
     * @throws IOException when an output file cannot be written
     */
    public static Result run(Settings settings, PrintStream log, TrainingListener... listeners) throws IOException {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(log, "log");
        long t0 = System.nanoTime();
        BundledImages.Image styleImage = BundledImages.get(Kind.STYLE, settings.style());
        BufferedImage style = styleImage.load();
        List<BundledImages.Image> train = new ArrayList<>();
        List<BundledImages.Image> held = new ArrayList<>();
        for (BundledImages.Image im : BundledImages.content()) {
            boolean h = settings.holdOut().stream().anyMatch(n -> n.equalsIgnoreCase(im.name()));
            (h ? held : train).add(im);
        }
        List<BufferedImage> trainImages = train.stream().map(BundledImages.Image::load).toList();
        StyleTransfer.Builder trainer = settings.trainer().listeners(listeners);
        trainer.timeLimit(null);   // the quick start's own budget, not a preset's
        if (settings.trainSeconds() > 0) {
            trainer.timeLimit(Duration.ofSeconds(settings.trainSeconds()));
        }
        StyleTransfer styleTransfer = trainer.build();
        Files.createDirectories(settings.out());
        log.printf(Locale.ROOT, "Training %d steps (at most %s) on %s (%d px crops) against style '%s'; held out: %s%n",
                settings.steps(), settings.trainSeconds() == 0 ? "no time limit" : settings.trainSeconds() + " s",
                names(train), settings.imageSize(), styleImage.name(), names(held));

        long tTrain = System.nanoTime();
        StyleModel model = styleTransfer.fit(trainImages, style);
        Duration training = Duration.ofNanos(System.nanoTime() - tTrain);
        boolean stoppedEarly = model.history().size() < settings.steps();
        if (stoppedEarly) {
            log.printf(Locale.ROOT, "Time budget of %d s reached: stopped after %d of %d steps.%n",
                    settings.trainSeconds(), model.history().size(), settings.steps());
        }
        ReportData.Builder data = ReportData.builder("style-gan quick start: " + styleImage.name())
                .subtitle("A small generator trained for " + model.history().size() + " steps on " + names(train)
                        + "; the photos below (" + names(held) + ") were held out of training.");
        data.config("style image", styleImage.fileName()).config("training photos", names(train));
        if (stoppedEarly) {
            data.note("Training stopped at the time budget (" + settings.trainSeconds() + " s) after "
                    + model.history().size() + " of " + settings.steps() + " steps: this machine was slower than "
                    + "the budget assumes. Run with a larger time budget (--train-seconds) for the full result.");
        }
        data.timing("training (" + model.history().size() + " steps)", training);
        return writeOutputs(settings, model, styleImage.name(), style, held, data, training, t0);
    }

    /**
     * The quick start without training: stylizes the held-out photos with a pretrained model (e.g.
     * {@code PretrainedStyles.load("impasto")}) and writes the same folder as {@link #run}, its curves those of the
     * model's own training run. The settings' training fields and style are not used.
     *
     * @param settings   output folder, held-out photos and sizes
     * @param name       the pretrained style's name, for captions
     * @param model      the pretrained model
     * @param styleImage the style image it was trained on (the grids' third panel)
     * @param log        where to print stage messages
     * @throws IOException when an output file cannot be written
     */
    public static Result runPretrained(Settings settings, String name, StyleModel model, BufferedImage styleImage,
                                       PrintStream log) throws IOException {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(styleImage, "styleImage");
        Objects.requireNonNull(log, "log");
        long t0 = System.nanoTime();
        List<BundledImages.Image> held = BundledImages.content().stream()
                .filter(im -> settings.holdOut().stream().anyMatch(n -> n.equalsIgnoreCase(im.name()))).toList();
        Files.createDirectories(settings.out());
        log.printf(Locale.ROOT, "No training: the pretrained style '%s' stylizes %s%n", name, names(held));
        ReportData.Builder data = ReportData.builder("style-gan quick start: pretrained " + name)
                .subtitle("The pretrained style '" + name + "' (trained for " + model.history().size()
                        + " steps, no training here) on the bundled photos " + names(held) + ".");
        data.config("pretrained style", name);
        return writeOutputs(settings, model, name, styleImage, held, data, Duration.ZERO, t0);
    }

    /** Saves the model, stylizes the held-out photos, draws grids and curves, and writes the report. */
    private static Result writeOutputs(Settings settings, StyleModel model, String styleName, BufferedImage style,
                                       List<BundledImages.Image> held, ReportData.Builder data, Duration training,
                                       long t0) throws IOException {
        Path out = settings.out();
        long tSave = System.nanoTime();
        Path modelFile = out.resolve("model.zip");
        model.save(modelFile);
        Duration saving = Duration.ofNanos(System.nanoTime() - tSave);

        long tStylize = System.nanoTime();
        SampleGrid grid = SampleGrid.builder().cellHeight(settings.cellHeight()).build();
        StyleModel.Options options = StyleModel.Options.DEFAULT.withMaxSize(settings.maxSize());
        List<Path> stylized = new ArrayList<>();
        List<Path> grids = new ArrayList<>();
        for (BundledImages.Image im : held) {
            BufferedImage content = im.load();
            BufferedImage result = model.stylize(content, options);
            Path s = out.resolve("stylized/" + im.name() + ".png");
            Files.createDirectories(s.getParent());
            Images.writePng(result, s);
            stylized.add(s);
            Path g = out.resolve("grids/" + im.name() + ".png");
            grid.write(g, List.of(List.of(new SampleGrid.Panel("content (held out)", content),
                    new SampleGrid.Panel("stylized", result), new SampleGrid.Panel("style: " + styleName, style))));
            grids.add(g);
            data.grid("grids/" + im.name() + ".png", im.name() + " (held out) in the style of " + styleName);
            data.stylized("stylized/" + im.name() + ".png",
                    im.name() + ", " + result.getWidth() + "x" + result.getHeight());
        }
        Duration stylizing = Duration.ofNanos(System.nanoTime() - tStylize);

        List<ReportData.Figure> curves = model.history().isEmpty() ? List.of()
                : TrainingReport.writeCurves(model.history(), out);
        curves.forEach(f -> data.curve(f.path(), f.caption()));
        TrainingReport.addMetrics(data, model.history());
        TrainingReport.addEvaluations(data, model.history());
        data.metric("generator parameters", String.format(Locale.ROOT, "%,d", model.numParams()));
        TrainingReport.addConfig(data, model.config());
        data.config("held-out photos", names(held))
                .config("output size (longer side)", settings.maxSize() + " px");
        data.timing("saving model.zip", saving)
                .timing("stylizing " + held.size() + " photo(s) + grids", stylizing)
                .timing("whole quick start (without the Maven build)", Duration.ofNanos(System.nanoTime() - t0));
        data.note("The model is saved in model.zip: stylize your own photos with "
                + "java -jar examples/target/style-gan-cli.jar stylize --model " + modelFile
                + " --input PHOTO --output OUT.png");
        Path index = HtmlReport.write(out, data.build());
        ReportLinkChecker.requireValid(index);
        List<Path> curveFiles = curves.stream().map(f -> out.resolve(f.path())).toList();
        return new Result(index, modelFile, stylized, grids, curveFiles, model.history(), training,
                Duration.ofNanos(System.nanoTime() - t0));
    }

    private static String names(List<BundledImages.Image> images) {
        return String.join(", ", images.stream().map(BundledImages.Image::name).toList());
    }
}
