package org.lstm4j.nn.rnn;

/** The recurrence of a layer: how many gate blocks of size H its weights hold, and PyTorch's mode name. */
public enum CellType {
    LSTM(4),
    GRU(3),
    RNN_TANH(1),
    RNN_RELU(1);

    private final int gateBlocks;

    CellType(int gateBlocks) {
        this.gateBlocks = gateBlocks;
    }

    /** 4 for LSTM (i, f, g, o), 3 for GRU (r, z, n), 1 for a plain RNN. */
    public int gateBlocks() {
        return gateBlocks;
    }
}
