package org.lstm4j.data;

import java.util.Objects;
import org.lstm4j.tensor.Tensor;

/**
 * A batch of examples: {@code inputs} of shape (size, ...) and the matching {@code targets} (class indices
 * as an {@link org.lstm4j.tensor.IndexTensor}, or values as a {@link Tensor}), one per example along the
 * first dimension.
 *
 * @param <T> the type of the targets
 */
public record Batch<T>(Tensor inputs, T targets) {

    public Batch {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(targets, "targets");
        if (inputs.dim() == 0) {
            throw new IllegalArgumentException("batch inputs need a first (batch) dimension, got a 0-d tensor");
        }
    }

    /** The number of examples: the inputs' first dimension. */
    public int size() {
        return inputs.size(0);
    }
}
