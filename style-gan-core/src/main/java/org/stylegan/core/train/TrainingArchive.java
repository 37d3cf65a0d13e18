package org.stylegan.core.train;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.stylegan.core.net.FeatureExtractor;
import org.stylegan.core.net.Generator;
import org.stylegan.io.Manifest;
import org.stylegan.io.ModelArchive;
import org.stylegan.io.ModelFormatException;

/**
 * The one codec of style-gan's files: writes and reads the entries of models and checkpoints (the config JSON in
 * the manifest, the generator and discriminator graphs, history, auto-balance scales, trainer state, image pool,
 * preview batch, sample image) inside a {@link ModelArchive}. {@code GanTrainer} writes and resumes checkpoints
 * through it, {@code StyleModel} saves and loads models (and reads checkpoints as models) through it; the layout is
 * docs/model-format.md's format 1.
 */
public final class TrainingArchive {
    /** Entry of the generator graph (both kinds). */
    public static final String GENERATOR = "generator";
    static final String DISCRIMINATOR = "discriminator";
    static final String HISTORY = "history";
    static final String SCALES = "scales";
    static final String TRAINER_STATE = "trainer_state";
    static final String IMAGE_POOL = "image_pool";
    static final String PREVIEW = "preview";
    static final String SAMPLE = "sample";
    private static final int STATE_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingArchive() {
    }

    /**
     * What a model file holds.
     *
     * @param config    the training config (provenance; its generator config describes the generator)
     * @param generator the trained generator
     * @param history   the training history (empty when unknown)
     * @param scales    auto-balance scale per term (empty when unknown)
     * @param sample    a sample output, or null
     */
    public record Model(TrainerConfig config, Generator generator, History history, Map<String, Double> scales,
                        BufferedImage sample) {
        /** Checks the required parts and copies the scales. */
        public Model {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(generator, "generator");
            history = history == null ? History.empty() : history;
            scales = Collections.unmodifiableMap(new LinkedHashMap<>(scales == null ? Map.of() : scales));
        }
    }

    /** Saves a model atomically as an archive of kind MODEL (generator without optimizer state). */
    public static void saveModel(Path file, Model m) throws IOException {
        Objects.requireNonNull(file, "file");
        ModelArchive a = ModelArchive.create(Manifest.Kind.MODEL).config(m.config().toJson()).seed(m.config().seed())
                .step(m.history().isEmpty() ? 0 : m.history().last().step() + 1)
                .extra("generatorConfig", m.generator().config().toJson());
        a.putGraph(GENERATOR, m.generator().graph(), false);
        a.putJson(HISTORY, m.history().toJson());
        a.putJson(SCALES, json(m.scales()));
        if (m.sample() != null) {
            a.putImage(SAMPLE, m.sample());
        }
        a.save(file);
    }

