package org.lstm4j.nn;

import org.lstm4j.tensor.Tensor;

/**
 * What a recurrent layer returns: the top layer's output at every step, (T, B, D·H_out) or (B, T, D·H_out)
 * with batchFirst, and the final state of every layer and direction (PyTorch's {@code output, (h_n, c_n)}).
 */
public record RecurrentOutput(Tensor output, Tensor hN, Tensor cN) {

    /** The final state, to feed into the next call. */
    public RecurrentState state() {
        return new RecurrentState(hN, cN);
    }
}
