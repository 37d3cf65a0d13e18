package org.stylegan.models.build;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.stylegan.core.StyleModel;
import org.stylegan.core.train.TrainerConfig;
import org.stylegan.io.AtomicFiles;
import org.stylegan.io.Images;
import org.stylegan.io.Manifest;
import org.stylegan.io.ModelArchive;
import org.stylegan.io.ModelFormatException;
import org.stylegan.models.Checksums;
import org.stylegan.models.PretrainedStyle;
import org.stylegan.models.StyleCatalog;
import org.stylegan.models.StyleManifest;

/**
 * The tool that builds catalog entries ({@link StyleCatalog}'s layout) from a finished training run: it stores the
 * run's MODEL and CHECKPOINT files with every graph re-encoded at the chosen precision (16-bit by default, about
 * half the size), copies the style image and the shared thumbnail photo, renders {@code thumbnail.png} by
 * stylizing that photo with the stored model, records every file's SHA-256 and the recipe in
 * {@code manifest.json}, and adds the name to {@code styles.json}. Every file is written atomically, the index last,
 * so a failed run never lists a half-built entry.
 *
 * <p>From the command line ({@link #main}; {@code style-gan-models/retrain.sh} wraps it):
 *
 * <pre>
 * java -cp examples/target/style-gan-cli.jar org.stylegan.models.build.StylePackager \
 *     --catalog style-gan-models/src/main/resources/org/stylegan/models --name impasto \
 *     --model out/impasto.zip --checkpoint out/impasto.checkpoints/checkpoint.zip \
 *     --title Impasto --description "Thick, directional strokes." \
 *     --style-image evaluation/styles/impasto.jpg --licence "CC0, ..." \
 *     --thumbnail-photo thumb.jpg --training-seconds 1800 --machine "2-core EPYC" --figures figures.json \
 *     -- train --content photos --style evaluation/styles/impasto.jpg --out out/impasto.zip --preset quality ...
 * </pre>
 *
 * When the catalog already holds the entry, every input that is not given is taken from its manifest (a retrained
 * model replaces the old one with the same description and recipe). {@code --print-command} prints an entry's
 * recipe, one NUL-terminated argument each, for scripts.
 */
public final class StylePackager {
    /** Default longer side of the thumbnail, in pixels. */
    public static final int DEFAULT_THUMBNAIL_SIZE = 512;
    /** JPEG quality of a style image that is not a JPEG already. */
    static final float STYLE_JPEG_QUALITY = 0.95f;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StylePackager() {
    }

    /**
     * What to package. Build with {@link #builder()}.
     *
     * @param catalog         the catalog folder (created when missing)
     * @param name            the entry's name ({@value StyleManifest#NAME_PATTERN})
     * @param title           short human title
     * @param description     a sentence or two on the look
     * @param styleImage      the style image file (stored as {@code style.jpg}; re-encoded when not a JPEG)
     * @param styleSource     where the style image comes from (the manifest's {@code styleImage})
     * @param styleLicence    its licence and attribution
     * @param model           the run's MODEL file (its best generator)
     * @param checkpoint      the run's CHECKPOINT file (generator, discriminators, optimizer state)
     * @param command         the exact {@code style-gan} arguments of the run, starting with {@code train}
     * @param trainingSeconds wall time of the training
     * @param machine         the machine it ran on
     * @param figures         evaluator figures (means over the evaluation set), may be empty
     * @param thumbnailPhoto  the JPEG photo thumbnails stylize; must equal the catalog's when it has one
     * @param thumbnailSize   longer side of the thumbnail
     * @param precision       how the graphs of both archives are stored
     */
    public record Request(Path catalog, String name, String title, String description, Path styleImage,
                          String styleSource, String styleLicence, Path model, Path checkpoint, List<String> command,
                          double trainingSeconds, String machine, Map<String, Double> figures, Path thumbnailPhoto,
                          int thumbnailSize, ModelArchive.Precision precision, boolean discriminatorOptimizerState) {
        /** Copies the collections; {@link Builder#build()} validates. */
        public Request {
            command = List.copyOf(command);
            figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
        }

        /** A builder; {@link Builder#reuse} pre-fills it from an existing entry. */
        public static Builder builder() {
            return new Builder();
        }
    }

