package org.stylegan.examples.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.stylegan.core.Preset;
import org.stylegan.examples.BundledImages;
import org.stylegan.examples.Quickstart;
import org.stylegan.models.PretrainedStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code style-gan quickstart}: trains on the bundled photos (or takes a pretrained style), writes a report folder. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Train a small style model on the bundled photos (one held out) and a bundled style image, stylize the held-out photo, and write stylized images, grids, loss curves, model.zip and index.html to the output folder. About 3 minutes on 2 CPU cores with the defaults; seconds with --pretrained, which skips training.")
final class QuickstartCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    StyleGanCli cli;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out = Quickstart.Settings.DEFAULT_OUT;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "Training recipe: fast (the GAN with 3 discriminator scales, 96 px crops, 600 steps), "
                + "quality (128 px, 1500 steps) or none (the earlier gamma-0 recipe, no discriminator); the time "
                + "budget still applies (default: fast).")
    String preset;

    @Option(names = "--steps", paramLabel = "N", description = "Training steps (default: ${DEFAULT-VALUE}; "
            + "with --preset, the preset's).")
    int steps = Quickstart.Settings.DEFAULT_STEPS;

    @Option(names = "--style", paramLabel = "NAME",
            description = "Bundled style image: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            completionCandidates = StyleNames.class)
    String style = Quickstart.Settings.DEFAULT_STYLE;

    @Option(names = "--train-seconds", paramLabel = "S",
            description = "Training time budget: stop after the step that crosses it, so a slow machine still "
                + "finishes in time; 0 = no limit (default: ${DEFAULT-VALUE}).")
    int trainSeconds = Quickstart.Settings.DEFAULT_TRAIN_SECONDS;

    @Option(names = "--pretrained", paramLabel = "NAME",
            description = "Skip training: stylize with a pretrained style ('style-gan styles' lists them).")
    String pretrained;

    @Mixin
    CatalogOption catalogOption;

    @Option(names = "--size", paramLabel = "PX", hidden = true, description = "Training crop side.")
    Integer size;

    @Option(names = "--max-size", paramLabel = "PX", hidden = true, description = "Output size (longer side).")
    Integer maxSize;

    @Option(names = "--tiny", hidden = true,
            description = "Tiny networks and images, one discriminator level (for tests).")
    boolean tiny;

    @Override
    public Integer call() throws Exception {
        if (pretrained != null) {
            // Training options would be silently ignored: refuse them instead.
            for (String o : List.of("--preset", "--steps", "--style", "--train-seconds", "--size")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                    throw CliSupport.usage(spec, o + ": --pretrained skips training; drop " + o);
                }
            }
        }
        CliSupport.requireAtLeast(spec, "--steps", steps, 1);
        CliSupport.requireAtLeast(spec, "--train-seconds", trainSeconds, 0);
        if (BundledImages.styles().stream().noneMatch(s -> s.name().equalsIgnoreCase(style.trim()))) {
            throw CliSupport.usage(spec, "--style: no bundled style image named '" + style + "'; choose from "
                    + BundledImages.names(BundledImages.Kind.STYLE));
        }
        Quickstart.Settings s = Quickstart.Settings.defaults(out).withSteps(steps).withStyle(style.trim())
                .withTrainSeconds(trainSeconds);
        if (preset != null) {
            try {
                s = s.withPreset("none".equalsIgnoreCase(preset.trim()) ? null : Preset.parse(preset));
            } catch (IllegalArgumentException e) {
                throw CliSupport.usage(spec, "--preset: " + e.getMessage() + " (or none)");
            }
            if (spec.commandLine().getParseResult().hasMatchedOption("--steps")) {
                s = s.withSteps(steps);
            }
        }
        if (tiny) {
            // 32 px crops cannot hold a 3-level discriminator pyramid: tiny runs keep the preset's weights, one level.
            s = s.withSizes(CliSupport.generator(4, 2, 1, 42), 32, 48, 32).withImageSize(32)
                    .withWeights(Preset.ALPHA, Preset.BETA, Preset.GAMMA, Preset.TV);
        }
        if (size != null) {
            s = s.withImageSize(size);
        }
        if (maxSize != null) {
            s = s.withSizes(s.generator(), s.styleSize(), maxSize, s.cellHeight());
        }
        try {
            s.trainer().build();
        } catch (IllegalArgumentException e) {
            throw CliSupport.usage(spec, e.getMessage());
        }
        Quickstart.Result r;
        if (pretrained != null) {
            PretrainedStyle p = catalogOption.style(spec, "--pretrained", pretrained);
            r = Quickstart.runPretrained(s, p.name(), p.load(), p.styleImage(), cli.out);
            cli.out.printf(Locale.ROOT, "Whole quick start %.0f s (no training).%n", r.total().toMillis() / 1000.0);
        } else {
            ProgressBar bar = new ProgressBar(cli.out, CliSupport.interactive(cli.out), "train")
                    .timeBudget(trainSeconds);
            r = Quickstart.run(s, cli.out, bar);
            cli.out.printf(Locale.ROOT, "Trained in %.0f s; whole quick start %.0f s.%n",
                    r.training().toMillis() / 1000.0, r.total().toMillis() / 1000.0);
        }
        for (Path g : r.grids()) {
            cli.out.println("  grid:   " + g);
        }
        if (!r.curves().isEmpty()) {
            cli.out.println("  curves: " + r.curves().get(0));
        }
        cli.out.println("  model:  " + r.model());
        cli.out.println("Open " + r.index().toAbsolutePath().toUri());
        return StyleGanCli.OK;
    }

    /** Bundled style names for help text. */
    static final class StyleNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            List<String> names = BundledImages.styles().stream().map(BundledImages.Image::name).toList();
            return names.iterator();
        }
    }

}
