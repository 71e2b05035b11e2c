package org.lstm4j.train;

/**
 * One optimisation step just taken.
 *
 * @param step           steps taken so far, this one included (1-based, counted across epochs and resumes)
 * @param totalSteps     the steps the run will take in all (epochs × batches, capped by the step limit)
 * @param epoch          the epoch this step belongs to, 1-based
 * @param batchInEpoch   this step's batch within its epoch, 1-based
 * @param batchesPerEpoch batches in one epoch
 * @param loss           the step's training loss (before the update)
 * @param batchSize      examples in the batch
 * @param lr             the learning rate the update used
 * @param elapsedSeconds training wall time so far, across resumes (validation excluded)
 */
public record StepEvent(long step, long totalSteps, int epoch, int batchInEpoch, int batchesPerEpoch, float loss,
        int batchSize, double lr, double elapsedSeconds) {}
