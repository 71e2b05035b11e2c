package org.lstm4j.train;

/**
 * The figures of one pass over held-out data.
 *
 * @param loss      mean loss per example
 * @param accuracy  top-1 accuracy as a fraction in [0, 1], or NaN when the task has no classes
 * @param examples  examples evaluated
 * @param seconds   wall time of the pass
 * @param confusion the confusion matrix, or null when the task has no classes (not kept in checkpoints)
 */
public record Evaluation(double loss, double accuracy, long examples, double seconds, ConfusionMatrix confusion) {

    /** The same figures without the confusion matrix (what the training history keeps). */
    public Evaluation withoutConfusion() {
        return new Evaluation(loss, accuracy, examples, seconds, null);
    }
}
