package org.stylegan.core.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stylegan.core.internal.TrainableGraph;
import org.stylegan.core.net.Discriminator;
import org.stylegan.core.net.FeatureExtractor;
import org.stylegan.core.net.Features;
import org.stylegan.core.net.Generator;
import org.stylegan.core.net.ImagePyramid;
import org.stylegan.losses.AdversarialLoss;
import org.stylegan.losses.ContentLoss;
import org.stylegan.losses.LossBreakdown;
import org.stylegan.losses.LossResult;
import org.stylegan.losses.LossWeights;
import org.stylegan.losses.MultiLossResult;
import org.stylegan.losses.StyleLoss;
import org.stylegan.losses.TotalVariationLoss;
import org.stylegan.losses.WeightedLoss;

/**
 * The generator's objective {@code alpha s_c L_content + beta s_s L_style + gamma s_a L_adv + tv s_tv L_tv} on
 * one generated batch, and its gradient with respect to the generated images.
 *
 * <p>The terms are evaluated by the losses module and composed by its {@link WeightedLoss} (weights from
 * {@link LossWeighting}, auto-balance included). Feature-space gradients (content and style at their taps) go
 * back through the feature network once; the total-variation and pixel-content gradients are added in pixel
 * space; the adversarial gradient comes back through the discriminator's input gradient, which touches neither
 * its parameters nor its optimizer state. {@link #backward} takes the image gradient on to the generator's
 * parameters.
 *
 * <p>With a discriminator pyramid of n levels, discriminator k judges the generated batch averaged down k times
 * ({@link ImagePyramid#down}); the adversarial term is the mean of the n levels' losses (one term for the
 * weighting), and its image gradient is the sum over levels of D_k's input gradient (of 1/n of its loss) mapped back
 * to full size by {@link ImagePyramid#downBackward} k times.
 */
final class GeneratorObjective {
    /**
     * The objective's terms and d(total)/d(theta_G), not applied; the caller releases the gradient
     * ({@code GradientCopy.release}) after the update.
     */
    record Outcome(Map<String, Double> terms, Map<String, Double> weighted, double total, Gradient gradient) {
    }

    private final TrainerConfig cfg;
    private final Generator g;
    private final FeatureExtractor fx;
    private final List<Discriminator> ds;
    private final List<INDArray> styleGrams;
    private final StyleLoss styleLoss = StyleLoss.builder().build();
    private final ContentLoss contentLoss;
    private final TotalVariationLoss tvLoss = TotalVariationLoss.l1();
    private final AdversarialLoss adversarial;
    private final LossWeighting weighting;
    private final DivergenceGuard guard;

    GeneratorObjective(TrainerConfig cfg, Generator g, FeatureExtractor fx, List<Discriminator> ds,
                       List<INDArray> styleGrams, LossWeighting weighting, DivergenceGuard guard) {
        this.cfg = cfg;
        this.g = g;
        this.fx = fx;
        this.ds = List.copyOf(ds);
        this.styleGrams = styleGrams;
        this.contentLoss = cfg.contentMode() == TrainerConfig.ContentMode.PIXEL
                ? ContentLoss.pixel() : ContentLoss.features();
        this.adversarial = cfg.adversarialLoss() == AdversarialLoss.Kind.LSGAN
                ? AdversarialLoss.lsgan() : AdversarialLoss.bce();
        this.weighting = weighting;
        this.guard = guard;
    }

    /**
     * Returns the content photo's features at the content tap (the caller hands it to {@link #evaluate}, which
     * closes it), or null when the content loss is off or measured on pixels.
     */
    INDArray contentTarget(INDArray x) {
        return featureContent() ? fx.extractContent(x) : null;
    }

    /**
     * Evaluates the objective on the generator's training-mode output {@code y} of batch {@code x} and
     * backpropagates it to the generator's parameters (nothing consumes the photo's gradient). Closes {@code y},
     * {@code contentTarget}, every array of the evaluation and the generator's pass activations; {@code x} stays
     * the caller's.
     */
    Outcome backward(INDArray x, INDArray y, INDArray contentTarget) {
        Outcome outcome;
        try (Result r = evaluate(x, y, contentTarget)) {
            Gradient grad = g.engine().parameterGradient(r.imageGradient());
            outcome = new Outcome(r.terms(), r.weighted(), r.total(), grad);
        }
        g.engine().releaseActivations(x);
        y.close();
        return outcome;
    }

