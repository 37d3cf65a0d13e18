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
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
 * a.putGraph("generator", generator, false, ModelArchive.Precision.HALF);   // or: fp16, about half the size
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

    /** Folder of graphs stored as 16-bit floats ({@link Precision#HALF}); old readers ignore it. */
    static final String HALF_GRAPH_FOLDER = "graphs-f16/";
    /** Largest finite fp16 value: a HALF graph must not hold larger magnitudes (they would become infinite). */
    static final double HALF_MAX = 65504;

    /** Kinds of entries; each has its own folder and suffix inside the zip. */
    public enum EntryType {
        /**
         * A DL4J ComputationGraph: {@code graphs/NAME.zip} as ModelSerializer writes it ({@link Precision#FLOAT}),
         * or {@code graphs-f16/NAME.zip} with 16-bit coefficients and updater state ({@link Precision#HALF}).
         * Both kinds share one namespace with the other entry types.
         */
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

    /** How the numbers of a graph entry are stored. */
    public enum Precision {
        /** The graph's own data type, exactly as DL4J's ModelSerializer writes it: {@code graphs/NAME.zip}. */
        FLOAT,
        /**
         * 16-bit floats in {@code graphs-f16/NAME.zip}, about half the size: the coefficients as IEEE fp16
         * ({@code DataType.HALF}, relative rounding error at most 2^-11), the updater state as bfloat16
         * ({@code DataType.BFLOAT16}, error at most 2^-8 but fp32's range: Adam's second moments of small gradients
         * are below fp16's range, and flushing them to 0 derails training on resume). Restored into the
         * configuration's data type.
         */
        HALF
    }

    private record Entry(EntryType type, Precision precision, byte[] data) {
        Entry(EntryType type, byte[] data) {
            this(type, Precision.FLOAT, data);
        }

        String path(String name) {
            return precision == Precision.HALF ? HALF_GRAPH_FOLDER + name + type.suffix : type.path(name);
        }
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
        return putGraph(name, graph, withUpdater, Precision.FLOAT);
    }

    /**
     * Stores a graph under {@code name} (replacing an entry of that name, of any type or precision). The graph
     * is serialised now.
     *
     * <p>{@link Precision#FLOAT} is {@link #putGraph(String, ComputationGraph, boolean)}. {@link Precision#HALF}
     * stores 16-bit floats in {@code graphs-f16/NAME.zip}, about half the size: the coefficients as fp16
     * (relative error up to 2^-11, magnitudes below 6e-8 round to 0), the updater state as bfloat16 (relative
     * error up to 2^-8); see {@link Precision#HALF} and {@code docs/model-format.md}. {@link #graph} restores both.
     *
     * @param withUpdater also store the updater (e.g. Adam) state, for resuming training
     * @throws IllegalArgumentException for HALF, if a coefficient is beyond the fp16 range (|w| > 65504)
     */
    public ModelArchive putGraph(String name, ComputationGraph graph, boolean withUpdater, Precision precision) {
        checkName(name);
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(precision, "precision");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (precision == Precision.HALF) {
                writeHalfGraph(name, graph, withUpdater, bytes);
            } else {
                ModelSerializer.writeModel(graph, bytes, withUpdater);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise graph '" + name + "'", e);
        }
        entries.put(name, new Entry(EntryType.GRAPH, precision, bytes.toByteArray()));
        return this;
    }

    /** ModelSerializer's layout, with the coefficients as fp16 and the updater state as bfloat16. */
    private static void writeHalfGraph(String name, ComputationGraph graph, boolean withUpdater, OutputStream out)
            throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        zip.putNextEntry(new ZipEntry(ModelSerializer.CONFIGURATION_JSON));
        zip.write(graph.getConfiguration().toJson().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
        INDArray params = graph.params();
        if (params != null && !params.isEmpty()) {
            zip.putNextEntry(new ZipEntry(ModelSerializer.COEFFICIENTS_BIN));
            zip.write(encode16(params, name, "coefficients", DataType.HALF));
            zip.closeEntry();
        } else {
            zip.putNextEntry(new ZipEntry(ModelSerializer.NO_PARAMS_MARKER));
            zip.closeEntry();
        }
        if (withUpdater) {
            INDArray state = graph.getUpdater().getStateViewArray();
            if (state != null && state.length() > 0) {
                zip.putNextEntry(new ZipEntry(ModelSerializer.UPDATER_BIN));
                zip.write(encode16(state, name, "updater state", DataType.BFLOAT16));
                zip.closeEntry();
            }
        }
        zip.finish();
    }

    private static byte[] encode16(INDArray a, String name, String what, DataType type) throws IOException {
        if (type == DataType.HALF) {
            double max = a.amaxNumber().doubleValue();
            if (max > HALF_MAX) {
                throw new IllegalArgumentException("graph '" + name + "' cannot be stored as HALF: its " + what
                        + " hold a value of magnitude " + max + ", beyond the fp16 range (" + HALF_MAX
                        + "); store it as FLOAT");
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (java.io.DataOutputStream dos = new java.io.DataOutputStream(bytes)) {
            Nd4j.write(a.castTo(type), dos);
        }
        return bytes.toByteArray();
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
            putEntry(zip, e.getValue().path(e.getKey()), e.getValue().data(), t == EntryType.BYTES || t == EntryType.JSON);
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
        entries.forEach((name, e) -> list.put(name, e.path(name)));
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
            if (path.startsWith(HALF_GRAPH_FOLDER) && path.endsWith(EntryType.GRAPH.suffix)) {
                String name = path.substring(HALF_GRAPH_FOLDER.length(), path.length() - EntryType.GRAPH.suffix.length());
                if (NAME.matcher(name).matches()) {
                    a.entries.put(name, new Entry(EntryType.GRAPH, Precision.HALF, e.getValue()));
                }
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

    /** How a graph entry is stored ({@link Precision#FLOAT} or {@link Precision#HALF}). */
    public Precision precision(String name) {
        return entry(name, EntryType.GRAPH).precision();
    }

    /** Entry names in insertion (file) order. */
    public List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(entries.keySet()));
    }

    /** Restores a graph, with its updater state if it was stored. Each call returns a new instance. */
    public ComputationGraph graph(String name) throws ModelFormatException {
        return graph(name, true);
    }

    /**
     * Restores a graph; {@code loadUpdater=false} skips the updater state even if present. A
     * {@link Precision#HALF} graph is restored in its configuration's data type (its values cast up).
     */
    public ComputationGraph graph(String name, boolean loadUpdater) throws ModelFormatException {
        Entry e = entry(name, EntryType.GRAPH);
        try {
            if (e.precision() == Precision.HALF) {
                return restoreHalfGraph(e.data(), loadUpdater);
            }
            return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(e.data()), loadUpdater);
        } catch (IOException | RuntimeException ex) {
            throw new ModelFormatException("graph '" + name + "' in " + source + " cannot be restored (" + ex
                    + "); custom layer classes must be on the class path", ex);
        }
    }

    private static ComputationGraph restoreHalfGraph(byte[] data, boolean loadUpdater) throws IOException {
        Map<String, byte[]> files = unzipComplete(data);
        byte[] json = files.get(ModelSerializer.CONFIGURATION_JSON);
        if (json == null) {
            throw new IOException("no " + ModelSerializer.CONFIGURATION_JSON + " in the graph zip (entries: "
                    + files.keySet() + ")");
        }
        ComputationGraphConfiguration conf = ComputationGraphConfiguration.fromJson(
                new String(json, StandardCharsets.UTF_8));
        DataType dataType = conf.getDataType();
        ComputationGraph graph = new ComputationGraph(conf);
        byte[] coefficients = files.get(ModelSerializer.COEFFICIENTS_BIN);
        if (coefficients != null) {
            graph.init(readArray(coefficients).castTo(dataType), false);
        } else if (files.containsKey(ModelSerializer.NO_PARAMS_MARKER)) {
            graph.init();
        } else {
            throw new IOException("no " + ModelSerializer.COEFFICIENTS_BIN + " in the graph zip (entries: "
                    + files.keySet() + ")");
        }
        byte[] state = files.get(ModelSerializer.UPDATER_BIN);
        if (loadUpdater && state != null) {
            // As ModelSerializer does: the updater checks the length and assigns into its state view.
            graph.getUpdater().setStateViewArray(readArray(state).castTo(dataType));
        }
        return graph;
    }

    private static INDArray readArray(byte[] bytes) throws IOException {
        try (java.io.DataInputStream in = new java.io.DataInputStream(new ByteArrayInputStream(bytes))) {
            return Nd4j.read(in);
        }
    }

    /**
     * The files of an in-memory zip. Unlike a bare ZipInputStream, a zip cut at an entry boundary is refused:
     * the end-of-central-directory record must close the data. ZipInputStream checks every entry's CRC.
     */
    private static Map<String, byte[]> unzipComplete(byte[] data) throws IOException {
        int eocd = -1;
        for (int i = data.length - 22; i >= 0 && i >= data.length - 22 - 0xFFFF; i--) {
            if (data[i] == 0x50 && data[i + 1] == 0x4b && data[i + 2] == 0x05 && data[i + 3] == 0x06
                    && ((data[i + 20] & 0xFF) | (data[i + 21] & 0xFF) << 8) == data.length - i - 22) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            throw new ZipException("the graph zip (" + data.length + " bytes) is truncated or not a zip: "
                    + "no end-of-central-directory record");
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(data), StandardCharsets.UTF_8)) {
            for (ZipEntry ze = zip.getNextEntry(); ze != null; ze = zip.getNextEntry()) {
                files.put(ze.getName(), zip.readAllBytes());
            }
        }
        return files;
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
