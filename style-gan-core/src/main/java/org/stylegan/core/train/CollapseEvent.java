package org.stylegan.core.train;

/**
 * A collapse the trainer recovered from; immutable. The collapse guard saw it in the generated batch or the
 * discriminator loss of step {@code step}, restored every network to the snapshot taken after
 * {@code restoredTo} steps and halved both learning rates.
 *
 * @param step            0-based index of the step whose output (or discriminator loss) showed the collapse
 * @param kind            {@code FLAT} (one flat colour), {@code SATURATED} (all black or white) or
 *                        {@code DISCRIMINATOR_WON} (D loss near 0 for many steps in a row)
 * @param restoredTo      steps done when the snapshot rolled back to was taken
 * @param lrGenerator     the generator's learning rate from now on
 * @param lrDiscriminator the discriminator's learning rate from now on (NaN without a discriminator)
 */
public record CollapseEvent(int step, String kind, int restoredTo, double lrGenerator, double lrDiscriminator) {
}