    private boolean featureContent() {
        return cfg.alpha() > 0 && contentLoss == ContentLoss.features();
    }

    /**
     * Evaluates the objective of generated batch {@code y} for content batch {@code x}. The result owns every
     * array made here (feature and discriminator activations, loss gradients, the content target, the image
     * gradient); close it once the image gradient has been backpropagated. {@code x} and {@code y} stay the
     * caller's.
     *
     * @throws TrainingDivergedException when a term, a logit or the image gradient is not finite
     */
    Result evaluate(INDArray x, INDArray y, INDArray contentTarget) {
        Features f = cfg.beta() > 0 || contentTarget != null ? fx.forward(y) : null;
        LossResult content = null;
        MultiLossResult style = null;
        LossResult adv = null;
        MultiLossResult advLevels = null;
        LossResult tv = null;
        List<INDArray> logits = new ArrayList<>();
        List<INDArray> levels = new ArrayList<>();
        if (cfg.alpha() > 0) {
            content = guard.loss(WeightedLoss.CONTENT, () -> contentTarget != null
                    ? contentLoss.compute(f.content(), contentTarget) : contentLoss.compute(y, x));
        }
        if (cfg.beta() > 0) {
            style = guard.loss(WeightedLoss.STYLE, () -> styleLoss.computeGram(f.style(), styleGrams));
        }
        if (cfg.gamma() > 0 && ds.size() == 1) {
            INDArray l = ds.get(0).engine().forward(y, true);
            logits.add(l);
            guard.finite(l, "discriminator logits");
            adv = guard.loss(WeightedLoss.ADVERSARIAL, () -> adversarial.compute(l, true));
        } else if (cfg.gamma() > 0) {
            advLevels = adversarialPyramid(y, logits, levels);
        }
        if (cfg.tv() > 0) {
            tv = guard.loss(WeightedLoss.TV, () -> tvLoss.compute(y));
        }
        Map<String, Double> raw = new LinkedHashMap<>();
        putValue(raw, WeightedLoss.CONTENT, content);
        if (style != null) {
            raw.put(WeightedLoss.STYLE, style.value());
        }
        putValue(raw, WeightedLoss.ADVERSARIAL, adv);
        if (advLevels != null) {
            raw.put(WeightedLoss.ADVERSARIAL, advLevels.value());
        }
        putValue(raw, WeightedLoss.TV, tv);
        raw.forEach((term, v) -> guard.finite(v, term));

        LossWeights weights = weighting.weights(raw);
        WeightedLoss composition = WeightedLoss.owning(weights);
        if (content != null) {
            composition.content(content);
        }
        if (style != null) {
            composition.style(style);
        }
        if (adv != null) {
            composition.adversarial(adv);
        }
        if (advLevels != null) {
            composition.term(WeightedLoss.ADVERSARIAL, weights.gamma(), advLevels);
        }
        if (tv != null) {
            composition.tv(tv);
        }
        Result r = new Result(composition.build(), f, logits, levels, contentTarget);
        r.imageGradient = imageGradient(r, contentTarget != null);
        guard.finite(r.imageGradient, "gradient of the generated image");
        return r;
    }

    /**
     * The adversarial term over the pyramid: D_k on y averaged down k times, value the mean of the levels' losses,
     * one gradient per level (of loss_k / n, with respect to D_k's logits). Adds the logits and the levels made here
     * (not y) to the lists, for the result to close.
     */
    private MultiLossResult adversarialPyramid(INDArray y, List<INDArray> logits, List<INDArray> levels) {
        int n = ds.size();
        List<Double> values = new ArrayList<>();
        List<INDArray> grads = new ArrayList<>();
        INDArray level = y;
        double sum = 0;
        for (int k = 0; k < n; k++) {
            if (k > 0) {
                level = ImagePyramid.down(level);
                levels.add(level);
            }
            INDArray l = ds.get(k).engine().forward(level, true);
            logits.add(l);
            guard.finite(l, "discriminator logits (level " + k + ")");
            LossResult r = guard.loss(WeightedLoss.ADVERSARIAL, () -> adversarial.compute(l, true));
            values.add(r.value());
            grads.add(r.gradient().muli(1.0 / n));
            sum += r.value();
        }
        return new MultiLossResult(sum / n, values, grads);
    }

    private static void putValue(Map<String, Double> raw, String term, LossResult r) {
        if (r != null) {
            raw.put(term, r.value());
        }
    }

