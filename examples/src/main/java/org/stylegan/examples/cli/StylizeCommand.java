package org.stylegan.examples.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.stylegan.core.StyleModel;
import org.stylegan.io.Images;
import org.stylegan.models.PretrainedStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code style-gan stylize}: applies a trained model or a pretrained style to an image or a folder of images. */
@Command(name = "stylize", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Stylize one image, or every image under a folder (recursively, written as PNGs with the same relative paths), with a model written by 'train' or 'quickstart', or a pretrained style ('style-gan styles' lists them).")
final class StylizeCommand implements Callable<Integer> {
    /** Overlap of neighbouring tiles with --tile, in pixels (capped at a quarter of the tile). */
    static final int TILE_OVERLAP = 32;

    @Spec
    CommandSpec spec;

    @ParentCommand
    StyleGanCli cli;

    @Option(names = "--model", paramLabel = "MODEL.zip", description = "Trained model file (or give --style).")
    Path model;

    @Option(names = "--style", paramLabel = "NAME",
            description = "A pretrained style instead of --model ('style-gan styles' lists them).")
    String style;

    @Mixin
    CatalogOption catalogOption;

    @Option(names = "--input", paramLabel = "FILE|DIR", required = true, description = "Image or folder.")
    Path input;

    @Option(names = "--output", paramLabel = "FILE|DIR", required = true,
            description = "Output image (.png/.jpg) for a file input, or a folder.")
    Path output;

    @Option(names = "--strength", paramLabel = "0..1",
            description = "1 = full style, 0 = the photo unchanged (default: ${DEFAULT-VALUE}).")
    double strength = 1.0;

    @Option(names = "--preserve-colors", description = "Keep the photo's colours; take only light and texture.")
    boolean preserveColors;

    @Option(names = "--max-size", paramLabel = "PX",
            description = "Downscale inputs whose longer side exceeds PX; 0 = no limit (default: ${DEFAULT-VALUE}).")
    int maxSize = 0;

    @Option(names = "--tile", paramLabel = "PX",
            description = "Process large images in overlapping PX tiles (multiple of 4, >= 64) to bound memory; "
                + "0 = whole image (default: ${DEFAULT-VALUE}).")
    int tile = 0;

    @Option(names = "--brush-scale", paramLabel = "X",
            description = "Stroke size relative to training, 0.25..4: 2 paints strokes twice as large (the generator "
                + "works at half the resolution), 0.5 half as large (default: ${DEFAULT-VALUE}).")
    double brushScale = 1.0;

    @Override
    public Integer call() throws Exception {
        if ((model == null) == (style == null)) {
            throw CliSupport.usage(spec, model == null
                    ? "give --model MODEL.zip or --style NAME (a pretrained style; 'style-gan styles' lists them)"
                    : "--model and --style: give one of them, not both");
        }
        PretrainedStyle pretrained = style == null ? null : catalogOption.style(spec, "--style", style);
        if (model != null) {
            CliSupport.requireFile(spec, "--model", model);
        }
        if (!Files.exists(input)) {
            throw CliSupport.usage(spec, "--input: file or folder not found: " + input.toAbsolutePath());
        }
        if (!(strength >= 0 && strength <= 1)) {
            throw CliSupport.usage(spec, "--strength must be in [0, 1], found " + strength);
        }
        CliSupport.requireAtLeast(spec, "--max-size", maxSize, 0);
        if (tile != 0 && (tile < 64 || tile % 4 != 0)) {
            throw CliSupport.usage(spec, "--tile must be 0 (off) or a multiple of 4 >= 64, found " + tile);
        }
        if (!(brushScale >= StyleModel.Options.MIN_BRUSH_SCALE && brushScale <= StyleModel.Options.MAX_BRUSH_SCALE)) {
            throw CliSupport.usage(spec, "--brush-scale must be in [" + StyleModel.Options.MIN_BRUSH_SCALE + ", "
                    + StyleModel.Options.MAX_BRUSH_SCALE + "] (1 = strokes as trained), found " + brushScale);
        }
        boolean folder = Files.isDirectory(input);
        if (folder && Files.isRegularFile(output)) {
            throw CliSupport.usage(spec, "--output must be a folder when --input is a folder, found the file "
                    + output.toAbsolutePath());
        }
        Path target = output;
        if (!folder && Files.isDirectory(output)) {
            String n = input.getFileName().toString();
            target = output.resolve((n.contains(".") ? n.substring(0, n.lastIndexOf('.')) : n) + ".png");
        }
        if (!folder && !hasImageExtension(target)) {
            throw CliSupport.usage(spec, "--output must end in .png, .jpg or .jpeg (or be an existing folder), found "
                    + output);
        }
        StyleModel.Options options = new StyleModel.Options(strength, preserveColors, maxSize, tile,
                Math.min(TILE_OVERLAP, tile / 4), brushScale);
        StyleModel m = pretrained != null ? pretrained.load() : StyleModel.load(model);
        long t0 = System.nanoTime();
        if (folder) {
            List<Path> written = m.stylizeAll(input, output, options);
            cli.out.printf(Locale.ROOT, "Stylized %d image(s) into %s in %.1f s%n", written.size(), output,
                    (System.nanoTime() - t0) / 1e9);
        } else {
            BufferedImage result = m.stylize(input, options);
            if (target.toAbsolutePath().getParent() != null) {
                Files.createDirectories(target.toAbsolutePath().getParent());
            }
            Images.write(result, target);
            cli.out.printf(Locale.ROOT, "Wrote %s (%dx%d) in %.1f s%n", target, result.getWidth(), result.getHeight(),
                    (System.nanoTime() - t0) / 1e9);
        }
        return StyleGanCli.OK;
    }

    private static boolean hasImageExtension(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }
}
