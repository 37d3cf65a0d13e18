package org.stylegan.core;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stylegan.core.train.ContentSource;
import org.stylegan.core.train.GanTrainer;
import org.stylegan.core.train.History;
import org.stylegan.core.train.StepEvent;
import org.stylegan.core.train.TrainerConfig;
import org.stylegan.core.train.TrainingContext;
import org.stylegan.core.train.TrainingListener;
import org.stylegan.io.ImageReadException;
import org.stylegan.io.Images;
import org.stylegan.losses.AdversarialLoss;
import org.stylegan.core.net.Generator;
import org.stylegan.core.net.GeneratorConfig;
import org.stylegan.core.net.DiscriminatorConfig;
import org.stylegan.core.internal.FastPath;

/**
 * The one-stop API: configure, {@link #fit} on content photos and style image(s), get a {@link StyleModel}.
 *
 * <pre>{@code
 * StyleModel model = StyleTransfer.builder().alpha(1).beta(10).steps(300).build()
 *         .fit(Path.of("photos"), Path.of("style.png"));
 * ImageIO.write(model.stylize(photo), "png", out);
 * }</pre>
 *
 * Every knob has a default (see docs/training-guide.md) and is validated by {@link Builder#build()}.
 * A StyleTransfer is immutable; each fit is independent. fit is not meant to be called concurrently on
 * shared listeners.
 */
public final class StyleTransfer {
    private final TrainerConfig config;
    private final List<TrainingListener> listeners;
    private final Duration timeLimit;
    private final Path heldOut;
    private final Path initFrom;

    private StyleTransfer(TrainerConfig config, List<TrainingListener> listeners, Duration timeLimit, Path heldOut,
                          Path initFrom) {
        this.config = config;
        this.listeners = List.copyOf(listeners);
        this.timeLimit = timeLimit;
        this.heldOut = heldOut;
        this.initFrom = initFrom;
    }

    /** Returns the checkpoint whose networks a fit starts from, or null for freshly initialised ones. */
    public Path initFrom() {
        return initFrom;
    }

    /** Returns the held-out photo evaluations use, or null (then the first training crop is used). */
    public Path heldOut() {
        return heldOut;
    }

    /** Returns a builder with every default set. */
    public static Builder builder() {
        FastPath.ensureEnabled();
        return new Builder();
    }

    /** Returns the validated training configuration. */
    public TrainerConfig config() {
        return config;
    }

    /** Returns the listeners. */
    public List<TrainingListener> listeners() {
        return listeners;
    }

    /** Returns the training time budget, or null when training always runs every configured step. */
    public Duration timeLimit() {
        return timeLimit;
    }

    /**
     * Trains on the images under {@code contentFolder} (recursive) against one or more style images.
     *
     * @throws IllegalArgumentException when the folder holds no images or a style image is missing
     * @throws IOException              when a style image cannot be read
     */
    public StyleModel fit(Path contentFolder, Path... styleImages) throws IOException {
        Objects.requireNonNull(contentFolder, "contentFolder");
        List<INDArray> styles = readStyles(styleImages);
        try (ContentSource src = ContentSource.folder(contentFolder, config.imageSize(),
                config.effectivePhotoSize(), config.batchSize(), config.seed())) {
            return fit(src, styles);
        }
    }

    /** Trains on content images in memory against one or more style images. */
    public StyleModel fit(List<BufferedImage> contentImages, BufferedImage... styleImages) {
        Objects.requireNonNull(contentImages, "contentImages");
        if (contentImages.isEmpty()) {
            throw new IllegalArgumentException("contentImages must not be empty; give at least one photo");
        }
        List<INDArray> styles = new ArrayList<>();
        if (styleImages == null || styleImages.length == 0) {
            throw new IllegalArgumentException("at least one style image is required, found none");
        }
        for (BufferedImage s : styleImages) {
            styles.add(Images.toTensor(Images.read(Objects.requireNonNull(s, "style image"))));
        }
        try (ContentSource src = ContentSource.images(contentImages, config.imageSize(),
                config.effectivePhotoSize(), config.batchSize(), config.seed())) {
            return fit(src, styles);
        }
    }

