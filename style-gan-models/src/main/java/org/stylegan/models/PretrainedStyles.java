package org.stylegan.models;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.stylegan.core.StyleModel;

/**
 * The pretrained styles shipped on the class path: {@code PretrainedStyles.load("impasto").stylize(photo)}. The
 * static shorthand of {@link StyleCatalog#classpath()}; {@link #at(Path)} opens a folder with the same layout.
 *
 * <pre>{@code
 * for (PretrainedStyle s : PretrainedStyles.list()) {
 *     System.out.println(s.name() + ": " + s.manifest().title());
 * }
 * StyleModel model = PretrainedStyles.load("impasto");
 * StyleModel tuned = StyleTransfer.builder().initFrom(PretrainedStyles.get("impasto").checkpoint())
 *         .steps(200).build().fit(Path.of("photos"), Path.of("my-style.jpg"));   // fine-tune
 * }</pre>
 */
public final class PretrainedStyles {
    private PretrainedStyles() {
    }

    /** The class-path catalog. */
    public static StyleCatalog catalog() {
        return StyleCatalog.classpath();
    }

    /** Every shipped style in gallery order. */
    public static List<PretrainedStyle> list() {
        return catalog().styles();
    }

    /** The shipped styles' names in gallery order. */
    public static List<String> names() {
        return catalog().names();
    }

    /**
     * A shipped style by name (case-insensitive).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static PretrainedStyle get(String name) {
        return catalog().get(name);
    }

    /**
     * Loads a shipped style's model, its checksum checked first.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     * @throws org.stylegan.io.ModelFormatException when the model file is damaged
     */
    public static StyleModel load(String name) throws IOException {
        return catalog().load(name);
    }

    /**
     * A catalog in a folder with the class-path layout (your own styles; see {@link StyleCatalog}).
     *
     * @throws IllegalArgumentException when the folder does not exist
     */
    public static StyleCatalog at(Path folder) {
        return StyleCatalog.folder(folder);
    }
}
