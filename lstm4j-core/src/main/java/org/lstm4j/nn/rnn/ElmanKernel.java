package org.lstm4j.nn.rnn;

import org.lstm4j.kernels.Gemm;

/** Fused plain (Elman) RNN over a sequence: {@code h' = act(W_ih x + b_ih + W_hh h + b_hh)}, act tanh or relu. */
final class ElmanKernel extends SequenceKernel {
    private final boolean relu;

    private static final int H_PREV = 0;
    private static final int D_PRE = 1;

    private float[] y;

    ElmanKernel(int steps, int batch, int inputSize, int hiddenSize, boolean reverse, LayerWeights w, boolean relu,
            LayerWorkspace workspace) {
        super(relu ? CellType.RNN_RELU : CellType.RNN_TANH, steps, batch, inputSize, hiddenSize, hiddenSize, reverse, w,
                workspace);
        this.relu = relu;
    }

    @Override
    void forward(float[] x, float[] h0, float[] c0, float[] y, float[] hN, float[] cN, boolean keep) {
        int T = steps, B = batch, H = hiddenSize;
        int rows = T * B;
        takeBuffers();
        float[] yOut = y;
        y = timeMajorOutput(y);
        this.y = y;
        float[] hPrev = keep ? buffers.get(H_PREV, rows * H) : null;
        // y holds the pre-activations of all steps first, then each step's activation in place.
        prepareInputs(x, y, H, true, true, 0);
        Gemm.PackedB wHhT = recurrentWeightsForSteps();
        overBatchChunks((r0, r1) -> forwardRows(r0, r1, keep, hPrev, wHhT, h0, hN));
        publishOutput(y, yOut);
        if (!keep) {
            releaseBuffers();
            buffers = null;
        }
    }

    /** All time steps of the batch rows [r0, r1), the states saved when {@code keep}, and their final state. */
    private void forwardRows(int r0, int r1, boolean keep, float[] hPrev, Gemm.PackedB wHhT, float[] h0,
            float[] hN) {
        int T = steps, B = batch, H = hiddenSize;
        int rows = r1 - r0;
        float[] h = h0;
        int hOff = h0Off + r0 * H;
        for (int s = 0; s < T; s++) {
            // The step's rows of y, holding their input projections (projected here when done per step).
            int base = inputs.stepRows(s, r0, r1, y);
            if (keep) {
                System.arraycopy(h, hOff, hPrev, base, rows * H);
            }
            stepProduct(wHhT, true, rows, H, H, h, hOff, wHh, 1f, y, base);
            gateKernels.elmanForward(base, base + rows * H, y, relu);
            h = y;
            hOff = base;
        }
        System.arraycopy(h, hOff, hN, hNOff + r0 * H, rows * H);
    }

    /** All time steps, in reverse, of the batch rows [r0, r1) of the backward: dh and dPre rows. */
    private void backwardRows(int r0, int r1, float[] dy, float[] dPre, float[] dh, Gemm.PackedB wHhPacked) {
        int T = steps, B = batch, H = hiddenSize;
        int rows = r1 - r0;
        for (int s = T - 1; s >= 0; s--) {
            int base = timeAt(s) * B * H;
            gateKernels.elmanBackward(r0 * H, r1 * H, base, y, dh, dy, dPre, relu);
            addToBiasSums(dPre, dPre, base, r0, r1);
            stepProduct(wHhPacked, false, rows, H, H, dPre, base + r0 * H, wHh, 0f, dh, r0 * H);
        }
    }

    @Override
    float[][] backward(float[] dy, float[] dhN, float[] dcN, boolean[] wanted) {
        int T = steps, B = batch, H = hiddenSize;
        int rows = T * B;
        checkSaved();
        dy = timeMajorOutputGrad(dy);
        float[] hPrev = buffers.get(H_PREV, rows * H);
        float[] dPre = buffers.get(D_PRE, rows * H);
        float[] dh = dhN.clone();
        Gemm.PackedB wHhPacked = packWeights(false, wHh, H, H);
        float[] dyTimeMajor = dy;
        startBiasSums(wanted, H, false);
        overBatchChunks((r0, r1) -> backwardRows(r0, r1, dyTimeMajor, dPre, dh, wHhPacked));
        float[][] grads = new float[8][];
        projectionGradients(wanted, dPre, dPre, H, hPrev, grads);
        grads[1] = wanted[1] ? dh : null;
        return grads;
    }
}
