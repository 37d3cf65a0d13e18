package org.stylegan.core;

import java.time.Duration;
import java.util.Locale;

/**
 * Named starting recipes for {@link StyleTransfer.Builder#preset(Preset)}: every setting a preset uses is an
 * ordinary builder setting, so anything set after {@code preset(...)} overrides it. The library's defaults
 * ({@code TrainerConfig}) do not change; a preset is always explicit.
 *
 * <p>Both presets are the reference recipe of the second quality experiment (shared notes, "a multi-scale patch GAN
 * moves brushwork"), a pyramid of 3 PatchGAN discriminators (1, 1/2, 1/4 of the crop), style 10, tv 0.1, batch 2,
 * Adam 1e-3 for the generator and 2e-4 for the discriminators, with three changes the evaluator and the grids agreed
 * on (docs/quality.md): adversarial weight 0.1 instead of 0.3 and content weight 3 instead of 1 (the photo fades
 * less), and training crops cut from photos at 256 px instead of whole photos shrunk to the crop (strokes learned
 * at the size they are used at). Both train the default generator
 * ({@link org.stylegan.core.train.TrainerConfig#smallGenerator()}: 16 filters, 3 residual blocks).
 */
public enum Preset {
    /**
     * The quick start's recipe: the GAN on (gamma 0.1, 3 discriminator scales) at 96 px crops of photos at 256 px
     * (the discriminator sees the whole crop, 96/48/24 px), 600 steps within a 180 s training budget, so build and
     * training fit about five minutes on 2 cores.
     */
    FAST(96, 96, 600, 0, Duration.ofSeconds(180)),
    /**
     * The longer recipe: 128 px crops of photos at 256 px, judged at 128/64/32 px, 1500 steps (about 13 minutes on
     * an idle 2-core machine) within a 30 minute budget, the generator evaluated every 250 steps (on
     * {@link StyleTransfer.Builder#heldOut} or the first training crop) and the best kept.
     */
    QUALITY(128, 128, 1500, 250, Duration.ofMinutes(30));

    /** Discriminator pyramid levels of both presets. */
    public static final int DISCRIMINATOR_SCALES = 3;
    /** Adversarial weight of both presets (of the auto-balanced term). */
    public static final double GAMMA = 0.1;
    /** Total-variation weight of both presets (of the auto-balanced term). */
    public static final double TV = 0.1;
    /** Content weight of both presets. */
    public static final double ALPHA = 3;
    /** Style weight of both presets. */
    public static final double BETA = 10;
    /**
     * Shorter side both presets resize training photos to before the crop: the size the evaluator works at and the
     * style image's (styleSize 256), so the strokes learned have the size they get on a 256 px picture.
     */
    public static final int PHOTO_SIZE = 256;
    /** Content crops per step of both presets. */
    public static final int BATCH = 2;
    /** Generator learning rate of both presets. */
    public static final double LR_GENERATOR = 1e-3;
    /** Discriminator learning rate of both presets. */
    public static final double LR_DISCRIMINATOR = 2e-4;

    private final int imageSize;
    private final int discriminatorCrop;
    private final int steps;
    private final int evaluateEvery;
    private final Duration timeLimit;

    Preset(int imageSize, int discriminatorCrop, int steps, int evaluateEvery, Duration timeLimit) {
        this.imageSize = imageSize;
        this.discriminatorCrop = discriminatorCrop;
        this.steps = steps;
        this.evaluateEvery = evaluateEvery;
        this.timeLimit = timeLimit;
    }

    /** The training crop side. */
    public int imageSize() {
        return imageSize;
    }

    /** The discriminator's crop side (level 0 of the pyramid). */
    public int discriminatorCrop() {
        return discriminatorCrop;
    }

    /** The steps. */
    public int steps() {
        return steps;
    }

    /** Steps between evaluations, 0 = none. */
    public int evaluateEvery() {
        return evaluateEvery;
    }

    /** The training time budget. */
    public Duration timeLimit() {
        return timeLimit;
    }

    /**
     * Parses a preset name, case-insensitively ({@code fast}, {@code quality}).
     *
     * @throws IllegalArgumentException naming the choices
     */
    public static Preset parse(String name) {
        for (Preset p : values()) {
            if (p.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("preset must be fast or quality, found '" + name + "'");
    }

    /** Sets every value of this preset on {@code b}. */
    void applyTo(StyleTransfer.Builder b) {
        b.steps(steps).imageSize(imageSize).photoSize(PHOTO_SIZE).discriminatorCrop(discriminatorCrop).batchSize(BATCH)
                .alpha(ALPHA).beta(BETA).gamma(GAMMA).tv(TV).autoBalance(true)
                .discriminatorScales(DISCRIMINATOR_SCALES).lrGenerator(LR_GENERATOR).lrDiscriminator(LR_DISCRIMINATOR)
                .evaluateEvery(evaluateEvery).timeLimit(timeLimit);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