    /** A validating builder of {@link Request}. */
    public static final class Builder {
        private Path catalog;
        private String name;
        private String title;
        private String description;
        private Path styleImage;
        private String styleSource;
        private String styleLicence;
        private Path model;
        private Path checkpoint;
        private List<String> command;
        private double trainingSeconds = -1;
        private String machine;
        private final Map<String, Double> figures = new LinkedHashMap<>();
        private Path thumbnailPhoto;
        private int thumbnailSize = DEFAULT_THUMBNAIL_SIZE;
        private ModelArchive.Precision precision = ModelArchive.Precision.HALF;
        private boolean discriminatorOptimizerState;

        private Builder() {
        }

        /** The catalog folder; required. */
        public Builder catalog(Path v) { catalog = v; return this; }

        /** The entry's name; required. */
        public Builder name(String v) { name = v; return this; }

        /** Short human title; required. */
        public Builder title(String v) { title = v; return this; }

        /** A sentence or two on the look; required. */
        public Builder description(String v) { description = v; return this; }

        /** The style image file; required. */
        public Builder styleImage(Path v) { styleImage = v; return this; }

        /** Where the style image comes from; default: its file name. */
        public Builder styleSource(String v) { styleSource = v; return this; }

        /** The style image's licence and attribution; required. */
        public Builder styleLicence(String v) { styleLicence = v; return this; }

        /** The run's MODEL file; required. */
        public Builder model(Path v) { model = v; return this; }

        /** The run's CHECKPOINT file; required. */
        public Builder checkpoint(Path v) { checkpoint = v; return this; }

        /** The exact {@code style-gan train ...} arguments of the run, starting with "train"; required. */
        public Builder command(List<String> v) { command = v == null ? null : List.copyOf(v); return this; }

        /** Wall time of training in seconds, >= 0; required. */
        public Builder trainingSeconds(double v) { trainingSeconds = v; return this; }

        /** The machine it ran on (cores, CPU, memory, threads); required. */
        public Builder machine(String v) { machine = v; return this; }

        /** Evaluator figures (replacing any given before); default none. */
        public Builder figures(Map<String, Double> v) {
            figures.clear();
            figures.putAll(Objects.requireNonNull(v, "figures"));
            return this;
        }

        /** The JPEG photo thumbnails stylize; required unless the catalog has one. */
        public Builder thumbnailPhoto(Path v) { thumbnailPhoto = v; return this; }

        /** Longer side of the thumbnail in pixels, >= 16; default {@value StylePackager#DEFAULT_THUMBNAIL_SIZE}. */
        public Builder thumbnailSize(int v) { thumbnailSize = v; return this; }

        /** How graphs are stored; default {@code HALF} (16-bit, about half the size). */
        public Builder precision(ModelArchive.Precision v) { precision = v; return this; }

        /**
         * Whether the checkpoint keeps the discriminators' Adam moments; default false. They are two thirds of a
         * pretrained checkpoint (each discriminator of the quality recipe holds 0.57 M weights, the generator 0.28 M),
         * and a discriminator fine-tuned to a new style has to learn new real patches anyway, so six styles fit the
         * artifact's 60 MB without them. The generator keeps its state; a discriminator without one starts a fresh
         * Adam.
         */
        public Builder discriminatorOptimizerState(boolean v) { discriminatorOptimizerState = v; return this; }

