/**
 * Training: {@link org.stylegan.core.train.GanTrainer} alternates discriminator and generator updates over a
 * {@link org.stylegan.core.train.ContentSource} and style images, as configured by the immutable
 * {@link org.stylegan.core.train.TrainerConfig}, and reports each step to
 * {@link org.stylegan.core.train.TrainingListener}s as an immutable {@link org.stylegan.core.train.StepEvent}.
 * The step's phases are small package-private classes: {@code DiscriminatorStep}, {@code GeneratorObjective}
 * (with {@code LossWeighting}, the auto-balanced weights of the losses module's composition), {@code StyleTargets},
 * {@code DivergenceGuard}, {@code MemoryPolicy}, {@code LearningRates}, {@code ContentFeed} and
 * {@code CheckpointWriter}; {@link org.stylegan.core.train.TrainingArchive} is the one codec of model and
 * checkpoint files.
 *
 * <p>May use: {@code core.net}, {@code core.internal}, and the io and losses modules; never {@code core}.
 */
package org.stylegan.core.train;
