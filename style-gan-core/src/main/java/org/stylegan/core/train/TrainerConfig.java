package org.stylegan.core.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import org.stylegan.core.net.AdamDefaults;
import org.stylegan.core.net.DiscriminatorConfig;
import org.stylegan.core.net.FeatureExtractor;
import org.stylegan.core.net.GeneratorConfig;
import org.stylegan.core.net.Normalization;
import org.stylegan.core.net.Padding;
import org.stylegan.core.net.Upsampling;
import org.stylegan.losses.AdversarialLoss;
import org.stylegan.losses.LossWeights;

/**
 * Every setting of a {@link GanTrainer} run; immutable and validated. Build with {@link #builder()}; each
 * setter's javadoc states its default. The defaults follow docs/training-guide.md (the quality recipe: small
 * generator, random VGG-shaped loss network, auto-balanced terms) and are defined once: loss weights in
 * {@link LossWeights#DEFAULTS}, optimizer settings in {@link AdamDefaults}, feature taps in
 * {@link FeatureExtractor#DEFAULT_STYLE_TAPS} / {@link FeatureExtractor#DEFAULT_CONTENT_TAP}.
 *
 * <p>Seeds: {@link #seed()} drives every random draw of the run and, unless a network config is set explicitly,
 * the weight initialisation of both networks (their configs then carry the run's seed). A saved config stores its
 * network configs, seeds included, so old files keep their weights' seeds.
 */
public final class TrainerConfig {
    /** Format of {@link #toJson()}. */
    public static final int JSON_VERSION = 1;
    /** Default of {@link Builder#collapseSnapshotEvery(int)}. */
    public static final int DEFAULT_COLLAPSE_SNAPSHOT_EVERY = 50;

    /** Where the content loss is measured. */
    public enum ContentMode {
        /** Mean squared difference of feature maps at the content tap (default): keeps structure, frees colour. */
        FEATURES,
        /** Mean squared difference of pixels: keeps structure and colours more, weaker style. */
        PIXEL
    }

    private final int steps;
    private final int imageSize;
    private final int photoSize;
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
    private final int discriminatorScales;
    private final int collapseSnapshotEvery;
    private final int evaluateEvery;
    private final boolean generatorDerived;
    private final boolean discriminatorDerived;

