package org.lstm4j.nn;

import org.lstm4j.nn.rnn.CellType;
import org.lstm4j.tensor.Tensor;

/** One GRU step, {@code torch.nn.GRUCell}: returns h'. */
public class GRUCell extends RNNCellBase {

    public GRUCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true);
    }

    public GRUCell(int inputSize, int hiddenSize, boolean bias) {
        super(CellType.GRU, inputSize, hiddenSize, bias);
    }

    public Tensor forward(Tensor input) {
        return forward(input, null);
    }

    /** @param h (B, H), (H) for unbatched input, or null for zeros */
    public Tensor forward(Tensor input, Tensor h) {
        return step(input, h, null)[0];
    }
}
