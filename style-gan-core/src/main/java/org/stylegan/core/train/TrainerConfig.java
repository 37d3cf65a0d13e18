package org.stylegan.core.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.stylegan.core.net.DiscriminatorConfig;
import org.stylegan.core.net.FeatureExtractor;
import org.stylegan.core.net.GeneratorConfig;
import org.stylegan.core.net.Normalization;
import org.stylegan.core.net.Padding;
import org.stylegan.core.net.Upsampling;
import org.stylegan.losses.AdversarialLoss;

/**
 * Every setting of a {@link GanTrainer} run; immutable and validated. Build with {@link #builder()}; each
 * setter's javadoc states its default. The defaults follow docs/training-guide.md (the quality recipe: small
 * generator, random VGG-shaped loss network, auto-balanced terms, alpha 1, beta 10, gamma 0.1).
 */
public final class TrainerConfig {
    /** Format of {@link #toJson()}. */
    public static final int JSON_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the content loss is measured. */
    public enum ContentMode {
        /** Mean squared difference of feature maps at the content tap (default): keeps structure, frees colour. */
        FEATURES,
        /** Mean squared difference of pixels: keeps structure and colours more, weaker style. */
        PIXEL
    }

    private final int steps;
    private final int imageSize;
    private final int batchSize;
    private final int styleSize;
    private final int discriminatorCrop;
    private final double alpha;
    private final double beta;
    private final double gamma;
    private final double tv;
    private final boolean autoBalance;
    private final ContentMode contentMode;
    private final long featureSeed;
    private final List<String> styleTaps;
    private final String contentTap;
    private final double lrGenerator;
    private final double lrDiscriminator;
    private final double beta1Generator;
    private final double beta2Generator;
    private final double beta1Discriminator;
    private final double beta2Discriminator;
    private final int lrDecayFrom;
    private final int discriminatorSteps;
    private final double labelSmoothing;
    private final AdversarialLoss.Kind adversarialLoss;
    private final int imagePoolSize;
    private final long seed;
    private final GeneratorConfig generator;
    private final DiscriminatorConfig discriminator;
    private final int checkpointEvery;
    private final Path checkpointDir;

    private TrainerConfig(Builder b) {
        steps = b.steps;
        imageSize = b.imageSize;
        batchSize = b.batchSize;
        styleSize = b.styleSize;
        discriminatorCrop = b.discriminatorCrop;
        alpha = b.alpha;
        beta = b.beta;
        gamma = b.gamma;
        tv = b.tv;
        autoBalance = b.autoBalance;
        contentMode = b.contentMode;
        featureSeed = b.featureSeed;
        styleTaps = List.copyOf(b.styleTaps);
        contentTap = b.contentTap;
        lrGenerator = b.lrGenerator;
        lrDiscriminator = b.lrDiscriminator;
        beta1Generator = b.beta1Generator;
        beta2Generator = b.beta2Generator;
        beta1Discriminator = b.beta1Discriminator;
        beta2Discriminator = b.beta2Discriminator;
        lrDecayFrom = b.lrDecayFrom;
        discriminatorSteps = b.discriminatorSteps;
        labelSmoothing = b.labelSmoothing;
        adversarialLoss = b.adversarialLoss;
        imagePoolSize = b.imagePoolSize;
        seed = b.seed;
        generator = b.generator;
        discriminator = b.discriminator;
        checkpointEvery = b.checkpointEvery;
        checkpointDir = b.checkpointDir;
    }

    /** Returns a builder with every default set. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder preset to this config. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Returns the default configuration. */
    public static TrainerConfig defaults() {
        return builder().build();
    }

    /** Returns the quality recipe's small generator: base 16 filters, 2 downsamplings, 3 residual blocks. */
    public static GeneratorConfig smallGenerator() {
        return new GeneratorConfig(16, 2, 3, Normalization.INSTANCE, Padding.REFLECTION, Upsampling.NEAREST_CONV, 42);
    }

    /** Returns the quality recipe's small PatchGAN: base 32 filters, 3 stride-2 stages, instance norm. */
    public static DiscriminatorConfig smallDiscriminator() {
        return new DiscriminatorConfig(DiscriminatorConfig.Type.PATCH_GAN, 32, 3, Normalization.INSTANCE,
                DiscriminatorConfig.Output.PATCH, 0.2, 42);
    }