    /** Trains on any content source (batches [B, 3, imageSize, imageSize]) and style tensors [1, 3, H, W]. */
    public StyleModel fit(ContentSource content, List<INDArray> styleImages) {
        try (GanTrainer trainer = initFrom == null ? GanTrainer.create(config, content, styleImages)
                : GanTrainer.initFrom(initFrom, config, content, styleImages)) {
            return run(trainer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint to start from, " + initFrom + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Continues a run from a checkpoint written with {@link Builder#checkpointDir}: exact resume, same content
     * and style. This builder's config is used (it may add steps); its networks must match the checkpoint.
     */
    public StyleModel resume(Path checkpoint, Path contentFolder, Path... styleImages) throws IOException {
        List<INDArray> styles = readStyles(styleImages);
        try (ContentSource src = ContentSource.folder(contentFolder, config.imageSize(),
                config.effectivePhotoSize(), config.batchSize(), config.seed());
             GanTrainer trainer = GanTrainer.resume(checkpoint, config, src, styles)) {
            return run(trainer);
        }
    }

    private StyleModel run(GanTrainer trainer) {
        if (heldOut != null && config.evaluateEvery() > 0) {
            try {
                trainer.evaluateOn(Images.read(heldOut));
            } catch (ImageReadException e) {
                throw new IllegalArgumentException("cannot read the held-out photo " + heldOut + ": " + e.getMessage()
                        + "; pass a readable PNG/JPEG file", e);
            }
        }
        listeners.forEach(trainer::addListener);
        if (timeLimit != null) {
            trainer.addListener(new TimeBudget(timeLimit));
        }
        History history = trainer.train();
        // With evaluations the model is the generator of the best-scoring one (History.best() names its step).
        Generator chosen = trainer.bestGenerator().orElse(trainer.generator());
        INDArray preview = trainer.previewContent();
        BufferedImage sample = null;
        if (preview != null) {
            INDArray first = preview.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1));
            sample = Images.toImage(chosen.output(first.dup()).castTo(
                    org.nd4j.linalg.api.buffer.DataType.FLOAT));
        }
        // A run cut short by the time budget records the steps that really ran, so the model's provenance is honest.
        // The trainer's config, not this builder's: a run started from a checkpoint has the checkpoint's networks.
        TrainerConfig used = trainer.config();
        TrainerConfig ran = trainer.stoppedEarly() ? used.toBuilder().steps(trainer.currentStep()).build() : used;
        return StyleModel.of(chosen, ran, history, trainer.balanceScales(), sample);
    }

    /** Requests a stop after the step that crosses the budget (measured from the first step of this fit). */
    private static final class TimeBudget implements TrainingListener {
        private final long budgetNanos;
        private long start;
        private TrainingContext context;

        TimeBudget(Duration budget) {
            this.budgetNanos = budget.toNanos();
        }

        @Override
        public void onStart(TrainingContext ctx) {
            context = ctx;
            start = System.nanoTime();
        }

        @Override
        public void onStep(StepEvent event) {
            if (System.nanoTime() - start >= budgetNanos) {
                context.requestStop();
            }
        }
    }

    private static List<INDArray> readStyles(Path... styleImages) throws IOException {
        if (styleImages == null || styleImages.length == 0) {
            throw new IllegalArgumentException("at least one style image is required, found none");
        }
        List<INDArray> styles = new ArrayList<>();
        for (Path p : styleImages) {
            Objects.requireNonNull(p, "style image path");
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("style image not found: " + p.toAbsolutePath()
                        + "; pass an existing PNG/JPEG file");
            }
            try {
                styles.add(Images.toTensor(Images.read(p)));
            } catch (ImageReadException e) {
                throw new IOException("cannot read style image " + p + ": " + e.getMessage(), e);
            }
        }
        return styles;
    }

    /** Fluent builder over {@link TrainerConfig.Builder}; every default is stated on the setter. */
    public static final class Builder {
        private TrainerConfig.Builder c = TrainerConfig.builder();
        private final List<TrainingListener> listeners = new ArrayList<>();
        private Duration timeLimit;
        private Path heldOut;
        private Path initFrom;

