package org.stylegan.core.train;

import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.stylegan.core.internal.GradientCopy;
import org.stylegan.core.net.Discriminator;
import org.stylegan.core.net.ImagePyramid;
import org.stylegan.io.ImageOps;
import org.stylegan.losses.AdversarialLoss;
import org.stylegan.losses.LossResult;

/**
 * One discriminator update: random crops of the style images are real (target 1, or 1 - labelSmoothing),
 * crops of the generated batch handed in are fake (target 0, through the image pool when one is configured);
 * both go through D in one batch, the adversarial loss gives dL/dlogits, and D's Adam applies the parameter
 * gradient. With a pyramid ({@link TrainerConfig#discriminatorScales()} = n) the same batch of real and fake crops
 * is averaged down once per level ({@link ImagePyramid#down}) and discriminator k is updated on level k the same
 * way; the statistics are means over the levels.
 *
 * <p>Random draws, in order: one fake crop offset (when the crop is smaller than the image), the pool's draws,
 * then per image a style image index and a crop offset. The caller owns {@code generated}; everything else this
 * step allocates is closed before it returns (pool arrays stay with the pool).
 */
final class DiscriminatorStep {
    /** Statistics of one D update; NaN when there was none. */
    record Stats(double loss, double real, double fake) {
        static final Stats NONE = new Stats(Double.NaN, Double.NaN, Double.NaN);
    }

    private final TrainerConfig cfg;
    private final List<Discriminator> ds;
    private final List<INDArray> styles;
    private final ImagePool pool;
    private final AdversarialLoss loss;
    private final DivergenceGuard guard;
    private final DataType dataType;

    DiscriminatorStep(TrainerConfig cfg, Discriminator d, List<INDArray> styles, ImagePool pool,
                      DivergenceGuard guard) {
        this(cfg, List.of(d), styles, pool, guard);
    }

    /** One discriminator per pyramid level, level 0 first. */
    DiscriminatorStep(TrainerConfig cfg, List<Discriminator> ds, List<INDArray> styles, ImagePool pool,
                      DivergenceGuard guard) {
        this.cfg = cfg;
        this.ds = List.copyOf(ds);
        Discriminator d = this.ds.get(0);
        this.styles = styles;
        this.pool = pool;
        AdversarialLoss adv = cfg.adversarialLoss() == AdversarialLoss.Kind.LSGAN
                ? AdversarialLoss.lsgan() : AdversarialLoss.bce();
        this.loss = cfg.labelSmoothing() > 0 ? adv.withLabelSmoothing(cfg.labelSmoothing()) : adv;
        this.guard = guard;
        this.dataType = d.dataType();
    }

    /**
     * Updates each level's D once on crops of {@code generated} (fake) against crops of the style images (real);
     * the random draws are those of one level (the crops are shared).
     */
    Stats update(INDArray generated, Random rnd) {
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
        if (ds.size() == 1) {
            return update(ds.get(0), both, b);
        }
        double loss = 0;
        double pReal = 0;
        double pFake = 0;
        INDArray level = both;
        for (int k = 0; k < ds.size(); k++) {
            INDArray next = k + 1 < ds.size() ? ImagePyramid.down(level) : null;   // before update closes level
            Stats s = update(ds.get(k), level, b);
            loss += s.loss();
            pReal += s.real();
            pFake += s.fake();
            level = next;
        }
        int n = ds.size();
        return new Stats(loss / n, pReal / n, pFake / n);
    }

    /** Updates {@code d} on {@code both} (b real, then b fake images) and closes {@code both}. */
    private Stats update(Discriminator d, INDArray both, int b) {
        INDArray logits = d.engine().forward(both, true);
        guard.finite(logits, "discriminator logits");
        INDArray lr = logits.get(NDArrayIndex.interval(0, b));
        INDArray lf = logits.get(NDArrayIndex.interval(b, 2 * b));
        LossResult r = guard.loss("discriminator", () -> loss.compute(lr, true));
        LossResult f = guard.loss("discriminator", () -> loss.compute(lf, false));
        double value = r.value() + f.value();
        guard.finite(value, "discriminator");
        INDArray dLogits = Nd4j.concat(0, r.gradient(), f.gradient());
        // Parameter gradients only: nothing consumes the gradient of the images, and the first convolution's input
        // gradient (3 channels) is the costly part of its backward pass.
        Gradient grad = d.engine().parameterGradient(dLogits);
        guard.finite(grad, "discriminator gradient");
        d.engine().applyGradient(grad, 2 * b);
        Stats stats = new Stats(value, probability(lr), probability(lf));
        // Free this update's buffers now (not at the next GC); image-pool arrays and the caller's batch stay open.
        GradientCopy.release(grad);
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
}
