package org.stylegan.bench;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.stylegan.core.net.Discriminator;
import org.stylegan.core.net.FeatureExtractor;
import org.stylegan.core.net.Features;
import org.stylegan.core.net.Generator;
import org.stylegan.core.internal.GradientCopy;
import org.stylegan.losses.AdversarialLoss;
import org.stylegan.losses.ContentLoss;
import org.stylegan.losses.LossResult;
import org.stylegan.losses.MultiLossResult;
import org.stylegan.losses.StyleLoss;
import org.stylegan.losses.TotalVariationLoss;

/**
 * One GAN iteration composed from the core API and the losses, exactly the peer's {@code gan_iter}: a
 * discriminator step (BCE real style images -> 1, generated -> 0, Adam) then a generator step
 * (alpha content MSE on relu2_2 + beta Gram MSE on relu1_2 and relu2_2 + adversarial BCE(D(G(x)) -> 1)
 * + tv total variation; Adam on the generator only).
 *
 * <p>Used until {@code GanTrainer} exposes a single step; it does the same work in the same order.
 */
final class ComposedGanStep {
    static final double ALPHA = 1.0;
    static final double BETA = 10.0;
    static final double TV = 1e-4;

    private final Generator generator;
    private final Discriminator discriminator;
    private final FeatureExtractor features;
    private final INDArray content;
    private final INDArray style;
    private final List<INDArray> styleGrams;
    private final int batch;
    private final AdversarialLoss bce = AdversarialLoss.bce();
    private final StyleLoss styleLoss = StyleLoss.builder().build();

    ComposedGanStep(Generator generator, Discriminator discriminator, FeatureExtractor features, INDArray content,
                    INDArray style) {
        this.generator = generator;
        this.discriminator = discriminator;
        this.features = features;
        this.content = content;
        this.style = style;
        this.batch = (int) content.size(0);
        Features s = features.forward(style);
        this.styleGrams = List.of(StyleLoss.gram(s.get("relu1_2")).dup(), StyleLoss.gram(s.get("relu2_2")).dup());
    }

    /**
     * The step the GAN-iteration benchmark times: reference generator, discriminator and random feature network, and
     * fixed-seed uniform content and style batches of {@code batch} 256x256 images.
     */
    static ComposedGanStep reference(int batch) {
        return new ComposedGanStep(Generator.builder().build(), Discriminator.builder().build(),
                FeatureExtractor.random(7), BenchSupport.uniform(31, batch, 3, 256, 256),
                BenchSupport.uniform(32, batch, 3, 256, 256));
    }

    /** Runs one D step and one G step; returns the generator's total loss. */
    double step() {
        return step(phase -> { });
    }

    /**
     * {@link #step()}, calling {@code checkpoint} with a phase name after each phase (GanPhaseProbe forces a
     * collection there to find native memory that only the garbage collector frees).
     */
    double step(Consumer<String> checkpoint) {
        // Discriminator step on a detached generated batch.
        // Real and generated images in one batch, as GanTrainer does: the same sums as two passes (instance norm
        // is per image), with one forward and one backward.
        INDArray fake = generator.output(content);
        INDArray both = Nd4j.concat(0, style, fake);
        INDArray logits = discriminator.engine().forward(both, true);
        LossResult real = bce.compute(logits.get(NDArrayIndex.interval(0, batch)), true);
        LossResult fakeLoss = bce.compute(logits.get(NDArrayIndex.interval(batch, 2 * batch)), false);
        INDArray dLogits = Nd4j.concat(0, real.gradient(), fakeLoss.gradient());
        Gradient dGrad = discriminator.engine().parameterGradient(dLogits);
        checkpoint.accept("D forward + backward");
        discriminator.engine().applyGradient(dGrad, batch);
        // As GanTrainer: free the step's buffers now rather than at the next GC (see GradientCopy).
        discriminator.engine().releaseActivations();
        GradientCopy.release(dGrad);
        BenchSupport.close(dLogits, real.gradient(), fakeLoss.gradient(), logits, both, fake);
        checkpoint.accept("D update + release");

        // Generator step. The content target needs no gradient (the peer's torch.no_grad()): inference pass.
        INDArray contentTarget = features.extractContent(content); // relu2_2, the content tap
        checkpoint.accept("content target");
        INDArray generated = generator.engine().forward(content, true);
        Features f = features.forward(generated);
        INDArray f1 = f.get("relu1_2");
        INDArray f2 = f.get("relu2_2");
        LossResult c = ContentLoss.features().compute(f2, contentTarget);
        MultiLossResult s = styleLoss.computeGram(List.of(f1, f2), styleGrams);
        INDArray dF1 = s.gradient(0).muli(BETA);
        INDArray dF2 = s.gradient(1).muli(BETA).addi(c.gradient().muli(ALPHA));
        INDArray dImage = features.backward(f, Map.of("relu1_2", dF1, "relu2_2", dF2));
        checkpoint.accept("G forward, features, losses, features backward");

        INDArray advLogits = discriminator.engine().forward(generated, true);
        LossResult adv = bce.compute(advLogits, true);
        INDArray dAdv = discriminator.engine().inputGradient(adv.gradient()); // D is not updated in the G step (no dW)
        dImage.addi(dAdv);
        LossResult tv = TotalVariationLoss.l1().compute(generated);
        dImage.addi(tv.gradient().muli(TV));
        checkpoint.accept("adversarial + TV");

        Gradient gGrad = generator.engine().parameterGradient(dImage);
        generator.engine().applyGradient(gGrad, batch);
        checkpoint.accept("G backward + update");
        // As GanTrainer: hand the pass buffers back for the next step and free this step's arrays.
        features.releaseActivations();
        discriminator.engine().releaseActivations();
        generator.engine().releaseActivations(content);
        GradientCopy.release(gGrad);
        f.all().values().forEach(BenchSupport::close);
        BenchSupport.close(contentTarget, c.gradient(), s.gradient(0), s.gradient(1), dImage, advLogits,
                adv.gradient(), dAdv, tv.gradient(), generated);
        checkpoint.accept("release");
        return ALPHA * c.value() + BETA * s.value() + adv.value() + TV * tv.value();
    }
}
