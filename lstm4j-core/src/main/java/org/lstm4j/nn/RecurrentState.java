package org.lstm4j.nn;

import org.lstm4j.tensor.Tensor;

/**
 * The state a recurrent layer carries between calls: {@code h} (numLayers·directions, B, H_out) and, for an
 * LSTM, the cell state {@code c} (numLayers·directions, B, H); {@code c} is null for GRU and RNN.
 */
public record RecurrentState(Tensor h, Tensor c) {

    /** A GRU or RNN state. */
    public static RecurrentState of(Tensor h) {
        return new RecurrentState(h, null);
    }

    /** The same values cut from the graph: carry it to the next window for truncated BPTT. */
    public RecurrentState detach() {
        return new RecurrentState(h == null ? null : h.detach(), c == null ? null : c.detach());
    }
}