    private TrainerConfig(Builder b) {
        steps = b.steps;
        imageSize = b.imageSize;
        photoSize = b.photoSize;
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
        generatorDerived = b.generator == null;
        discriminatorDerived = b.discriminator == null;
        generator = generatorDerived ? smallGenerator().withSeed(b.seed) : b.generator;
        discriminator = discriminatorDerived ? smallDiscriminator().withSeed(b.seed) : b.discriminator;
        checkpointEvery = b.checkpointEvery;
        checkpointDir = b.checkpointDir;
        discriminatorScales = b.discriminatorScales;
        collapseSnapshotEvery = b.collapseSnapshotEvery;
        evaluateEvery = b.evaluateEvery;
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

    /** Returns the quality recipe's small generator: base 16 filters, 2 downsamplings, 3 residual blocks, seed 42. */
    public static GeneratorConfig smallGenerator() {
        return new GeneratorConfig(16, 2, 3, Normalization.INSTANCE, Padding.REFLECTION, Upsampling.NEAREST_CONV, 42);
    }

    /** Returns the quality recipe's small PatchGAN: base 32 filters, 3 stride-2 stages, instance norm, seed 42. */
    public static DiscriminatorConfig smallDiscriminator() {
        return new DiscriminatorConfig(DiscriminatorConfig.Type.PATCH_GAN, 32, 3, Normalization.INSTANCE,
                DiscriminatorConfig.Output.PATCH, 0.2, 42);
    }

    public int steps() { return steps; }
    public int imageSize() { return imageSize; }
    /** Shorter side training photos are resized to before the crop; 0 = {@link #imageSize()}. */
    public int photoSize() { return photoSize; }
    /** The shorter side training photos are resized to: {@link #photoSize()}, or the crop side when that is 0. */
    public int effectivePhotoSize() { return photoSize == 0 ? imageSize : photoSize; }
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
    /** Returns the number of discriminators of the pyramid (level k judges images at 1/2^k size); 1 = one. */
    public int discriminatorScales() { return discriminatorScales; }
    /** Returns the steps between the collapse guard's snapshots, 0 when the guard is off. */
    public int collapseSnapshotEvery() { return collapseSnapshotEvery; }
    /** Returns the steps between evaluations on the held-out photo, 0 when off. */
    public int evaluateEvery() { return evaluateEvery; }

    /**
     * Returns the config of the pyramid's discriminator at {@code level}: level 0 is {@link #discriminator()}
     * itself, level k &gt; 0 the same architecture with a weight seed derived from that config's seed and k.
     *
     * @throws IllegalArgumentException when level is outside 0..discriminatorScales - 1
     */
    public DiscriminatorConfig discriminatorAt(int level) {
        if (level < 0 || level >= discriminatorScales) {
            throw new IllegalArgumentException("level must be in 0.." + (discriminatorScales - 1)
                    + " (discriminatorScales - 1), found " + level);
        }
        return level == 0 ? discriminator : discriminator.withSeed(Seeds.mix(discriminator.seed(), level, 0x5CA1E));
    }

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

    /** Serialises every setting to JSON (networks as nested objects, seeds included). */
    public String toJson() {
        return TrainerConfigJson.write(this);
    }

    /** Parses {@link #toJson()} output; missing fields take the defaults; the result is validated. */
    public static TrainerConfig fromJson(String json) {
        return TrainerConfigJson.read(json);
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
        private int photoSize = 0;
        private int batchSize = 2;
        private int styleSize = 256;
        private int discriminatorCrop = 64;
        private double alpha = LossWeights.DEFAULTS.alpha();
        private double beta = LossWeights.DEFAULTS.beta();
        private double gamma = LossWeights.DEFAULTS.gamma();
        private double tv = LossWeights.DEFAULTS.tv();
        private boolean autoBalance = true;
        private ContentMode contentMode = ContentMode.FEATURES;
        private long featureSeed = 42;
        private List<String> styleTaps = FeatureExtractor.DEFAULT_STYLE_TAPS;
        private String contentTap = FeatureExtractor.DEFAULT_CONTENT_TAP;
        private double lrGenerator = AdamDefaults.GENERATOR_LEARNING_RATE;
        private double lrDiscriminator = AdamDefaults.DISCRIMINATOR_LEARNING_RATE;
        private double beta1Generator = AdamDefaults.BETA1;
        private double beta2Generator = AdamDefaults.BETA2;
        private double beta1Discriminator = AdamDefaults.BETA1;
        private double beta2Discriminator = AdamDefaults.BETA2;
        private int lrDecayFrom = -1;
        private int discriminatorSteps = 1;
        private double labelSmoothing = 0;
        private AdversarialLoss.Kind adversarialLoss = AdversarialLoss.Kind.BCE;
        private int imagePoolSize = 0;
        private long seed = 42;
        private GeneratorConfig generator; // null: the small generator, seeded from seed
        private DiscriminatorConfig discriminator; // null: the small discriminator, seeded from seed
        private int checkpointEvery = 0;
        private Path checkpointDir;
        private int discriminatorScales = 1;
        private int collapseSnapshotEvery = DEFAULT_COLLAPSE_SNAPSHOT_EVERY;
        private int evaluateEvery = 0;

        private Builder() {
        }

        private Builder(TrainerConfig c) {
            steps = c.steps;
            imageSize = c.imageSize;
            photoSize = c.photoSize;
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
            generator = c.generatorDerived ? null : c.generator;
            discriminator = c.discriminatorDerived ? null : c.discriminator;
            checkpointEvery = c.checkpointEvery;
            checkpointDir = c.checkpointDir;
            discriminatorScales = c.discriminatorScales;
            collapseSnapshotEvery = c.collapseSnapshotEvery;
            evaluateEvery = c.evaluateEvery;
        }

        /** Training iterations; default 300. */
        public Builder steps(int v) { steps = v; return this; }

        /** Side of the square content crops the generator trains on, a multiple of 4, >= 16; default 128. */
        public Builder imageSize(int v) { imageSize = v; return this; }

        /**
         * Shorter side each training photo is resized to before the random {@code imageSize} crop; 0 (default) =
         * imageSize, i.e. the crop spans the photo's shorter side. Set it to the size the model will stylize at
         * (e.g. 256) so the strokes it learns have the size they will have in use: a generator trained on whole
         * photos shrunk to a 96 px crop paints strokes several times too fine on a 256-512 px picture.
         */
        public Builder photoSize(int v) { photoSize = v; return this; }

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

        /** Total variation weight, >= 0; default 0.02 (of the auto-balanced term; {@link LossWeights#DEFAULTS}). */
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

        /**
         * Seed of every random choice (crops, pool, data order) and of both networks' initial weights unless their
         * configs are set explicitly; default 42.
         */
        public Builder seed(long v) { seed = v; return this; }

        /**
         * Generator architecture and weight seed, used as given; default (or null) {@link TrainerConfig#smallGenerator()}
         * with the run's {@link #seed(long)}.
         */
        public Builder generator(GeneratorConfig v) { generator = v; return this; }

        /**
         * Discriminator architecture and weight seed, used as given; default (or null)
         * {@link TrainerConfig#smallDiscriminator()} with the run's {@link #seed(long)}.
         */
        public Builder discriminator(DiscriminatorConfig v) { discriminator = v; return this; }

        /** Write a checkpoint every N steps (and at the end), 0 = only at the end if a folder is set; default 0. */
        public Builder checkpointEvery(int v) { checkpointEvery = v; return this; }

        /** Checkpoint folder, or null for no checkpoints; default null. */
        public Builder checkpointDir(Path v) { checkpointDir = v; return this; }

        /**
         * Discriminators in the pyramid, >= 1: level k judges the real and generated crops averaged down to 1/2^k of
         * their side ({@link org.stylegan.core.net.ImagePyramid}), each with its own discriminator of the same
         * architecture; the adversarial term is the mean over levels. The crop and imageSize must be divisible by
         * 2^(n-1), and the smallest level large enough for the discriminator. Default 1 (one discriminator).
         */
        public Builder discriminatorScales(int v) { discriminatorScales = v; return this; }

        /**
         * Steps between the collapse guard's in-memory snapshots of all networks, taken after a healthy step; on a
         * collapse (flat or saturated output, a discriminator that has won) training rolls back to the last one and
         * halves both learning rates. 0 switches the guard off. Default 50.
         */
        public Builder collapseSnapshotEvery(int v) { collapseSnapshotEvery = v; return this; }

        /**
         * Steps between evaluations of the generator on a held-out photo ({@code GanTrainer.evaluateOn}), which
         * also select the best generator; 0 = off. Default 0.
         */
        public Builder evaluateEvery(int v) { evaluateEvery = v; return this; }

        /** Validates and builds. @throws IllegalArgumentException naming the first bad value and the fix */
        public TrainerConfig build() {
            positive("steps", steps);
            if (imageSize < 16 || imageSize % 4 != 0) {
                throw new IllegalArgumentException("imageSize must be a multiple of 4 and >= 16, found " + imageSize);
            }
            if (photoSize != 0 && photoSize < imageSize) {
                throw new IllegalArgumentException("photoSize must be 0 (= imageSize) or >= imageSize (" + imageSize
                        + "), found " + photoSize);
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
            GeneratorConfig generator = this.generator != null ? this.generator : smallGenerator();
            DiscriminatorConfig discriminator = this.discriminator != null ? this.discriminator : smallDiscriminator();
            if (imageSize % generator.sizeMultiple() != 0 || imageSize < generator.minimumSize()) {
                throw new IllegalArgumentException("imageSize " + imageSize + " does not suit the generator: it must be"
                        + " a multiple of " + generator.sizeMultiple() + " and >= " + generator.minimumSize());
            }
            if (gamma > 0 && discriminatorCrop < discriminator.minimumSize()) {
                throw new IllegalArgumentException("discriminatorCrop " + discriminatorCrop + " is too small for the "
                        + "discriminator (needs >= " + discriminator.minimumSize() + "); use larger crops or fewer layers");
            }
            if (discriminatorScales < 1 || discriminatorScales > 6) {
                throw new IllegalArgumentException("discriminatorScales must be in 1..6, found " + discriminatorScales
                        + "; 3 (1, 1/2, 1/4 of the crop) is a good start");
            }
            int factor = 1 << (discriminatorScales - 1);
            if (discriminatorScales > 1 && discriminatorCrop % factor != 0) {
                throw new IllegalArgumentException("discriminatorCrop " + discriminatorCrop + " must be divisible by "
                        + factor + " (2^(discriminatorScales - 1)) for " + discriminatorScales + " scales; use a crop of "
                        + (discriminatorCrop / factor * factor) + " or " + ((discriminatorCrop / factor + 1) * factor)
                        + ", or fewer scales");
            }
            if (discriminatorScales > 1 && imageSize % factor != 0) {
                throw new IllegalArgumentException("imageSize " + imageSize + " must be divisible by " + factor
                        + " (2^(discriminatorScales - 1)) for " + discriminatorScales + " scales; use another size or"
                        + " fewer scales");
            }
            if (gamma > 0 && discriminatorScales > 1 && discriminatorCrop / factor < discriminator.minimumSize()) {
                throw new IllegalArgumentException("discriminatorScales " + discriminatorScales + " makes the smallest "
                        + "level " + (discriminatorCrop / factor) + " px (discriminatorCrop " + discriminatorCrop + " / "
                        + factor + "), too small for the discriminator (needs >= " + discriminator.minimumSize()
                        + "); use larger crops, fewer scales or fewer discriminator layers");
            }
            if (collapseSnapshotEvery < 0) {
                throw new IllegalArgumentException("collapseSnapshotEvery must be >= 0 (0 = guard off), found "
                        + collapseSnapshotEvery);
            }
            if (evaluateEvery < 0) {
                throw new IllegalArgumentException("evaluateEvery must be >= 0 (0 = off), found " + evaluateEvery);
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
