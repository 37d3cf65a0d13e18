/**
 * Hand-written DL4J layers, <b>not API</b>: NHWC convolution on oneDNN, instance normalization, reflection padding,
 * resize-convolution, residual add, layout permutes, and their native kernels and buffer pool. DL4J 1.0.0-M2.1
 * has no instance norm or reflection padding, and its {@code SameDiffLayer} doubles gradients, so these are plain
 * layers with hand-written backward passes, each with a finite-difference gradient check.
 *
 * <p>Their class names are written into model files ({@code configuration.json}): they are frozen, and a golden
 * model file in the tests proves that old files keep loading. May use: DL4J and ND4J only, no other package of
 * style-gan.
 */
package org.stylegan.core.nn;
