package org.lstm4j.train;

/**
 * A completed epoch.
 *
 * @param epoch          1-based
 * @param step           optimisation steps taken when it ended
 * @param trainLoss      mean training loss per example over the epoch (each batch's loss weighted by its size)
 * @param examples       training examples seen in the epoch
 * @param epochSeconds   training wall time of the epoch (validation excluded; summed across a resume)
 * @param elapsedSeconds training wall time since the run began, across resumes
 * @param validation     the evaluation after the epoch, or null without an evaluator
 */
public record EpochResult(int epoch, long step, double trainLoss, long examples, double epochSeconds,
        double elapsedSeconds, Evaluation validation) {

    /**
     * This result as a training history keeps it: the validation's confusion matrix dropped (a history entry
     * per epoch would otherwise hold one per epoch, in every checkpoint).
     */
    public EpochResult withoutConfusion() {
        return validation == null ? this : new EpochResult(epoch, step, trainLoss, examples, epochSeconds,
                elapsedSeconds, validation.withoutConfusion());
    }

    /** Training examples per second of training wall time in this epoch. */
    public double examplesPerSecond() {
        return examples / epochSeconds;
    }
}