    public int steps() { return steps; }
    public int imageSize() { return imageSize; }
    public int batchSize() { return batchSize; }
    public int styleSize() { return styleSize; }
    public int discriminatorCrop() { return discriminatorCrop; }
    public double alpha() { return alpha; }
    public double beta() { return beta; }
    public double gamma() { return gamma; }
    public double tv() { return tv; }
    public boolean autoBalance() { return autoBalance; }
    public ContentMode contentMode() { return contentMode; }
    public long featureSeed() { return featureSeed; }
    public List<String> styleTaps() { return styleTaps; }
    public String contentTap() { return contentTap; }
    public double lrGenerator() { return lrGenerator; }
    public double lrDiscriminator() { return lrDiscriminator; }
    public double beta1Generator() { return beta1Generator; }
    public double beta2Generator() { return beta2Generator; }
    public double beta1Discriminator() { return beta1Discriminator; }
    public double beta2Discriminator() { return beta2Discriminator; }
    /** Returns the step linear learning-rate decay starts at, or -1 when off. */
    public int lrDecayFrom() { return lrDecayFrom; }
    public int discriminatorSteps() { return discriminatorSteps; }
    public double labelSmoothing() { return labelSmoothing; }
    public AdversarialLoss.Kind adversarialLoss() { return adversarialLoss; }
    public int imagePoolSize() { return imagePoolSize; }
    public long seed() { return seed; }
    public GeneratorConfig generator() { return generator; }
    public DiscriminatorConfig discriminator() { return discriminator; }
    public int checkpointEvery() { return checkpointEvery; }
    /** Returns the checkpoint folder, or null when checkpoints are off. */
    public Path checkpointDir() { return checkpointDir; }

    /** Returns true when the adversarial term (and so the discriminator) is active. */
    public boolean adversarialActive() {
        return gamma > 0;
    }

    /**
     * Returns the learning-rate factor at a step: 1 before {@link #lrDecayFrom()}, then falling linearly so that
     * the last step uses 1/(steps - lrDecayFrom) of the base rate.
     */
    public double lrFactor(int step) {
        if (lrDecayFrom < 0 || step < lrDecayFrom) {
            return 1.0;
        }
        return (double) (steps - step) / (steps - lrDecayFrom);
    }

