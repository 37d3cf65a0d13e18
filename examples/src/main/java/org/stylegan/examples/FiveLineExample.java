package org.stylegan.examples;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.stylegan.core.StyleModel;
import org.stylegan.core.StyleTransfer;
import org.stylegan.io.Images;

/**
 * The smallest complete use of style-gan: train on a folder of photos against a style image, stylize a photo,
 * save the model. The five lines are in {@link #run}.
 *
 * <pre>
 * java -cp examples/target/style-gan-cli.jar org.stylegan.examples.FiveLineExample [PHOTOS_DIR STYLE PHOTO OUT_DIR]
 * </pre>
 *
 * Without arguments it uses the bundled images, copied to {@code out/five-line}.
 */
public final class FiveLineExample {

    private FiveLineExample() {
    }

    /**
     * What {@link #run} produced.
     *
     * @param stylized the stylized photo (also written to {@code outDir/stylized.png})
     * @param model    the trained model (also saved to {@code outDir/model.zip})
     */
    public record Result(BufferedImage stylized, StyleModel model) {
    }

    /** Trains with {@code StyleTransfer.builder().alpha(1).beta(10)} and the other defaults. */
    public static void main(String[] args) throws IOException {
        Path outDir = args.length >= 4 ? Path.of(args[3]) : Path.of("out", "five-line");
        Path photos = args.length >= 1 ? Path.of(args[0]) : copyBundled(outDir.resolve("photos"));
        Path style = args.length >= 2 ? Path.of(args[1])
                : BundledImages.get(BundledImages.Kind.STYLE, "swirls").copyTo(outDir);
        Path photo = args.length >= 3 ? Path.of(args[2]) : photos.resolve("cat.jpg");
        run(StyleTransfer.builder().alpha(1).beta(10), photos, style, photo, outDir);
        System.out.println("Wrote " + outDir.resolve("stylized.png") + " and " + outDir.resolve("model.zip"));
    }

    /**
     * The five lines: build, fit, stylize, write, save.
     *
     * @param builder a configured builder (tests pass tiny settings)
     */
    public static Result run(StyleTransfer.Builder builder, Path photos, Path style, Path photo, Path outDir)
            throws IOException {
        Files.createDirectories(outDir);
        StyleModel model = builder.build().fit(photos, style);
        BufferedImage stylized = model.stylize(photo);
        Images.writePng(stylized, outDir.resolve("stylized.png"));
        model.save(outDir.resolve("model.zip"));
        return new Result(stylized, model);
    }

    private static Path copyBundled(Path folder) throws IOException {
        BundledImages.copyTo(BundledImages.Kind.CONTENT, folder);
        return folder;
    }
}
