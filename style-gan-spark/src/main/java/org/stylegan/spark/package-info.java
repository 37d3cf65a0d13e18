/**
 * Batch stylization on Apache Spark: {@link org.stylegan.spark.StyleTransformer}, a Spark ML {@code Transformer}
 * from image bytes (Spark's {@code binaryFile} source) to encoded PNG or JPEG bytes, and
 * {@link org.stylegan.spark.StylizeJob}, the {@code spark-submit} job that stylizes a folder into another with
 * deterministic names, resumable output and a Parquet manifest.
 *
 * <p>Both run the same per-partition code ({@link org.stylegan.spark.PartitionStylizer}): the model is loaded once
 * per executor JVM ({@link org.stylegan.spark.ModelCache}), each task thread borrows its own generator from the
 * model's pool, and a partition streams through in bounded batches. Spark is a provided dependency of this module
 * only; nothing here is used by style-gan-core or style-gan-io.
 */
package org.stylegan.spark;
