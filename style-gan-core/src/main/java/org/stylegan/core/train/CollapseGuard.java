package org.stylegan.core.train;

import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Tells when training has collapsed, so the trainer can roll back to its last good state and go on with lower
 * learning rates instead of spending the rest of the run on a dead generator.
 *
 * <p>Collapse is any of: an output that is (nearly) one flat colour, black or white ({@link Collapse#FLAT}:
 * per-image standard deviation below {@code minStd} in [-1, 1] units, or {@link Collapse#SATURATED}: per-image
 * mean beyond ±{@code maxAbsMean}); or a discriminator that has won outright ({@link Collapse#DISCRIMINATOR_WON}:
 * its loss below {@code minDiscriminatorLoss} for {@code patience} steps in a row, when the generator gets no
 * useful adversarial signal any more). Divergence to NaN or infinity is not collapse: the
 * {@link DivergenceGuard} stops training on it, since its cause is a setting, not bad luck.
 */
final class CollapseGuard {
    /** What kind of collapse was seen. */
    enum Collapse {
        /** The output has (nearly) no contrast: one flat colour. */
        FLAT,
        /** The output is (nearly) all black or all white. */
        SATURATED,
        /** The discriminator's loss stayed near 0: it tells every fake from every real crop. */
        DISCRIMINATOR_WON
    }

    /** Per-image standard deviation below which an output counts as flat (2.5 of 255 levels). */
    static final double MIN_STD = 0.02;
    /** Per-image mean beyond which an output counts as black or white. */
    static final double MAX_ABS_MEAN = 0.92;
    /** Discriminator loss (real + fake) below which it counts as having won. */
    static final double MIN_DISCRIMINATOR_LOSS = 0.02;
    /** Steps in a row the discriminator must have won. */
    static final int PATIENCE = 20;

    private int discriminatorWins;

    /**
     * Checks one step: its generated batch [B, 3, H, W] in [-1, 1] and its discriminator loss (NaN when there was
     * no discriminator step). Returns the collapse seen, if any; a FLAT or SATURATED image anywhere in the batch
     * counts.
     */
    Optional<Collapse> check(INDArray generated, double discriminatorLoss) {
        long b = generated.size(0);
        INDArray flat = generated.reshape(b, generated.length() / b);
        INDArray std = flat.std(true, 1);
        INDArray mean = flat.mean(1);
        try {
            for (long i = 0; i < b; i++) {
                if (std.getDouble(i) < MIN_STD) {
                    return Optional.of(Collapse.FLAT);
                }
                if (Math.abs(mean.getDouble(i)) > MAX_ABS_MEAN) {
                    return Optional.of(Collapse.SATURATED);
                }
            }
        } finally {
            std.close();
            mean.close();
        }
        if (discriminatorLoss < MIN_DISCRIMINATOR_LOSS) {
            discriminatorWins++;
        } else {
            discriminatorWins = 0; // NaN (no D step) also resets: only consecutive wins count
        }
        if (discriminatorWins >= PATIENCE) {
            discriminatorWins = 0;
            return Optional.of(Collapse.DISCRIMINATOR_WON);
        }
        return Optional.empty();
    }

    /** Forgets the discriminator's streak (after a rollback the networks are other ones). */
    void reset() {
        discriminatorWins = 0;
    }
}