        /**
         * Takes title, description, style image and its source and licence, recipe command, thumbnail photo and
         * size from an existing entry of {@code catalogFolder} (for a retrained model); set later values override.
         */
        public Builder reuse(StyleManifest existing, Path catalogFolder) {
            Objects.requireNonNull(existing, "existing");
            catalog = Objects.requireNonNull(catalogFolder, "catalogFolder");
            name = existing.name();
            title = existing.title();
            description = existing.description();
            styleImage = catalogFolder.resolve(existing.name()).resolve(StyleCatalog.STYLE_IMAGE_FILE);
            styleSource = existing.styleImage();
            styleLicence = existing.styleLicence();
            command = existing.recipe().command();
            thumbnailPhoto = catalogFolder.resolve(existing.thumbnail().photo());
            thumbnailSize = existing.thumbnail().maxSize();
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the first missing or invalid input and what it should be
         */
        public Request build() {
            require("catalog", catalog);
            require("name", name);
            if (!name.matches(StyleManifest.NAME_PATTERN)) {
                throw new IllegalArgumentException("name must match " + StyleManifest.NAME_PATTERN
                        + " (lower case, digits, '-', '_'), found '" + name + "'");
            }
            requireText("title", title);
            requireText("description", description);
            requireFile("styleImage", styleImage);
            requireText("styleLicence", styleLicence);
            requireFile("model", model);
            requireFile("checkpoint", checkpoint);
            require("command", command);
            if (command.isEmpty() || !command.get(0).equals("train")) {
                throw new IllegalArgumentException("command must be the style-gan arguments of the training run, "
                        + "starting with 'train' (e.g. [train, --content, photos, ...]), found " + command);
            }
            if (!(trainingSeconds >= 0) || Double.isInfinite(trainingSeconds)) {
                throw new IllegalArgumentException("trainingSeconds must be a finite number >= 0 (the wall time of "
                        + "training), found " + (trainingSeconds == -1 ? "none" : trainingSeconds));
            }
            requireText("machine", machine);
            if (thumbnailPhoto == null && !Files.isRegularFile(catalog.resolve(StyleCatalog.THUMBNAIL_PHOTO))) {
                throw new IllegalArgumentException("thumbnailPhoto must be set: the catalog " + catalog
                        + " has no " + StyleCatalog.THUMBNAIL_PHOTO + " yet");
            }
            if (thumbnailPhoto != null) {
                requireFile("thumbnailPhoto", thumbnailPhoto);
            }
            if (thumbnailSize < 16) {
                throw new IllegalArgumentException("thumbnailSize must be >= 16 pixels, found " + thumbnailSize);
            }
            require("precision", precision);
            return new Request(catalog, name, title, description, styleImage,
                    styleSource == null || styleSource.isBlank() ? styleImage.getFileName().toString() : styleSource,
                    styleLicence, model, checkpoint, command, trainingSeconds, machine, figures,
                    thumbnailPhoto == null ? catalog.resolve(StyleCatalog.THUMBNAIL_PHOTO) : thumbnailPhoto,
                    thumbnailSize, precision, discriminatorOptimizerState);
        }

        private static void require(String field, Object v) {
            if (v == null) {
                throw new IllegalArgumentException(field + " must be set");
            }
        }

        private static void requireText(String field, String v) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException(field + " must be set to a non-empty text");
            }
        }

