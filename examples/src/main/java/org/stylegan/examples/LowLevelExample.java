package org.stylegan.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stylegan.core.net.Discriminator;
import org.stylegan.core.net.FeatureExtractor;
import org.stylegan.core.net.Generator;
import org.stylegan.core.train.ContentSource;
import org.stylegan.core.train.GanTrainer;
import org.stylegan.core.train.StepEvent;
import org.stylegan.core.train.TrainerConfig;
import org.stylegan.io.ImageOps;
import org.stylegan.io.Images;
import org.stylegan.losses.StyleLoss;

/**
 * The pieces under the facade, wired by hand: a {@link Generator}, a {@link Discriminator}, the random
 * {@link FeatureExtractor}, a {@link ContentSource} and a {@link GanTrainer} stepped in your own loop; then
 * {@link StyleLoss} measures how far the generator's output is from the style, before and after training.
 *
 * <pre>
 * java -cp examples/target/style-gan-cli.jar org.stylegan.examples.LowLevelExample
 * </pre>
 */
public final class LowLevelExample {

    private LowLevelExample() {
    }

    /**
     * What {@link #run} measured.
     *
     * @param totals              generator objective per step
     * @param styleDistanceBefore Gram-matrix style loss of the untrained generator's output
     * @param styleDistanceAfter  the same after training (smaller = closer to the style)
     */
    public record Result(List<Double> totals, double styleDistanceBefore, double styleDistanceAfter) {
    }

    /** Runs 150 steps with gamma 0.1 on the bundled images and prints the style distance. */
    public static void main(String[] args) {
        TrainerConfig config = TrainerConfig.builder().steps(150).gamma(0.1).build();
        Result r = run(config);
        System.out.printf(Locale.ROOT, "style distance %.4g -> %.4g after %d steps%n", r.styleDistanceBefore(),
                r.styleDistanceAfter(), r.totals().size());
    }

    /** Builds every piece from {@code config} and trains for {@code config.steps()} steps. */
    public static Result run(TrainerConfig config) {
        Generator generator = Generator.builder().config(config.generator()).build();
        Discriminator discriminator = config.adversarialActive()
                ? Discriminator.builder().config(config.discriminator()).build() : null;
        FeatureExtractor features = GanTrainer.featureExtractor(config, DataType.FLOAT);
        INDArray style = Images.toTensor(BundledImages.get(BundledImages.Kind.STYLE, "swirls").load());
        List<java.awt.image.BufferedImage> photos = BundledImages.content().stream()
                .map(BundledImages.Image::load).toList();

        try (ContentSource content = ContentSource.images(photos, config.imageSize(), config.batchSize(),
                config.seed());
             GanTrainer trainer = new GanTrainer(config, generator, discriminator, features, content,
                     List.of(style))) {
            INDArray probe = Images.toTensor(ImageOps.centerCrop(                   // a fixed content image
                    ImageOps.resizeShorterSide(photos.get(0), config.imageSize()), config.imageSize(),
                    config.imageSize()));
            List<INDArray> styleGrams = grams(features, trainer.styleImages().get(0));
            StyleLoss styleLoss = StyleLoss.builder().build();
            double before = styleLoss.computeGram(features.forward(generator.output(probe)).style(), styleGrams)
                    .value();
            List<Double> totals = new ArrayList<>();
            for (int i = 0; i < config.steps(); i++) {
                StepEvent e = trainer.step();                          // one D step + one G step
                totals.add(e.total());
            }
            double after = styleLoss.computeGram(features.forward(generator.output(probe)).style(), styleGrams)
                    .value();
            return new Result(totals, before, after);
        }
    }

    private static List<INDArray> grams(FeatureExtractor features, INDArray styleImage) {
        List<INDArray> grams = new ArrayList<>();
        for (INDArray f : features.forward(styleImage).style()) {
            grams.add(StyleLoss.gram(f));
        }
        return grams;
    }
}
