package org.lstm4j.spark;

import java.io.Serializable;
import org.lstm4j.nn.RecurrentState;
import org.lstm4j.tensor.Tensor;

/**
 * Some rows (streams) of the recurrent state truncated BPTT carries from one batch to the next, as it travels
 * between the driver and a partition: h, and c for an LSTM, each (layers, rows, hidden) row-major, the layout
 * of {@link RecurrentState}'s tensors.
 *
 * @param h      the hidden state, layers × rows × hidden values
 * @param c      the cell state in the same layout, or null (GRU, RNN)
 * @param layers layers × directions
 * @param rows   the batch rows held
 * @param hidden values per layer and row
 */
record CarriedRows(float[] h, float[] c, int layers, int rows, int hidden) implements Serializable {

    CarriedRows {
        long size = (long) layers * rows * hidden;
        if (h.length != size || (c != null && c.length != size)) {
            throw new IllegalArgumentException("carried state of " + layers + " × " + rows + " × " + hidden + " values, got "
                    + h.length + (c == null ? "" : " and " + c.length));
        }
    }

    /** The values of a (detached) final state, copied. */
    static CarriedRows of(RecurrentState state) {
        int[] shape = state.h().shape();
        if (shape.length != 3) {
            throw new IllegalStateException("expected a recurrent state of shape (layers, batch, hidden), got h of rank "
                    + shape.length);
        }
        return new CarriedRows(state.h().data().clone(), state.c() == null ? null : state.c().data().clone(), shape[0],
                shape[1], shape[2]);
    }

    /** As the state a forward pass starts from (new tensors, outside any graph). */
    RecurrentState toState() {
        Tensor hTensor = Tensor.of(h.clone(), layers, rows, hidden);
        return new RecurrentState(hTensor, c == null ? null : Tensor.of(c.clone(), layers, rows, hidden));
    }

    /** The payload's size: 4 bytes per value. */
    long bytes() {
        return 4L * (h.length + (c == null ? 0 : c.length));
    }
}
