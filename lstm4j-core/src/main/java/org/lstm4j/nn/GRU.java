package org.lstm4j.nn;

import org.lstm4j.nn.rnn.CellType;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/** Gated recurrent unit layer, {@code torch.nn.GRU}: gates r, z, n with {@code b_hn} inside the reset product. */
public class GRU extends RNNBase {

    public GRU(int inputSize, int hiddenSize) {
        this(builder(inputSize, hiddenSize).options());
    }

    public GRU(RNNOptions options) {
        this(options, null);
    }

    /** With its own generator for initialisation and dropout (null: the process-wide default). */
    public GRU(RNNOptions options, Generator generator) {
        super(CellType.GRU, options, generator);
    }

    public static RNNOptions.Builder<GRU> builder(int inputSize, int hiddenSize) {
        return new RNNOptions.Builder<>("GRU", GRU::new, inputSize, hiddenSize);
    }

    /** {@code gru(input, h0)}. */
    public RecurrentOutput forward(Tensor input, Tensor h0) {
        return forward(input, RecurrentState.of(h0));
    }
}
