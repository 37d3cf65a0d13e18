package org.stylegan.examples;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

/**
 * Lists, loads and copies the content and style images bundled on the classpath.
 *
 * <p>The images live under {@value #ROOT} and are enumerated from {@code index.txt} there, because
 * folders inside a (shaded) jar cannot be listed reliably. Sources and licences are in
 * {@code LICENSES.md} beside them. This class is stateless and thread-safe.
 */
public final class BundledImages {

    /** Classpath folder of the bundled images (no leading slash). */
    public static final String ROOT = "org/stylegan/examples/images/";
    private static final String INDEX = ROOT + "index.txt";

    private BundledImages() {
    }

    /** What a bundled image is for; its folder name under {@link #ROOT}. */
    public enum Kind {
        /** Photographs to be stylised. */
        CONTENT("content"),
        /** Images whose colour and texture are transferred. */
        STYLE("style");

        private final String folder;

        Kind(String folder) {
            this.folder = folder;
        }

        /** Folder name under {@link BundledImages#ROOT}, e.g. {@code content}. */
        public String folder() {
            return folder;
        }
    }

    /**
     * One bundled image.
     *
     * @param kind     content or style
     * @param name     file stem, e.g. {@code cat}; unique within its kind
     * @param fileName file name, e.g. {@code cat.jpg}
     */
    public record Image(Kind kind, String name, String fileName) {

        /** Validates the fields. */
        public Image {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(fileName, "fileName");
        }

        /** Classpath resource path, e.g. {@code org/stylegan/examples/images/content/cat.jpg}. */
        public String resourcePath() {
            return ROOT + kind.folder() + "/" + fileName;
        }

        /**
         * Opens the image bytes; the caller closes the stream.
         *
         * @throws UncheckedIOException if the resource listed in the index is missing from the classpath
         */
        public InputStream open() {
            InputStream in = loader().getResourceAsStream(resourcePath());
            if (in == null) {
                throw new UncheckedIOException(new IOException("bundled image " + resourcePath()
                        + " is listed in " + INDEX + " but missing from the classpath; rebuild the examples jar"));
            }
            return in;
        }

        /**
         * Decodes the image as TYPE_INT_RGB.
         *
         * @throws UncheckedIOException if it cannot be read or decoded
         */
        public BufferedImage load() {
            try (InputStream in = open()) {
                BufferedImage raw = ImageIO.read(in);
                if (raw == null) {
                    throw new IOException("no ImageIO reader could decode bundled image " + resourcePath());
                }
                return toIntRgb(raw);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * Copies the image file, unchanged, into {@code folder} (created if missing), replacing a file of the
         * same name.
         *
         * @return the written file
         * @throws IOException if the copy fails
         */
        public Path copyTo(Path folder) throws IOException {
            Files.createDirectories(folder);
            Path target = folder.resolve(fileName);
            // Not Files.createTempFile: its 0600 mode would survive the rename.
            Path tmp = folder.resolve("." + fileName + "." + java.util.UUID.randomUUID() + ".tmp");
            try {
                try (InputStream in = open()) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return target;
        }
    }

    /**
     * Every bundled image, in index order.
     *
     * @throws UncheckedIOException if the index is missing or malformed
     */
    public static List<Image> all() {
        return Holder.ALL;
    }

    /** Bundled images of one kind, in index order. */
    public static List<Image> list(Kind kind) {
        Objects.requireNonNull(kind, "kind");
        return all().stream().filter(i -> i.kind() == kind).toList();
    }

    /** Bundled content photos, in index order. */
    public static List<Image> content() {
        return list(Kind.CONTENT);
    }

    /** Bundled style images, in index order. */
    public static List<Image> styles() {
        return list(Kind.STYLE);
    }

    /**
     * Looks up a bundled image by kind and name (file stem, case-insensitive; an extension is tolerated).
     *
     * @throws IllegalArgumentException if there is none, naming the available ones
     */
    public static Image get(Kind kind, String name) {
        Objects.requireNonNull(name, "name");
        String stem = stem(name.trim()).toLowerCase(Locale.ROOT);
        return list(kind).stream()
                .filter(i -> i.name().toLowerCase(Locale.ROOT).equals(stem))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no bundled " + kind.folder() + " image named '"
                        + name + "'; available: " + names(kind)));
    }

    /** Names of the bundled images of one kind, comma-separated, for messages and help text. */
    public static String names(Kind kind) {
        return list(kind).stream().map(Image::name).collect(Collectors.joining(", "));
    }

    /**
     * Copies every bundled image into {@code folder/content} and {@code folder/style}.
     *
     * @return the written files, in index order
     * @throws IOException if a copy fails
     */
    public static List<Path> copyAllTo(Path folder) throws IOException {
        List<Path> written = new ArrayList<>();
        for (Image image : all()) {
            written.add(image.copyTo(folder.resolve(image.kind().folder())));
        }
        return written;
    }

    /**
     * Copies the bundled images of one kind, flat, into {@code folder} (e.g. as a training folder).
     *
     * @return the written files, in index order
     * @throws IOException if a copy fails
     */
    public static List<Path> copyTo(Kind kind, Path folder) throws IOException {
        List<Path> written = new ArrayList<>();
        for (Image image : list(kind)) {
            written.add(image.copyTo(folder));
        }
        return written;
    }

    /** Parses the index text: one {@code folder/file} per line, {@code #} comments and blank lines ignored. */
    static List<Image> parseIndex(List<String> lines) {
        List<Image> out = new ArrayList<>();
        int lineNo = 0;
        for (String raw : lines) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int slash = line.indexOf('/');
            if (slash <= 0 || slash != line.lastIndexOf('/') || slash == line.length() - 1) {
                throw new IllegalArgumentException("index line " + lineNo + " must be 'folder/file', found '"
                        + line + "'");
            }
            String folder = line.substring(0, slash);
            String file = line.substring(slash + 1);
            Kind kind = null;
            for (Kind k : Kind.values()) {
                if (k.folder().equals(folder)) {
                    kind = k;
                }
            }
            if (kind == null) {
                throw new IllegalArgumentException("index line " + lineNo + " has unknown folder '" + folder
                        + "'; use content or style");
            }
            Image image = new Image(kind, stem(file), file);
            for (Image seen : out) {
                if (seen.kind() == kind && seen.name().equalsIgnoreCase(image.name())) {
                    throw new IllegalArgumentException("index line " + lineNo + " repeats the " + folder
                            + " name '" + image.name() + "'; names must be unique per folder");
                }
            }
            out.add(image);
        }
        return List.copyOf(out);
    }

    private static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    private static ClassLoader loader() {
        return BundledImages.class.getClassLoader();
    }

    static BufferedImage toIntRgb(BufferedImage src) {
        if (src.getType() == BufferedImage.TYPE_INT_RGB) {
            return src;
        }
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(src, 0, 0, java.awt.Color.WHITE, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Lazy, once-only index read (initialization-on-demand holder). */
    private static final class Holder {
        static final List<Image> ALL = readIndex();

        private static List<Image> readIndex() {
            InputStream in = loader().getResourceAsStream(INDEX);
            if (in == null) {
                throw new UncheckedIOException(new IOException("bundled image index " + INDEX
                        + " is missing from the classpath; rebuild the examples jar"));
            }
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                return parseIndex(r.lines().toList());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
