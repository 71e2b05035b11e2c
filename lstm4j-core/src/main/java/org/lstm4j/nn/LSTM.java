package org.lstm4j.nn;

import org.lstm4j.nn.rnn.CellType;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/**
 * Long short-term memory layer, {@code torch.nn.LSTM}: gates i, f, g, o; optional projection
 * ({@code projSize}, weights {@code weight_hr_l*}).
 */
public class LSTM extends RNNBase {

    public LSTM(int inputSize, int hiddenSize) {
        this(builder(inputSize, hiddenSize).options());
    }

    public LSTM(RNNOptions options) {
        this(options, null);
    }

    /** With its own generator for initialisation and dropout (null: the process-wide default). */
    public LSTM(RNNOptions options, Generator generator) {
        super(CellType.LSTM, options, generator);
    }

    public static RNNOptions.Builder<LSTM> builder(int inputSize, int hiddenSize) {
        return new RNNOptions.Builder<>("LSTM", LSTM::new, inputSize, hiddenSize);
    }

    /**
     * A snapshot of this LSTM's weights for serving one sequence a step at a time, with its state carried
     * between calls ({@link LSTMStream}); unidirectional, without projection.
     */
    public LSTMStream stream() {
        return new LSTMStream(this);
    }

    /** {@code lstm(input, (h0, c0))}. */
    public RecurrentOutput forward(Tensor input, Tensor h0, Tensor c0) {
        return forward(input, new RecurrentState(h0, c0));
    }
}
