package org.lstm4j.nn.rnn;

import org.lstm4j.kernels.Gemm;

/**
 * One layer and direction over a whole sequence, time-major (T, B, features), with the activations its
 * hand-written backward needs kept from the forward pass. One instance serves one forward call.
 *
 * <p>Forward: one GEMM projects the inputs of all time steps; each step then does one recurrent GEMM and
 * one fused, vectorized pass over the gates ({@link GateKernels}). Backward walks the steps in reverse with
 * one GEMM per step for the state gradient, collecting the gate gradients of all steps so that the weight and
 * input gradients are each a single large GEMM at the end. Large buffers come from a {@link LayerWorkspace}.
 */
abstract class SequenceKernel {
    final int steps;
    final int batch;
    final int inputSize;
    final int hiddenSize;
    /** Size of the emitted state: the projection size for a projecting LSTM, else the hidden size. */
    final int outputSize;
    final boolean reverse;
    final GateKernels gateKernels = GateKernels.preferred();
    private final LayerWorkspace workspace;
    /** The buffers of this call; null when not yet run or when the forward kept nothing. */
    LayerWorkspace.Buffers buffers;

    SequenceKernel(int steps, int batch, int inputSize, int hiddenSize, int outputSize, boolean reverse,
            LayerWorkspace workspace) {
        this.steps = steps;
        this.batch = batch;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.outputSize = outputSize;
        this.reverse = reverse;
        this.workspace = workspace;
    }

    /** The time index processed at step s. */
    final int timeAt(int s) {
        return reverse ? steps - 1 - s : s;
    }

    /** Takes this call's buffers (pooled when a workspace is given). */
    final void takeBuffers() {
        if (workspace != null) {
            buffers = workspace.take(this);
        } else {
            buffers = new LayerWorkspace.Buffers();
            buffers.owner = this;
        }
    }

    /** Hands the buffers back to the pool (this kernel may still read them until another call takes them). */
    final void releaseBuffers() {
        if (workspace != null && buffers != null) {
            workspace.give(buffers);
        }
    }

    /** Fails clearly when the saved activations were handed to a later call. */
    final void checkSaved() {
        if (buffers == null || !buffers.ownedBy(this)) {
            throw new IllegalStateException("Trying to backward through a recurrent layer whose saved activations"
                    + " were freed: a later forward of the same layer reused them. Run backward before the next"
                    + " forward of this layer.");
        }
    }

    /**
     * Runs the sequence. {@code c0}/{@code cN} are used by the LSTM only.
     *
     * @param y output (T, B, P), written
     * @param hN final hidden state (B, P), written
     * @param cN final cell state (B, H), written (LSTM)
     * @param keep save what backward needs; when false only the rolling state is kept and the buffers go
     *     back to the pool at once
     */
    abstract void forward(float[] x, float[] h0, float[] c0, float[] y, float[] hN, float[] cN, boolean keep);

    /**
     * Gradients of x, h0, c0, W_ih, W_hh, b_ih, b_hh, W_hr (in that order; null where not wanted) from
     * the gradients of y, h_n and c_n.
     */
    abstract float[][] backward(float[] dy, float[] dhN, float[] dcN, boolean[] wanted);

    /** Slot for the packed recurrent weights (forward: W_hh^T, backward: W_hh). */
    static final int PACKED_WEIGHTS = 7;

    /**
     * The recurrent product {@code C = A · op(W) + beta·C} of one step: with W packed once per sequence when
     * that pays ({@code packed} non-null), else a plain GEMM.
     */
    static void stepProduct(Gemm.PackedB packed, boolean transW, int m, int n, int k, float[] a, int aOff,
            float[] w, float beta, float[] c, int cOff) {
        if (packed != null) {
            Gemm.sgemm(m, 1f, a, aOff, k, packed, beta, c, cOff, n);
        } else {
            Gemm.sgemm(false, transW, m, n, k, 1f, a, aOff, k, w, 0, transW ? k : n, beta, c, cOff, n);
        }
    }

    /** W (stored rows×cols) packed as op(W) for this sequence's steps, or null when packing does not pay. */
    final Gemm.PackedB packWeights(boolean transW, float[] w, int rows, int cols) {
        int k = transW ? cols : rows;
        int n = transW ? rows : cols;
        if (!Gemm.prepackPays(batch, steps, transW)) {
            return null;
        }
        return Gemm.packB(transW, k, n, w, 0, cols, buffers.get(PACKED_WEIGHTS, Gemm.packedSize(k, n)));
    }

    /** Each row of (rows, width) at {@code offset} set to {@code a + b} (b may be null; no-op when a is null). */
    static void fillRows(float[] target, int offset, float[] a, float[] b, int rows, int width) {
        if (a == null) {
            return;
        }
        float[] row = a;
        if (b != null) {
            row = new float[width];
            for (int j = 0; j < width; j++) {
                row[j] = a[j] + b[j];
            }
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(row, 0, target, offset + r * width, width);
        }
    }
}
