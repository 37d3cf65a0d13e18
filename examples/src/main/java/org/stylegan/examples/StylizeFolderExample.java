package org.stylegan.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.stylegan.core.StyleModel;

/**
 * Applies a saved model to every image in a folder (recursively), keeping the folder layout, at most 1024 px
 * on the longer side and in 512 px tiles so memory stays bounded for large photos.
 *
 * <pre>
 * java -cp examples/target/style-gan-cli.jar org.stylegan.examples.StylizeFolderExample MODEL.zip IN_DIR OUT_DIR
 * </pre>
 */
public final class StylizeFolderExample {

    private StylizeFolderExample() {
    }

    /** Usage: MODEL.zip IN_DIR OUT_DIR. */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: StylizeFolderExample MODEL.zip IN_DIR OUT_DIR");
            System.exit(2);
        }
        List<Path> written = run(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]), 1024);
        System.out.println("Stylized " + written.size() + " image(s) into " + args[2]);
    }

    /**
     * Loads the model and stylizes the folder.
     *
     * @param maxSize longer side of the outputs (inputs larger than this are scaled down)
     * @return the PNG files written
     */
    public static List<Path> run(Path model, Path inDir, Path outDir, int maxSize) throws IOException {
        StyleModel m = StyleModel.load(model);
        StyleModel.Options options = StyleModel.Options.DEFAULT.withMaxSize(maxSize).withTiles(512, 32);
        return m.stylizeAll(inDir, outDir, options);
    }
}
