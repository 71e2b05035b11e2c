/**
 * The {@code --spark MASTER} option of {@code classify} and {@code charlm train}: the same run (model,
 * optimizer, schedule, data order, evaluation, checkpoints, output) with each step's gradient computed on
 * Spark by {@link org.lstm4j.spark.SparkTrainer}, through {@link org.lstm4j.spark.SparkDatasetTraining}
 * (whose signatures hold no Spark type, so the command compiles and starts without Spark). Nothing here trains:
 * it builds the job the single-process run describes and reports its events to the same listeners. Spark must
 * be on the class path at run time: {@code ./lstm4j} adds it when it sees {@code --spark}, and
 * {@code spark-submit} brings the cluster's. See {@code docs/spark.md}.
 */
package org.lstm4j.cli.spark;
