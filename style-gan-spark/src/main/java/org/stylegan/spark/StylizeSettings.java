package org.stylegan.spark;

import java.io.Serializable;
import org.stylegan.core.StyleModel;

/**
 * What every task needs to stylize: the model's location and the options of {@code StyleModel.stylize}, plus the
 * output encoding and the batch size. Immutable and serializable (it travels to the executors inside the task);
 * the constructor validates every field.
 *
 * @param model          the model file: a local path (on every node, or shipped with {@code --files}) or a
 *                       Hadoop URI such as {@code hdfs://...}; see {@link ModelCache}
 * @param strength       1 = full style, 0 = the photo unchanged; in [0, 1]
 * @param preserveColors keep the photo's colours and take only light and texture from the style
 * @param maxSize        downscale inputs whose longer side exceeds this; 0 = no limit
 * @param tileSize       process larger images in overlapping tiles of this side (0 = off, else a multiple of 4
 *                       >= 32)
 * @param tileOverlap    overlap of neighbouring tiles; less than tileSize / 2
 * @param format         the output encoding
 * @param batchSize      how many inputs a task takes at a time (>= 1, the most it holds decoded at once); same-size
 *                       images among them go through the generator together. 1 (the default) gives exactly the
 *                       pixels of {@code StyleModel.stylize}; above 1 is faster for small images, but oneDNN picks
 *                       other kernels for another batch size, so a few pixels may differ by one level (docs/spark.md)
 */
public record StylizeSettings(String model, double strength, boolean preserveColors, int maxSize, int tileSize,
                              int tileOverlap, OutputFormat format, int batchSize) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Default batch size: 1, one image per generator call, so the pixels are exactly those of StyleModel.stylize. */
    public static final int DEFAULT_BATCH_SIZE = 1;

    /** Validates every field; messages name the field, the value and the fix. */
    public StylizeSettings {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model must be the path or URI of a model file written by "
                    + "'style-gan train', found " + (model == null ? "null" : "'" + model + "'"));
        }
        if (format == null) {
            throw new IllegalArgumentException("format must be PNG or JPG, found null");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1 (1 = no batching), found " + batchSize);
        }
        options(strength, preserveColors, maxSize, tileSize, tileOverlap); // StyleModel.Options validates the rest
    }

    /** Settings with the defaults of {@code StyleModel.Options.DEFAULT}, PNG output and the default batch size. */
    public static StylizeSettings of(String model) {
        StyleModel.Options d = StyleModel.Options.DEFAULT;
        return new StylizeSettings(model, d.strength(), d.preserveColors(), d.maxSize(), d.tileSize(), d.tileOverlap(),
                OutputFormat.PNG, DEFAULT_BATCH_SIZE);
    }

    /** Returns the options of {@code StyleModel.stylize} these settings stand for. */
    public StyleModel.Options options() {
        return options(strength, preserveColors, maxSize, tileSize, tileOverlap);
    }

    private static StyleModel.Options options(double strength, boolean preserveColors, int maxSize, int tileSize,
                                              int tileOverlap) {
        return new StyleModel.Options(strength, preserveColors, maxSize, tileSize, tileOverlap);
    }

    /** Returns a copy with other stylize options. */
    public StylizeSettings withOptions(StyleModel.Options o) {
        return new StylizeSettings(model, o.strength(), o.preserveColors(), o.maxSize(), o.tileSize(), o.tileOverlap(),
                format, batchSize);
    }

    /** Returns a copy with another output format. */
    public StylizeSettings withFormat(OutputFormat f) {
        return new StylizeSettings(model, strength, preserveColors, maxSize, tileSize, tileOverlap, f, batchSize);
    }

    /** Returns a copy with another batch size. */
    public StylizeSettings withBatchSize(int b) {
        return new StylizeSettings(model, strength, preserveColors, maxSize, tileSize, tileOverlap, format, b);
    }
}
