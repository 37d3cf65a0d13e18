package org.stylegan.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.stylegan.core.StyleModel;
import org.stylegan.core.StyleTransfer;
import org.stylegan.core.train.GanTrainer;
import org.stylegan.core.train.TrainerConfig;
import org.stylegan.examples.report.HtmlReport;
import org.stylegan.examples.report.ReportData;
import org.stylegan.examples.report.ReportLinkChecker;
import org.stylegan.examples.report.TrainingReport;
import org.stylegan.io.Images;
import org.stylegan.models.PretrainedStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import org.stylegan.core.Preset;
import org.stylegan.core.net.DiscriminatorConfig;
import org.stylegan.core.net.Generator;

/** {@code style-gan train}: trains a style model on a folder of photos and saves it. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a style model on the photos under a folder (recursive) against one or more style images, and save it as a single zip file. Defaults follow docs/training-guide.md.")
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    StyleGanCli cli;

    @Option(names = "--content", paramLabel = "DIR", required = true,
            description = "Folder of content photos (PNG/JPEG/BMP/GIF, searched recursively).")
    Path content;

    @Option(names = "--style", paramLabel = "IMAGE", required = true,
            description = "Style image; repeat for several styles in one model.")
    List<Path> styles = new ArrayList<>();

    @Option(names = "--out", paramLabel = "MODEL.zip", required = true, description = "Model file to write.")
    Path out;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "Starting recipe: fast (the GAN with 3 discriminator scales, 96 px, 600 steps within 3 "
                + "minutes) or quality (128 px, 3000 steps within 30 minutes, best evaluated step kept); options given "
                + "explicitly override its values, other defaults below do not apply. Default: none.")
    String preset;

    @Option(names = "--steps", paramLabel = "N", description = "Training steps (default: ${DEFAULT-VALUE}).")
    int steps = 300;

    @Option(names = "--size", paramLabel = "PX",
            description = "Training crop side, a multiple of 4 (default: ${DEFAULT-VALUE}).")
    int size = 128;

    @Option(names = "--photo-size", paramLabel = "PX",
            description = "Shorter side each photo is resized to before the --size crop, >= --size; set it to the size "
                    + "you will stylize at so strokes keep their size (default: --size, the whole photo per crop).")
    Integer photoSize;

    @Option(names = "--batch", paramLabel = "N", description = "Crops per step (default: ${DEFAULT-VALUE}).")
    int batch = 2;

    @Option(names = "--alpha", paramLabel = "A", description = "Content weight (default: ${DEFAULT-VALUE}).")
    double alpha = 1;

    @Option(names = "--beta", paramLabel = "B", description = "Style weight (default: ${DEFAULT-VALUE}).")
    double beta = 10;

    @Option(names = "--gamma", paramLabel = "G",
            description = "Adversarial weight; 0 turns the discriminator off (default: ${DEFAULT-VALUE}).")
    double gamma = 0.1;

    @Option(names = "--tv", paramLabel = "T",
            description = "Total-variation weight of the auto-balanced term (default: the library's, 0.02).")
    Double tv;

    @Option(names = "--lr-generator", paramLabel = "LR", description = "Generator learning rate (default: 1e-3).")
    Double lrGenerator;

    @Option(names = "--lr-discriminator", paramLabel = "LR",
            description = "Discriminator learning rate (default: 2e-4).")
    Double lrDiscriminator;

    @Option(names = "--discriminator", paramLabel = "KIND",
            description = "Discriminator kind: patch (PatchGAN) or resnet (default: patch).")
    String discriminator;

    @Option(names = "--discriminator-scales", paramLabel = "N",
            description = "Discriminators in the pyramid; level k judges crops at 1/2^k size (default: 1).")
    Integer discriminatorScales;

    @Option(names = "--crop", paramLabel = "PX",
            description = "Discriminator crop side (default: min(64, --size)).")
    Integer crop;

    @Option(names = "--evaluate-every", paramLabel = "N",
            description = "Evaluate on the held-out photo every N steps and keep the best generator (0 = off, "
                + "the last; default: 0).")
    Integer evaluateEvery;

    @Option(names = "--held-out", paramLabel = "IMAGE",
            description = "Photo for --evaluate-every, not in the content folder (default: the first training "
                + "crop).")
    Path heldOut;

    @Option(names = "--time-limit", paramLabel = "SECONDS",
            description = "Stop after the step that crosses this training time and save what was trained; 0 = no "
                + "limit (default: the preset's budget, else none).")
    Integer timeLimit;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--resume", paramLabel = "CHECKPOINT",
            description = "Continue from a checkpoint written by --checkpoint-every (same content and styles).")
    Path resume;

    @Option(names = "--init", paramLabel = "NAME|CHECKPOINT.zip",
            description = "Fine-tune: start a new run (step 0, this command's styles, weights and steps) from the "
                + "networks and optimizer state of a pretrained style ('style-gan styles' lists them) or of a "
                + "checkpoint file; the network shapes are the checkpoint's.")
    String init;

    @Mixin
    CatalogOption catalogOption;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Also write a report folder: loss curves, a sample, index.html.")
    Path report;

    @Option(names = "--checkpoint-every", paramLabel = "N",
            description = "Write a checkpoint every N steps and at the end into MODEL.checkpoints/ (0 = only "
                + "at the end; default: none).")
    Integer checkpointEvery;

    @Option(names = "--filters", paramLabel = "N",
            description = "Generator base filters (default: ${DEFAULT-VALUE}; the reference net uses 32).")
    int filters = 16;

    @Option(names = "--blocks", paramLabel = "N",
            description = "Generator residual blocks (default: ${DEFAULT-VALUE}; the reference net uses 5).")
    int blocks = 3;

    @Override
    public Integer call() throws Exception {
        CliSupport.requireDirectory(spec, "--content", content);
        for (Path s : styles) {
            CliSupport.requireFile(spec, "--style", s);
        }
        if (resume != null) {
            CliSupport.requireFile(spec, "--resume", resume);
        }
        Path initFrom = init == null ? null : initCheckpoint();
        String name = out.getFileName().toString();
        if (!name.toLowerCase(Locale.ROOT).endsWith(".zip")) {
            throw CliSupport.usage(spec, "--out must name a .zip file (e.g. model.zip), found " + out);
        }
        if (Files.isDirectory(out)) {
            throw CliSupport.usage(spec, "--out is a folder, expected a file name: " + out.toAbsolutePath());
        }
        CliSupport.requireAtLeast(spec, "--steps", steps, 1);
        CliSupport.requireAtLeast(spec, "--batch", batch, 1);
        CliSupport.requireAtLeast(spec, "--filters", filters, 1);
        CliSupport.requireAtLeast(spec, "--blocks", blocks, 0);
        if (size < 16 || size % 4 != 0) {
            throw CliSupport.usage(spec, "--size must be a multiple of 4 and >= 16, found " + size);
        }
        CliSupport.requireNonNegative(spec, "--alpha", alpha);
        CliSupport.requireNonNegative(spec, "--beta", beta);
        CliSupport.requireNonNegative(spec, "--gamma", gamma);
        if (checkpointEvery != null) {
            CliSupport.requireAtLeast(spec, "--checkpoint-every", checkpointEvery, 0);
        }
        Path checkpointDir = checkpointEvery == null ? null
                : out.toAbsolutePath().resolveSibling(name.substring(0, name.length() - 4) + ".checkpoints");
        ProgressBar bar = new ProgressBar(cli.out, CliSupport.interactive(cli.out), "train");
        StyleTransfer transfer;
        try {
            StyleTransfer.Builder b = StyleTransfer.builder();
            // Without a preset every option applies, its default included; with one only those given explicitly.
            ParseResult given = spec.commandLine().getParseResult();
            boolean all = preset == null;
            if (!all) {
                b.preset(Preset.parse(preset));
            }
            if (all || given.hasMatchedOption("--steps")) {
                b.steps(steps);
            }
            if (all || given.hasMatchedOption("--size")) {
                b.imageSize(size);
            }
            if (all || given.hasMatchedOption("--batch")) {
                b.batchSize(batch);
            }
            if (all || given.hasMatchedOption("--alpha")) {
                b.alpha(alpha);
            }
            if (all || given.hasMatchedOption("--beta")) {
                b.beta(beta);
            }
            if (all || given.hasMatchedOption("--gamma")) {
                b.gamma(gamma);
            }
            if (photoSize != null) {
                b.photoSize(photoSize);
            }
            if (timeLimit != null) {
                CliSupport.requireAtLeast(spec, "--time-limit", timeLimit, 0);
                b.timeLimit(timeLimit == 0 ? null : Duration.ofSeconds(timeLimit));
            }
            if (crop != null) {
                b.discriminatorCrop(crop);
            } else if (all) {
                b.discriminatorCrop(Math.min(64, size));
            }
            if (tv != null) {
                b.tv(tv);
            }
            if (lrGenerator != null) {
                b.lrGenerator(lrGenerator);
            }
            if (lrDiscriminator != null) {
                b.lrDiscriminator(lrDiscriminator);
            }
            if (discriminator != null) {
                b.discriminator(discriminatorConfig(discriminator, seed));
            }
            if (discriminatorScales != null) {
                b.discriminatorScales(discriminatorScales);
            }
            if (evaluateEvery != null) {
                b.evaluateEvery(evaluateEvery);
            }
            if (heldOut != null) {
                b.heldOut(heldOut);
            }
            b.seed(seed).generator(CliSupport.generator(filters, 2, blocks, seed)).listeners(bar);
            if (checkpointDir != null) {
                b.checkpointDir(checkpointDir).checkpointEvery(checkpointEvery);
            }
            if (initFrom != null) {
                b.initFrom(initFrom);
            }
            transfer = b.build();
        } catch (IllegalArgumentException e) {
            throw CliSupport.usage(spec, e.getMessage());
        }
        Path[] styleFiles = styles.toArray(new Path[0]);
        cli.out.printf(Locale.ROOT, "Training %d steps on %s against %s%n", transfer.config().steps(), content, styles);
        long t0 = System.nanoTime();
        StyleModel model = resume != null ? transfer.resume(resume, content, styleFiles)
                : transfer.fit(content, styleFiles);
        Duration training = Duration.ofNanos(System.nanoTime() - t0);
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        model.save(out);
        cli.out.printf(Locale.ROOT, "Saved %s (%,d generator parameters) after %.0f s of training.%n", out,
                model.numParams(), training.toMillis() / 1000.0);
        if (checkpointDir != null) {
            cli.out.println("Checkpoint: " + checkpointDir.resolve(GanTrainer.CHECKPOINT_FILE));
        }
        if (report != null) {
            Path index = writeReport(model, training);
            cli.out.println("Report: " + index.toAbsolutePath().toUri());
        }
        return StyleGanCli.OK;
    }

    /** The checkpoint of {@code --init}: a file, else a pretrained style's (copied out of the jar once). */
    private Path initCheckpoint() throws java.io.IOException {
        if (resume != null) {
            throw CliSupport.usage(spec, "--init and --resume: give one of them (--resume continues a run, --init "
                    + "starts a new one from a checkpoint's networks)");
        }
        ParseResult given = spec.commandLine().getParseResult();
        for (String o : List.of("--filters", "--blocks", "--discriminator", "--discriminator-scales")) {
            if (given.hasMatchedOption(o)) {
                throw CliSupport.usage(spec, o + ": with --init the networks are the checkpoint's; drop " + o);
            }
        }
        Path file = Path.of(init);
        if (Files.isRegularFile(file)) {
            return file;
        }
        String lower = init.toLowerCase(Locale.ROOT);
        if (init.contains("/") || init.contains(java.io.File.separator) || lower.endsWith(".zip")
                || lower.endsWith(".sgm")) {
            throw CliSupport.usage(spec, "--init: checkpoint file not found: " + file.toAbsolutePath());
        }
        PretrainedStyle style = catalogOption.style(spec, "--init", init);
        cli.out.println("Starting from the networks of the pretrained style '" + style.name() + "'");
        return style.checkpoint();
    }

    private Path writeReport(StyleModel model, Duration training) throws java.io.IOException {
        Files.createDirectories(report);
        TrainerConfig c = model.config();
        ReportData.Builder data = ReportData.builder("style-gan training: " + out.getFileName())
                .subtitle("Trained on " + content + " against " + styles);
        if (model.sample() != null) {
            Files.createDirectories(report.resolve("samples"));
            Images.writePng(model.sample(), report.resolve("samples/sample.png"));
            data.stylized("samples/sample.png", "a training crop, stylized by the final generator");
        }
        if (!model.history().isEmpty()) {
            TrainingReport.writeCurves(model.history(), report).forEach(f -> data.curve(f.path(), f.caption()));
        }
        TrainingReport.addMetrics(data, model.history());
        TrainingReport.addEvaluations(data, model.history());
        TrainingReport.addConfig(data, c);
        data.config("model file", out.toAbsolutePath().toString());
        data.timing("training (" + c.steps() + " steps)", training);
        Path index = HtmlReport.write(report, data.build());
        ReportLinkChecker.requireValid(index);
        return index;
    }

    /** The small discriminator of the given kind ({@code patch} or {@code resnet}) with the run's seed. */
    private DiscriminatorConfig discriminatorConfig(String kind, long seed) {
        DiscriminatorConfig small = TrainerConfig.smallDiscriminator();
        DiscriminatorConfig.Type type = switch (kind.trim().toLowerCase(Locale.ROOT)) {
            case "patch", "patchgan" -> DiscriminatorConfig.Type.PATCH_GAN;
            case "resnet" -> DiscriminatorConfig.Type.RESNET;
            default -> throw CliSupport.usage(spec, "--discriminator must be patch or resnet, found '" + kind + "'");
        };
        return new DiscriminatorConfig(type, small.baseFilters(), small.layers(), small.normalization(),
                small.output(), small.leakySlope(), seed);
    }
}
