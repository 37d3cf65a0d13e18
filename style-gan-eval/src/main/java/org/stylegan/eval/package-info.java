/**
 * Judges style-transfer results with measures the trainer does not optimise.
 *
 * <p>{@link org.stylegan.eval.StyleEvaluator} takes a style image, a content photo and an output as
 * {@link java.awt.image.BufferedImage}s and returns an {@link org.stylegan.eval.Evaluation}: content preservation
 * (luminance SSIM, edge agreement), a palette ratio (colour distributions) and texture ratios at several patch
 * scales (filter-bank statistics and nearest-patch distance), each texture and palette figure a ratio
 * {@code D(output, style) / D(content, style)}, plus a summary score for checkpoint selection.
 * {@link org.stylegan.eval.EvaluationSet} lists the repository's evaluation set of styles and held-out photos.
 *
 * <p>Plain Java, no ND4J: the trainer in style-gan-core can use it without a dependency cycle. Definitions,
 * ranges and the sanity checks: {@code docs/evaluation.md}.
 */
package org.stylegan.eval;
