package org.lstm4j.nn.rnn;

import org.lstm4j.autograd.Node;
import org.lstm4j.tensor.Tensor;

/**
 * Runs one layer and direction of a recurrent network as a single autograd node with three outputs
 * (y, h_n, c_n); its backward is the kernel's hand-written backward over the whole sequence.
 */
public final class FusedRecurrentLayer {
    private FusedRecurrentLayer() {}

    /**
     * @param x time-major input (T, B, I)
     * @param h0 initial hidden state (B, P)
     * @param c0 initial cell state (B, H) for an LSTM, else null
     * @param reverse process the sequence from the last time step to the first
     * @return {y (T, B, P), h_n (B, P), c_n (B, H) or null}
     */
    public static Tensor[] apply(CellType type, Tensor x, Tensor h0, Tensor c0, LayerWeights w, boolean reverse) {
        return apply(type, x, h0, c0, w, reverse, null);
    }

    /**
     * {@link #apply(CellType, Tensor, Tensor, Tensor, LayerWeights, boolean)} with the large buffers taken from
     * (and given back to) {@code workspace}, one per layer and direction; null allocates them per call.
     */
    public static Tensor[] apply(CellType type, Tensor x, Tensor h0, Tensor c0, LayerWeights w, boolean reverse,
            LayerWorkspace workspace) {
        return apply(type, x, h0, c0, w, reverse, workspace, false, false);
    }

    /**
     * As {@link #apply(CellType, Tensor, Tensor, Tensor, LayerWeights, boolean, LayerWorkspace)}, with x given
     * batch-first (B, T, I) when {@code inputBatchFirst} and y returned batch-first (B, T, P) when
     * {@code outputBatchFirst}; the layout changes are copies through the workspace, not graph ops.
     */
    public static Tensor[] apply(CellType type, Tensor x, Tensor h0, Tensor c0, LayerWeights w, boolean reverse,
            LayerWorkspace workspace, boolean inputBatchFirst, boolean outputBatchFirst) {
        int steps = inputBatchFirst ? x.size(1) : x.size(0);
        int batch = inputBatchFirst ? x.size(0) : x.size(1);
        int hiddenSize = w.wIh().size(0) / type.gateBlocks();
        int outputSize = w.wHh().size(1);
        SequenceKernel kernel = kernel(type, steps, batch, x.size(2), w, reverse, workspace)
                .layout(inputBatchFirst, outputBatchFirst);
        boolean lstm = type == CellType.LSTM;
        Tensor y = outputBatchFirst ? Tensor.zeros(batch, steps, outputSize) : Tensor.zeros(steps, batch, outputSize);
        Tensor hN = Tensor.zeros(batch, outputSize);
        Tensor cN = lstm ? Tensor.zeros(batch, hiddenSize) : null;
        Tensor[] inputs = {x, h0, c0, w.wIh(), w.wHh(), w.bIh(), w.bHh(), w.wHr()};
        boolean record = Node.shouldRecord(inputs);
        kernel.forward(x.data(), h0.data(), lstm ? c0.data() : null, y.data(), hN.data(), lstm ? cN.data() : null,
                record);
        if (record) {
            new Node(type.name(), inputs) {
                @Override
                protected float[][] backward(float[][] g) {
                    boolean[] wanted = new boolean[inputs.length];
                    for (int i = 0; i < wanted.length; i++) {
                        wanted[i] = needsGrad(i);
                    }
                    return kernel.backward(g[0], g[1], lstm ? g[2] : null, wanted);
                }
            }.attach(lstm ? new Tensor[] {y, hN, cN} : new Tensor[] {y, hN});
        }
        return new Tensor[] {y, hN, cN};
    }

    /**
     * Runs one layer and direction with the same kernel and arithmetic as {@link #apply}, recording nothing
     * (for calls where nothing will be differentiated), on raw arrays: x is (T, B, I), or (B, T, I) when
     * {@code inputBatchFirst}; y (T·B·P) is written in full, batch-first when {@code outputBatchFirst}. The
     * states are read and written in place: h0 (B, P) at {@code h0Off}, c0 (B, H) at {@code c0Off}, h_n at
     * {@code hNOff}, c_n at {@code cNOff} (c0 and c_n are used by the LSTM only).
     */
    public static void run(CellType type, float[] x, int steps, int batch, int inputSize, float[] h0, int h0Off,
            float[] c0, int c0Off, float[] y, float[] hN, int hNOff, float[] cN, int cNOff, LayerWeights w,
            boolean reverse, LayerWorkspace workspace, boolean inputBatchFirst, boolean outputBatchFirst) {
        kernel(type, steps, batch, inputSize, w, reverse, workspace)
                .layout(inputBatchFirst, outputBatchFirst)
                .stateOffsets(h0Off, c0Off, hNOff, cNOff)
                .forward(x, h0, c0, y, hN, cN, false);
    }

    private static SequenceKernel kernel(CellType type, int steps, int batch, int inputSize, LayerWeights w,
            boolean reverse, LayerWorkspace workspace) {
        int hiddenSize = w.wIh().size(0) / type.gateBlocks();
        int outputSize = w.wHh().size(1);
        return switch (type) {
            case LSTM -> new LstmKernel(steps, batch, inputSize, hiddenSize, outputSize, reverse, w, workspace);
            case GRU -> new GruKernel(steps, batch, inputSize, hiddenSize, reverse, w, workspace);
            case RNN_TANH -> new ElmanKernel(steps, batch, inputSize, hiddenSize, reverse, w, false, workspace);
            case RNN_RELU -> new ElmanKernel(steps, batch, inputSize, hiddenSize, reverse, w, true, workspace);
        };
    }
}
