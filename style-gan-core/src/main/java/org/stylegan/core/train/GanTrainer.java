package org.stylegan.core.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stylegan.core.net.Discriminator;
import org.stylegan.core.net.FeatureExtractor;
import org.stylegan.core.net.Features;
import org.stylegan.core.net.Generator;
import org.stylegan.core.internal.GradientCopy;
import org.stylegan.core.internal.TrainableGraph;
import org.stylegan.io.AtomicFiles;
import org.stylegan.io.ImageOps;
import org.stylegan.io.Manifest;
import org.stylegan.io.ModelArchive;
import org.stylegan.losses.AdversarialLoss;
import org.stylegan.losses.ContentLoss;
import org.stylegan.losses.LossResult;
import org.stylegan.losses.MultiLossResult;
import org.stylegan.losses.StyleLoss;
import org.stylegan.losses.TotalVariationLoss;
import org.stylegan.losses.WeightedLoss;

/**
 * Trains a {@link Generator} for one style: each iteration (1) updates the discriminator on crops of the style
 * image (real) against crops of generated images (fake), (2) updates the generator on
 * {@code alpha L_content + beta L_style + gamma L_adversarial + tv L_tv}, (3) notifies listeners and (4) writes
 * a checkpoint when due.
 *
 * <p>Gradients follow the batch-mean convention of style-gan-losses and {@link TrainableGraph}: the generator
 * step applies exactly d(total)/d(theta_G). The adversarial gradient reaches the generator through the
 * discriminator's input gradient; the discriminator's parameters and optimizer state are not touched by it.
 *
 * <p>Every random draw comes from (seed, step), content batch k from the {@link ContentSource}'s position, so a
 * run is reproducible and {@link #resume} continues exactly where a checkpoint left off.
 *
 * <p>Not thread-safe. Close it to release the content source.
 */
public final class GanTrainer implements AutoCloseable {
    /** File name of the checkpoint inside {@link TrainerConfig#checkpointDir()}. */
    private static final Logger LOG = LoggerFactory.getLogger(GanTrainer.class);

    public static final String CHECKPOINT_FILE = "checkpoint.zip";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STATE_VERSION = 1;
    /** Training time per nanosecond of collection: bounds the cost of {@link #collectGarbageOccasionally} to ~2%. */
    static final int GC_TIME_RATIO = 50;
    private static final long GC_MIN_NANOS = 2_000_000;

    private final TrainerConfig cfg;
    private final Generator g;
    private final Discriminator d;
    private final FeatureExtractor fx;
    private final ContentSource content;
    private final List<INDArray> styles;
    private final List<INDArray> styleGrams;
    private final StyleLoss styleLoss = StyleLoss.builder().build();
    private final ContentLoss contentLoss;
    private final TotalVariationLoss tvLoss = TotalVariationLoss.l1();
    private final AdversarialLoss advGenerator;
    private final AdversarialLoss advDiscriminator;
    private final ImagePool pool;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final List<StepEvent> events = new ArrayList<>();
    private final DataType dataType;
    private Map<String, Double> scales;
    private INDArray preview;
    private int step;
    private int startStep;
    private double lrG = Double.NaN;
    private double lrD = Double.NaN;
    private long stepNanosSinceGc;
    private long lastGcNanos = GC_MIN_NANOS;
    private boolean staleTempsCleared;
    private boolean stopRequested;

