package org.lstm4j.nn;

import org.lstm4j.nn.rnn.CellType;
import org.lstm4j.tensor.Tensor;

/** One LSTM step, {@code torch.nn.LSTMCell}: returns (h', c'). */
public class LSTMCell extends RNNCellBase {

    public LSTMCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true);
    }

    public LSTMCell(int inputSize, int hiddenSize, boolean bias) {
        super(CellType.LSTM, inputSize, hiddenSize, bias);
    }

    /** From a zero state. */
    public RecurrentState forward(Tensor input) {
        return forward(input, null);
    }

    /** @param state (h, c), each (B, H) or (H) for unbatched input; null for zeros */
    public RecurrentState forward(Tensor input, RecurrentState state) {
        if (state != null && (state.h() == null || state.c() == null)) {
            throw new IllegalArgumentException("LSTMCell: the state needs both h and c");
        }
        Tensor[] out = step(input, state == null ? null : state.h(), state == null ? null : state.c());
        return new RecurrentState(out[0], out[1]);
    }
}