        private static void requireFile(String field, Path p) {
            require(field, p);
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException(field + ": file not found: " + p.toAbsolutePath());
            }
        }
    }

    /**
     * An archive as the run wrote it and as the entry stores it.
     *
     * @param file        the entry's file name
     * @param sourceBytes size of the run's file
     * @param storedBytes size of the entry's file
     */
    public record Stored(String file, long sourceBytes, long storedBytes) {
    }

    /**
     * What {@link #pack} wrote.
     *
     * @param entry    the entry's folder
     * @param manifest its manifest
     * @param archives the model and the checkpoint, with their sizes before and after
     */
    public record Result(Path entry, StyleManifest manifest, List<Stored> archives) {
        /** Copies the list. */
        public Result {
            archives = List.copyOf(archives);
        }
    }

    // ------------------------------------------------------------------------------------------ packaging

    /**
     * Builds (or rebuilds) the catalog entry described by the request; see the class comment for what it writes.
     *
     * @throws IllegalArgumentException when the model is not a MODEL archive, the checkpoint not a CHECKPOINT, the
     *                                  two come from different networks, or the thumbnail photo differs from the
     *                                  catalog's
     * @throws ModelFormatException     when an archive is damaged
     */
    public static Result pack(Request r) throws IOException {
        Objects.requireNonNull(r, "request");
        // Everything is read before anything is written: a rebuild reads the entry's own style.jpg.
        byte[] style = styleJpeg(r.styleImage());
        byte[] photo = Files.readAllBytes(r.thumbnailPhoto());
        if (!isJpeg(photo)) {
            throw new IllegalArgumentException("thumbnailPhoto must be a JPEG (it is stored as "
                    + StyleCatalog.THUMBNAIL_PHOTO + "), found " + r.thumbnailPhoto());
        }
        ModelArchive model = ModelArchive.load(r.model());
        ModelArchive checkpoint = ModelArchive.load(r.checkpoint());
        requireKind(model, Manifest.Kind.MODEL, r.model(), "model", "the MODEL.zip that 'style-gan train' saved");
        requireKind(checkpoint, Manifest.Kind.CHECKPOINT, r.checkpoint(), "checkpoint",
                "MODEL.checkpoints/checkpoint.zip of a run with --checkpoint-every");
        TrainerConfig config = TrainerConfig.fromJson(model.manifest().configJson());
        TrainerConfig checkpointConfig = TrainerConfig.fromJson(checkpoint.manifest().configJson());
        if (!config.generator().equals(checkpointConfig.generator())) {
            throw new IllegalArgumentException("model " + r.model() + " and checkpoint " + r.checkpoint()
                    + " hold different generators (" + config.generator() + " and " + checkpointConfig.generator()
                    + "); give the model and the checkpoint of one run");
        }

        Path root = r.catalog();
        Files.createDirectories(root);
        Path sharedPhoto = root.resolve(StyleCatalog.THUMBNAIL_PHOTO);
        if (Files.isRegularFile(sharedPhoto)) {
            if (!Arrays.equals(Files.readAllBytes(sharedPhoto), photo)) {
                throw new IllegalArgumentException("thumbnailPhoto " + r.thumbnailPhoto() + " differs from the "
                        + "catalog's " + sharedPhoto + ": every thumbnail stylizes that one photo; pass it (or leave thumbnailPhoto "
                        + "out), or replace it and rebuild every entry");
            }
        } else {
            AtomicFiles.write(sharedPhoto, photo);
        }

        Path entry = root.resolve(r.name());
        Files.createDirectories(entry);
        List<Stored> stored = new ArrayList<>();
        stored.add(store(model, r.model(), r.precision(), true, entry.resolve(StyleCatalog.MODEL_FILE)));
        stored.add(store(checkpoint, r.checkpoint(), r.precision(), r.discriminatorOptimizerState(),
                entry.resolve(StyleCatalog.CHECKPOINT_FILE)));
        AtomicFiles.write(entry.resolve(StyleCatalog.STYLE_IMAGE_FILE), style);

        // The thumbnail comes from the stored (re-encoded) model and the photo as the catalog reads it back, so
        // loading the entry reproduces it.
        StyleModel stylizer = StyleModel.load(entry.resolve(StyleCatalog.MODEL_FILE));
        BufferedImage thumbnail = stylizer.stylize(StyleCatalog.folder(root).thumbnailPhoto(),
                StyleModel.Options.DEFAULT.withMaxSize(r.thumbnailSize()));
        Images.writePng(thumbnail, entry.resolve(StyleCatalog.THUMBNAIL_FILE));

        Map<String, String> files = new LinkedHashMap<>();
        for (String f : StyleManifest.FILES) {
            files.put(f, Checksums.sha256(entry.resolve(f)));
        }
        StyleManifest manifest = new StyleManifest(r.name(), r.title(), r.description(), r.styleSource(),
                r.styleLicence(),
                new StyleManifest.Recipe(r.command(), presetOf(r.command()), model.manifest().configJson()),
                Math.toIntExact(checkpoint.manifest().step()), r.trainingSeconds(), r.machine(),
                model.manifest().libraryVersion(), model.manifest().createdAt(), r.figures(),
                new StyleManifest.Thumbnail(StyleCatalog.THUMBNAIL_PHOTO, r.thumbnailSize()), files);
        AtomicFiles.write(entry.resolve(StyleCatalog.MANIFEST_FILE),
                manifest.toJson().getBytes(StandardCharsets.UTF_8));
        addToIndex(root, r.name());
        return new Result(entry, manifest, stored);
    }

    /** The value of {@code --preset} in a command (the last one wins, as in the CLI), or null. */
    static String presetOf(List<String> command) {
        String preset = null;
        for (int i = 0; i < command.size(); i++) {
            String a = command.get(i);
            if (a.equals("--preset") && i + 1 < command.size()) {
                preset = command.get(++i);
            } else if (a.startsWith("--preset=")) {
                preset = a.substring("--preset=".length());
            }
        }
        return preset;
    }

    private static void requireKind(ModelArchive a, Manifest.Kind kind, Path file, String what, String hint) {
        if (a.manifest().kind() != kind) {
            throw new IllegalArgumentException(what + " " + file + " is a " + a.manifest().kind()
                    + " archive, expected a " + kind + ": give " + hint);
        }
    }

    /**
     * Writes the archive with every graph at {@code precision}, its updater state kept where the source has one
     * (for discriminators only when {@code discriminatorState}); every other entry and the manifest's fields
     * (creation time and library version included) stay as they were.
     */
    private static Stored store(ModelArchive a, Path source, ModelArchive.Precision precision,
                                boolean discriminatorState, Path target) throws IOException {
        Set<String> withUpdater = graphsWithUpdaterState(source);
        for (String name : a.names()) {
            if (a.type(name) != ModelArchive.EntryType.GRAPH) {
                continue;
            }
            boolean dropState = !discriminatorState && name.startsWith("discriminator") && withUpdater.contains(name);
            if (a.precision(name) != precision || dropState) {
                boolean updater = withUpdater.contains(name) && !dropState;
                a.putGraph(name, a.graph(name, updater), updater, precision);
            }
        }
        AtomicFiles.write(target, a::writeTo);
        return new Stored(target.getFileName().toString(), Files.size(source), Files.size(target));
    }

    /** The graph entries of an archive that hold optimizer state (DL4J's {@code updaterState.bin}). */
    private static Set<String> graphsWithUpdaterState(Path archive) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            for (Enumeration<? extends ZipEntry> it = zip.entries(); it.hasMoreElements(); ) {
                ZipEntry e = it.nextElement();
                String path = e.getName();
                int slash = path.indexOf('/');
                if (slash < 0 || !path.startsWith("graphs") || !path.endsWith(".zip")) {
                    continue;
                }
                try (ZipInputStream graph = new ZipInputStream(zip.getInputStream(e))) {
                    for (ZipEntry g = graph.getNextEntry(); g != null; g = graph.getNextEntry()) {
                        if (g.getName().equals(ModelSerializer.UPDATER_BIN)) {
                            out.add(path.substring(slash + 1, path.length() - ".zip".length()));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static byte[] styleJpeg(Path image) throws IOException {
        byte[] bytes = Files.readAllBytes(image);
        if (isJpeg(bytes)) {
            Images.read(new ByteArrayInputStream(bytes));   // refuses a damaged JPEG now, not in a user's hands
            return bytes;
        }
        BufferedImage decoded = Images.read(image);
        Path tmp = Files.createTempFile("style-gan-style-", ".jpg");
        try {
            Images.writeJpeg(decoded, tmp, STYLE_JPEG_QUALITY);
            return Files.readAllBytes(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static boolean isJpeg(byte[] b) {
        return b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff;
    }

    /** Appends the name to the catalog's index (kept in order, each name once), atomically. */
    private static void addToIndex(Path root, String name) throws IOException {
        List<String> names = new ArrayList<>(StyleCatalog.folder(root).names());
        if (names.contains(name)) {
            return;
        }
        names.add(name);
        ObjectNode index = JSON.createObjectNode();
        ArrayNode list = index.putArray("styles");
        names.forEach(list::add);
        AtomicFiles.write(root.resolve(StyleCatalog.INDEX_FILE),
                (JSON.writeValueAsString(index) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------------------------------ figures

    /**
     * Reads evaluator figures from a JSON file: either a flat object of name to number, or the output of
     * {@code style-gan evaluate --set DIR --outputs DIR --json}, whose {@code mean} is taken. Top-level numbers are
     * kept under their names, texture scales as {@code fbN} (filter-bank ratio) and {@code pdN} (patch ratio) at N
     * px, the names of the evaluate command's table.
     *
     * @throws IllegalArgumentException when the file is not such a document
     */
    public static Map<String, Double> readFigures(Path json) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("figures file " + json + " is not valid JSON: "
                    + e.getOriginalMessage());
        }
        if (root != null && root.has("mean")) {
            root = root.get("mean");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("figures file " + json + " must hold a JSON object of name -> number, "
                    + "or the output of 'style-gan evaluate --set ... --json'");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNumber()) {
                out.put(e.getKey(), e.getValue().asDouble());
            } else if (e.getKey().equals("texture") && e.getValue().isArray()) {
                for (JsonNode t : e.getValue()) {
                    int px = t.path("patchSize").asInt();
                    if (t.path("filterBankRatio").isNumber()) {
                        out.put("fb" + px, t.get("filterBankRatio").asDouble());
                    }
                    if (t.path("patchRatio").isNumber()) {
                        out.put("pd" + px, t.get("patchRatio").asDouble());
                    }
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ command line

    /** Runs {@link #run} and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /**
     * The command line, in-process: 0 on success, 2 for a usage error, 1 when packaging fails. Prints the entry and
     * the archive sizes.
     */
    public static int run(PrintStream out, PrintStream err, String... args) {
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> command = null;
        boolean printCommand = false;
        boolean discriminatorState = false;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--")) {
                    command = List.of(Arrays.copyOfRange(args, i + 1, args.length));
                    break;
                }
                if (a.equals("--help") || a.equals("-h")) {
                    out.print(USAGE);
                    return 0;
                }
                if (a.equals("--print-command")) {
                    printCommand = true;
                    continue;
                }
                if (a.equals("--discriminator-optimizer-state")) {
                    discriminatorState = true;
                    continue;
                }
                if (!OPTIONS.contains(a)) {
                    throw new IllegalArgumentException("unknown option '" + a + "'");
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                opts.put(a, args[++i]);
            }
            if (!opts.containsKey("--catalog") || !opts.containsKey("--name")) {
                throw new IllegalArgumentException("--catalog and --name are required");
            }
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        Path catalog = Path.of(opts.get("--catalog"));
        String name = opts.get("--name");
        try {
            PretrainedStyle existing = Files.isDirectory(catalog) && StyleCatalog.folder(catalog).contains(name)
                    ? StyleCatalog.folder(catalog).get(name) : null;
            if (printCommand) {
                if (existing == null) {
                    throw new IllegalArgumentException("no entry '" + name + "' in the catalog " + catalog);
                }
                for (String a : existing.manifest().recipe().command()) {
                    out.print(a);
                    out.print('\0');
                }
                out.flush();
                return 0;
            }
            Builder b = Request.builder();
            if (existing != null) {
                b.reuse(existing.manifest(), catalog);
            }
            b.catalog(catalog).name(name);
            opt(opts, "--title", b::title);
            opt(opts, "--description", b::description);
            opt(opts, "--style-image", v -> b.styleImage(Path.of(v)));
            opt(opts, "--style-source", b::styleSource);
            opt(opts, "--licence", b::styleLicence);
            opt(opts, "--model", v -> b.model(Path.of(v)));
            opt(opts, "--checkpoint", v -> b.checkpoint(Path.of(v)));
            opt(opts, "--training-seconds", v -> b.trainingSeconds(number("--training-seconds", v)));
            opt(opts, "--machine", b::machine);
            opt(opts, "--thumbnail-photo", v -> b.thumbnailPhoto(Path.of(v)));
            opt(opts, "--thumbnail-size", v -> b.thumbnailSize((int) number("--thumbnail-size", v)));
            opt(opts, "--storage", v -> b.precision(precision(v)));
            b.discriminatorOptimizerState(discriminatorState);
            if (opts.containsKey("--figures")) {
                b.figures(readFigures(Path.of(opts.get("--figures"))));
            }
            if (command != null) {
                b.command(command);
            }
            Request request = b.build();
            long t0 = System.nanoTime();
            Result r = pack(request);
            out.printf(Locale.ROOT, "Packaged '%s' into %s in %.1f s (graphs stored as %s):%n", name, r.entry(),
                    (System.nanoTime() - t0) / 1e9, request.precision());
            for (Stored s : r.archives()) {
                out.printf(Locale.ROOT, "  %-15s %,13d -> %,13d bytes (%.0f%%)%n", s.file(), s.sourceBytes(),
                        s.storedBytes(), 100.0 * s.storedBytes() / s.sourceBytes());
            }
            out.println("  manifest.json, style.jpg, thumbnail.png; " + StyleCatalog.INDEX_FILE + " lists "
                    + StyleCatalog.folder(catalog).names());
            return 0;
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (NoSuchFileException e) {
            err.println("error: file not found: " + e.getFile());
            return 1;
        } catch (IOException | UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static final Set<String> OPTIONS = Set.of("--catalog", "--name", "--title", "--description",
            "--style-image", "--style-source", "--licence", "--model", "--checkpoint", "--training-seconds",
            "--machine", "--figures", "--thumbnail-photo", "--thumbnail-size", "--storage");

    private static final String USAGE = """
            usage: StylePackager --catalog DIR --name NAME --model MODEL.zip --checkpoint CHECKPOINT.zip
                                 --training-seconds S --machine TEXT [--figures FILE.json]
                                 --title TEXT --description TEXT --style-image IMAGE [--style-source TEXT]
                                 --licence TEXT --thumbnail-photo PHOTO.jpg [--thumbnail-size PX (512)]
                                 [--storage half|float (half)] [--discriminator-optimizer-state]
                                 -- train ARGUMENTS OF THE RUN...
                   StylePackager --print-command --catalog DIR --name NAME
            When the catalog holds NAME already, the options of the last two lines and the command default to its
            manifest's. --print-command prints NAME's recipe, one NUL-terminated argument each.
            """;

    private interface Setter {
        void set(String value);
    }

    private static void opt(Map<String, String> opts, String key, Setter s) {
        String v = opts.get(key);
        if (v != null) {
            s.set(v);
        }
    }

    private static double number(String option, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, found '" + v + "'");
        }
    }

    private static ModelArchive.Precision precision(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "half" -> ModelArchive.Precision.HALF;
            case "float" -> ModelArchive.Precision.FLOAT;
            default -> throw new IllegalArgumentException("--storage must be half or float, found '" + v + "'");
        };
    }
}
