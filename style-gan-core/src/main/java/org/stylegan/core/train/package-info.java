/**
 * Training: {@link org.stylegan.core.train.GanTrainer} alternates discriminator and generator updates over a
 * {@link org.stylegan.core.train.ContentSource} and style images, as configured by the immutable
 * {@link org.stylegan.core.train.TrainerConfig}, and reports each step to
 * {@link org.stylegan.core.train.TrainingListener}s as an immutable {@link org.stylegan.core.train.StepEvent};
 * the step's phases (discriminator step, generator objective, style targets, divergence guard, checkpoints) are
 * small classes of this package.
 *
 * <p>May use: {@code core.net}, {@code core.internal}, and the io and losses modules; never {@code core}.
 */
package org.stylegan.core.train;
