package org.stylegan.io;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * A single-file model or checkpoint (a zip): {@code manifest.json} plus named DL4J graphs, raw byte and
 * JSON entries and PNG images. See {@code docs/model-format.md} for the layout and versioning policy.
 *
 * <pre>{@code
 * ModelArchive a = ModelArchive.create(Manifest.Kind.MODEL).config(cfg.toJson()).seed(42).step(10_000);
 * a.putGraph("generator", generator, false);
 * a.save(path);                          // atomic
 * ModelArchive b = ModelArchive.load(path);
 * ComputationGraph g = b.graph("generator");
 * }</pre>
 *
 * <p>An archive is an in-memory set of entries: {@code put*} serialises immediately (a later change to
 * the graph is not seen), {@link #load} reads and checks every entry. Not thread-safe.
 */
public final class ModelArchive {
    /** The format version this library writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** Name of the manifest entry. */
    public static final String MANIFEST_ENTRY = "manifest.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final String LIBRARY_VERSION = readLibraryVersion();

    /** Kinds of entries; each has its own folder and suffix inside the zip. */
    public enum EntryType {
        /** A DL4J ComputationGraph written by ModelSerializer: {@code graphs/NAME.zip}. */
        GRAPH("graphs/", ".zip"),
        /** Raw bytes: {@code data/NAME.bin}. */
        BYTES("data/", ".bin"),
        /** A UTF-8 JSON document: {@code data/NAME.json}. */
        JSON("data/", ".json"),
        /** A PNG image: {@code images/NAME.png}. */
        IMAGE("images/", ".png");

        final String folder;
        final String suffix;

        EntryType(String folder, String suffix) {
            this.folder = folder;
            this.suffix = suffix;
        }

        String path(String name) {
            return folder + name + suffix;
        }
    }

    private record Entry(EntryType type, byte[] data) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final String source;
    private Manifest.Kind kind;
    private String configJson = "{}";
    private long seed;
    private long step;
    private final Map<String, String> extra = new LinkedHashMap<>();
    private Instant createdAt;
    private String libraryVersion;
    private int formatVersion = FORMAT_VERSION;

    private ModelArchive(Manifest.Kind kind, String source) {
        this.kind = kind;
        this.source = source;
        this.createdAt = Instant.now();
        this.libraryVersion = LIBRARY_VERSION;
    }

    /** A new, empty archive of the given kind. */
    public static ModelArchive create(Manifest.Kind kind) {
        return new ModelArchive(Objects.requireNonNull(kind, "kind"), "new archive");
    }

    /** The version of this library, as written into manifests. */
    public static String libraryVersion() {
        return LIBRARY_VERSION;
    }

    // ------------------------------------------------------------------------------------ manifest fields

    /** Sets the configuration JSON document (default {@code {}}). */
    public ModelArchive config(String json) {
        Objects.requireNonNull(json, "config");
        checkJson(json, "config");
        this.configJson = json;
        return this;
    }

    /** Sets the random seed recorded in the manifest (default 0). */
    public ModelArchive seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Sets the training step recorded in the manifest (default 0). */
    public ModelArchive step(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, found " + step);
        }
        this.step = step;
        return this;
    }

    /** Sets the archive kind. */
    public ModelArchive kind(Manifest.Kind kind) {
        this.kind = Objects.requireNonNull(kind, "kind");
        return this;
    }

    /** Adds (or replaces) a free-form manifest property. */
    public ModelArchive extra(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        extra.put(key, value);
        return this;
    }

    /** The manifest as it is now (for a loaded archive: as read from the file). */
    public Manifest manifest() {
        return new Manifest(formatVersion, libraryVersion, createdAt, kind, configJson, seed, step, extra);
    }

    // ----------------------------------------------------------------------------------------- writing

    /**
     * Stores a graph under {@code name} (replacing an entry of that name). The graph is serialised now.
     *
     * @param withUpdater also store the updater (e.g. Adam) state, for resuming training
     */
    public ModelArchive putGraph(String name, ComputationGraph graph, boolean withUpdater) {
        checkName(name);
        Objects.requireNonNull(graph, "graph");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(graph, bytes, withUpdater);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise graph '" + name + "'", e);
        }
        entries.put(name, new Entry(EntryType.GRAPH, bytes.toByteArray()));
        return this;
    }

    /** Stores raw bytes under {@code name} (copied). */
    public ModelArchive putBytes(String name, byte[] data) {
        checkName(name);
        Objects.requireNonNull(data, "data");
        entries.put(name, new Entry(EntryType.BYTES, data.clone()));
        return this;
    }

    /** Stores a JSON document under {@code name}; it must parse as JSON. */
    public ModelArchive putJson(String name, String json) {
        checkName(name);
        Objects.requireNonNull(json, "json");
        checkJson(json, "entry '" + name + "'");
        entries.put(name, new Entry(EntryType.JSON, json.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    /** Stores an image as PNG under {@code name}. */
    public ModelArchive putImage(String name, BufferedImage image) {
        checkName(name);
        Objects.requireNonNull(image, "image");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            Images.encodePng(image, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode image '" + name + "'", e);
        }
        entries.put(name, new Entry(EntryType.IMAGE, bytes.toByteArray()));
        return this;
    }

    /** Removes an entry; returns whether it existed. */
    public boolean remove(String name) {
        return entries.remove(name) != null;
    }

    /**
     * Saves atomically: a temporary file in the same folder, fsync, rename. An interrupted or failed save
     * leaves the previous file intact. The manifest gets this library's version, format
     * {@value #FORMAT_VERSION} and the current time.
     */
    public void save(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        formatVersion = FORMAT_VERSION;
        libraryVersion = LIBRARY_VERSION;
        createdAt = Instant.now();
        AtomicFiles.write(file, this::writeTo);
    }

    /** Writes the archive as a zip to {@code out} (not closed). {@link #save} is the atomic way to a file. */
    public void writeTo(OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        zip.setComment("style-gan model archive, format " + formatVersion);
        putEntry(zip, MANIFEST_ENTRY, manifestJson().getBytes(StandardCharsets.UTF_8), true);
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            EntryType t = e.getValue().type();
            // Graph zips and PNGs are compressed already: store them.
            putEntry(zip, t.path(e.getKey()), e.getValue().data(), t == EntryType.BYTES || t == EntryType.JSON);
        }
        zip.finish();
        zip.flush();
    }

    private static void putEntry(ZipOutputStream zip, String path, byte[] data, boolean deflate) throws IOException {
        ZipEntry ze = new ZipEntry(path);
        if (!deflate) {
            CRC32 crc = new CRC32();
            crc.update(data);
            ze.setMethod(ZipEntry.STORED);
            ze.setSize(data.length);
            ze.setCompressedSize(data.length);
            ze.setCrc(crc.getValue());
        }
        zip.putNextEntry(ze);
        zip.write(data);
        zip.closeEntry();
    }

    private String manifestJson() {
        ObjectNode m = JSON.createObjectNode();
        m.put("formatVersion", formatVersion);
        m.put("libraryVersion", libraryVersion);
        m.put("createdAt", createdAt.toString());
        m.put("kind", kind.name());
        m.put("config", configJson);
        m.put("seed", seed);
        m.put("step", step);
        ObjectNode ex = m.putObject("extras");
        extra.forEach(ex::put);
        ObjectNode list = m.putObject("entries");
        entries.forEach((name, e) -> list.put(name, e.type().path(name)));
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write manifest JSON", e);
        }
    }

    // ----------------------------------------------------------------------------------------- reading

    /**
     * Loads and checks an archive: zip structure and CRCs of every entry, the manifest fields and the
     * format version.
     *
     * @throws NoSuchFileException   if the file does not exist
     * @throws ModelFormatException  if the file is empty, not a zip, truncated, corrupt, has no manifest,
     *                               misses a manifest field or has another format version
     */
    public static ModelArchive load(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "model file not found");
        }
        if (Files.isDirectory(file)) {
            throw new ModelFormatException(file + " is a folder, not a model file");
        }
        return loadFile(file, file.toString());
    }

    private static ModelArchive loadFile(Path file, String src) throws IOException {
        long size = Files.size(file);
        if (size == 0) {
            throw new ModelFormatException(src + " is empty (0 bytes): not a model file; an earlier save was "
                    + "probably interrupted outside style-gan (style-gan saves atomically)");
        }
        Map<String, byte[]> raw = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile(), StandardCharsets.UTF_8)) {
            Enumeration<? extends ZipEntry> en = zip.entries();
            while (en.hasMoreElements()) {
                ZipEntry ze = en.nextElement();
                if (ze.isDirectory()) {
                    continue;
                }
                byte[] data;
                try (InputStream in = zip.getInputStream(ze)) {
                    data = in.readAllBytes();
                }
                // ZipFile checks the CRC of deflated entries only; stored ones (graphs, PNGs) are checked here.
                CRC32 crc = new CRC32();
                crc.update(data);
                if (ze.getCrc() != -1 && crc.getValue() != ze.getCrc()) {
                    throw new ZipException("CRC mismatch in entry " + ze.getName() + ": the file is corrupt");
                }
                raw.put(ze.getName(), data);
            }
        } catch (ZipException e) {
            throw new ModelFormatException(src + " is not a valid model file (" + size + " bytes): truncated, corrupt "
                    + "or not a zip archive (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new ModelFormatException(src + " is not a valid model file: corrupt or truncated zip data ("
                    + e + ")", e);
        }
        return fromEntries(raw, src);
    }

    /** Loads an archive from a stream (read to its end, not closed); same checks as {@link #load(Path)}. */
    public static ModelArchive load(InputStream in, String sourceName) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(sourceName, "sourceName");
        Path tmp = Files.createTempFile("stylegan-archive", ".zip");
        try {
            Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return loadFile(tmp, sourceName);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static ModelArchive fromEntries(Map<String, byte[]> raw, String src) throws ModelFormatException {
        byte[] manifestBytes = raw.get(MANIFEST_ENTRY);
        if (manifestBytes == null) {
            throw new ModelFormatException(src + " is a zip file but not a style-gan model file: it has no "
                    + MANIFEST_ENTRY + " (entries: " + preview(raw.keySet()) + ")");
        }
        JsonNode m;
        try {
            m = JSON.readTree(new String(manifestBytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ModelFormatException(MANIFEST_ENTRY + " in " + src + " is not valid JSON: " + e.getMessage(), e);
        }
        if (m == null || !m.isObject()) {
            throw new ModelFormatException(MANIFEST_ENTRY + " in " + src + " must be a JSON object");
        }
        JsonNode fv = m.get("formatVersion");
        if (fv == null || fv.isNull()) {
            throw new ModelFormatException(MANIFEST_ENTRY + " in " + src
                    + " is missing the field 'formatVersion': expected format " + FORMAT_VERSION + ", found none");
        }
        if (!fv.canConvertToInt() || !fv.isIntegralNumber()) {
            throw new ModelFormatException(MANIFEST_ENTRY + " in " + src + ": field 'formatVersion' must be a whole "
                    + "number, found " + fv);
        }
        int version = fv.intValue();
        if (version != FORMAT_VERSION) {
            JsonNode lv = m.get("libraryVersion");
            String by = lv != null && lv.isTextual() ? " (written by style-gan " + lv.asText() + ")" : "";
            String fix = version > FORMAT_VERSION
                    ? "; this file is newer than this library (" + LIBRARY_VERSION + "): upgrade style-gan to read it"
                    : "; this format version was never released: the file is not a valid style-gan model";
            throw new ModelFormatException(src + ": unsupported model format: expected format " + FORMAT_VERSION
                    + ", found " + version + by + fix);
        }
        ModelArchive a = new ModelArchive(Manifest.Kind.MODEL, src);
        a.formatVersion = version;
        a.libraryVersion = text(m, "libraryVersion", src);
        String created = text(m, "createdAt", src);
        try {
            a.createdAt = Instant.parse(created);
        } catch (DateTimeParseException e) {
            throw new ModelFormatException(MANIFEST_ENTRY + " in " + src + ": field 'createdAt' must be an ISO-8601 "
                    + "instant like 2024-01-31T12:00:00Z, found '" + created + "'", e);
        }
        String kind = text(m, "kind", src);
        try {
            a.kind = Manifest.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(MANIFEST_ENTRY + " in " + src + ": field 'kind' must be MODEL or CHECKPOINT, "
                    + "found '" + kind + "'", e);
        }
        a.configJson = text(m, "config", src);
        a.seed = number(m, "seed", src);
        a.step = number(m, "step", src);
        if (a.step < 0) {
            throw new ModelFormatException(MANIFEST_ENTRY + " in " + src + ": field 'step' must be >= 0, found " + a.step);
        }
        JsonNode ex = m.get("extras");
        if (ex != null && !ex.isNull()) {
            if (!ex.isObject()) {
                throw new ModelFormatException(MANIFEST_ENTRY + " in " + src + ": field 'extras' must be an object of "
                        + "strings, found " + ex.getNodeType());
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = ex.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                a.extra.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
            }
        }
        for (Map.Entry<String, byte[]> e : raw.entrySet()) {
            String path = e.getKey();
            if (path.equals(MANIFEST_ENTRY)) {
                continue;
            }
            for (EntryType t : EntryType.values()) {
                if (path.startsWith(t.folder) && path.endsWith(t.suffix)) {
                    String name = path.substring(t.folder.length(), path.length() - t.suffix.length());
                    if (NAME.matcher(name).matches()) {
                        a.entries.put(name, new Entry(t, e.getValue()));
                    }
                    break;
                }
            }
            // Other entries are ignored: later format-1 writers may add entries old readers do not need.
        }
        return a;
    }

    private static String text(JsonNode m, String field, String src) throws ModelFormatException {
        JsonNode n = m.get(field);
        if (n == null || n.isNull()) {
            throw new ModelFormatException(MANIFEST_ENTRY + " in " + src + " is missing the field '" + field + "'");
        }
        if (!n.isTextual()) {
            throw new ModelFormatException(MANIFEST_ENTRY + " in " + src + ": field '" + field
                    + "' must be a string, found " + n.getNodeType());
        }
        return n.asText();
    }

    private static long number(JsonNode m, String field, String src) throws ModelFormatException {
        JsonNode n = m.get(field);
        if (n == null || n.isNull()) {
            throw new ModelFormatException(MANIFEST_ENTRY + " in " + src + " is missing the field '" + field + "'");
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new ModelFormatException(MANIFEST_ENTRY + " in " + src + ": field '" + field
                    + "' must be a whole number, found " + n);
        }
        return n.longValue();
    }

    private static String preview(java.util.Collection<String> names) {
        List<String> l = new ArrayList<>(names);
        return l.size() <= 5 ? l.toString() : l.subList(0, 5) + " and " + (l.size() - 5) + " more";
    }

    /** Whether an entry of any type has this name. */
    public boolean has(String name) {
        return entries.containsKey(name);
    }

    /** The type of an entry. */
    public EntryType type(String name) {
        return entry(name, null).type();
    }

    /** Entry names in insertion (file) order. */
    public List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(entries.keySet()));
    }

    /** Restores a graph, with its updater state if it was stored. Each call returns a new instance. */
    public ComputationGraph graph(String name) throws ModelFormatException {
        return graph(name, true);
    }

    /** Restores a graph; {@code loadUpdater=false} skips the updater state even if present. */
    public ComputationGraph graph(String name, boolean loadUpdater) throws ModelFormatException {
        Entry e = entry(name, EntryType.GRAPH);
        try {
            return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(e.data()), loadUpdater);
        } catch (IOException | RuntimeException ex) {
            throw new ModelFormatException("graph '" + name + "' in " + source + " cannot be restored (" + ex
                    + "); custom layer classes must be on the class path", ex);
        }
    }

    /** A copy of a bytes entry. */
    public byte[] bytes(String name) {
        return entry(name, EntryType.BYTES).data().clone();
    }

    /** A JSON entry as a string. */
    public String json(String name) {
        return new String(entry(name, EntryType.JSON).data(), StandardCharsets.UTF_8);
    }

    /** Decodes an image entry ({@code TYPE_INT_RGB}). */
    public BufferedImage image(String name) throws ModelFormatException {
        Entry e = entry(name, EntryType.IMAGE);
        try {
            return Images.read(new ByteArrayInputStream(e.data()));
        } catch (ImageReadException ex) {
            throw new ModelFormatException("image '" + name + "' in " + source + " is corrupt: " + ex.getMessage(), ex);
        }
    }

    private Entry entry(String name, EntryType expected) {
        Objects.requireNonNull(name, "name");
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no entry '" + name + "' in " + source + "; entries: " + names());
        }
        if (expected != null && e.type() != expected) {
            throw new IllegalArgumentException("entry '" + name + "' in " + source + " is " + e.type() + ", not "
                    + expected);
        }
        return e;
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("entry name must match " + NAME.pattern() + ", found '" + name + "'");
        }
    }

    private static void checkJson(String json, String what) {
        try {
            JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " must be valid JSON: " + e.getMessage(), e);
        }
    }

    private static String readLibraryVersion() {
        try (InputStream in = ModelArchive.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank() && !v.startsWith("${")) {
                    return v.trim();
                }
            }
        } catch (IOException ignored) {
            // fall through to "unknown"
        }
        String v = ModelArchive.class.getPackage().getImplementationVersion();
        return v != null ? v : "unknown";
    }
}
