package org.lstm4j.nn.rnn;

import org.lstm4j.tensor.Tensor;

/**
 * The parameters of one layer and direction: W_ih (G·H, I), W_hh (G·H, P), optional biases (G·H) and,
 * for a projecting LSTM, W_hr (P, H). P is the projection size, or H without projection.
 */
public record LayerWeights(Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh, Tensor wHr) {
    public boolean hasBias() {
        return bIh != null;
    }
}
