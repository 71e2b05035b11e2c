package org.lstm4j.nn.rnn;

import org.lstm4j.kernels.Gemm;
import org.lstm4j.kernels.Parallelism;

/**
 * Fused GRU over a sequence, PyTorch's gate order r, z, n with {@code b_hn} inside the reset product:
 * <pre>
 *   r = σ(W_ir x + b_ir + W_hr h + b_hr)     z = σ(W_iz x + b_iz + W_hz h + b_hz)
 *   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
 *   h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * The input and recurrent projections are kept apart because the n gate needs {@code W_hn h + b_hn} alone.
 */
final class GruKernel extends SequenceKernel {
    private final int gateWidth;

    private static final int GATES = 0;
    private static final int HIDDEN_PROJ = 1;
    private static final int H_PREV = 2;
    private static final int D_INPUT_PROJ = 3;
    private static final int D_HIDDEN_PROJ = 4;


    GruKernel(int steps, int batch, int inputSize, int hiddenSize, boolean reverse, LayerWeights w,
            LayerWorkspace workspace) {
        super(CellType.GRU, steps, batch, inputSize, hiddenSize, hiddenSize, reverse, w, workspace);
        this.gateWidth = 3 * hiddenSize;
    }

    @Override
    void forward(float[] x, float[] h0, float[] c0, float[] y, float[] hN, float[] cN, boolean keep) {
        int T = steps, B = batch, H = hiddenSize, G = gateWidth;
        int rows = T * B;
        takeBuffers();
        float[] yOut = y;
        y = timeMajorOutput(y);
        // Input projections, then overwritten by the activations r, z, n: (T, B, 3H); a rolling block of steps
        // when they are not kept.
        int rolling = rollingProjectionSteps(keep, G);
        float[] gates = buffers.get(GATES, (rolling > 0 ? rolling * B : rows) * G);
        // Recurrent projections W_h· h + b_h· per time step (the n block is needed in backward), and the state
        // fed into each step; without keep, one step of projections and no saved states.
        float[] hiddenProj = buffers.get(HIDDEN_PROJ, keep ? rows * G : B * G);
        float[] hPrev = keep ? buffers.get(H_PREV, rows * H) : null;
        prepareInputs(x, gates, G, false, true, rolling);

        Gemm.PackedB wHhT = recurrentWeightsForSteps();
        float[] yTimeMajor = y;
        overBatchChunks((r0, r1) -> forwardRows(r0, r1, keep, gates, hiddenProj, hPrev, yTimeMajor, wHhT, h0, hN));
        publishOutput(y, yOut);
        if (!keep) {
            releaseBuffers();
            buffers = null;
        }
    }

    /**
     * All time steps of the batch rows [r0, r1): the recurrent projection and gate pass per step, the states
     * saved when {@code keep}, and the rows' final state. Row r at step t of a (T, B, width) buffer is at
     * {@code (t*B + r) * width}.
     */
    private void forwardRows(int r0, int r1, boolean keep, float[] gates, float[] hiddenProj, float[] hPrev,
            float[] y, Gemm.PackedB wHhT, float[] h0, float[] hN) {
        int T = steps, B = batch, H = hiddenSize, G = gateWidth;
        int rows = r1 - r0;
        float[] h = h0;
        int hOff = h0Off + r0 * H;
        for (int s = 0; s < T; s++) {
            int t = timeAt(s);
            // The gate pass reads row r of the step's projections at gBase + r * G.
            int gBase = inputs.stepRows(s, r0, r1, gates) - r0 * G;
            int pBase = keep ? t * B * G : 0;
            if (keep) {
                System.arraycopy(h, hOff, hPrev, (t * B + r0) * H, rows * H);
            }
            stepProductAddingBias(wHhT, true, rows, G, H, h, hOff, wHh, bHh, hiddenProj, pBase + r0 * G);
            if (splitsGateRows(rows, H)) {
                float[] hIn = h;
                int hInOff = hOff - r0 * H;
                Parallelism.parallelFor(r0, r1, 1, (q0, q1) -> gateKernels.gruForward(q0, q1, H, gates, gBase,
                        hiddenProj, pBase, hIn, hInOff, y, t * B * H));
            } else {
                gateKernels.gruForward(r0, r1, H, gates, gBase, hiddenProj, pBase, h, hOff - r0 * H, y, t * B * H);
            }
            h = y;
            hOff = (t * B + r0) * H;
        }
        System.arraycopy(h, hOff, hN, hNOff + r0 * H, rows * H);
    }

    /** All time steps, in reverse, of the batch rows [r0, r1) of the backward: dh and the gate gradient rows. */
    private void backwardRows(int r0, int r1, float[] dy, float[] gates, float[] hiddenProj, float[] hPrev,
            float[] dInputProj, float[] dHiddenProj, float[] dh, Gemm.PackedB wHhPacked) {
        int T = steps, B = batch, H = hiddenSize, G = gateWidth;
        int rows = r1 - r0;
        for (int s = T - 1; s >= 0; s--) {
            int t = timeAt(s);
            int gBase = t * B * G;
            if (splitsGateRows(rows, H)) {
                Parallelism.parallelFor(r0, r1, 1, (q0, q1) -> gateKernels.gruBackward(q0, q1, H, gates, hiddenProj,
                        gBase, hPrev, t * B * H, dh, 0, dy, dInputProj, dHiddenProj));
            } else {
                gateKernels.gruBackward(r0, r1, H, gates, hiddenProj, gBase, hPrev, t * B * H, dh, 0, dy, dInputProj,
                        dHiddenProj);
            }
            addToBiasSums(dInputProj, dHiddenProj, gBase, r0, r1);
            stepProduct(wHhPacked, false, rows, H, G, dHiddenProj, gBase + r0 * G, wHh, 1f, dh, r0 * H);
        }
    }

    @Override
    float[][] backward(float[] dy, float[] dhN, float[] dcN, boolean[] wanted) {
        int T = steps, B = batch, H = hiddenSize, G = gateWidth;
        int rows = T * B;
        checkSaved();
        dy = timeMajorOutputGrad(dy);
        float[] gates = buffers.get(GATES, rows * G);
        float[] hiddenProj = buffers.get(HIDDEN_PROJ, rows * G);
        float[] hPrev = buffers.get(H_PREV, rows * H);
        float[] dInputProj = buffers.get(D_INPUT_PROJ, rows * G);
        float[] dHiddenProj = buffers.get(D_HIDDEN_PROJ, rows * G);
        float[] dh = dhN.clone();
        Gemm.PackedB wHhPacked = packWeights(false, wHh, G, H);
        float[] dyTimeMajor = dy;
        startBiasSums(wanted, G, true);
        overBatchChunks((r0, r1) -> backwardRows(r0, r1, dyTimeMajor, gates, hiddenProj, hPrev, dInputProj,
                dHiddenProj, dh, wHhPacked));

        float[][] grads = new float[8][];
        projectionGradients(wanted, dInputProj, dHiddenProj, G, hPrev, grads);
        grads[1] = wanted[1] ? dh : null;
        return grads;
    }
}
