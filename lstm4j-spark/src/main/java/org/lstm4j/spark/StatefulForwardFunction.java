package org.lstm4j.spark;

import java.io.Serializable;
import org.lstm4j.nn.RecurrentOutput;
import org.lstm4j.nn.RecurrentState;
import org.lstm4j.tensor.Tensor;

/**
 * A recurrent model's forward pass from a given state to its outputs and final state, for truncated BPTT
 * ({@link SparkTrainer#truncatedBptt}), e.g. {@code CharLanguageModel::forward}. The state is null at the start
 * of an epoch (zeros, as {@link org.lstm4j.train.TruncatedBptt} starts), else the rows of the previous batch's
 * final state that this partition's share continues. Serializable because every partition runs it.
 *
 * @param <M> the model type
 */
@FunctionalInterface
public interface StatefulForwardFunction<M> extends Serializable {
    RecurrentOutput forward(M model, Tensor inputs, RecurrentState state);
}
