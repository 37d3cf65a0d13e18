/**
 * DL4J plumbing, <b>not API</b>: public only so that the other core packages and the benchmarks can reach it; it
 * may change in any release.
 *
 * <p>{@link org.stylegan.core.internal.TrainableGraph} drives a {@code ComputationGraph} step by step (forward,
 * backward of an external loss gradient with the input gradient a GAN needs, optimizer step) with reused pass
 * buffers; {@link org.stylegan.core.internal.FastPath} turns on DL4J's oneDNN layer helpers, which 1.0.0-M2.1
 * leaves off; {@link org.stylegan.core.internal.GradientCopy} and {@link org.stylegan.core.internal.ConfigJson}
 * are small helpers of those.
 *
 * <p>May use: {@code core.nn} only.
 */
package org.stylegan.core.internal;