    /**
     * Creates a trainer with prebuilt networks (e.g. double precision for gradient checks). The networks'
     * optimizers are switched to Adam with the config's learning rates and betas.
     *
     * @param styleImages one or more style images [1, 3, H, W] in [-1, 1], any size (resized to styleSize)
     */
    public GanTrainer(TrainerConfig config, Generator generator, Discriminator discriminator,
                      FeatureExtractor features, ContentSource content, List<INDArray> styleImages) {
        this.cfg = Objects.requireNonNull(config, "config");
        this.g = Objects.requireNonNull(generator, "generator");
        this.d = config.adversarialActive() ? Objects.requireNonNull(discriminator,
                "discriminator (needed because gamma > 0)") : discriminator;
        this.fx = Objects.requireNonNull(features, "feature extractor");
        this.content = Objects.requireNonNull(content, "content source");
        this.dataType = g.dataType();
        this.styles = prepareStyles(styleImages, config, dataType);
        this.contentLoss = config.contentMode() == TrainerConfig.ContentMode.PIXEL
                ? ContentLoss.pixel() : ContentLoss.features();
        AdversarialLoss adv = config.adversarialLoss() == AdversarialLoss.Kind.LSGAN
                ? AdversarialLoss.lsgan() : AdversarialLoss.bce();
        this.advGenerator = adv;
        this.advDiscriminator = config.labelSmoothing() > 0 ? adv.withLabelSmoothing(config.labelSmoothing()) : adv;
        this.pool = new ImagePool(config.imagePoolSize());
        this.styleGrams = styleGrams();
    }

    /** Creates a trainer with fresh float32 networks built from the config. */
    public static GanTrainer create(TrainerConfig config, ContentSource content, List<INDArray> styleImages) {
        Objects.requireNonNull(config, "config");
        Generator g = Generator.builder().config(config.generator())
                .updater(new Adam(config.lrGenerator(), config.beta1Generator(), config.beta2Generator(), 1e-8))
                .build();
        Discriminator d = config.adversarialActive() ? Discriminator.builder().config(config.discriminator())
                .updater(new Adam(config.lrDiscriminator(), config.beta1Discriminator(), config.beta2Discriminator(),
                        1e-8)).build() : null;
        return new GanTrainer(config, g, d, featureExtractor(config, DataType.FLOAT), content, styleImages);
    }

    /** Builds the config's random feature network. */
    public static FeatureExtractor featureExtractor(TrainerConfig config, DataType dataType) {
        return FeatureExtractor.builder().seed(config.featureSeed())
                .styleTaps(config.styleTaps().toArray(new String[0])).contentTap(config.contentTap())
                .dataType(dataType).build();
    }

    /**
     * Restores a trainer from a checkpoint written by {@link #saveCheckpoint}: networks with optimizer state,
     * step, auto-balance scales, image pool, history and the content position, so the next step equals the
     * next step of the uninterrupted run. The content source is moved to the saved position.
     *
     * @param override config to continue with (e.g. more steps or another checkpoint folder), or null for the
     *                 checkpoint's own; its architectures must match the checkpoint
     * @throws IOException          when the file cannot be read
     * @throws IllegalArgumentException when the file is not a checkpoint or does not match
     */
    public static GanTrainer resume(Path checkpoint, TrainerConfig override, ContentSource content,
                                    List<INDArray> styleImages) throws IOException {
        Objects.requireNonNull(checkpoint, "checkpoint");
        ModelArchive a = ModelArchive.load(checkpoint);
        if (a.manifest().kind() != Manifest.Kind.CHECKPOINT) {
            throw new IllegalArgumentException(checkpoint + " is a " + a.manifest().kind()
                    + " archive, not a training checkpoint; resume needs a file written by a GanTrainer");
        }
        TrainerConfig saved = TrainerConfig.fromJson(a.manifest().configJson());
        TrainerConfig cfg = override == null ? saved : override;
        if (!cfg.generator().equals(saved.generator()) || !cfg.discriminator().equals(saved.discriminator())
                || cfg.adversarialActive() != saved.adversarialActive()) {
            throw new IllegalArgumentException("the config's networks differ from the checkpoint's ("
                    + saved.generator() + ", " + saved.discriminator() + "); resume with the same architectures");
        }
        Generator g = Generator.restore(cfg.generator(), a.graph("generator", true));
        Discriminator d = cfg.adversarialActive()
                ? Discriminator.restore(cfg.discriminator(), a.graph("discriminator", true)) : null;
        GanTrainer t = new GanTrainer(cfg, g, d, featureExtractor(cfg, DataType.FLOAT), content, styleImages);
        t.restoreState(a);
        return t;
    }

