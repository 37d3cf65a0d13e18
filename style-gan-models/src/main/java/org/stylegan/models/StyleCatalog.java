package org.stylegan.models;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.stylegan.core.StyleModel;
import org.stylegan.io.Images;

/**
 * A catalog of pretrained styles: the class path's ({@link #classpath()}, under {@value #RESOURCE_ROOT}) or a folder
 * with the same layout ({@link #folder(Path)}, e.g. your own styles, or an entry being built):
 *
 * <pre>
 * styles.json                 {"styles": ["impasto", ...]}, the gallery order
 * thumbnail-photo.jpg         the photo every thumbnail stylizes
 * NAME/manifest.json          {@link StyleManifest}: description, recipe, figures, SHA-256 of the four files below
 * NAME/model.sgm              MODEL archive: the generator, for stylizing
 * NAME/checkpoint.sgm         CHECKPOINT archive: generator, discriminators, optimizer state, for fine-tuning
 * NAME/style.jpg              the style image
 * NAME/thumbnail.png          thumbnail-photo.jpg stylized by model.sgm
 * </pre>
 *
 * <p>A catalog reads {@code styles.json} once, and each manifest once when first asked for; create a new one to see
 * later changes of a folder. Thread-safe.
 */
public final class StyleCatalog {
    /** Class-path folder of the shipped catalog. */
    public static final String RESOURCE_ROOT = "org/stylegan/models/";
    /** The catalog's index: the names in gallery order. */
    public static final String INDEX_FILE = "styles.json";
    /** The photo every thumbnail stylizes, at the catalog's root. */
    public static final String THUMBNAIL_PHOTO = "thumbnail-photo.jpg";
    /** An entry's manifest. */
    public static final String MANIFEST_FILE = "manifest.json";
    /** An entry's MODEL archive. */
    public static final String MODEL_FILE = "model.sgm";
    /** An entry's CHECKPOINT archive. */
    public static final String CHECKPOINT_FILE = "checkpoint.sgm";
    /** An entry's style image. */
    public static final String STYLE_IMAGE_FILE = "style.jpg";
    /** An entry's thumbnail. */
    public static final String THUMBNAIL_FILE = "thumbnail.png";

    private static final Pattern NAME = Pattern.compile(StyleManifest.NAME_PATTERN);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Source source;
    private volatile List<String> names;
    private final Map<String, PretrainedStyle> styles = new ConcurrentHashMap<>();

    private StyleCatalog(Source source) {
        this.source = source;
    }

    /** The catalog shipped with this module: class-path resources under {@value #RESOURCE_ROOT}; one per JVM. */
    public static StyleCatalog classpath() {
        return ClasspathHolder.INSTANCE;
    }

