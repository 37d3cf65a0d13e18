package org.stylegan.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The evaluation set on disk: a folder with {@code styles/} and {@code photos/} of images, and where the outputs
 * of each (style, photo) pair are expected.
 *
 * <p>Outputs for the pair (style {@code S.jpg}, photo {@code P.jpg}) live at {@code OUTPUTS/S/P.png} (or
 * {@code .jpg}/{@code .jpeg}): one folder per style named by the style's file stem, one file per photo named by
 * the photo's file stem. The repository's set is the folder {@code evaluation/} at its root.
 *
 * @param root   the set's folder
 * @param styles the style images, sorted by file name
 * @param photos the held-out photos, sorted by file name
 */
public record EvaluationSet(Path root, List<Path> styles, List<Path> photos) {

    /** File name endings the set and the outputs may use. */
    public static final List<String> IMAGE_EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

    /** Copies the lists, so the record stays immutable. */
    public EvaluationSet {
        styles = List.copyOf(styles);
        photos = List.copyOf(photos);
    }

    /**
     * Lists the images of a set folder.
     *
     * @param root a folder holding {@code styles/} and {@code photos/}
     * @throws IllegalArgumentException if either subfolder is missing or holds no image
     * @throws IOException              if a folder cannot be listed
     */
    public static EvaluationSet load(Path root) throws IOException {
        if (root == null) {
            throw new IllegalArgumentException(
                    "evaluation set folder must not be null: pass e.g. Path.of(\"evaluation\")");
        }
        return new EvaluationSet(root, images(root, "styles"), images(root, "photos"));
    }

    private static List<Path> images(Path root, String sub) throws IOException {
        Path dir = root.resolve(sub);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("evaluation set " + root.toAbsolutePath() + " has no " + sub
                    + "/ folder: a set is a folder with styles/ and photos/ of .png or .jpg images");
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile).filter(EvaluationSet::isImage).forEach(out::add);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(dir.toAbsolutePath() + " holds no .png or .jpg image");
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }

    /** Whether the file name ends in one of {@link #IMAGE_EXTENSIONS} (any case). */
    public static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return IMAGE_EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    /** A file's name without its extension ({@code cat.jpg} gives {@code cat}). */
    public static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /**
     * The output file of a pair under {@code outputs}, if one exists ({@code outputs/STYLE/PHOTO.png}, then
     * {@code .jpg}, then {@code .jpeg}).
     */
    public static Optional<Path> output(Path outputs, Path style, Path photo) {
        Path dir = outputs.resolve(stem(style));
        for (String ext : IMAGE_EXTENSIONS) {
            Path p = dir.resolve(stem(photo) + ext);
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
