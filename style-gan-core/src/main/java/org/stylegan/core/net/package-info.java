/**
 * The networks: {@link org.stylegan.core.net.Generator} (encoder, residual blocks, decoder),
 * {@link org.stylegan.core.net.Discriminator} (PatchGAN or ResNet-style) and the fixed
 * {@link org.stylegan.core.net.FeatureExtractor} of the perceptual losses, with their immutable configs.
 *
 * <p>A network holds its DL4J graph ({@code engine()}, internal) rather than being one, so its public API is what
 * users need: config, inference output, parameter count, the DL4J graph for export.
 *
 * <p>May use: {@code core.internal} and {@code core.nn}; never {@code core} or {@code core.train}.
 */
package org.stylegan.core.net;