        private Builder() {
        }

        /**
         * Starts training from the networks of a checkpoint (a pretrained style's, or any written by
         * {@link #checkpointDir}): generator and discriminators with their optimizer state, at step 0 with this
         * builder's style, weights and steps. The architectures are the checkpoint's, whatever this builder sets.
         * Null (default) = freshly initialised networks. Fine-tuning a pretrained style to a new one usually needs
         * far fewer steps than training from scratch.
         */
        public Builder initFrom(Path checkpoint) { initFrom = checkpoint; return this; }

        /**
         * Evaluate the generator every N steps (and after the last) on the held-out photo with the evaluator
         * (docs/evaluation.md) and return the generator with the best score ({@code contentKept * styleMoved},
         * higher is better) instead of the last; 0 = off (the last generator); default 0.
         */
        public Builder evaluateEvery(int v) { c.evaluateEvery(v); return this; }

        /**
         * The photo evaluations run on: one the run does not train on (keep it out of the content folder); null
         * (default) = the first crop of the first training batch, a weaker choice since the model has seen it.
         */
        public Builder heldOut(Path photo) { heldOut = photo; return this; }

        /**
         * Sets every value of a named starting recipe ({@link Preset}: crops, steps, weights, the discriminator
         * pyramid, learning rates, evaluations, time budget); setters called after it override single values.
         */
        public Builder preset(Preset p) {
            Objects.requireNonNull(p, "preset").applyTo(this);
            return this;
        }

        /**
         * Discriminators in the pyramid (level k judges crops at 1/2^k size); default 1. See
         * {@link TrainerConfig.Builder#discriminatorScales(int)}.
         */
        public Builder discriminatorScales(int v) { c.discriminatorScales(v); return this; }

        /** Steps between the collapse guard's snapshots, 0 = guard off; default 50. */
        public Builder collapseSnapshotEvery(int v) { c.collapseSnapshotEvery(v); return this; }

        /** Starts from a full config (replaces every training setting set so far). */
        public Builder config(TrainerConfig config) {
            c = Objects.requireNonNull(config, "config").toBuilder();
            return this;
        }

        /** Content weight, >= 0; default 1. */
        public Builder alpha(double v) { c.alpha(v); return this; }

        /** Style weight, >= 0; default 10. */
        public Builder beta(double v) { c.beta(v); return this; }

        /** Adversarial weight, >= 0 (0 = no discriminator, ~30% faster); default 0.1. */
        public Builder gamma(double v) { c.gamma(v); return this; }

        /** Total variation weight, >= 0; default 0.02. */
        public Builder tv(double v) { c.tv(v); return this; }

        /** Divide each term by its step-0 value; default true. */
        public Builder autoBalance(boolean v) { c.autoBalance(v); return this; }

        /** Training iterations; default 300. */
        public Builder steps(int v) { c.steps(v); return this; }

        /** Training crop side (multiple of 4); default 128. */
        public Builder imageSize(int v) { c.imageSize(v); return this; }

        /** Shorter side photos are resized to before the crop (0 = imageSize); see {@link TrainerConfig.Builder#photoSize}. */
        public Builder photoSize(int v) { c.photoSize(v); return this; }

        /** Content images per step; default 2. */
        public Builder batchSize(int v) { c.batchSize(v); return this; }

        /** Shorter side of the style image for Grams and real crops; default 256. */
        public Builder styleSize(int v) { c.styleSize(v); return this; }

        /** Discriminator crop side; default 64. */
        public Builder discriminatorCrop(int v) { c.discriminatorCrop(v); return this; }

        /** Generator learning rate; default 1e-3. */
        public Builder lrGenerator(double v) { c.lrGenerator(v); return this; }

        /** Discriminator learning rate; default 2e-4. */
        public Builder lrDiscriminator(double v) { c.lrDiscriminator(v); return this; }

        /** Generator Adam betas; default (0.5, 0.999). */
        public Builder betasGenerator(double b1, double b2) { c.betasGenerator(b1, b2); return this; }