    /** Serialises every setting to JSON (networks as nested objects). */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", JSON_VERSION);
        m.put("steps", steps);
        m.put("imageSize", imageSize);
        m.put("batchSize", batchSize);
        m.put("styleSize", styleSize);
        m.put("discriminatorCrop", discriminatorCrop);
        m.put("alpha", alpha);
        m.put("beta", beta);
        m.put("gamma", gamma);
        m.put("tv", tv);
        m.put("autoBalance", autoBalance);
        m.put("contentMode", contentMode.name());
        m.put("featureSeed", featureSeed);
        m.put("styleTaps", styleTaps);
        m.put("contentTap", contentTap);
        m.put("lrGenerator", lrGenerator);
        m.put("lrDiscriminator", lrDiscriminator);
        m.put("beta1Generator", beta1Generator);
        m.put("beta2Generator", beta2Generator);
        m.put("beta1Discriminator", beta1Discriminator);
        m.put("beta2Discriminator", beta2Discriminator);
        m.put("lrDecayFrom", lrDecayFrom);
        m.put("discriminatorSteps", discriminatorSteps);
        m.put("labelSmoothing", labelSmoothing);
        m.put("adversarialLoss", adversarialLoss.name());
        m.put("imagePoolSize", imagePoolSize);
        m.put("seed", seed);
        m.put("checkpointEvery", checkpointEvery);
        m.put("checkpointDir", checkpointDir == null ? null : checkpointDir.toString());
        try {
            m.put("generator", JSON.readValue(generator.toJson(), Map.class));
            m.put("discriminator", JSON.readValue(discriminator.toJson(), Map.class));
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write trainer config JSON", e);
        }
    }

    /** Parses {@link #toJson()} output; missing fields take the defaults; the result is validated. */
    @SuppressWarnings("unchecked")
    public static TrainerConfig fromJson(String json) {
        Map<String, Object> m;
        try {
            m = JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid trainer config JSON: " + e.getOriginalMessage(), e);
        }
        Object v = m.get("version");
        if (v != null && (!(v instanceof Number n) || n.intValue() != JSON_VERSION)) {
            throw new IllegalArgumentException("trainer config: expected version " + JSON_VERSION + ", found " + v);
        }
        Builder b = builder();
        try {
            if (m.containsKey("steps")) b.steps(num(m, "steps").intValue());
            if (m.containsKey("imageSize")) b.imageSize(num(m, "imageSize").intValue());
            if (m.containsKey("batchSize")) b.batchSize(num(m, "batchSize").intValue());
            if (m.containsKey("styleSize")) b.styleSize(num(m, "styleSize").intValue());
            if (m.containsKey("discriminatorCrop")) b.discriminatorCrop(num(m, "discriminatorCrop").intValue());
            if (m.containsKey("alpha")) b.alpha(num(m, "alpha").doubleValue());
            if (m.containsKey("beta")) b.beta(num(m, "beta").doubleValue());
            if (m.containsKey("gamma")) b.gamma(num(m, "gamma").doubleValue());
            if (m.containsKey("tv")) b.tv(num(m, "tv").doubleValue());
            if (m.containsKey("autoBalance")) b.autoBalance(Boolean.TRUE.equals(m.get("autoBalance")));
            if (m.containsKey("contentMode")) b.contentMode(ContentMode.valueOf(String.valueOf(m.get("contentMode"))));
            if (m.containsKey("featureSeed")) b.featureSeed(num(m, "featureSeed").longValue());
            if (m.containsKey("styleTaps")) b.styleTaps(((List<String>) m.get("styleTaps")).toArray(new String[0]));
            if (m.containsKey("contentTap")) b.contentTap(String.valueOf(m.get("contentTap")));
            if (m.containsKey("lrGenerator")) b.lrGenerator(num(m, "lrGenerator").doubleValue());
            if (m.containsKey("lrDiscriminator")) b.lrDiscriminator(num(m, "lrDiscriminator").doubleValue());
            if (m.containsKey("beta1Generator")) {
                b.betasGenerator(num(m, "beta1Generator").doubleValue(), num(m, "beta2Generator").doubleValue());
            }
            if (m.containsKey("beta1Discriminator")) {
                b.betasDiscriminator(num(m, "beta1Discriminator").doubleValue(),
                        num(m, "beta2Discriminator").doubleValue());
            }
            if (m.containsKey("lrDecayFrom")) b.lrDecayFrom(num(m, "lrDecayFrom").intValue());
            if (m.containsKey("discriminatorSteps")) b.discriminatorSteps(num(m, "discriminatorSteps").intValue());
            if (m.containsKey("labelSmoothing")) b.labelSmoothing(num(m, "labelSmoothing").doubleValue());
            if (m.containsKey("adversarialLoss")) {
                b.adversarialLoss(AdversarialLoss.Kind.valueOf(String.valueOf(m.get("adversarialLoss"))));
            }
            if (m.containsKey("imagePoolSize")) b.imagePoolSize(num(m, "imagePoolSize").intValue());
            if (m.containsKey("seed")) b.seed(num(m, "seed").longValue());
            if (m.containsKey("checkpointEvery")) b.checkpointEvery(num(m, "checkpointEvery").intValue());
            if (m.get("checkpointDir") != null) b.checkpointDir(Path.of(String.valueOf(m.get("checkpointDir"))));
            if (m.get("generator") != null) b.generator(GeneratorConfig.fromJson(JSON.writeValueAsString(m.get("generator"))));
            if (m.get("discriminator") != null) {
                b.discriminator(DiscriminatorConfig.fromJson(JSON.writeValueAsString(m.get("discriminator"))));
            }
        } catch (JsonProcessingException | ClassCastException | NullPointerException e) {
            // A field of the wrong type or null (e.g. "styleTaps": null) in a damaged or hand-edited file.
            throw new IllegalArgumentException("invalid trainer config JSON: " + e.getMessage(), e);
        }
        return b.build();
    }

    private static Number num(Map<String, Object> m, String key) {
        Object o = m.get(key);
        if (!(o instanceof Number n)) {
            throw new IllegalArgumentException("trainer config: " + key + " must be a number, found " + o);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainerConfig c && c.toJson().equals(toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        return "TrainerConfig" + toJson().replaceAll("\\s+", " ");
    }

    /** Fluent builder; {@link #build()} validates every value (messages name the field, value and fix). */
    public static final class Builder {
        private int steps = 300;
        private int imageSize = 128;
        private int batchSize = 2;
        private int styleSize = 256;
        private int discriminatorCrop = 64;
        private double alpha = 1;
        private double beta = 10;
        private double gamma = 0.1;
        private double tv = 0.02;
        private boolean autoBalance = true;
        private ContentMode contentMode = ContentMode.FEATURES;
        private long featureSeed = 42;
        private List<String> styleTaps = List.of("relu1_2", "relu2_2", "relu3_1");
        private String contentTap = "relu2_2";
        private double lrGenerator = 1e-3;
        private double lrDiscriminator = 2e-4;
        private double beta1Generator = 0.5;
        private double beta2Generator = 0.999;
        private double beta1Discriminator = 0.5;
        private double beta2Discriminator = 0.999;
        private int lrDecayFrom = -1;
        private int discriminatorSteps = 1;
        private double labelSmoothing = 0;
        private AdversarialLoss.Kind adversarialLoss = AdversarialLoss.Kind.BCE;
        private int imagePoolSize = 0;
        private long seed = 42;
        private GeneratorConfig generator = smallGenerator();
        private DiscriminatorConfig discriminator = smallDiscriminator();
        private int checkpointEvery = 0;
        private Path checkpointDir;

        private Builder() {
        }

        private Builder(TrainerConfig c) {
            steps = c.steps;
            imageSize = c.imageSize;
            batchSize = c.batchSize;
            styleSize = c.styleSize;
            discriminatorCrop = c.discriminatorCrop;
            alpha = c.alpha;
            beta = c.beta;
            gamma = c.gamma;
            tv = c.tv;
            autoBalance = c.autoBalance;
            contentMode = c.contentMode;
            featureSeed = c.featureSeed;
            styleTaps = c.styleTaps;
            contentTap = c.contentTap;
            lrGenerator = c.lrGenerator;
            lrDiscriminator = c.lrDiscriminator;
            beta1Generator = c.beta1Generator;
            beta2Generator = c.beta2Generator;
            beta1Discriminator = c.beta1Discriminator;
            beta2Discriminator = c.beta2Discriminator;
            lrDecayFrom = c.lrDecayFrom;
            discriminatorSteps = c.discriminatorSteps;
            labelSmoothing = c.labelSmoothing;
            adversarialLoss = c.adversarialLoss;
            imagePoolSize = c.imagePoolSize;
            seed = c.seed;
            generator = c.generator;
            discriminator = c.discriminator;
            checkpointEvery = c.checkpointEvery;
            checkpointDir = c.checkpointDir;
        }

        /** Training iterations; default 300. */
        public Builder steps(int v) { steps = v; return this; }

        /** Side of the square content crops the generator trains on, a multiple of 4, >= 16; default 128. */
        public Builder imageSize(int v) { imageSize = v; return this; }

        /** Content images per iteration; default 2. */
        public Builder batchSize(int v) { batchSize = v; return this; }

        /** Shorter side the style image is resized to before its Grams and crops are taken; default 256. */
        public Builder styleSize(int v) { styleSize = v; return this; }

        /** Side of the square crops the discriminator sees (real and generated); default 64. */
        public Builder discriminatorCrop(int v) { discriminatorCrop = v; return this; }

        /** Content weight alpha, >= 0; default 1. */
        public Builder alpha(double v) { alpha = v; return this; }

        /** Style weight beta, >= 0; default 10. */
        public Builder beta(double v) { beta = v; return this; }

        /** Adversarial weight gamma, >= 0 (0 switches the discriminator off); default 0.1. */
        public Builder gamma(double v) { gamma = v; return this; }

        /** Total variation weight, >= 0; default 0.02 (of the auto-balanced term). */
        public Builder tv(double v) { tv = v; return this; }

        /** Divide each term by its step-0 value so weights are true ratios of contributions; default true. */
        public Builder autoBalance(boolean v) { autoBalance = v; return this; }

        /** Where the content loss is measured; default FEATURES. */
        public Builder contentMode(ContentMode v) { contentMode = v; return this; }

        /** Seed of the random feature network; default 42. */
        public Builder featureSeed(long v) { featureSeed = v; return this; }

        /** Style taps of the feature network, among {@link FeatureExtractor#RANDOM_TAPS}; default relu1_2, relu2_2, relu3_1. */
        public Builder styleTaps(String... v) {
            styleTaps = v == null ? null : List.of(v);
            return this;
        }

        /** Content tap of the feature network; default relu2_2. */
        public Builder contentTap(String v) { contentTap = v; return this; }

        /** Generator learning rate (Adam); default 1e-3. */
        public Builder lrGenerator(double v) { lrGenerator = v; return this; }

        /** Discriminator learning rate (Adam); default 2e-4. */
        public Builder lrDiscriminator(double v) { lrDiscriminator = v; return this; }

        /** Generator Adam betas; default (0.5, 0.999). */
        public Builder betasGenerator(double beta1, double beta2) {
            beta1Generator = beta1;
            beta2Generator = beta2;
            return this;
        }

        /** Discriminator Adam betas; default (0.5, 0.999). */
        public Builder betasDiscriminator(double beta1, double beta2) {
            beta1Discriminator = beta1;
            beta2Discriminator = beta2;
            return this;
        }

        /** Step from which both learning rates fall linearly towards 0 at the end, or -1 for none; default -1. */
        public Builder lrDecayFrom(int v) { lrDecayFrom = v; return this; }

        /** Discriminator steps per generator step, >= 1; default 1. */
        public Builder discriminatorSteps(int v) { discriminatorSteps = v; return this; }

        /** One-sided label smoothing of the discriminator's real target, in [0, 1); default 0. */
        public Builder labelSmoothing(double v) { labelSmoothing = v; return this; }

        /** BCE (from logits) or LSGAN; default BCE. */
        public Builder adversarialLoss(AdversarialLoss.Kind v) { adversarialLoss = v; return this; }

        /** Past generated crops kept for the discriminator (CycleGAN pool), 0 = off; default 0. */
        public Builder imagePoolSize(int v) { imagePoolSize = v; return this; }

        /** Seed of every random choice (crops, pool, data order); default 42. */
        public Builder seed(long v) { seed = v; return this; }

        /** Generator architecture; default {@link TrainerConfig#smallGenerator()}. */
        public Builder generator(GeneratorConfig v) { generator = v; return this; }

        /** Discriminator architecture; default {@link TrainerConfig#smallDiscriminator()}. */
        public Builder discriminator(DiscriminatorConfig v) { discriminator = v; return this; }

        /** Write a checkpoint every N steps (and at the end), 0 = only at the end if a folder is set; default 0. */
        public Builder checkpointEvery(int v) { checkpointEvery = v; return this; }

        /** Checkpoint folder, or null for no checkpoints; default null. */
        public Builder checkpointDir(Path v) { checkpointDir = v; return this; }

        /** Validates and builds. @throws IllegalArgumentException naming the first bad value and the fix */
        public TrainerConfig build() {
            positive("steps", steps);
            if (imageSize < 16 || imageSize % 4 != 0) {
                throw new IllegalArgumentException("imageSize must be a multiple of 4 and >= 16, found " + imageSize);
            }
            positive("batchSize", batchSize);
            if (styleSize < 16) {
                throw new IllegalArgumentException("styleSize must be >= 16, found " + styleSize);
            }
            if (discriminatorCrop < 16 || discriminatorCrop > imageSize) {
                throw new IllegalArgumentException("discriminatorCrop must be in 16.." + imageSize
                        + " (imageSize), found " + discriminatorCrop);
            }
            weight("alpha", alpha);
            weight("beta", beta);
            weight("gamma", gamma);
            weight("tv", tv);
            if (alpha == 0 && beta == 0 && gamma == 0 && tv == 0) {
                throw new IllegalArgumentException("at least one of alpha, beta, gamma, tv must be > 0, found all 0");
            }
            Objects.requireNonNull(contentMode, "contentMode");
            if (styleTaps == null || styleTaps.isEmpty()) {
                throw new IllegalArgumentException("styleTaps must name at least one tap of "
                        + FeatureExtractor.RANDOM_TAPS);
            }
            List<String> taps = new ArrayList<>(styleTaps);
            taps.add(contentTap);
            for (String t : taps) {
                if (t == null || !FeatureExtractor.RANDOM_TAPS.contains(t)) {
                    throw new IllegalArgumentException("unknown feature tap '" + t + "'; choose from "
                            + FeatureExtractor.RANDOM_TAPS);
                }
            }
            if (new LinkedHashSet<>(styleTaps).size() != styleTaps.size()) {
                throw new IllegalArgumentException("styleTaps must not repeat a tap, found " + styleTaps);
            }
            learningRate("lrGenerator", lrGenerator);
            learningRate("lrDiscriminator", lrDiscriminator);
            betas("betasGenerator", beta1Generator, beta2Generator);
            betas("betasDiscriminator", beta1Discriminator, beta2Discriminator);
            if (lrDecayFrom < -1 || lrDecayFrom >= steps) {
                throw new IllegalArgumentException("lrDecayFrom must be -1 (off) or in 0.." + (steps - 1)
                        + " (steps - 1), found " + lrDecayFrom);
            }
            positive("discriminatorSteps", discriminatorSteps);
            if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
                throw new IllegalArgumentException("labelSmoothing must be in [0, 1), found " + labelSmoothing
                        + "; 0.1 is a common choice");
            }
            Objects.requireNonNull(adversarialLoss, "adversarialLoss");
            if (imagePoolSize < 0) {
                throw new IllegalArgumentException("imagePoolSize must be >= 0 (0 = off), found " + imagePoolSize);
            }
            if (generator == null) {
                throw new IllegalArgumentException("generator config must not be null; use TrainerConfig.smallGenerator()");
            }
            if (discriminator == null) {
                throw new IllegalArgumentException("discriminator config must not be null; use TrainerConfig.smallDiscriminator()");
            }
            if (imageSize % generator.sizeMultiple() != 0 || imageSize < generator.minimumSize()) {
                throw new IllegalArgumentException("imageSize " + imageSize + " does not suit the generator: it must be"
                        + " a multiple of " + generator.sizeMultiple() + " and >= " + generator.minimumSize());
            }
            if (gamma > 0 && discriminatorCrop < discriminator.minimumSize()) {
                throw new IllegalArgumentException("discriminatorCrop " + discriminatorCrop + " is too small for the "
                        + "discriminator (needs >= " + discriminator.minimumSize() + "); use larger crops or fewer layers");
            }
            if (checkpointEvery < 0) {
                throw new IllegalArgumentException("checkpointEvery must be >= 0 (0 = only at the end), found "
                        + checkpointEvery);
            }
            return new TrainerConfig(this);
        }

        private static void positive(String name, int v) {
            if (v < 1) {
                throw new IllegalArgumentException(name + " must be >= 1, found " + v);
            }
        }

        private static void weight(String name, double v) {
            if (!Double.isFinite(v) || v < 0) {
                throw new IllegalArgumentException(name + " must be finite and >= 0, found " + v);
            }
        }

        private static void learningRate(String name, double v) {
            if (!Double.isFinite(v) || v <= 0) {
                throw new IllegalArgumentException(name + " must be finite and > 0, found " + v
                        + "; typical values are 1e-4 to 1e-3");
            }
        }

        private static void betas(String name, double b1, double b2) {
            if (!(b1 >= 0 && b1 < 1) || !(b2 >= 0 && b2 < 1)) {
                throw new IllegalArgumentException(name + " must both be in [0, 1), found (" + b1 + ", " + b2
                        + "); GANs commonly use (0.5, 0.999)");
            }
        }
    }
}
