package org.stylegan.core.net;

import java.util.LinkedHashMap;
import java.util.Map;
import org.stylegan.core.internal.ConfigJson;

/**
 * Architecture of a {@link Discriminator}. Outputs are logits (no sigmoid).
 *
 * <p>{@link Type#PATCH_GAN} (pix2pix's NLayerDiscriminator, zero padding 1, LeakyReLU): a 4x4/2 conv to
 * {@code baseFilters} without normalization; {@code layers - 1} more 4x4/2 convs doubling the filters (capped at
 * 8x base) with normalization; one 4x4/1 conv doubling again, with normalization; a 4x4/1 conv to 1 channel. The
 * defaults (64 filters, 3 layers, instance norm, slope 0.2, patch output) are exactly the reference 70x70
 * PatchGAN (2,766,529 parameters).
 *
 * <p>{@link Type#RESNET}: a 3x3 conv to {@code baseFilters}, then {@code layers} residual down blocks
 * (3x3 conv, norm, LReLU, 4x4/2 conv, norm; 1x1/2 conv shortcut; add; LReLU) doubling the filters (capped at 8x
 * base), then a 3x3 conv to 1 channel.
 *
 * @param type          PATCH_GAN or RESNET
 * @param baseFilters   filters of the first conv, >= 1
 * @param layers        stride-2 stages, 1..8
 * @param normalization normalization of the inner convs
 * @param output        PATCH: [B, 1, h, w] logits; GLOBAL: their mean per image, [B, 1]
 * @param leakySlope    negative slope of the LeakyReLUs, in [0, 1)
 * @param seed          weight-initialisation seed
 */
public record DiscriminatorConfig(Type type, int baseFilters, int layers, Normalization normalization,
                                  Output output, double leakySlope, long seed) {

    /** Format of {@link #toJson()}. */
    public static final int JSON_VERSION = 1;

    /** Discriminator family. */
    public enum Type {
        /** Convolutional patch classifier (pix2pix). */
        PATCH_GAN,
        /** Residual blocks with stride-2 downsampling. */
        RESNET
    }

    /** Output shape. */
    public enum Output {
        /** One logit per patch: [B, 1, h, w]. */
        PATCH,
        /** Mean of the patch logits: [B, 1]. */
        GLOBAL
    }

    /** Validates every field. */
    public DiscriminatorConfig {
        if (type == null) {
            throw new IllegalArgumentException("type must not be null");
        }
        if (baseFilters < 1) {
            throw new IllegalArgumentException("baseFilters must be >= 1, found " + baseFilters);
        }
        if (layers < 1 || layers > 8) {
            throw new IllegalArgumentException("layers must be in 1..8, found " + layers);
        }
        if (normalization == null) {
            throw new IllegalArgumentException("normalization must not be null");
        }
        if (output == null) {
            throw new IllegalArgumentException("output must not be null");
        }
        if (!(leakySlope >= 0 && leakySlope < 1)) {
            throw new IllegalArgumentException("leakySlope must be in [0, 1), found " + leakySlope);
        }
    }

    /** Returns a copy with another weight-initialisation seed. */
    public DiscriminatorConfig withSeed(long v) {
        return new DiscriminatorConfig(type, baseFilters, layers, normalization, output, leakySlope, v);
    }

    /** Returns the reference 70x70 PatchGAN configuration with seed 42. */
    public static DiscriminatorConfig defaults() {
        return new DiscriminatorConfig(Type.PATCH_GAN, 64, 3, Normalization.INSTANCE, Output.PATCH, 0.2, 42);
    }

    /** Returns the output height (or width) for an input side, or a value below 1 when the input is too small. */
    public long outputSize(long side) {
        long s = side;
        if (type == Type.PATCH_GAN) {
            for (int i = 0; i < layers; i++) {
                s = Math.floorDiv(s + 2 - 4, 2) + 1;
            }
            return s - 2; // two 4x4 stride-1 convs with padding 1
        }
        for (int i = 0; i < layers; i++) {
            s = Math.floorDiv(s + 2 - 4, 2) + 1;
        }
        return s;
    }

    /** Returns the smallest input side with an output of at least 1x1. */
    public int minimumSize() {
        int s = 1;
        while (outputSize(s) < 1 || (type == Type.RESNET && s < 1 << layers)) {
            s++;
        }
        return s;
    }

    /** Serialises to a flat JSON object (with a {@code "version"} field). */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", JSON_VERSION);
        m.put("type", type.name());
        m.put("baseFilters", baseFilters);
        m.put("layers", layers);
        m.put("normalization", normalization.name());
        m.put("output", output.name());
        m.put("leakySlope", leakySlope);
        m.put("seed", seed);
        return ConfigJson.write(m);
    }

    /** Parses {@link #toJson()} output; missing fields take the defaults. */
    public static DiscriminatorConfig fromJson(String json) {
        Map<String, Object> m = ConfigJson.read(json, "discriminator config");
        int version = ConfigJson.getInt(m, "version", JSON_VERSION);
        if (version != JSON_VERSION) {
            throw new IllegalArgumentException("discriminator config: expected version " + JSON_VERSION
                    + ", found " + version);
        }
        DiscriminatorConfig d = defaults();
        return new DiscriminatorConfig(
                ConfigJson.getEnum(m, "type", Type.class, d.type),
                ConfigJson.getInt(m, "baseFilters", d.baseFilters),
                ConfigJson.getInt(m, "layers", d.layers),
                ConfigJson.getEnum(m, "normalization", Normalization.class, d.normalization),
                ConfigJson.getEnum(m, "output", Output.class, d.output),
                ConfigJson.getDouble(m, "leakySlope", d.leakySlope),
                ConfigJson.getLong(m, "seed", d.seed));
    }
}
