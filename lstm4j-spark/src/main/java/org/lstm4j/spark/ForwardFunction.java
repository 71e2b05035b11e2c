package org.lstm4j.spark;

import java.io.Serializable;
import org.lstm4j.tensor.Tensor;

/**
 * The model's forward pass, batch inputs to outputs, e.g. {@code RecurrentClassifier::forward}. Serializable
 * because every partition runs it.
 *
 * @param <M> the model type
 */
@FunctionalInterface
public interface ForwardFunction<M> extends Serializable {
    Tensor forward(M model, Tensor inputs);
}