    /**
     * Loads a model saved by {@link #saveModel}; a checkpoint also loads (its generator, config, history and
     * scales).
     *
     * @throws ModelFormatException when the file is not a style-gan model or checkpoint, or is damaged
     */
    public static Model loadModel(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        ModelArchive a = ModelArchive.load(file);
        if (!a.has(GENERATOR)) {
            throw new ModelFormatException(file + " holds no '" + GENERATOR + "' entry; it is not a style-gan "
                    + "model or checkpoint");
        }
        TrainerConfig cfg;
        try {
            cfg = TrainerConfig.fromJson(a.manifest().configJson());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": invalid training config: " + e.getMessage());
        }
        ComputationGraph graph = a.graph(GENERATOR, false);
        Generator g;
        try {
            g = Generator.restore(cfg.generator(), graph);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": generator does not match its config: " + e.getMessage());
        }
        History h;
        try {
            h = a.has(HISTORY) ? History.fromJson(a.json(HISTORY)) : History.empty();
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": invalid history entry: " + e.getMessage());
        }
        Map<String, Double> scales;
        try {
            scales = a.has(SCALES) ? scales(JSON.readValue(a.json(SCALES), Object.class))
                    : a.has(TRAINER_STATE) ? scales(readState(a).get("scales")) : Map.of();
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(file + ": invalid scales entry: " + e.getOriginalMessage());
        }
        BufferedImage sample = a.has(SAMPLE) ? a.image(SAMPLE) : null;
        return new Model(cfg, g, h, scales, sample);
    }

    // ------------------------------------------------------------------------------------------ checkpoints

    /**
     * A trainer's resumable state.
     *
     * @param config          the run's config
     * @param generator       the generator graph with optimizer state
     * @param discriminators  the discriminator graphs with optimizer state, level 0 first (one per pyramid level),
     *                        empty when gamma is 0
     * @param step            iterations done
     * @param contentPosition content batches taken
     * @param scales          auto-balance scales, or null before the first step
     * @param history         the events so far
     * @param imagePool       the image pool's bytes, or null
     * @param preview         the preview batch, or null
     * @param featureNetwork  the loss network's model file, or null for the config's random network
     * @param lrScale         the collapse guard's factor on both learning rates (1 until a rollback)
     */
    record Checkpoint(TrainerConfig config, ComputationGraph generator, List<ComputationGraph> discriminators, int step,
                      long contentPosition, Map<String, Double> scales, History history, byte[] imagePool,
                      INDArray preview, FeatureSource featureNetwork, double lrScale) {
        /**
         * Returns the config to continue with: {@code override} (e.g. more steps), or the saved one when null.
         *
         * @throws IllegalArgumentException when the override's networks differ from the checkpoint's
         */
        TrainerConfig continueWith(TrainerConfig override) {
            TrainerConfig cfg = override == null ? config : override;
            if (!cfg.generator().equals(config.generator()) || !cfg.discriminator().equals(config.discriminator())
                    || cfg.adversarialActive() != config.adversarialActive()
                    || cfg.adversarialActive() && cfg.discriminatorScales() != config.discriminatorScales()) {
                throw new IllegalArgumentException("the config's networks differ from the checkpoint's ("
                        + config.generator() + ", " + config.discriminator() + ", discriminatorScales "
                        + config.discriminatorScales() + "); resume with the same architectures");
            }
            return cfg;
        }

        /**
         * Returns {@code target} with this checkpoint's architectures (generator, discriminator, pyramid levels), the
         * config a fine-tuning run starts from: every other setting (style, weights, steps, rates) is the target's.
         *
         * @throws IllegalArgumentException when the target trains a GAN and the checkpoint holds no discriminator
         */
        TrainerConfig fineTuneWith(TrainerConfig target, Path file) {
            if (target.adversarialActive() && discriminators.isEmpty()) {
                throw new IllegalArgumentException("checkpoint " + file + " holds no discriminator (it was trained "
                        + "with gamma 0), so it cannot start a GAN run; fine-tune with gamma 0 or from a checkpoint of"
                        + " a GAN run");
            }
            TrainerConfig.Builder b = target.toBuilder().generator(config.generator());
            if (!discriminators.isEmpty()) {
                b.discriminator(config.discriminator()).discriminatorScales(discriminators.size());
            }
            return b.build();
        }
    }

    /**
     * The feature network of a run that loaded one from a file: the file and its taps.
     *
     * @param file         absolute path of the model file when the checkpoint was written
     * @param contentLayer the content tap
     * @param styleLayers  the style taps
     */
    record FeatureSource(String file, String contentLayer, List<String> styleLayers) {
        /** Describes a file-based network, or returns null for the random one. */
        static FeatureSource of(FeatureExtractor fx) {
            return fx.modelFile() == null ? null
                    : new FeatureSource(fx.modelFile().toString(), fx.contentTap(), fx.styleTaps());
        }

        /**
         * Refuses to resume with another loss network than the run's: a checkpoint of a run with a file-based
         * network needs that network (same taps) passed in; one of a random-network run takes none or a random one.
         *
         * @param recorded what the checkpoint records, null for the random network
         * @param given    what the caller passes to resume, null for the config's random network
         * @throws IllegalArgumentException naming the network the checkpoint needs and how to pass it
         */
        static void requireSame(Path checkpoint, FeatureSource recorded, FeatureExtractor given) {
            FeatureSource found = given == null ? null : of(given);
            if (recorded == null && found != null) {
                throw new IllegalArgumentException("checkpoint " + checkpoint + " was trained with the config's random"
                        + " feature network, not the model file " + found.file() + "; resume without a feature"
                        + " network (pass null) to keep the same loss");
            }
            if (recorded != null && (found == null || !found.contentLayer().equals(recorded.contentLayer())
                    || !found.styleLayers().equals(recorded.styleLayers()))) {
                throw new IllegalArgumentException("checkpoint " + checkpoint + " was trained with the feature network"
                        + " loaded from " + recorded.file() + " (content layer " + recorded.contentLayer()
                        + ", style layers " + recorded.styleLayers() + "), but resume was given "
                        + (found == null ? "none (the random network would change the loss)"
                        : found.file() + " with content layer " + found.contentLayer() + ", style layers "
                        + found.styleLayers()) + "; pass FeatureExtractor.fromZooModel(Path.of(\"" + recorded.file()
                        + "\"), \"" + recorded.contentLayer() + "\", " + quoted(recorded.styleLayers())
                        + ") to GanTrainer.resume(checkpoint, config, features, content, styles)");
            }
        }

        private static String quoted(List<String> names) {
            List<String> q = new ArrayList<>();
            names.forEach(n -> q.add("\"" + n + "\""));
            return String.join(", ", q);
        }
    }

    /** Writes a checkpoint atomically as an archive of kind CHECKPOINT. */
    static void saveCheckpoint(Path file, Checkpoint c) throws IOException {
        TrainerConfig cfg = c.config();
        ModelArchive a = ModelArchive.create(Manifest.Kind.CHECKPOINT).config(cfg.toJson()).seed(cfg.seed())
                .step(c.step());
        a.putGraph(GENERATOR, c.generator(), true);
        for (int k = 0; k < c.discriminators().size(); k++) {
            a.putGraph(discriminatorEntry(k), c.discriminators().get(k), true);
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("version", STATE_VERSION);
        state.put("step", c.step());
        state.put("contentPosition", c.contentPosition());
        state.put("scales", c.scales());
        state.put("rng", "derived from (seed, step)");
        state.put("lrFactor", cfg.lrFactor(Math.min(c.step(), cfg.steps() - 1)));
        state.put("lrScale", c.lrScale());
        if (c.featureNetwork() != null) {
            Map<String, Object> fn = new LinkedHashMap<>();
            fn.put("file", c.featureNetwork().file());
            fn.put("contentLayer", c.featureNetwork().contentLayer());
            fn.put("styleLayers", c.featureNetwork().styleLayers());
            state.put("featureNetwork", fn);
        }
        a.putJson(TRAINER_STATE, json(state));
        a.putJson(HISTORY, c.history().toJson());
        a.putBytes(IMAGE_POOL, c.imagePool());
        if (c.preview() != null) {
            a.putBytes(PREVIEW, Nd4j.toByteArray(c.preview()));
        }
        a.save(file);
    }

    /**
     * Reads a checkpoint written by {@link #saveCheckpoint}.
     *
     * @throws IllegalArgumentException when the file is not a checkpoint or its trainer state is damaged
     */
    @SuppressWarnings("unchecked")
    static Checkpoint loadCheckpoint(Path file) throws IOException {
        ModelArchive a = ModelArchive.load(file);
        if (a.manifest().kind() != Manifest.Kind.CHECKPOINT) {
            throw new IllegalArgumentException(file + " is a " + a.manifest().kind()
                    + " archive, not a training checkpoint; resume needs a file written by a GanTrainer");
        }
        TrainerConfig cfg = TrainerConfig.fromJson(a.manifest().configJson());
        Map<String, Object> state;
        try {
            state = readState(a);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("corrupt trainer_state in checkpoint: " + e.getOriginalMessage(), e);
        }
        if (!(state.get("version") instanceof Number v) || v.intValue() != STATE_VERSION) {
            throw new IllegalArgumentException("trainer_state: expected version " + STATE_VERSION + ", found "
                    + state.get("version"));
        }
        FeatureSource features = null;
        if (state.get("featureNetwork") instanceof Map<?, ?> fn) {
            features = new FeatureSource(String.valueOf(fn.get("file")), String.valueOf(fn.get("contentLayer")),
                    List.copyOf((List<String>) fn.get("styleLayers")));
        }
        List<ComputationGraph> ds = new ArrayList<>();
        for (int k = 0; cfg.adversarialActive() && k < cfg.discriminatorScales(); k++) {
            ds.add(a.graph(discriminatorEntry(k), true));
        }
        return new Checkpoint(cfg, a.graph(GENERATOR, true), ds,
                ((Number) state.get("step")).intValue(), ((Number) state.get("contentPosition")).longValue(),
                state.get("scales") == null ? null : scales(state.get("scales")),
                History.fromJson(a.json(HISTORY)), a.has(IMAGE_POOL) ? a.bytes(IMAGE_POOL) : null,
                a.has(PREVIEW) ? Nd4j.fromByteArray(a.bytes(PREVIEW)) : null, features,
                state.get("lrScale") instanceof Number s ? s.doubleValue() : 1.0);
    }

    /**
     * Entry of the pyramid's discriminator at {@code level}: {@code discriminator} for level 0 (the entry of
     * checkpoints from before the pyramid, which load as one level), {@code discriminator_k} for level k.
     */
    static String discriminatorEntry(int level) {
        return level == 0 ? DISCRIMINATOR : DISCRIMINATOR + "_" + level;
    }

    private static Map<String, Object> readState(ModelArchive a) throws JsonProcessingException {
        return JSON.readValue(a.json(TRAINER_STATE), new TypeReference<LinkedHashMap<String, Object>>() { });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Double> scales(Object json) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (json instanceof Map<?, ?> m) {
            ((Map<String, Object>) m).forEach((k, v) -> out.put(k, ((Number) v).doubleValue()));
        }
        return out;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
