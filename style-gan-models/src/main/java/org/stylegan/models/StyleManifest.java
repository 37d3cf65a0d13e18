package org.stylegan.models;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.stylegan.core.train.TrainerConfig;

/**
 * The {@code manifest.json} of a catalog entry: what the style is, where its image comes from, the exact recipe
 * that trained it, how long that took where, the evaluator's figures, and the SHA-256 of every file of the entry.
 * Immutable; every field is validated when built and when read ({@link #fromJson}).
 *
 * @param name            the entry's name, also its folder: {@value #NAME_PATTERN}
 * @param title           a short human title, e.g. "Impasto"
 * @param description     one or two sentences on the look
 * @param styleImage      the style image's source (original file name, work and artist); the entry holds it as
 *                        {@code style.jpg}
 * @param styleLicence    the style image's licence and attribution
 * @param recipe          how the model was trained
 * @param steps           training steps of the run (the checkpoint's step count)
 * @param trainingSeconds wall time of training, >= 0
 * @param machine         the machine it was trained on, e.g. "2-core AMD EPYC 7B13, 8 GiB, OMP_NUM_THREADS=2"
 * @param libraryVersion  the style-gan version that trained it
 * @param createdAt       when the model was saved
 * @param figures         the evaluator's figures (name to value: {@code score}, {@code ssim}, {@code paletteRatio},
 *                        {@code fb8}, ...), means over the evaluation set; may be empty
 * @param thumbnail       how {@code thumbnail.png} was made
 * @param files           SHA-256 (64 lower-case hex digits) of each file of the entry: exactly {@link #FILES}
 */
