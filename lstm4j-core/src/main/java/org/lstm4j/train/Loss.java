package org.lstm4j.train;

import org.lstm4j.tensor.Tensor;

/**
 * A training objective: the model's output and a target of type {@code T} in, a differentiable loss out
 * (0-d for the mean and sum reductions). {@link org.lstm4j.nn.MSELoss} takes {@link Tensor} targets,
 * {@link org.lstm4j.nn.CrossEntropyLoss} class indices ({@link org.lstm4j.tensor.IndexTensor}).
 *
 * @param <T> the target type
 */
@FunctionalInterface
public interface Loss<T> {
    /** The loss of {@code output} against {@code target}, recorded for backward when grad mode is on. */
    Tensor forward(Tensor output, T target);
}
