package org.lstm4j.nn;

import org.lstm4j.nn.rnn.CellType;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/** Plain (Elman) recurrent layer, {@code torch.nn.RNN}, with nonlinearity "tanh" (default) or "relu". */
public class RNN extends RNNBase {

    public RNN(int inputSize, int hiddenSize) {
        this(builder(inputSize, hiddenSize).options());
    }

    public RNN(RNNOptions options) {
        this(options, null);
    }

    /** With its own generator for initialisation and dropout (null: the process-wide default). */
    public RNN(RNNOptions options, Generator generator) {
        super(cellType(java.util.Objects.requireNonNull(options, "options").nonlinearity()), options, generator);
    }

    public static RNNOptions.Builder<RNN> builder(int inputSize, int hiddenSize) {
        return new RNNOptions.Builder<>("RNN", RNN::new, inputSize, hiddenSize);
    }

    static CellType cellType(String nonlinearity) {
        java.util.Objects.requireNonNull(nonlinearity, "nonlinearity");
        if ("tanh".equals(nonlinearity)) {
            return CellType.RNN_TANH;
        }
        if ("relu".equals(nonlinearity)) {
            return CellType.RNN_RELU;
        }
        throw new IllegalArgumentException("RNN: unknown nonlinearity '" + nonlinearity + "'; expected 'tanh' or 'relu'");
    }

    /** {@code rnn(input, h0)}. */
    public RecurrentOutput forward(Tensor input, Tensor h0) {
        return forward(input, RecurrentState.of(h0));
    }
}