    /** Adds a listener; returns this. */
    public GanTrainer addListener(TrainingListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Runs iterations until {@link TrainerConfig#steps()} or until a listener calls
     * {@link TrainingContext#requestStop()}, with listeners and checkpoints, and returns the whole history
     * (including steps before a resume).
     *
     * @throws TrainingDivergedException when a loss or gradient becomes NaN/infinite (before the bad update)
     */
    public History train() {
        return train0(cfg.steps());
    }

    /** Returns true when the last {@link #train()} ended because a listener called {@link TrainingContext#requestStop()}. */
    public boolean stoppedEarly() {
        return stopRequested && step < cfg.steps();
    }

    /** Trains until step {@code until} (at most the config's steps); onEnd runs at the last step or after a stop request. */
    History train0(int until) {
        stopRequested = false;
        TrainingContext ctx = new Context();
        for (TrainingListener l : listeners) {
            l.onStart(ctx);
        }
        while (step < Math.min(until, cfg.steps()) && !stopRequested) {
            StepEvent e = step();                        // (1) D step, (2) G step
            for (TrainingListener l : listeners) {       // (3) listeners
                l.onStep(e);
            }
            boolean last = step == cfg.steps() || stopRequested;
            if (cfg.checkpointDir() != null
                    && (last || (cfg.checkpointEvery() > 0 && step % cfg.checkpointEvery() == 0))) {
                writeCheckpoint();                       // (4) checkpoint
            }
        }
        History h = history();
        if (step == cfg.steps() || stopRequested) {
            for (TrainingListener l : listeners) {
                l.onEnd(h);
            }
        }
        return h;
    }

    private void writeCheckpoint() {
        try {
            Files.createDirectories(cfg.checkpointDir());
            Path file = cfg.checkpointDir().resolve(CHECKPOINT_FILE);
            if (!staleTempsCleared) {
                // A process killed while saving leaves its temp file; this trainer now owns the checkpoint.
                int n = AtomicFiles.deleteStaleTemps(file);
                if (n > 0) {
                    LOG.info("deleted {} temporary file(s) left by an interrupted save of {}", n, file);
                }
                staleTempsCleared = true;
            }
            saveCheckpoint(file);
            for (TrainingListener l : listeners) {
                l.onCheckpoint(step, file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint to " + cfg.checkpointDir(), e);
        }
    }

    /** Runs one iteration (discriminator step(s), then generator step) and records its event. */
    public StepEvent step() {
        if (step >= cfg.steps()) {
            throw new IllegalStateException("training already ran all " + cfg.steps()
                    + " steps; build a config with more steps to continue");
        }
        long t0 = System.nanoTime();
        Random rnd = new Random(Seeds.mix(cfg.seed(), step, 0));
        updateLearningRates();
        INDArray x = nextContent();
        DStats ds = DStats.NONE;
        if (d != null) {
            for (int k = 1; k < cfg.discriminatorSteps(); k++) {
                INDArray extra = g.output(nextContent());
                ds = discriminatorStep(extra, rnd);
                extra.close();
            }
        }
        GStep gs = generatorStep(x, rnd, d != null);   // forward G once; its output also feeds the D step
        if (d != null) {
            ds = gs.dStats;
        }
        checkGradient(gs.gradient, "generator gradient");
        g.engine().applyGradient(gs.gradient, (int) x.size(0));
        GradientCopy.release(gs.gradient);   // consumed by the update; freed now rather than at the next GC
        double ms = (System.nanoTime() - t0) / 1e6;
        StepEvent e = new StepEvent(step, cfg.steps(), gs.raw, gs.weighted, gs.total, ds.loss, ds.real, ds.fake,
                lrG, d == null ? Double.NaN : lrD, ms, x.size(0) * 1000.0 / ms);
        events.add(e);
        step++;
        collectGarbageOccasionally(System.nanoTime() - t0);
        return e;
    }

    /**
     * Runs a GC once the steps since the last one took {@link #GC_TIME_RATIO} times as long as that GC did. DL4J
     * layers without workspaces allocate their temporaries (im2col, normalisation intermediates, epsilons) as
     * fresh native buffers that only a collection of their Java owners frees, and those owners are too small to
     * make the JVM collect on its own: without this a 128 px run sat at ~8 GB resident. The trainer closes the
     * arrays it can reach itself; this bounds the rest. Cost is at most ~2% of training time by construction.
     */
    private void collectGarbageOccasionally(long stepNanos) {
        stepNanosSinceGc += stepNanos;
        if (stepNanosSinceGc < GC_TIME_RATIO * lastGcNanos) {
            return;
        }
        long t = System.nanoTime();
        System.gc();
        lastGcNanos = Math.max(GC_MIN_NANOS, System.nanoTime() - t);
        stepNanosSinceGc = 0;
    }

    private INDArray nextContent() {
        INDArray x = content.nextBatch();
        int s = cfg.imageSize();
        if (x == null || x.rank() != 4 || x.size(1) != 3 || x.size(2) != s || x.size(3) != s) {
            throw new IllegalArgumentException("content batch must be [B, 3, " + s + ", " + s + "] (imageSize " + s
                    + "), found " + (x == null ? "null" : Arrays.toString(x.shape())));
        }
        if (x.dataType() != dataType) {
            x = x.castTo(dataType);
        }
        if (preview == null) {
            preview = x.dup();
        }
        return x;
    }

    private void updateLearningRates() {
        double f = cfg.lrFactor(step);
        double wantG = cfg.lrGenerator() * f;
        if (wantG != lrG) {
            g.engine().setLearningRate(wantG);
            lrG = wantG;
        }
        double wantD = cfg.lrDiscriminator() * f;
        if (d != null && wantD != lrD) {
            d.engine().setLearningRate(wantD);
            lrD = wantD;
        }
    }

    /** Result of the generator's forward/backward: raw and weighted terms and d(total)/d(theta_G), not applied. */
    record GStep(Map<String, Double> raw, Map<String, Double> weighted, double total, Gradient gradient,
                 DStats dStats) {
    }

    /** Discriminator statistics of one D step. */
    record DStats(double loss, double real, double fake) {
        static final DStats NONE = new DStats(Double.NaN, Double.NaN, Double.NaN);
    }

    /**
     * The generator step up to (not including) the update. With {@code trainD}, the discriminator is updated on
     * the generated batch between the generator's forward pass and the adversarial term, so the generator is
     * measured against the updated discriminator (the usual alternating order) without a second forward pass.
     */
    GStep generatorStep(INDArray x, Random rnd, boolean trainD) {
        boolean features = cfg.beta() > 0 || (cfg.alpha() > 0 && contentLoss == ContentLoss.features());
        INDArray contentTarget = cfg.alpha() > 0 && contentLoss == ContentLoss.features()
                ? fx.extractContent(x) : null;
        INDArray y = g.engine().forward(x, true);
        finiteOrDiverge(y, "generator output");
        DStats ds = trainD ? discriminatorStep(y, rnd) : DStats.NONE;

        Map<String, LossResult> results = new LinkedHashMap<>();
        MultiLossResult style = null;
        Features f = features ? fx.forward(y) : null;
        if (cfg.alpha() > 0) {
            results.put(WeightedLoss.CONTENT, guard(WeightedLoss.CONTENT, () -> contentTarget != null
                    ? contentLoss.compute(f.content(), contentTarget) : contentLoss.compute(y, x)));
        }
        if (cfg.beta() > 0) {
            try {
                style = styleLoss.computeGram(f.style(), styleGrams);
            } catch (IllegalArgumentException e) {
                throw diverged(WeightedLoss.STYLE, Double.NaN, e);
            }
        }
        INDArray logits = null;
        if (cfg.gamma() > 0) {
            logits = d.engine().forward(y, true);
            finiteOrDiverge(logits, "discriminator logits");
            INDArray l = logits;
            results.put(WeightedLoss.ADVERSARIAL, guard(WeightedLoss.ADVERSARIAL, () -> advGenerator.compute(l, true)));
        }
        if (cfg.tv() > 0) {
            results.put(WeightedLoss.TV, guard(WeightedLoss.TV, () -> tvLoss.compute(y)));
        }
        Map<String, Double> raw = new LinkedHashMap<>();
        for (String term : List.of(WeightedLoss.CONTENT, WeightedLoss.STYLE, WeightedLoss.ADVERSARIAL,
                WeightedLoss.TV)) {
            if (term.equals(WeightedLoss.STYLE) && style != null) {
                raw.put(term, style.value());
            } else if (results.containsKey(term)) {
                raw.put(term, results.get(term).value());
            }
        }
        for (Map.Entry<String, Double> e : raw.entrySet()) {
            if (!Double.isFinite(e.getValue())) {
                throw diverged(e.getKey(), e.getValue(), null);
            }
        }
        if (scales == null) {
            scales = measureScales(raw);
        }
        Map<String, Double> w = new LinkedHashMap<>();
        Map<String, Double> weighted = new LinkedHashMap<>();
        double total = 0;
        for (Map.Entry<String, Double> e : raw.entrySet()) {
            double wt = weightOf(e.getKey()) * scales.getOrDefault(e.getKey(), 1.0);
            w.put(e.getKey(), wt);
            weighted.put(e.getKey(), wt * e.getValue());
            total += wt * e.getValue();
        }

        // d(total)/dy: feature-space terms through the feature network, pixel-space terms added directly.
        INDArray dy = null;
        INDArray dInput = null;
        if (f != null) {
            Map<String, INDArray> perTap = new LinkedHashMap<>();
            if (style != null) {
                List<String> taps = f.styleTaps();
                for (int i = 0; i < taps.size(); i++) {
                    perTap.merge(taps.get(i), style.gradient(i).muli(w.get(WeightedLoss.STYLE)), INDArray::addi);
                }
            }
            if (contentTarget != null) {
                perTap.merge(f.contentTap(), results.get(WeightedLoss.CONTENT).gradient()
                        .muli(w.get(WeightedLoss.CONTENT)), INDArray::addi);
            }
            dy = fx.backward(f, perTap);
        }
        if (contentTarget == null && results.containsKey(WeightedLoss.CONTENT)) {
            dy = add(dy, results.get(WeightedLoss.CONTENT).gradient().muli(w.get(WeightedLoss.CONTENT)));
        }
        if (results.containsKey(WeightedLoss.TV)) {
            dy = add(dy, results.get(WeightedLoss.TV).gradient().muli(w.get(WeightedLoss.TV)));
        }
        if (results.containsKey(WeightedLoss.ADVERSARIAL)) {
            INDArray dLogits = results.get(WeightedLoss.ADVERSARIAL).gradient().muli(w.get(WeightedLoss.ADVERSARIAL));
            INDArray dd = d.engine().inputGradient(dLogits);   // D's input gradient only; D is not updated
            dy = add(dy, dd);
            dInput = dd;
        }
        finiteOrDiverge(dy, "gradient of the generated image");
        Gradient gGrad = g.engine().parameterGradient(dy); // nothing consumes the content image's gradient
        // Everything of this step except the parameter gradient is dead now: free it deterministically instead of
        // leaving hundreds of MB of native buffers to the GC (see docs/reliability.md, memory).
        if (f != null) {
            fx.releaseActivations();
            f.all().values().forEach(INDArray::close);
        }
        if (logits != null) {
            d.engine().releaseActivations();
            logits.close();
        }
        for (LossResult r : results.values()) {
            r.gradient().close();
        }
        if (style != null) {
            for (int i = 0; i < f.styleTaps().size(); i++) {
                style.gradient(i).close();
            }
        }
        if (contentTarget != null) {
            contentTarget.close();
        }
        dy.close();
        if (dInput != null) {
            dInput.close();
        }
        g.engine().releaseActivations(x);
        y.close();
        return new GStep(raw, weighted, total, gGrad, ds);
    }

    private static INDArray add(INDArray acc, INDArray v) {
        return acc == null ? v : acc.addi(v);
    }

    private double weightOf(String term) {
        return switch (term) {
            case WeightedLoss.CONTENT -> cfg.alpha();
            case WeightedLoss.STYLE -> cfg.beta();
            case WeightedLoss.ADVERSARIAL -> cfg.gamma();
            case WeightedLoss.TV -> cfg.tv();
            default -> throw new IllegalStateException("unknown term " + term);
        };
    }

    private Map<String, Double> measureScales(Map<String, Double> raw) {
        Map<String, Double> s = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : raw.entrySet()) {
            double v = Math.abs(e.getValue());
            // A term that starts at (almost) zero cannot be normalised by its start value; leave it unscaled.
            s.put(e.getKey(), cfg.autoBalance() && v > 1e-12 ? 1.0 / v : 1.0);
        }
        return s;
    }

    /** One discriminator update on crops of {@code generated} (fake) and of the style images (real). */
    private DStats discriminatorStep(INDArray generated, Random rnd) {
        int c = cfg.discriminatorCrop();
        int b = (int) generated.size(0);
        INDArray fake = c == generated.size(2) ? generated : ImageOps.randomCrop(generated, c, c, rnd);
        fake = pool.query(fake, rnd);
        INDArray[] reals = new INDArray[b];
        for (int i = 0; i < b; i++) {
            INDArray s = styles.get(rnd.nextInt(styles.size()));
            reals[i] = ImageOps.randomCrop(s, c, c, rnd);
        }
        INDArray real = Nd4j.concat(0, reals).castTo(dataType);
        INDArray both = Nd4j.concat(0, real, fake.castTo(dataType));
        INDArray logits = d.engine().forward(both, true);
        finiteOrDiverge(logits, "discriminator logits");
        INDArray lr = logits.get(NDArrayIndex.interval(0, b));
        INDArray lf = logits.get(NDArrayIndex.interval(b, 2 * b));
        LossResult r = guard("discriminator", () -> advDiscriminator.compute(lr, true));
        LossResult f = guard("discriminator", () -> advDiscriminator.compute(lf, false));
        double loss = r.value() + f.value();
        if (!Double.isFinite(loss)) {
            throw diverged("discriminator", loss, null);
        }
        INDArray dLogits = Nd4j.concat(0, r.gradient(), f.gradient());
        // Parameter gradients only: nothing consumes the gradient of the images, and the first convolution's input
        // gradient (3 channels) is the costly part of its backward pass.
        Gradient dGrad = d.engine().parameterGradient(dLogits);
        checkGradient(dGrad, "discriminator gradient");
        d.engine().applyGradient(dGrad, 2 * b);
        DStats stats = new DStats(loss, probability(lr), probability(lf));
        // Free this update's buffers now (not at the next GC); image-pool arrays and the caller's batch stay open.
        GradientCopy.release(dGrad);
        d.engine().releaseActivations();
        // Not the real crops: a crop can be the style image itself (crop size = style size, batch 1).
        for (INDArray a : new INDArray[] {dLogits, r.gradient(), f.gradient(), logits, both}) {
            a.close();
        }
        return stats;
    }

    private double probability(INDArray logits) {
        if (cfg.adversarialLoss() == AdversarialLoss.Kind.LSGAN) {
            return logits.meanNumber().doubleValue();
        }
        return Transforms.sigmoid(logits, true).meanNumber().doubleValue();
    }

    private LossResult guard(String term, java.util.function.Supplier<LossResult> loss) {
        try {
            return loss.get();
        } catch (IllegalArgumentException e) {
            throw diverged(term, Double.NaN, e);
        }
    }

    private void finiteOrDiverge(INDArray a, String what) {
        if (a != null && countNonFinite(a) > 0) {
            throw diverged(what, Double.NaN, null);
        }
    }

    private void checkGradient(Gradient gr, String what) {
        if (countNonFinite(gr.gradient()) > 0) {
            throw diverged(what, Double.NaN, null);
        }
    }

    private static long countNonFinite(INDArray a) {
        long nan = Nd4j.getExecutioner().exec(new MatchCondition(a, Conditions.isNan())).getLong(0);
        long inf = Nd4j.getExecutioner().exec(new MatchCondition(a, Conditions.isInfinite())).getLong(0);
        return nan + inf;
    }

    private TrainingDivergedException diverged(String term, double value, Exception cause) {
        String what = Double.isNaN(value) ? "is NaN" : Double.isInfinite(value) ? "is infinite" : "is not finite";
        if (cause != null) {
            what = "is not finite (" + cause.getMessage() + ")";
        }
        String msg = "training diverged at step " + step + ": term '" + term + "' " + what
                + "; lower the learning rate (lrGenerator=" + cfg.lrGenerator() + ", lrDiscriminator="
                + cfg.lrDiscriminator() + ") or gamma (" + cfg.gamma() + ")"
                + (cfg.checkpointDir() != null ? "; the last checkpoint in " + cfg.checkpointDir() + " is intact" : "");
        TrainingDivergedException e = new TrainingDivergedException(step, term, msg);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    // ------------------------------------------------------------------------------------------ style images

    private static List<INDArray> prepareStyles(List<INDArray> images, TrainerConfig cfg, DataType dt) {
        if (images == null || images.isEmpty()) {
            throw new IllegalArgumentException("at least one style image is required, found none");
        }
        List<INDArray> out = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            INDArray s = images.get(i);
            if (s == null || s.rank() != 4 || s.size(0) != 1 || s.size(1) != 3) {
                throw new IllegalArgumentException("style image " + i + " must be [1, 3, H, W] in [-1, 1], found "
                        + (s == null ? "null" : Arrays.toString(s.shape())));
            }
            long h = s.size(2);
            long w = s.size(3);
            double k = (double) cfg.styleSize() / Math.min(h, w);
            int nh = (int) Math.max(cfg.styleSize(), Math.round(h * k));
            int nw = (int) Math.max(cfg.styleSize(), Math.round(w * k));
            INDArray r = (nh == h && nw == w) ? s : ImageOps.resize(s.castTo(DataType.FLOAT), nw, nh);
            out.add(r.castTo(dt));
        }
        return List.copyOf(out);
    }

    /** The style target per style tap (tests). */
    List<INDArray> styleTargets() {
        return styleGrams;
    }

    /** The style target: per style tap, the mean Gram [1, C, C] over the style images, computed once. */
    private List<INDArray> styleGrams() {
        List<INDArray> sums = null;
        for (INDArray s : styles) {
            Features extracted = fx.extract(s);
            List<INDArray> feats = extracted.style();
            if (sums == null) {
                sums = new ArrayList<>();
                for (INDArray f : feats) {
                    sums.add(StyleLoss.gram(f));
                }
            } else {
                for (int i = 0; i < feats.size(); i++) {
                    INDArray gram = StyleLoss.gram(feats.get(i));
                    sums.get(i).addi(gram);
                    gram.close();
                }
            }
            // This image's activations are copies only its Grams needed: free them now, not at the next GC.
            for (INDArray a : extracted.all().values()) {
                if (!a.isView() && !a.wasClosed()) {
                    a.close();
                }
            }
        }
        List<INDArray> out = new ArrayList<>();
        for (INDArray gram : sums) {
            out.add(gram.divi(styles.size()));
        }
        return List.copyOf(out);
    }

    // ------------------------------------------------------------------------------------------ checkpoints

    /**
     * Writes a checkpoint (atomic replace): both networks with optimizer state, config, step, auto-balance scales,
     * content position, image pool, preview batch and history.
     */
    public void saveCheckpoint(Path file) throws IOException {
        ModelArchive a = ModelArchive.create(Manifest.Kind.CHECKPOINT).config(cfg.toJson()).seed(cfg.seed())
                .step(step);
        a.putGraph("generator", g.graph(), true);
        if (d != null) {
            a.putGraph("discriminator", d.graph(), true);
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("version", STATE_VERSION);
        state.put("step", step);
        state.put("contentPosition", content.position());
        state.put("scales", scales);
        state.put("rng", "derived from (seed, step)");
        state.put("lrFactor", cfg.lrFactor(Math.min(step, cfg.steps() - 1)));
        a.putJson("trainer_state", JSON.writeValueAsString(state));
        a.putJson("history", history().toJson());
        a.putBytes("image_pool", pool.toBytes());
        if (preview != null) {
            a.putBytes("preview", Nd4j.toByteArray(preview));
        }
        a.save(file);
    }

    @SuppressWarnings("unchecked")
    private void restoreState(ModelArchive a) {
        Map<String, Object> state;
        try {
            state = JSON.readValue(a.json("trainer_state"), new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("corrupt trainer_state in checkpoint: " + e.getOriginalMessage(), e);
        }
        if (!(state.get("version") instanceof Number v) || v.intValue() != STATE_VERSION) {
            throw new IllegalArgumentException("trainer_state: expected version " + STATE_VERSION + ", found "
                    + state.get("version"));
        }
        step = ((Number) state.get("step")).intValue();
        startStep = step;
        content.seek(((Number) state.get("contentPosition")).longValue());
        Map<String, Object> s = (Map<String, Object>) state.get("scales");
        if (s != null) {
            scales = new LinkedHashMap<>();
            s.forEach((k, val) -> scales.put(k, ((Number) val).doubleValue()));
        }
        events.addAll(History.fromJson(a.json("history")).events());
        if (a.has("image_pool")) {
            pool.restore(a.bytes("image_pool"));
        }
        if (a.has("preview")) {
            preview = Nd4j.fromByteArray(a.bytes("preview")).castTo(dataType);
        }
    }

    // ------------------------------------------------------------------------------------------ accessors

    /** Returns the number of iterations done (including those before a resume). */
    public int currentStep() {
        return step;
    }

    /** Returns the config. */
    public TrainerConfig config() {
        return cfg;
    }

    /** Returns the generator being trained (live). */
    public Generator generator() {
        return g;
    }

    /** Returns the discriminator being trained, or null when gamma is 0. */
    public Discriminator discriminator() {
        return d;
    }

    /** Returns the auto-balance scale per term (1/v0, or 1 when off), empty before the first step. */
    public Map<String, Double> balanceScales() {
        return scales == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scales));
    }

    /** Returns the recorded history. */
    public History history() {
        return new History(events);
    }

    /** Returns the first content batch of the run (for previews), or null before the first step. */
    public INDArray previewContent() {
        return preview;
    }

    /** Returns the style images as used (resized to styleSize). */
    public List<INDArray> styleImages() {
        return styles;
    }

    /** Closes the content source. */
    @Override
    public void close() {
        content.close();
    }

    private final class Context implements TrainingContext {
        @Override
        public TrainerConfig config() {
            return cfg;
        }

        @Override
        public int startStep() {
            return startStep;
        }

        @Override
        public INDArray previewContent() {
            if (preview == null) {
                preview = nextContentPeek(); // the first batch of the run, not consumed
            }
            return preview;
        }

        @Override
        public INDArray styleImage() {
            return styles.get(0);
        }

        @Override
        public INDArray stylize(INDArray images) {
            return g.output(images.castTo(dataType));
        }

        @Override
        public void requestStop() {
            stopRequested = true;
        }
    }

    /** Reads the batch at the current position without consuming it. */
    private INDArray nextContentPeek() {
        long p = content.position();
        INDArray x = content.nextBatch();
        content.seek(p);
        return x.castTo(dataType).dup();
    }
}