    /**
     * A catalog in a folder with the class-path layout; a folder without {@value #INDEX_FILE} is an empty catalog.
     *
     * @throws IllegalArgumentException when the folder does not exist
     */
    public static StyleCatalog folder(Path dir) {
        Objects.requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("style catalog folder not found: " + dir.toAbsolutePath()
                    + "; give a folder holding " + INDEX_FILE + " and one folder per style");
        }
        return new StyleCatalog(new FolderSource(dir.toAbsolutePath().normalize()));
    }

    /**
     * The style names in gallery order.
     *
     * @throws IllegalStateException when {@value #INDEX_FILE} is not a valid index
     * @throws UncheckedIOException  when it cannot be read
     */
    public List<String> names() {
        List<String> n = names;
        if (n == null) {
            synchronized (this) {
                if (names == null) {
                    names = readIndex();
                }
                n = names;
            }
        }
        return n;
    }

    /** Every style in gallery order (reads each manifest). */
    public List<PretrainedStyle> styles() {
        List<PretrainedStyle> out = new ArrayList<>();
        for (String n : names()) {
            out.add(get(n));
        }
        return List.copyOf(out);
    }

    /** Whether the catalog has a style of that name (case-insensitive). */
    public boolean contains(String name) {
        return name != null && names().contains(name.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * The style of that name (case-insensitive); its manifest is read and validated the first time.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     * @throws IllegalStateException    when its manifest is missing or invalid (naming the file and the field)
     */
    public PretrainedStyle get(String name) {
        Objects.requireNonNull(name, "name");
        String key = name.trim().toLowerCase(Locale.ROOT);
        if (!names().contains(key)) {
            throw new IllegalArgumentException("no pretrained style named '" + name + "' in " + source.describe()
                    + "; known styles: " + (names().isEmpty() ? "none" : String.join(", ", names()))
                    + " (list them with 'style-gan styles')");
        }
        return styles.computeIfAbsent(key, this::readStyle);
    }

    /**
     * Loads the model of a style (its checksum checked first); as {@code get(name).load()}.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     * @throws org.stylegan.io.ModelFormatException when the model file is missing or damaged
     */
    public StyleModel load(String name) throws IOException {
        return get(name).load();
    }

    /** The photo every thumbnail of this catalog stylizes ({@value #THUMBNAIL_PHOTO}). */
    public BufferedImage thumbnailPhoto() throws IOException {
        try (InputStream in = source.open(THUMBNAIL_PHOTO)) {
            if (in == null) {
                throw new NoSuchFileException(THUMBNAIL_PHOTO + " in " + source.describe());
            }
            return Images.read(in);
        }
    }

    /** Where the catalog is: "the class-path catalog (org/stylegan/models/)" or "the style catalog /path". */
    public String location() {
        return source.describe();
    }

    @Override
    public String toString() {
        return "StyleCatalog[" + source.describe() + "]";
    }

    // ------------------------------------------------------------------------------------------ reading

    Source source() {
        return source;
    }

    private List<String> readIndex() {
        String json;
        try (InputStream in = source.open(INDEX_FILE)) {
            if (in == null) {
                return List.of();
            }
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + INDEX_FILE + " of " + source.describe(), e);
        }
        String what = INDEX_FILE + " of " + source.describe();
        JsonNode list;
        try {
            JsonNode root = JSON.readTree(json);
            list = root == null ? null : root.get("styles");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(what + " is not valid JSON: " + e.getOriginalMessage()
                    + "; it must be {\"styles\": [\"name\", ...]}");
        }
        if (list == null || !list.isArray()) {
            throw new IllegalStateException(what + " must be {\"styles\": [\"name\", ...]}: the field 'styles' is "
                    + "missing or not an array");
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode n : list) {
            if (!n.isTextual() || !NAME.matcher(n.asText()).matches()) {
                throw new IllegalStateException(what + ": every style name must be a string matching "
                        + StyleManifest.NAME_PATTERN + ", found " + n);
            }
            if (!out.add(n.asText())) {
                throw new IllegalStateException(what + " lists '" + n.asText() + "' twice; list each style once");
            }
        }
        return List.copyOf(out);
    }

    private PretrainedStyle readStyle(String name) {
        String file = name + "/" + MANIFEST_FILE;
        String what = file + " in " + source.describe();
        String json;
        try (InputStream in = source.open(file)) {
            if (in == null) {
                throw new IllegalStateException(what + " is missing, though " + INDEX_FILE + " lists '" + name
                        + "'; rebuild the entry with StylePackager or remove it from " + INDEX_FILE);
            }
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + what, e);
        }
        StyleManifest m;
        try {
            m = StyleManifest.fromJson(json, what);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        if (!m.name().equals(name)) {
            throw new IllegalStateException(what + " names the style '" + m.name() + "', not '" + name
                    + "'; the folder and the manifest's name must agree");
        }
        return new PretrainedStyle(this, m);
    }

    // ------------------------------------------------------------------------------------------ sources

    /** Where the catalog's files come from. Paths are relative to the catalog root, '/'-separated. */
    interface Source {
        /** Opens a file, or returns null when it does not exist. */
        InputStream open(String path) throws IOException;

        /** The file as a path on the file system, or null when it is not one (e.g. inside a jar) or is missing. */
        Path file(String path);

        /** The catalog in words, for messages. */
        String describe();

        /** Whether files can be replaced by the user (a folder), rather than shipped in a jar. */
        boolean editable();
    }

    private static final class FolderSource implements Source {
        private final Path root;

        FolderSource(Path root) {
            this.root = root;
        }

        @Override
        public InputStream open(String path) throws IOException {
            Path p = root.resolve(path);
            return Files.isRegularFile(p) ? Files.newInputStream(p) : null;
        }

        @Override
        public Path file(String path) {
            Path p = root.resolve(path);
            return Files.isRegularFile(p) ? p : null;
        }

        @Override
        public String describe() {
            return "the style catalog " + root;
        }

        @Override
        public boolean editable() {
            return true;
        }
    }

    private static final class ClasspathSource implements Source {
        private final ClassLoader loader = StyleCatalog.class.getClassLoader();

        @Override
        public InputStream open(String path) throws IOException {
            URL url = loader.getResource(RESOURCE_ROOT + path);
            return url == null ? null : url.openStream();
        }

        @Override
        public Path file(String path) {
            URL url = loader.getResource(RESOURCE_ROOT + path);
            if (url == null || !"file".equals(url.getProtocol())) {
                return null;   // inside a jar: the caller copies it out
            }
            try {
                return Path.of(url.toURI());
            } catch (URISyntaxException | IllegalArgumentException e) {
                return null;
            }
        }

        @Override
        public String describe() {
            return "the class-path catalog (" + RESOURCE_ROOT + ")";
        }

        @Override
        public boolean editable() {
            return false;
        }
    }

    private static final class ClasspathHolder {
        static final StyleCatalog INSTANCE = new StyleCatalog(new ClasspathSource());
    }
}
