package org.stylegan.core.net;

import java.util.LinkedHashMap;
import java.util.Map;
import org.stylegan.core.internal.ConfigJson;

/**
 * Architecture of a {@link Generator}: a Johnson et al. transformer network.
 *
 * <p>Layout (defaults in brackets): 9x9 conv to {@code baseFilters} [32]; {@code downsamplings} [2] stride-2 3x3
 * convs doubling the filters (64, 128); {@code residualBlocks} [5] blocks (3x3 conv, norm, ReLU, 3x3 conv, norm,
 * add); as many x2 upsampling steps halving the filters (64, 32); 9x9 conv to 3 channels; tanh. Every conv but the
 * last is followed by {@code normalization} [INSTANCE] and ReLU. The defaults are exactly the reference network
 * of {@code torch_reference.py} (1,679,235 parameters).
 *
 * @param baseFilters    filters of the first conv, >= 1
 * @param downsamplings  stride-2 convs (and upsampling steps), 0..6; input sides must be divisible by 2^this
 * @param residualBlocks residual blocks at the bottleneck, >= 0
 * @param normalization  normalization after each inner conv
 * @param padding        border handling of every conv
 * @param upsampling     upsampling method
 * @param seed           weight-initialisation seed
 */
public record GeneratorConfig(int baseFilters, int downsamplings, int residualBlocks, Normalization normalization,
                              Padding padding, Upsampling upsampling, long seed) {

    /** Format of {@link #toJson()}. */
    public static final int JSON_VERSION = 1;

    /** Validates every field; messages name the field, the value and the fix. */
    public GeneratorConfig {
        if (baseFilters < 1) {
            throw new IllegalArgumentException("baseFilters must be >= 1, found " + baseFilters);
        }
        if (downsamplings < 0 || downsamplings > 6) {
            throw new IllegalArgumentException("downsamplings must be in 0..6, found " + downsamplings);
        }
        if ((long) baseFilters << downsamplings > 4096) {
            throw new IllegalArgumentException("baseFilters * 2^downsamplings must be <= 4096, found "
                    + ((long) baseFilters << downsamplings) + "; use fewer filters or downsamplings");
        }
        if (residualBlocks < 0) {
            throw new IllegalArgumentException("residualBlocks must be >= 0, found " + residualBlocks);
        }
        if (normalization == null) {
            throw new IllegalArgumentException("normalization must not be null");
        }
        if (padding == null) {
            throw new IllegalArgumentException("padding must not be null");
        }
        if (upsampling == null) {
            throw new IllegalArgumentException("upsampling must not be null");
        }
    }

    /** Returns a copy with another weight-initialisation seed. */
    public GeneratorConfig withSeed(long v) {
        return new GeneratorConfig(baseFilters, downsamplings, residualBlocks, normalization, padding, upsampling, v);
    }

    /** Returns the reference configuration (see the class javadoc) with seed 42. */
    public static GeneratorConfig defaults() {
        return new GeneratorConfig(32, 2, 5, Normalization.INSTANCE, Padding.REFLECTION, Upsampling.NEAREST_CONV, 42);
    }

    /** Returns the factor input height and width must be divisible by: 2^downsamplings. */
    public int sizeMultiple() {
        return 1 << downsamplings;
    }

    /** Returns the smallest input side this generator accepts. */
    public int minimumSize() {
        // 9x9 reflection padding needs sides > 4; the bottleneck's 3x3 reflection padding needs sides >= 2.
        int m = Math.max(2 * sizeMultiple(), 5);
        return (m + sizeMultiple() - 1) / sizeMultiple() * sizeMultiple();
    }

    /** Serialises to a flat JSON object (with a {@code "version"} field). */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", JSON_VERSION);
        m.put("baseFilters", baseFilters);
        m.put("downsamplings", downsamplings);
        m.put("residualBlocks", residualBlocks);
        m.put("normalization", normalization.name());
        m.put("padding", padding.name());
        m.put("upsampling", upsampling.name());
        m.put("seed", seed);
        return ConfigJson.write(m);
    }

    /** Parses {@link #toJson()} output; missing fields take the defaults, bad values throw with the field name. */
    public static GeneratorConfig fromJson(String json) {
        Map<String, Object> m = ConfigJson.read(json, "generator config");
        int version = ConfigJson.getInt(m, "version", JSON_VERSION);
        if (version != JSON_VERSION) {
            throw new IllegalArgumentException("generator config: expected version " + JSON_VERSION
                    + ", found " + version);
        }
        GeneratorConfig d = defaults();
        return new GeneratorConfig(
                ConfigJson.getInt(m, "baseFilters", d.baseFilters),
                ConfigJson.getInt(m, "downsamplings", d.downsamplings),
                ConfigJson.getInt(m, "residualBlocks", d.residualBlocks),
                ConfigJson.getEnum(m, "normalization", Normalization.class, d.normalization),
                ConfigJson.getEnum(m, "padding", Padding.class, d.padding),
                ConfigJson.getEnum(m, "upsampling", Upsampling.class, d.upsampling),
                ConfigJson.getLong(m, "seed", d.seed));
    }
}