    /** d(total)/dy: feature-space terms through the feature network, pixel-space terms added directly. */
    private INDArray imageGradient(Result r, boolean featureContent) {
        LossBreakdown b = r.breakdown;
        Map<String, Double> terms = b.terms();
        INDArray dy = null;
        if (r.features != null) {
            Map<String, INDArray> perTap = new LinkedHashMap<>();
            if (terms.containsKey(WeightedLoss.STYLE)) {
                List<String> taps = r.features.styleTaps();
                List<INDArray> grads = b.weightedGradients(WeightedLoss.STYLE);
                for (int i = 0; i < taps.size(); i++) {
                    perTap.merge(taps.get(i), grads.get(i), INDArray::addi);
                }
            }
            if (featureContent) {
                perTap.merge(r.features.contentTap(), b.weightedGradient(WeightedLoss.CONTENT), INDArray::addi);
            }
            dy = fx.backward(r.features, perTap);
        }
        if (!featureContent && terms.containsKey(WeightedLoss.CONTENT)) {
            dy = add(dy, b.weightedGradient(WeightedLoss.CONTENT));
        }
        if (terms.containsKey(WeightedLoss.TV)) {
            dy = add(dy, b.weightedGradient(WeightedLoss.TV));
        }
        if (terms.containsKey(WeightedLoss.ADVERSARIAL) && ds.size() == 1) {
            // D's input gradient only: D is not updated.
            r.discriminatorInputGradient = ds.get(0).engine().inputGradient(
                    b.weightedGradient(WeightedLoss.ADVERSARIAL));
            dy = add(dy, r.discriminatorInputGradient);
        } else if (terms.containsKey(WeightedLoss.ADVERSARIAL)) {
            List<INDArray> perLevel = b.weightedGradients(WeightedLoss.ADVERSARIAL);
            for (int k = 0; k < ds.size(); k++) {
                INDArray eps = ds.get(k).engine().inputGradient(perLevel.get(k));   // D_k is not updated
                for (int j = 0; j < k; j++) {
                    INDArray up = ImagePyramid.downBackward(eps);
                    eps.close();
                    eps = up;
                }
                if (dy == null) {
                    r.discriminatorInputGradient = eps;   // the accumulator: closed with the result
                    dy = eps;
                } else {
                    dy.addi(eps);
                    eps.close();
                }
            }
        }
        return dy;
    }

    private static INDArray add(INDArray acc, INDArray v) {
        return acc == null ? v : acc.addi(v);
    }

    /** One evaluation: the terms and the image gradient, holding every array it made until {@link #close()}. */
    final class Result implements AutoCloseable {
        private final LossBreakdown breakdown;
        private final Features features;
        private final List<INDArray> logits;
        private final List<INDArray> levels;
        private final INDArray contentTarget;
        private INDArray imageGradient;
        private INDArray discriminatorInputGradient;

        private Result(LossBreakdown breakdown, Features features, List<INDArray> logits, List<INDArray> levels,
                       INDArray contentTarget) {
            this.breakdown = breakdown;
            this.features = features;
            this.logits = logits;
            this.levels = levels;
            this.contentTarget = contentTarget;
        }

        /** Raw value per active term. */
        Map<String, Double> terms() {
            return breakdown.terms();
        }

        /** Weighted (and auto-balanced) value per active term. */
        Map<String, Double> weighted() {
            return breakdown.weightedTerms();
        }

        /** The objective, the sum of {@link #weighted()}. */
        double total() {
            return breakdown.total();
        }

        /** d(total)/d(generated images); valid until {@link #close()}. */
        INDArray imageGradient() {
            return imageGradient;
        }

        /**
         * Frees this evaluation's arrays now rather than at the next GC (hundreds of MB of native buffers at
         * 256 px): the feature network's and D's pass activations, the weighted gradients (some of which the
         * image gradient accumulated into), the content target and the image gradient.
         */
        @Override
        public void close() {
            if (features != null) {
                fx.releaseActivations();
                features.all().values().forEach(INDArray::close);
            }
            for (int k = 0; k < logits.size(); k++) {
                ds.get(k).engine().releaseActivations();
                logits.get(k).close();
            }
            levels.forEach(INDArray::close);
            breakdown.close();
            Set<INDArray> closed = Collections.newSetFromMap(new IdentityHashMap<>());
            TrainableGraph.closeOnce(contentTarget, closed);
            TrainableGraph.closeOnce(imageGradient, closed);
            TrainableGraph.closeOnce(discriminatorInputGradient, closed);
        }
    }
}
