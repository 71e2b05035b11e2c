package org.lstm4j.workloads;

import org.lstm4j.workloads.WorkloadSpec.Head;

/**
 * The nominal floating-point operations of a workload step, counting only the matrix products (2 flops per
 * multiply-add): a recurrent layer and direction does {@code 2 · G·H · (I + H) · B · T} with G = 4 gates for
 * LSTM, 3 for GRU, 1 for a plain RNN (I is the layer's input width: the input size for layer 0, H·D above);
 * a linear head adds {@code 2 · (H·D) · out · rows}. A training step counts 3× its forward pass (forward,
 * plus the two products of the backward pass per forward product), the usual convention.
 */
public final class FlopCount {
    private FlopCount() {}

    /** Flops of the recurrent stack's forward pass over one step's batch and sequence. */
    public static long recurrentForward(WorkloadSpec spec) {
        long gateWidth = (long) spec.cell().gates() * spec.hiddenSize();
        long total = 0;
        for (int layer = 0; layer < spec.numLayers(); layer++) {
            long in = layer == 0 ? spec.inputSize() : (long) spec.hiddenSize() * spec.directions();
            total += 2 * gateWidth * (in + spec.hiddenSize()) * spec.tokensPerStep() * spec.directions();
        }
        return total;
    }

    /** Flops of the linear head's forward pass (0 without a head). */
    public static long headForward(WorkloadSpec spec) {
        long rows = spec.head() == Head.EVERY_STEP ? spec.tokensPerStep() : spec.head() == Head.LAST_STEP ? spec.batch() : 0;
        return 2L * spec.hiddenSize() * spec.directions() * spec.headOut() * rows;
    }

    /** Flops of one forward pass: recurrent stack plus head. */
    public static long forward(WorkloadSpec spec) {
        return recurrentForward(spec) + headForward(spec);
    }

    /** Flops of one benchmark step: the forward pass, ×3 for a training step. */
    public static long perStep(WorkloadSpec spec) {
        return spec.mode() == Mode.TRAIN ? 3 * forward(spec) : forward(spec);
    }
}