        /** Discriminator Adam betas; default (0.5, 0.999). */
        public Builder betasDiscriminator(double b1, double b2) { c.betasDiscriminator(b1, b2); return this; }

        /** Linear learning-rate decay from this step to the end, -1 = off; default -1. */
        public Builder lrDecayFrom(int v) { c.lrDecayFrom(v); return this; }

        /** Discriminator steps per generator step; default 1. */
        public Builder discriminatorSteps(int v) { c.discriminatorSteps(v); return this; }

        /** Discriminator real-label smoothing in [0, 1); default 0. */
        public Builder labelSmoothing(double v) { c.labelSmoothing(v); return this; }

        /** BCE or LSGAN; default BCE. */
        public Builder adversarialLoss(AdversarialLoss.Kind v) { c.adversarialLoss(v); return this; }

        /** Image pool size for the discriminator, 0 = off; default 0. */
        public Builder imagePoolSize(int v) { c.imagePoolSize(v); return this; }

        /** Content loss on features (default) or pixels. */
        public Builder contentMode(TrainerConfig.ContentMode v) { c.contentMode(v); return this; }

        /** Random feature network seed; default 42. */
        public Builder featureSeed(long v) { c.featureSeed(v); return this; }

        /** Style taps; default relu1_2, relu2_2, relu3_1. */
        public Builder styleTaps(String... v) { c.styleTaps(v); return this; }

        /** Content tap; default relu2_2. */
        public Builder contentTap(String v) { c.contentTap(v); return this; }

        /** Generator architecture and weight seed; default {@link TrainerConfig#smallGenerator()} seeded by {@link #seed}. */
        public Builder generator(GeneratorConfig v) { c.generator(v); return this; }

        /** Discriminator architecture and weight seed; default {@link TrainerConfig#smallDiscriminator()} seeded by {@link #seed}. */
        public Builder discriminator(DiscriminatorConfig v) { c.discriminator(v); return this; }

        /** Seed of data order, crops, pool and (unless their configs are set) both networks' weights; default 42. */
        public Builder seed(long v) { c.seed(v); return this; }

        /** Checkpoint folder (file {@value GanTrainer#CHECKPOINT_FILE}), null = none; default null. */
        public Builder checkpointDir(Path v) { c.checkpointDir(v); return this; }

        /** Checkpoint every N steps (plus at the end), 0 = only at the end; default 0. */
        public Builder checkpointEvery(int v) { c.checkpointEvery(v); return this; }

        /** Adds listeners (progress, logs, samples: see org.stylegan.core.train.Listeners). */
        public Builder listeners(TrainingListener... v) {
            Objects.requireNonNull(v, "listeners");
            for (TrainingListener l : v) {
                listeners.add(Objects.requireNonNull(l, "listener"));
            }
            return this;
        }

        /**
         * Training time budget: fit stops after the step that crosses it and returns the model trained so far
         * (its config then records the steps that ran); null = no budget (default). Must be positive.
         */
        public Builder timeLimit(Duration v) {
            if (v != null && (v.isNegative() || v.isZero())) {
                throw new IllegalArgumentException("timeLimit must be positive (or null for none), found " + v);
            }
            timeLimit = v;
            return this;
        }

        /** Validates every value and builds. @throws IllegalArgumentException naming the bad value and the fix */
        public StyleTransfer build() {
            if (heldOut != null && !Files.isRegularFile(heldOut)) {
                throw new IllegalArgumentException("heldOut photo not found: " + heldOut.toAbsolutePath()
                        + "; pass an existing PNG/JPEG file or null");
            }
            if (initFrom != null && !Files.isRegularFile(initFrom)) {
                throw new IllegalArgumentException("initFrom checkpoint not found: " + initFrom.toAbsolutePath()
                        + "; pass a checkpoint file written by training or a pretrained style's");
            }
            return new StyleTransfer(c.build(), listeners, timeLimit, heldOut, initFrom);
        }

        @Override
        public String toString() {
            return "StyleTransfer.Builder" + Arrays.toString(listeners.toArray());
        }
    }
}
