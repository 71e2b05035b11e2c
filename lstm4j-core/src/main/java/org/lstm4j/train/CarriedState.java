package org.lstm4j.train;

import java.util.Map;
import org.lstm4j.tensor.Tensor;

/**
 * State a training run carries from one batch to the next besides the weights: the recurrent state of
 * truncated backpropagation through time ({@link TruncatedBptt}). The {@link Trainer} resets it at the start
 * of every epoch and saves it in checkpoints, so a resumed run continues each stream where it stood.
 */
public interface CarriedState {
    /** Back to the initial state, at the start of an epoch. */
    void reset();

    /** A copy of the state (empty right after a reset). */
    Map<String, Tensor> stateDict();

    /**
     * Continues from a state saved by {@link #stateDict()}.
     *
     * @throws IllegalArgumentException naming what does not match; nothing changes then
     */
    void loadStateDict(Map<String, Tensor> state);
}
