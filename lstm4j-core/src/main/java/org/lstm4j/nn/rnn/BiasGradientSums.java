package org.lstm4j.nn.rnn;

import java.util.Arrays;
import org.lstm4j.ops.LinearAlgebra;

/**
 * The bias gradients of one backward call, summed while the step loops have each step's gate gradient rows in
 * cache: per batch row over the steps ({@link #add}), then over the rows in order ({@link #inputBias},
 * {@link #hiddenBias}). A batch row belongs to one chunk of {@link SequenceKernel#overBatchChunks}, so the
 * sums do not depend on the chunking; and no pass over all steps' gradients from memory is left at the end.
 */
final class BiasGradientSums {
    private final int batch;
    private final int width;
    /** Per batch row, the sum over the steps of its input-projection gradient rows (batch × width). */
    private final float[] input;
    /** The same for the recurrent projection when its gradient differs (GRU), else null. */
    private final float[] hidden;
    private final GateKernels adder = GateKernels.preferred();

    /**
     * @param separateHidden the recurrent projection's gradient differs from the input projection's (GRU)
     */
    BiasGradientSums(LayerWorkspace.Buffers buffers, int batch, int width, boolean separateHidden) {
        this.batch = batch;
        this.width = width;
        this.input = zeroed(buffers.get(SequenceKernel.ROW_SUMS_INPUT, batch * width), batch * width);
        this.hidden = separateHidden
                ? zeroed(buffers.get(SequenceKernel.ROW_SUMS_HIDDEN, batch * width), batch * width) : null;
    }

    private static float[] zeroed(float[] buffer, int length) {
        Arrays.fill(buffer, 0, length, 0f);
        return buffer;
    }

    /**
     * Adds the gradient rows of batch rows [r0, r1) of one step (row r at {@code stepOff + r*width} of dXp and,
     * when separate, of dHp).
     */
    void add(float[] dXp, float[] dHp, int stepOff, int r0, int r1) {
        addRows(input, dXp, stepOff, r0, r1);
        if (hidden != null) {
            addRows(hidden, dHp, stepOff, r0, r1);
        }
    }

    private void addRows(float[] sums, float[] rows, int stepOff, int r0, int r1) {
        // Rows [r0, r1) are one contiguous block on both sides.
        adder.addTo(sums, r0 * width, rows, stepOff + r0 * width, (r1 - r0) * width);
    }

    /** The gradient of b_ih: the row sums summed over the rows in order. */
    float[] inputBias() {
        return LinearAlgebra.columnSums(input, batch, width);
    }

    /** The gradient of b_hh: a copy of {@code inputBias} when the two projections share their gradient. */
    float[] hiddenBias(float[] inputBias) {
        return hidden == null ? inputBias.clone() : LinearAlgebra.columnSums(hidden, batch, width);
    }
}