public record StyleManifest(String name, String title, String description, String styleImage, String styleLicence,
                            Recipe recipe, int steps, double trainingSeconds, String machine, String libraryVersion,
                            Instant createdAt, Map<String, Double> figures, Thumbnail thumbnail,
                            Map<String, String> files) {
    /** What a style name may look like (it is a folder and a resource path). */
    public static final String NAME_PATTERN = "[a-z0-9][a-z0-9_-]{0,63}";
    /** The files of an entry whose checksums the manifest records. */
    public static final List<String> FILES = List.of(StyleCatalog.MODEL_FILE, StyleCatalog.CHECKPOINT_FILE,
            StyleCatalog.STYLE_IMAGE_FILE, StyleCatalog.THUMBNAIL_FILE);
    /** The figure the {@code styles} listing shows: the evaluator's summary score. */
    public static final String SCORE = "score";

    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * How the model was trained.
     *
     * @param command       the exact {@code style-gan} arguments of the run, starting with the command
     *                      ({@code ["train", "--content", "photos/", ...]}); not empty
     * @param preset        the preset the command named ({@code --preset}), or null for none
     * @param trainerConfig the run's {@link TrainerConfig} as JSON ({@link TrainerConfig#toJson()}), every setting
     */
    public record Recipe(List<String> command, String preset, String trainerConfig) {
        /** Validates and copies. */
        public Recipe {
            Objects.requireNonNull(command, "command");
            command = List.copyOf(command);
            if (command.isEmpty()) {
                throw new IllegalArgumentException("recipe.command must hold the style-gan arguments of the run "
                        + "(e.g. [\"train\", \"--content\", ...]), found none");
            }
            requireText("recipe.trainerConfig", trainerConfig);
            try {
                TrainerConfig.fromJson(trainerConfig);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("recipe.trainerConfig is not a valid TrainerConfig JSON: "
                        + e.getMessage(), e);
            }
        }

        /** The run's trainer config, parsed. */
        public TrainerConfig config() {
            return TrainerConfig.fromJson(trainerConfig);
        }
    }

    /**
     * How {@code thumbnail.png} was made: {@code photo} stylized with the model at {@code maxSize}.
     *
     * @param photo   the photo, relative to the catalog root (every entry uses the catalog's
     *                {@value StyleCatalog#THUMBNAIL_PHOTO})
     * @param maxSize longer side of the thumbnail in pixels ({@code StyleModel.Options#maxSize}), >= 16
     */
    public record Thumbnail(String photo, int maxSize) {
        /** Validates. */
        public Thumbnail {
            requireText("thumbnail.photo", photo);
            if (maxSize < 16) {
                throw new IllegalArgumentException("thumbnail.maxSize must be >= 16 pixels, found " + maxSize);
            }
        }
    }

    /** Validates every field and copies the maps (figures and files keep their order). */
    public StyleManifest {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must match " + NAME_PATTERN + " (lower case, digits, '-', '_'; "
                    + "it is a folder name), found '" + name + "'");
        }
        requireText("title", title);
        requireText("description", description);
        requireText("styleImage", styleImage);
        requireText("styleLicence", styleLicence);
        Objects.requireNonNull(recipe, "recipe");
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, found " + steps);
        }
        if (!(trainingSeconds >= 0) || Double.isInfinite(trainingSeconds)) {
            throw new IllegalArgumentException("trainingSeconds must be a finite number >= 0, found "
                    + trainingSeconds);
        }
        requireText("machine", machine);
        requireText("libraryVersion", libraryVersion);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(figures, "figures");
        figures.forEach((k, v) -> {
            if (v == null || !Double.isFinite(v)) {
                throw new IllegalArgumentException("figures." + k + " must be a finite number, found " + v);
            }
        });
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
        Objects.requireNonNull(thumbnail, "thumbnail");
        Objects.requireNonNull(files, "files");
        if (!files.keySet().equals(new java.util.HashSet<>(FILES))) {
            throw new IllegalArgumentException("files must hold the SHA-256 of exactly " + FILES + ", found "
                    + files.keySet());
        }
        files.forEach((k, v) -> {
            if (v == null || !SHA256.matcher(v).matches()) {
                throw new IllegalArgumentException("files." + k + " must be a SHA-256 (64 lower-case hex digits), "
                        + "found '" + v + "'");
            }
        });
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String f : FILES) {
            ordered.put(f, files.get(f));
        }
        files = Collections.unmodifiableMap(ordered);
    }

    /** The SHA-256 the manifest records for one of {@link #FILES}. */
    public String sha256(String file) {
        String h = files.get(file);
        if (h == null) {
            throw new IllegalArgumentException("no checksum for '" + file + "': the manifest records " + FILES);
        }
        return h;
    }

    /** The evaluator's summary score, when the manifest records one. */
    public Optional<Double> score() {
        return Optional.ofNullable(figures.get(SCORE));
    }

    // ------------------------------------------------------------------------------------------ JSON

    /** The manifest as an indented JSON document, fields in the documented order. */
    public String toJson() {
        ObjectNode m = JSON.createObjectNode();
        m.put("name", name);
        m.put("title", title);
        m.put("description", description);
        m.put("styleImage", styleImage);
        m.put("styleLicence", styleLicence);
        ObjectNode r = m.putObject("recipe");
        ArrayNode cmd = r.putArray("command");
        recipe.command().forEach(cmd::add);
        if (recipe.preset() == null) {
            r.putNull("preset");
        } else {
            r.put("preset", recipe.preset());
        }
        r.put("trainerConfig", recipe.trainerConfig());
        m.put("steps", steps);
        m.put("trainingSeconds", trainingSeconds);
        m.put("machine", machine);
        m.put("libraryVersion", libraryVersion);
        m.put("createdAt", createdAt.toString());
        ObjectNode f = m.putObject("figures");
        figures.forEach(f::put);
        ObjectNode t = m.putObject("thumbnail");
        t.put("photo", thumbnail.photo());
        t.put("maxSize", thumbnail.maxSize());
        ObjectNode fs = m.putObject("files");
        files.forEach(fs::put);
        try {
            return JSON.writeValueAsString(m) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the manifest of '" + name + "' as JSON", e);
        }
    }

    /**
     * Reads and validates a manifest.
     *
     * @param json   the document
     * @param source what to call it in errors, e.g. "impasto/manifest.json in the class-path catalog"
     * @throws IllegalArgumentException naming {@code source} and the field at fault (missing, wrong type or invalid
     *                                  value)
     */
    public static StyleManifest fromJson(String json, String source) {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(source, "source");
        JsonNode m;
        try {
            m = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + " is not valid JSON: " + e.getOriginalMessage()
                    + "; rebuild the entry with StylePackager");
        }
        if (m == null || !m.isObject()) {
            throw new IllegalArgumentException(source + " must hold a JSON object; rebuild the entry with "
                    + "StylePackager");
        }
        Fields f = new Fields(source);
        JsonNode recipe = f.object(m, "recipe");
        JsonNode thumb = f.object(m, "thumbnail");
        List<String> command = new ArrayList<>();
        JsonNode cmd = f.field(recipe, "recipe.command", "command");
        if (!cmd.isArray()) {
            throw f.wrongType("recipe.command", "an array of strings");
        }
        for (JsonNode a : cmd) {
            if (!a.isTextual()) {
                throw f.wrongType("recipe.command", "an array of strings");
            }
            command.add(a.asText());
        }
        JsonNode preset = recipe.get("preset");
        if (preset != null && !preset.isNull() && !preset.isTextual()) {
            throw f.wrongType("recipe.preset", "a string or null");
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        JsonNode fig = f.object(m, "figures");
        for (Iterator<Map.Entry<String, JsonNode>> it = fig.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNumber()) {
                throw f.wrongType("figures." + e.getKey(), "a number");
            }
            figures.put(e.getKey(), e.getValue().asDouble());
        }
        Map<String, String> files = new LinkedHashMap<>();
        JsonNode fl = f.object(m, "files");
        for (String file : FILES) {
            files.put(file, f.text(fl, "files." + file, file));
        }
        Instant created;
        String createdText = f.text(m, "createdAt", "createdAt");
        try {
            created = Instant.parse(createdText);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(source + ": field 'createdAt' must be an ISO-8601 instant "
                    + "(2024-05-01T12:00:00Z), found '" + createdText + "'");
        }
        String name = f.text(m, "name", "name");
        String title = f.text(m, "title", "title");
        String description = f.text(m, "description", "description");
        String styleImage = f.text(m, "styleImage", "styleImage");
        String licence = f.text(m, "styleLicence", "styleLicence");
        String trainerConfig = f.text(recipe, "recipe.trainerConfig", "trainerConfig");
        int steps = f.integer(m, "steps", "steps");
        double seconds = f.number(m, "trainingSeconds");
        String machine = f.text(m, "machine", "machine");
        String version = f.text(m, "libraryVersion", "libraryVersion");
        String photo = f.text(thumb, "thumbnail.photo", "photo");
        int maxSize = f.integer(thumb, "thumbnail.maxSize", "maxSize");
        try {
            return new StyleManifest(name, title, description, styleImage, licence,
                    new Recipe(command, preset == null || preset.isNull() ? null : preset.asText(), trainerConfig),
                    steps, seconds, machine, version, created, figures, new Thumbnail(photo, maxSize), files);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage()
                    + "; rebuild the entry with StylePackager", e);
        }
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
    }

    /** Field access that names the file and the field in every error. */
    private record Fields(String source) {
        JsonNode field(JsonNode parent, String path, String key) {
            JsonNode v = parent.get(key);
            if (v == null || v.isNull()) {
                throw new IllegalArgumentException(source + " is missing the field '" + path
                        + "'; rebuild the entry with StylePackager");
            }
            return v;
        }

        JsonNode object(JsonNode parent, String key) {
            JsonNode v = field(parent, key, key);
            if (!v.isObject()) {
                throw wrongType(key, "an object");
            }
            return v;
        }

        String text(JsonNode parent, String path, String key) {
            JsonNode v = field(parent, path, key);
            if (!v.isTextual()) {
                throw wrongType(path, "a string");
            }
            return v.asText();
        }

        int integer(JsonNode parent, String path, String key) {
            JsonNode v = field(parent, path, key);
            if (!v.canConvertToInt() || !v.isIntegralNumber()) {
                throw wrongType(path, "an integer");
            }
            return v.asInt();
        }

        double number(JsonNode parent, String key) {
            JsonNode v = field(parent, key, key);
            if (!v.isNumber()) {
                throw wrongType(key, "a number");
            }
            return v.asDouble();
        }

        IllegalArgumentException wrongType(String path, String expected) {
            return new IllegalArgumentException(source + ": field '" + path + "' must be " + expected
                    + "; rebuild the entry with StylePackager");
        }
    }
}
