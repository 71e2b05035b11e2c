package org.lstm4j.spark;

/**
 * What one {@link SparkTrainer#fit} did.
 *
 * @param step         optimisation steps done in all (across resumes)
 * @param epochsDone   completed epochs in all
 * @param steps        steps taken by this fit
 * @param lastLoss     the loss of the last step (NaN if none)
 * @param seconds      training wall time of this fit (checkpoints excluded)
 * @param bytesPerStep mean payload bytes moved per step ({@link SparkStepEvent#totalBytes()})
 * @param retriedTasks tasks whose result came from a retry
 */
public record SparkTrainingSummary(long step, int epochsDone, long steps, float lastLoss, double seconds,
        long bytesPerStep, int retriedTasks) {

    /** Steps per second of this fit. */
    public double stepsPerSecond() {
        return seconds == 0 ? 0 : steps / seconds;
    }
}
