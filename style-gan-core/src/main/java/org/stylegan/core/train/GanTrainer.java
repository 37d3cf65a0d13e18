package org.stylegan.core.train;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.stylegan.core.internal.GradientCopy;
import org.stylegan.core.internal.TrainableGraph;
import org.stylegan.core.net.AdamDefaults;
import org.stylegan.core.net.Discriminator;
import org.stylegan.core.net.FeatureExtractor;
import org.stylegan.core.net.Generator;
import org.stylegan.eval.StyleEvaluator;
import org.stylegan.io.Images;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Trains a {@link Generator} for one style. Each iteration runs the generator forward once (training mode), updates
 * the discriminator with that output as the fakes ({@link DiscriminatorStep}), evaluates the generator objective
 * {@code alpha L_content + beta L_style + gamma L_adversarial + tv L_tv} against the updated discriminator
 * ({@link GeneratorObjective}), backpropagates and updates the generator, then notifies listeners and writes a
 * checkpoint when due ({@link TrainingArchive}).
 *
 * <p>Gradients follow the batch-mean convention of style-gan-losses: the generator step applies exactly
 * d(total)/d(theta_G). The adversarial gradient reaches the generator through the discriminator's input gradient;
 * the discriminator's parameters and optimizer state are not touched by it.
 *
 * <p>Every random draw comes from (seed, step), content batch k from the {@link ContentSource}'s position, so a
 * run is reproducible and {@link #resume} continues exactly where a checkpoint left off.
 *
 * <p>Not thread-safe. Close it to release the content source.
 */
public final class GanTrainer implements AutoCloseable {
    /** Rollbacks of the collapse guard one run may make; the next collapse stops it. */
    public static final int MAX_ROLLBACKS = 3;
    /** File name of the checkpoint inside {@link TrainerConfig#checkpointDir()}. */
    public static final String CHECKPOINT_FILE = "checkpoint.zip";

    private final TrainerConfig cfg;
    private final Generator g;
    private final Discriminator d;
    private final List<Discriminator> ds;
    private final FeatureExtractor fx;
    private final ContentFeed content;
    private final DataType dataType;
    private final StyleTargets style;
    private final ImagePool pool;
    private final LossWeighting weighting;
    private final DivergenceGuard guard;
    private final DiscriminatorStep dStep;
    private final GeneratorObjective objective;
    private final LearningRates rates;
    private final MemoryPolicy memory = new MemoryPolicy();
    private final CheckpointWriter checkpoints;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final List<StepEvent> events = new ArrayList<>();
    private final List<CollapseEvent> collapses = new ArrayList<>();
    private final CollapseGuard collapseGuard = new CollapseGuard();
    private NetworkSnapshot snapshot;
    private int rollbacks;
    private final List<EvaluationEvent> evaluations = new ArrayList<>();
    private StyleEvaluator evaluator;
    private BufferedImage heldOut;
    private StyleEvaluator.Reference reference;
    private INDArray heldOutTensor;
    private EvaluationEvent best;
    private INDArray bestParams;
    private int step;
    private int startStep;
    private boolean stopRequested;

    /**
     * Creates a trainer with prebuilt networks (e.g. double precision for gradient checks, or a feature network
     * loaded with {@link FeatureExtractor#fromZooModel}). With {@link TrainerConfig#discriminatorScales()} n &gt; 1,
     * {@code discriminator} is level 0 of the pyramid and levels 1..n-1 are built fresh from
     * {@link TrainerConfig#discriminatorAt} (its data type, Adam with the config's discriminator settings).
     *
     * @param styleImages one or more style images [1, 3, H, W] in [-1, 1], any size (resized to styleSize)
     */
    public GanTrainer(TrainerConfig config, Generator generator, Discriminator discriminator,
                      FeatureExtractor features, ContentSource content, List<INDArray> styleImages) {
        this(config, generator, pyramid(config, discriminator), features, content, styleImages);
    }

    /**
     * Creates a trainer with prebuilt networks and one discriminator per pyramid level (level 0 first, judging full
     * size crops); empty when gamma is 0.
     *
     * @throws IllegalArgumentException when the number of discriminators is not {@link TrainerConfig#discriminatorScales()}
     */
    public static GanTrainer withDiscriminators(TrainerConfig config, Generator generator,
                                                List<Discriminator> discriminators, FeatureExtractor features,
                                                ContentSource content, List<INDArray> styleImages) {
        return new GanTrainer(config, generator, discriminators, features, content, styleImages);
    }

    private GanTrainer(TrainerConfig config, Generator generator, List<Discriminator> discriminators,
                      FeatureExtractor features, ContentSource content, List<INDArray> styleImages) {
        this.cfg = Objects.requireNonNull(config, "config");
        this.g = Objects.requireNonNull(generator, "generator");
        this.ds = config.adversarialActive() ? List.copyOf(Objects.requireNonNull(discriminators, "discriminators"))
                : List.of();
        if (config.adversarialActive() && ds.size() != config.discriminatorScales()) {
            throw new IllegalArgumentException("discriminators: " + ds.size() + " given but discriminatorScales is "
                    + config.discriminatorScales() + " (gamma > 0); pass one discriminator per pyramid level");
        }
        this.d = ds.isEmpty() ? null : ds.get(0);
        this.fx = Objects.requireNonNull(features, "feature extractor");
        this.dataType = g.dataType();
        this.content = new ContentFeed(Objects.requireNonNull(content, "content source"), config.imageSize(), dataType);
        this.style = StyleTargets.of(styleImages, config, fx, dataType);
        this.pool = new ImagePool(config.imagePoolSize());
        this.weighting = new LossWeighting(config);
        this.guard = new DivergenceGuard(config, () -> step);
        this.dStep = ds.isEmpty() ? null : new DiscriminatorStep(config, ds, style.images(), pool, guard);
        this.rates = new LearningRates(config, g, ds);
        this.checkpoints = new CheckpointWriter(config);
        this.objective = new GeneratorObjective(config, g, fx, ds, style.grams(), weighting, guard);
    }

    /** Level 0 as given, levels 1..n-1 built from the config; empty when gamma is 0. */
    private static List<Discriminator> pyramid(TrainerConfig config, Discriminator level0) {
        if (!Objects.requireNonNull(config, "config").adversarialActive()) {
            return List.of();
        }
        List<Discriminator> out = new ArrayList<>();
        out.add(Objects.requireNonNull(level0, "discriminator (needed because gamma > 0)"));
        for (int k = 1; k < config.discriminatorScales(); k++) {
            out.add(discriminator(config, k, level0.dataType()));
        }
        return out;
    }

    /** A fresh discriminator for pyramid level {@code level}, with the config's discriminator Adam. */
    private static Discriminator discriminator(TrainerConfig config, int level, DataType dataType) {
        return Discriminator.builder().config(config.discriminatorAt(level)).dataType(dataType).updater(
                new Adam(config.lrDiscriminator(), config.beta1Discriminator(), config.beta2Discriminator(),
                        AdamDefaults.EPSILON)).build();
    }

    /** Creates a trainer with fresh float32 networks and the random feature network built from the config. */
    public static GanTrainer create(TrainerConfig config, ContentSource content, List<INDArray> styleImages) {
        Generator g = Generator.builder().config(Objects.requireNonNull(config, "config").generator()).updater(
                new Adam(config.lrGenerator(), config.beta1Generator(), config.beta2Generator(), AdamDefaults.EPSILON)).build();
        List<Discriminator> ds = new ArrayList<>();
        for (int k = 0; config.adversarialActive() && k < config.discriminatorScales(); k++) {
            ds.add(discriminator(config, k, DataType.FLOAT));
        }
        return new GanTrainer(config, g, ds, featureExtractor(config, DataType.FLOAT), content, styleImages);
    }

    /** Builds the config's random feature network. */
    public static FeatureExtractor featureExtractor(TrainerConfig config, DataType dataType) {
        return FeatureExtractor.builder().seed(config.featureSeed())
                .styleTaps(config.styleTaps().toArray(new String[0])).contentTap(config.contentTap())
                .dataType(dataType).build();
    }

    /** {@link #resume(Path, TrainerConfig, FeatureExtractor, ContentSource, List)} with the config's random network. */
    public static GanTrainer resume(Path checkpoint, TrainerConfig override, ContentSource content,
                                    List<INDArray> styleImages) throws IOException {
        return resume(checkpoint, override, null, content, styleImages);
    }

    /**
     * Restores a trainer from a checkpoint written by {@link #saveCheckpoint}: networks with optimizer state, step,
     * auto-balance scales, image pool, history and the content position, so the next step equals the next step of
     * the uninterrupted run. The content source is moved to the saved position.
     *
     * @param override config to continue with (e.g. more steps or another checkpoint folder), or null for the
     *                 checkpoint's own; its architectures must match the checkpoint
     * @param features the loss network: null for the config's random one; the run's own network when it was loaded
     *                 from a file (the checkpoint records which, and a different one is refused)
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException when the file is not a checkpoint or does not match
     */
    public static GanTrainer resume(Path checkpoint, TrainerConfig override, FeatureExtractor features,
                                    ContentSource content, List<INDArray> styleImages) throws IOException {
        TrainingArchive.Checkpoint c = TrainingArchive.loadCheckpoint(Objects.requireNonNull(checkpoint, "checkpoint"));
        TrainerConfig cfg = c.continueWith(override);
        TrainingArchive.FeatureSource.requireSame(checkpoint, c.featureNetwork(), features);
        List<Discriminator> ds = new ArrayList<>();
        for (int k = 0; k < c.discriminators().size(); k++) {
            ds.add(Discriminator.restore(cfg.discriminatorAt(k), c.discriminators().get(k)));
        }
        GanTrainer t = new GanTrainer(cfg, Generator.restore(cfg.generator(), c.generator()), ds,
                features != null ? features : featureExtractor(cfg, DataType.FLOAT), content, styleImages);
        t.step = c.step();
        t.startStep = c.step();
        t.content.restore(c.contentPosition(), c.preview());
        t.weighting.restore(c.scales());
        t.events.addAll(c.history().events());
        t.collapses.addAll(c.history().collapses());
        t.evaluations.addAll(c.history().evaluations());
        t.rates.restoreScale(c.lrScale());
        if (c.imagePool() != null) {
            t.pool.restore(c.imagePool());
        }
        return t;
    }

    /**
     * Starts a new run (step 0, fresh balance scales, pool and history) from the networks of a checkpoint: the
     * generator and every discriminator with their optimizer state, so a pretrained style can be fine-tuned to a
     * new one. The architectures are the checkpoint's; every other setting is {@code config}'s. The loss network
     * is the config's random one.
     *
     * @throws IOException              when the checkpoint cannot be read
     * @throws IllegalArgumentException when the config trains a GAN and the checkpoint holds no discriminator
     */
    public static GanTrainer initFrom(Path checkpoint, TrainerConfig config, ContentSource content,
                                      List<INDArray> styleImages) throws IOException {
        TrainingArchive.Checkpoint c = TrainingArchive.loadCheckpoint(Objects.requireNonNull(checkpoint, "checkpoint"));
        TrainerConfig cfg = c.fineTuneWith(Objects.requireNonNull(config, "config"), checkpoint);
        List<Discriminator> ds = new ArrayList<>();
        for (int k = 0; cfg.adversarialActive() && k < c.discriminators().size(); k++) {
            ds.add(Discriminator.restore(cfg.discriminatorAt(k), c.discriminators().get(k)));
        }
        return new GanTrainer(cfg, Generator.restore(cfg.generator(), c.generator()), ds,
                featureExtractor(cfg, DataType.FLOAT), content, styleImages);
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
        TrainingContext ctx = new TrainerContext(this, content);
        listeners.forEach(l -> l.onStart(ctx));
        while (step < Math.min(until, cfg.steps()) && !stopRequested) {
            int before = collapses.size();
            StepEvent e = step();
            listeners.forEach(l -> l.onStep(e));
            if (collapses.size() > before) {
                CollapseEvent c = collapses.get(collapses.size() - 1);
                listeners.forEach(l -> l.onCollapse(c));
            }
            if (cfg.evaluateEvery() > 0 && (step % cfg.evaluateEvery() == 0 || step == cfg.steps() || stopRequested)) {
                EvaluationEvent ev = evaluate();
                listeners.forEach(l -> l.onEvaluation(ev));
            }
            checkpoints.afterStep(step, step == cfg.steps() || stopRequested, this::saveCheckpoint, listeners);
        }
        History h = history();
        if (step == cfg.steps() || stopRequested) {
            listeners.forEach(l -> l.onEnd(h));
        }
        return h;
    }

    /**
     * Runs one iteration and records its event: generator forward, discriminator step(s) on that output, the
     * generator objective against the updated discriminator, the generator update.
     *
     * @throws TrainingDivergedException when a value is not finite (before the update it would spoil)
     * @throws IllegalStateException     when all configured steps have run
     */
    public StepEvent step() {
        if (step >= cfg.steps()) {
            throw new IllegalStateException("training already ran all " + cfg.steps()
                    + " steps; build a config with more steps to continue");
        }
        long t0 = System.nanoTime();
        if (cfg.collapseSnapshotEvery() > 0 && snapshot == null) {
            snapshot = NetworkSnapshot.of(graphs(), step);   // the run's (or the resumed) start
        }
        Random rnd = new Random(Seeds.mix(cfg.seed(), step, 0));   // every draw of this step, in a fixed order
        rates.update(step);
        INDArray x = content.next();
        DiscriminatorStep.Stats ds = DiscriminatorStep.Stats.NONE;
        for (int k = 1; dStep != null && k < cfg.discriminatorSteps(); k++) {   // extra D steps, extra batches
            INDArray extra = g.output(content.next());
            ds = dStep.update(extra, rnd);
            extra.close();
        }
        INDArray contentTarget = objective.contentTarget(x);           // the photo's features, no gradient
        INDArray y = g.engine().forward(x, true);                    // generator forward, training mode
        guard.finite(y, "generator output");
        if (dStep != null) {
            ds = dStep.update(y, rnd);                               // the fakes are y itself: no second G pass
        }
        Optional<CollapseGuard.Collapse> collapse = cfg.collapseSnapshotEvery() > 0
                ? collapseGuard.check(y, ds.loss()) : Optional.empty();
        GeneratorObjective.Outcome gg = objective.backward(x, y, contentTarget);   // against the updated D; closes y
        guard.finite(gg.gradient(), "generator gradient");
        g.engine().applyGradient(gg.gradient(), (int) x.size(0));     // generator update
        GradientCopy.release(gg.gradient());                           // consumed by the update: free it now
        double ms = (System.nanoTime() - t0) / 1e6;
        StepEvent e = new StepEvent(step, cfg.steps(), gg.terms(), gg.weighted(), gg.total(), ds.loss(), ds.real(),
                ds.fake(), rates.generator(), rates.discriminator(), ms, x.size(0) * 1000.0 / ms);
        events.add(e);
        step++;
        if (collapse.isPresent()) {
            rollBack(e.step(), collapse.get());                        // undoes this step's updates too
        } else if (cfg.collapseSnapshotEvery() > 0 && step % cfg.collapseSnapshotEvery() == 0) {
            snapshot.close();
            snapshot = NetworkSnapshot.of(graphs(), step);           // a healthy step: the new last good state
        }
        memory.afterStep(System.nanoTime() - t0);
        return e;
    }

    /**
     * Restores every network to the last snapshot, halves both learning rates and records the collapse; the
     * {@link #MAX_ROLLBACKS}+1-th collapse of a run stops it instead.
     */
    private void rollBack(int at, CollapseGuard.Collapse kind) {
        if (rollbacks >= MAX_ROLLBACKS) {
            throw new TrainingCollapsedException(at, kind.name(), "training collapsed (" + kind + ") at step " + at
                    + " after " + rollbacks + " rollbacks, each with halved learning rates; lower gamma (" + cfg.gamma()
                    + ") or the learning rates (lrGenerator=" + cfg.lrGenerator() + ", lrDiscriminator="
                    + cfg.lrDiscriminator() + ")" + (cfg.checkpointDir() != null
                    ? "; the last checkpoint in " + cfg.checkpointDir() + " is intact" : ""));
        }
        rollbacks++;
        snapshot.restore();
        rates.halve();
        rates.update(Math.min(step, cfg.steps() - 1));   // the next step's rates (the last one's after the end)
        collapseGuard.reset();
        collapses.add(new CollapseEvent(at, kind.name(), snapshot.step(), rates.generator(), rates.discriminator()));
    }

    /**
     * Sets the held-out photo the generator is evaluated on every {@link TrainerConfig#evaluateEvery()} steps (and
     * after the last step), against the first style image, with the default {@link StyleEvaluator}. Without one, the
     * first image of the first content batch (a training crop) is used. Do not train on this photo.
     *
     * @return this
     */
    public GanTrainer evaluateOn(BufferedImage photo) {
        return evaluateOn(photo, StyleEvaluator.builder().build());
    }

    /**
     * {@link #evaluateOn(BufferedImage)} with another evaluator (e.g. a smaller working size). The photo is scaled so
     * that its longer side is at most {@link #EVALUATION_SIZE} px and its sides are multiples of the generator's size
     * step; the evaluator's reference (style and photo statistics) is built once, at the first evaluation.
     *
     * @return this
     */
    public GanTrainer evaluateOn(BufferedImage photo, StyleEvaluator evaluator) {
        this.heldOut = Objects.requireNonNull(photo, "photo");
        this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
        this.reference = null;
        return this;
    }

    /** Longer side, in pixels, the held-out photo is stylized at for evaluations. */
    public static final int EVALUATION_SIZE = 256;

    /**
     * Stylizes the held-out photo with the current generator (inference), evaluates it, records the event and keeps a
     * copy of the generator when its score is the best so far (strictly higher: the earliest wins a tie).
     */
    private EvaluationEvent evaluate() {
        if (reference == null) {
            if (evaluator == null) {
                evaluator = StyleEvaluator.builder().build();
            }
            BufferedImage photo = heldOut != null ? heldOut : Images.toImage(content.preview()
                    .get(NDArrayIndex.interval(0, 1)).dup().castTo(DataType.FLOAT));
            BufferedImage prepared = fitToGenerator(photo);
            heldOutTensor = Images.toTensor(prepared).castTo(g.dataType());
            reference = evaluator.reference(Images.toImage(style.images().get(0).castTo(DataType.FLOAT)), prepared);
        }
        INDArray y = g.output(heldOutTensor);
        INDArray yf = y.castTo(DataType.FLOAT);
        BufferedImage out = Images.toImage(yf);
        y.close();
        yf.close();
        EvaluationEvent e = new EvaluationEvent(step, reference.evaluate(out));
        evaluations.add(e);
        if (best == null || e.score() > best.score()) {
            best = e;
            if (bestParams != null) {
                bestParams.close();
            }
            bestParams = g.graph().params().dup();
        }
        return e;
    }

    /** Scales {@code photo} to at most EVALUATION_SIZE px and crops its sides to multiples of the generator's step. */
    private BufferedImage fitToGenerator(BufferedImage photo) {
        int m = g.config().sizeMultiple();
        int min = g.config().minimumSize();
        double f = Math.min(1.0, (double) EVALUATION_SIZE / Math.max(photo.getWidth(), photo.getHeight()));
        int w = Math.max(min, (int) Math.round(photo.getWidth() * f) / m * m);
        int h = Math.max(min, (int) Math.round(photo.getHeight() * f) / m * m);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = out.createGraphics();
        gr.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        gr.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        gr.drawImage(photo, 0, 0, w, h, null);
        gr.dispose();
        return out;
    }

    /** The evaluation with the best score since this trainer was created (not across a resume), if any. */
    public Optional<EvaluationEvent> bestEvaluation() {
        return Optional.ofNullable(best);
    }

    /**
     * A copy of the generator as it was at {@link #bestEvaluation()}'s step (without optimizer state), or empty when
     * nothing was evaluated since this trainer was created: after a resume the selection restarts.
     */
    public Optional<Generator> bestGenerator() {
        if (bestParams == null) {
            return Optional.empty();
        }
        Generator copy = Generator.restore(cfg.generator(), g.graph());
        copy.graph().params().assign(bestParams);
        return Optional.of(copy);
    }

    /** The generator's and every discriminator's training plumbing, for snapshots. */
    private List<TrainableGraph> graphs() {
        List<TrainableGraph> out = new ArrayList<>();
        out.add(g.engine());
        ds.forEach(d -> out.add(d.engine()));
        return out;
    }

    /** The generator objective and gradient for batch {@code x}, with no update of either network (tests). */
    GeneratorObjective.Outcome generatorGradient(INDArray x) {
        INDArray contentTarget = objective.contentTarget(x);
        return objective.backward(x, g.engine().forward(x, true), contentTarget);
    }

    /**
     * Writes a checkpoint (atomic replace): both networks with optimizer state, config, step, auto-balance scales,
     * content position, image pool, preview batch, history and, for a feature network loaded from a file, its path.
     */
    public void saveCheckpoint(Path file) throws IOException {
        TrainingArchive.saveCheckpoint(file, new TrainingArchive.Checkpoint(cfg, g.graph(),
                ds.stream().map(Discriminator::graph).toList(),
                step, content.position(), weighting.scales(), history(), pool.toBytes(), content.preview(),
                TrainingArchive.FeatureSource.of(fx), rates.scale()));
    }

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

    /** Returns the discriminator being trained (level 0 of the pyramid), or null when gamma is 0. */
    public Discriminator discriminator() {
        return d;
    }

    /** Returns every discriminator of the pyramid, level 0 first (live); empty when gamma is 0. */
    public List<Discriminator> discriminators() {
        return ds;
    }

    /** Returns the auto-balance scale per term (1/v0, or 1 when off), empty before the first step. */
    public Map<String, Double> balanceScales() {
        Map<String, Double> s = weighting.scales();
        return s == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(s));
    }

    /** Returns the recorded history. */
    public History history() {
        return new History(events, collapses, evaluations);
    }

    /** Returns the first content batch of the run (for previews), or null before the first step. */
    public INDArray previewContent() {
        return content.preview();
    }

    /** Returns the style images as used (resized to styleSize). */
    public List<INDArray> styleImages() {
        return style.images();
    }

    /** The style target per style tap (tests). */
    List<INDArray> styleTargets() {
        return style.grams();
    }

    /** Closes the content source and frees the collapse guard's snapshot. */
    @Override
    public void close() {
        content.close();
        if (snapshot != null) {
            snapshot.close();
            snapshot = null;
        }
        if (bestParams != null) {
            bestParams.close();
            bestParams = null;
        }
    }

    int startStep() {
        return startStep;
    }

    void requestStop() {
        stopRequested = true;
    }
}
