package org.lstm4j.spark;

import java.io.Serializable;

/**
 * What one partition sends back for one step: the gradient of its share of the global batch, already
 * scaled by share size / global batch size, in {@link ParameterVector} layout.
 *
 * @param partition       the partition's index
 * @param gradient        the flattened gradient, or null for an empty share (nothing to add)
 * @param hasGradient     per parameter, whether the backward pass reached it (null with an empty share)
 * @param scaledLoss      the mean loss over the share × share size / global batch size (the shares add up to
 *                        the batch mean)
 * @param examples        the share's size
 * @param computeNanos    time spent in forward and backward on the executor
 * @param attempt         Spark's attempt number of the task that produced this (0 for the first attempt)
 * @param threads         the kernel threads the task used ({@code spark.task.cpus})
 * @param carried         with truncated BPTT, the share's rows' final state (detached), in share order; else null
 */
record ShareGradient(int partition, float[] gradient, boolean[] hasGradient, double scaledLoss, int examples,
        long computeNanos, int attempt, int threads, CarriedRows carried) implements Serializable {}
