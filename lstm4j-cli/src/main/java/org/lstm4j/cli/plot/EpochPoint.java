package org.lstm4j.cli.plot;

/**
 * One epoch of a classification run, as the curve plots read it.
 *
 * <p>Units: {@code trainLoss} is the mean training loss of the epoch (e.g. cross-entropy, never negative);
 * {@code testAccuracy} is a <em>fraction</em> in [0, 1] (correct / total), which the plots show in percent;
 * {@code elapsedSeconds} is the wall time from the start of training to the end of this epoch (its
 * evaluation included, if the caller wants it counted).
 *
 * <p>{@code NaN} in {@code trainLoss} or {@code testAccuracy} means "not measured at this epoch" (no
 * training loss at an epoch-0 evaluation before any training, a test evaluation only every few epochs):
 * that chart leaves the point out and the line joins the measured neighbours. Infinite values, negative
 * losses, accuracies outside [0, 1] (a percentage such as 87.5 passed by mistake) and a negative or
 * non-finite elapsed time are rejected here with an {@link IllegalArgumentException}.
 *
 * @param epoch epoch number, at least 0 (0 = before training)
 * @param trainLoss mean training loss of the epoch, &ge; 0, or NaN
 * @param testAccuracy test accuracy as a fraction in [0, 1], or NaN
 * @param elapsedSeconds wall time since the start of training, &ge; 0
 */
public record EpochPoint(int epoch, double trainLoss, double testAccuracy, double elapsedSeconds) {
    public EpochPoint {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be at least 0, was " + epoch);
        }
        if (!Double.isNaN(trainLoss) && !(trainLoss >= 0 && trainLoss < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(
                    "trainLoss must be finite and at least 0 (NaN: not measured), was " + trainLoss + " at epoch " + epoch);
        }
        if (!Double.isNaN(testAccuracy) && !(testAccuracy >= 0 && testAccuracy <= 1)) {
            throw new IllegalArgumentException("testAccuracy is a fraction in [0, 1] (NaN: not measured), was "
                    + testAccuracy + " at epoch " + epoch + (testAccuracy > 1 && testAccuracy <= 100 ? " (a percentage?)" : ""));
        }
        if (!(elapsedSeconds >= 0 && elapsedSeconds < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(
                    "elapsedSeconds must be finite and at least 0, was " + elapsedSeconds + " at epoch " + epoch);
        }
    }
}
