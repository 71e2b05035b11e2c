package org.lstm4j.train;

/** Measures a model on held-out data, e.g. {@link ClassificationEvaluator}; called by the trainer after each epoch. */
@FunctionalInterface
public interface Evaluator {
    /** One pass over the data, in eval mode and without recording gradients. */
    Evaluation evaluate();
}
