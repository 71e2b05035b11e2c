package org.lstm4j.nn;

import org.lstm4j.tensor.Tensor;

/** One plain RNN step, {@code torch.nn.RNNCell}, nonlinearity "tanh" (default) or "relu": returns h'. */
public class RNNCell extends RNNCellBase {

    public RNNCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, "tanh");
    }

    public RNNCell(int inputSize, int hiddenSize, boolean bias, String nonlinearity) {
        super(RNN.cellType(nonlinearity), inputSize, hiddenSize, bias);
    }

    public Tensor forward(Tensor input) {
        return forward(input, null);
    }

    /** @param h (B, H), (H) for unbatched input, or null for zeros */
    public Tensor forward(Tensor input, Tensor h) {
        return step(input, h, null)[0];
    }
}
