package org.stylegan.io;

import java.awt.Color;
import java.util.Objects;

/**
 * How images are read: the pixel limit (decompression-bomb guard) and the background that transparent
 * pixels are composited on. Immutable; build with {@link #builder()}.
 *
 * @param maxPixels  images with more pixels (width x height) are refused before their pixels are decoded
 * @param background the opaque colour that alpha is composited on, as 0xRRGGBB
 */
public record ImageReadOptions(long maxPixels, int background) {
    /** System property that overrides the default pixel limit, e.g. {@code -Dstylegan.io.maxPixels=200000000}. */
    public static final String MAX_PIXELS_PROPERTY = "stylegan.io.maxPixels";
    /** The default pixel limit: 64 megapixels. */
    public static final long DEFAULT_MAX_PIXELS = 64L * 1000 * 1000;

    /** Validates the fields. */
    public ImageReadOptions {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be >= 1, found " + maxPixels);
        }
        background &= 0xFFFFFF;
    }

    /** The defaults: 64 megapixels (or {@value #MAX_PIXELS_PROPERTY}), white background. */
    public static ImageReadOptions defaults() {
        return builder().build();
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder for {@link ImageReadOptions}. */
    public static final class Builder {
        private long maxPixels = defaultMaxPixels();
        private int background = 0xFFFFFF;

        private Builder() {
        }

        /** Largest accepted width x height; default 64,000,000 or the system property {@value #MAX_PIXELS_PROPERTY}. */
        public Builder maxPixels(long maxPixels) {
            this.maxPixels = maxPixels;
            return this;
        }

        /** Background for transparent pixels as 0xRRGGBB; default white (0xFFFFFF). */
        public Builder background(int rgb) {
            this.background = rgb;
            return this;
        }

        /** Background for transparent pixels; default white. Its alpha is ignored. */
        public Builder background(Color color) {
            this.background = Objects.requireNonNull(color, "background").getRGB();
            return this;
        }

        /** Builds the validated options. */
        public ImageReadOptions build() {
            return new ImageReadOptions(maxPixels, background);
        }
    }

    private static long defaultMaxPixels() {
        String value = System.getProperty(MAX_PIXELS_PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_MAX_PIXELS;
        }
        try {
            return Long.parseLong(value.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property " + MAX_PIXELS_PROPERTY
                    + " must be a whole number of pixels, found '" + value + "'", e);
        }
    }
}
