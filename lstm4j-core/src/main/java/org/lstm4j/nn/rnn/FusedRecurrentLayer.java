package org.lstm4j.nn.rnn;

import org.lstm4j.autograd.Node;
import org.lstm4j.kernels.Parallelism;
import org.lstm4j.tensor.Tensor;

/**
 * Runs one layer and direction of a recurrent network as a single autograd node with three outputs
 * (y, h_n, c_n); its backward is the kernel's hand-written backward over the whole sequence. The two
 * directions of a bidirectional layer are one node whose kernels run concurrently, forward and backward.
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
        SequenceKernel kernel = kernel(type, steps, batch, x.size(2), w, reverse, workspace)
                .layout(inputBatchFirst, outputBatchFirst);
        boolean lstm = type == CellType.LSTM;
        Tensor[] outputs = newOutputs(type, w, steps, batch, outputBatchFirst);
        Tensor y = outputs[0];
        Tensor hN = outputs[1];
        Tensor cN = outputs[2];
        Tensor[] inputs = new Tensor[1 + DIRECTION_INPUTS];
        inputs[0] = x;
        System.arraycopy(directionInputs(h0, c0, w), 0, inputs, 1, DIRECTION_INPUTS);
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

                @Override
                protected void releaseSavedState() {
                    kernel.releaseSaved();
                }
            }.attach(lstm ? new Tensor[] {y, hN, cN} : new Tensor[] {y, hN});
        }
        return outputs;
    }

    /**
     * Both directions of a bidirectional layer, {@code [0]} forward and {@code [1]} reverse, each as
     * {@link #apply(CellType, Tensor, Tensor, Tensor, LayerWeights, boolean, LayerWorkspace, boolean, boolean)}
     * would compute it, bit for bit; the two directions are independent, so their kernels run on two threads at
     * once (each one's products single-threaded unless a thread is free) instead of both threads meeting at every
     * time step of each direction in turn. One autograd node covers both; x's gradient is the sum of the two.
     *
     * @return per direction {y, h_n, c_n or null}
     */
    public static Tensor[][] applyBidirectional(CellType type, Tensor x, Tensor[] h0, Tensor[] c0, LayerWeights[] w,
            LayerWorkspace[] workspaces, boolean inputBatchFirst, boolean outputBatchFirst) {
        int steps = inputBatchFirst ? x.size(1) : x.size(0);
        int batch = inputBatchFirst ? x.size(0) : x.size(1);
        boolean lstm = type == CellType.LSTM;
        SequenceKernel[] kernels = new SequenceKernel[2];
        Tensor[][] out = new Tensor[2][];
        Tensor[] inputs = new Tensor[1 + 2 * DIRECTION_INPUTS];
        inputs[0] = x;
        for (int dir = 0; dir < 2; dir++) {
            kernels[dir] = kernel(type, steps, batch, x.size(2), w[dir], dir == 1, workspaces[dir])
                    .layout(inputBatchFirst, outputBatchFirst);
            out[dir] = newOutputs(type, w[dir], steps, batch, outputBatchFirst);
            System.arraycopy(directionInputs(h0[dir], lstm ? c0[dir] : null, w[dir]), 0, inputs,
                    1 + dir * DIRECTION_INPUTS, DIRECTION_INPUTS);
        }
        boolean record = Node.shouldRecord(inputs);
        Parallelism.concurrently(2, dir -> kernels[dir].forward(x.data(), h0[dir].data(),
                lstm ? c0[dir].data() : null, out[dir][0].data(), out[dir][1].data(),
                lstm ? out[dir][2].data() : null, record));
        if (record) {
            new Node(type.name() + "Bidirectional", inputs) {
                @Override
                protected float[][] backward(float[][] g) {
                    int outputsPerDirection = lstm ? 3 : 2;
                    float[][][] grads = new float[2][][];
                    Parallelism.concurrently(2, dir -> {
                        // The kernel's input order: x, then this direction's own inputs.
                        boolean[] wanted = new boolean[1 + DIRECTION_INPUTS];
                        wanted[0] = needsGrad(0);
                        for (int i = 0; i < DIRECTION_INPUTS; i++) {
                            wanted[1 + i] = needsGrad(1 + dir * DIRECTION_INPUTS + i);
                        }
                        int o = dir * outputsPerDirection;
                        grads[dir] = kernels[dir].backward(g[o], g[o + 1], lstm ? g[o + 2] : null, wanted);
                    });
                    float[][] result = new float[inputs.length][];
                    float[] dx = grads[0][0];
                    if (dx != null) {
                        float[] dxReverse = grads[1][0];
                        for (int i = 0; i < dx.length; i++) {
                            dx[i] += dxReverse[i];
                        }
                    }
                    result[0] = dx;
                    for (int dir = 0; dir < 2; dir++) {
                        System.arraycopy(grads[dir], 1, result, 1 + dir * DIRECTION_INPUTS, DIRECTION_INPUTS);
                    }
                    return result;
                }

                @Override
                protected void releaseSavedState() {
                    kernels[0].releaseSaved();
                    kernels[1].releaseSaved();
                }
            }.attach(lstm ? new Tensor[] {out[0][0], out[0][1], out[0][2], out[1][0], out[1][1], out[1][2]}
                    : new Tensor[] {out[0][0], out[0][1], out[1][0], out[1][1]});
        }
        return out;
    }

    /** Inputs of one direction besides x, in the kernels' gradient order: h0, c0, W_ih, W_hh, b_ih, b_hh, W_hr. */
    private static final int DIRECTION_INPUTS = 7;

    private static Tensor[] directionInputs(Tensor h0, Tensor c0, LayerWeights w) {
        return new Tensor[] {h0, c0, w.wIh(), w.wHh(), w.bIh(), w.bHh(), w.wHr()};
    }

    /** Zeroed y ((T, B, P), or (B, T, P) batch-first), h_n (B, P) and, for an LSTM, c_n (B, H), for a kernel to fill. */
    private static Tensor[] newOutputs(CellType type, LayerWeights w, int steps, int batch, boolean outputBatchFirst) {
        int hiddenSize = w.wIh().size(0) / type.gateBlocks();
        int outputSize = w.wHh().size(1);
        return new Tensor[] {
            outputBatchFirst ? Tensor.zeros(batch, steps, outputSize) : Tensor.zeros(steps, batch, outputSize),
            Tensor.zeros(batch, outputSize), type == CellType.LSTM ? Tensor.zeros(batch, hiddenSize) : null};
    }

    /**
     * Runs one layer and direction with the same kernel and arithmetic as {@link #apply}, recording nothing
     * (for calls where nothing will be differentiated), on raw arrays: x is (T, B, I), or (B, T, I) when
     * {@code inputBatchFirst}; y (T·B·P) is written in full, batch-first when {@code outputBatchFirst}. The
     * states are read and written in place: h0 (B, P) at {@code h0Off}, c0 (B, H) at {@code c0Off}, h_n at
     * {@code hNOff}, c_n at {@code cNOff} (c0 and c_n are used by the LSTM only). {@code packed} holds w's
     * W_ih and W_hh packed once ({@link PackedLayerWeights#of}), or is null to pack them as the call needs.
     */
    public static void run(CellType type, float[] x, int steps, int batch, int inputSize, float[] h0, int h0Off,
            float[] c0, int c0Off, float[] y, float[] hN, int hNOff, float[] cN, int cNOff, LayerWeights w,
            PackedLayerWeights packed, boolean reverse, LayerWorkspace workspace, boolean inputBatchFirst,
            boolean outputBatchFirst) {
        kernel(type, steps, batch, inputSize, w, reverse, workspace)
                .layout(inputBatchFirst, outputBatchFirst)
                .prepacked(packed)
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
