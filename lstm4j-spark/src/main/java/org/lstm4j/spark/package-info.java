/**
 * Synchronous data-parallel training on Apache Spark that gives the parameters of single-process training.
 *
 * <p>{@link org.lstm4j.spark.SparkTrainer} draws each step's global batch from a seeded permutation (the
 * {@link org.lstm4j.data.DataLoader}'s), lets every partition compute the gradient of its share of that batch
 * with lstm4j (scaled so the shares add up to the batch mean), sums the gradients on the driver in partition
 * order, applies one optimizer update there and broadcasts the new parameters for the next step. Tasks run
 * with {@code spark.task.cpus} kernel threads each ({@link org.lstm4j.kernels.Parallelism#runWithThreads}).
 * {@link org.lstm4j.spark.SparkTrainer#truncatedBptt} does the same for truncated BPTT over parallel streams,
 * the driver carrying every stream's recurrent state and sending each partition its streams' rows every step.
 * Checkpoints go to any Hadoop-compatible path in lstm4j's {@link org.lstm4j.train.Checkpoint} format. See
 * {@code docs/spark.md}.
 */
package org.lstm4j.spark;
