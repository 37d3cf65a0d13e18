package org.stylegan.consumer;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.stylegan.core.StyleModel;
import org.stylegan.core.StyleTransfer;
import org.stylegan.io.Images;

/**
 * The README's "Five lines", as a user's program compiled against the style-gan-core artifact.
 *
 * <pre>
 * java -cp ... org.stylegan.consumer.FiveLines DIR   (DIR holds photos/, style.jpg and photo.jpg)
 * </pre>
 */
public final class FiveLines {

    private FiveLines() {
    }

    /** Trains, stylizes and saves in the folder given as the only argument. */
    public static void main(String[] args) throws IOException {
        run(Path.of(args.length > 0 ? args[0] : "."));
    }

    /**
     * Runs the five lines in {@code dir}: trains on {@code dir/photos} against {@code dir/style.jpg}, writes
     * {@code dir/stylized.png} (from {@code dir/photo.jpg}) and {@code dir/model.zip}.
     *
     * <p>The code is the README's, with two differences: paths resolve against {@code dir} instead of the working
     * directory, and the builder gets tiny training settings (steps, image and crop sizes, batch), so that the
     * build's consumer test trains in seconds; the README's line trains with the defaults.
     */
    public static void run(Path dir) throws IOException {
        StyleModel model = StyleTransfer.builder().alpha(1).beta(10)                 // content and style weights
                .steps(2).imageSize(32).batchSize(1).styleSize(48).discriminatorCrop(32) // tiny: not in the README
                .build()
                .fit(dir.resolve("photos"), dir.resolve("style.jpg"));              // train on a folder of photos
        BufferedImage result = model.stylize(dir.resolve("photo.jpg"));             // any size
        Images.writePng(result, dir.resolve("stylized.png"));
        model.save(dir.resolve("model.zip"));                                       // StyleModel.load(...) later
    }
}
