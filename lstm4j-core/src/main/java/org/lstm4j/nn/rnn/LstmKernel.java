package org.lstm4j.nn.rnn;

import static org.lstm4j.kernels.Gemm.sgemm;

import org.lstm4j.kernels.Gemm;
import org.lstm4j.kernels.Parallelism;

/**
 * Fused LSTM over a sequence, PyTorch's gate order i, f, g, o:
 * <pre>
 *   gates = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh
 *   c_t = σ(f) ⊙ c_{t-1} + σ(i) ⊙ tanh(g)
 *   h_t = σ(o) ⊙ tanh(c_t)          (then h_t = h_t W_hr^T with a projection)
 * </pre>
 */
final class LstmKernel extends SequenceKernel {
    private static final int GATES = 0;
    private static final int H_PREV = 1;
    private static final int C_INITIAL = 2;
    private static final int C = 3;
    private static final int H_CELL = 4;
    private static final int D_GATES = 5;
    private static final int DH_ALL = 6;

    private final float[] wHr;
    private final int gateWidth;


    LstmKernel(int steps, int batch, int inputSize, int hiddenSize, int outputSize, boolean reverse, LayerWeights w,
            LayerWorkspace workspace) {
        super(CellType.LSTM, steps, batch, inputSize, hiddenSize, outputSize, reverse, w, workspace);
        this.wHr = w.wHr() == null ? null : w.wHr().data();
        this.gateWidth = 4 * hiddenSize;
    }

    @Override
    void forward(float[] x, float[] h0, float[] c0, float[] y, float[] hN, float[] cN, boolean keep) {
        int T = steps, B = batch, H = hiddenSize, P = outputSize, G = gateWidth;
        int rows = T * B;
        takeBuffers();
        // Gate activations σ(i), σ(f), tanh(g), σ(o) per time step: (T, B, 4H); a rolling block of steps when
        // they are not kept.
        int rolling = rollingProjectionSteps(keep, G);
        float[] gates = buffers.get(GATES, (rolling > 0 ? rolling * B : rows) * G);
        // Kept for backward: the hidden state fed into each step, the cell states, the cell state fed into the
        // first step (a copy: the caller may change c0 before backward; each later step's is the cell state
        // before it), and with a projection σ(o) ⊙ tanh(c) before it. Without keep, c and hCell are rolling
        // (two steps / one step).
        float[] hPrev = keep ? buffers.get(H_PREV, rows * P) : null;
        if (keep) {
            System.arraycopy(c0, c0Off, buffers.get(C_INITIAL, B * H), 0, B * H);
        }
        float[] c = buffers.get(C, keep ? rows * H : 2 * B * H);
        float[] hCell = wHr == null ? null : buffers.get(H_CELL, keep ? rows * H : B * H);

        // With a few rows each step is vector-matrix shaped: its products and gate pass run as one split
        // over the hidden units (one dispatch per step), and a single step folds in the input projection.
        UnitSplitStep unitStep = null;
        if (wHr == null && Gemm.dotShaped(B)) {
            // A one-step call folds its input projection in, starting from b_ih + b_hh.
            unitStep = new UnitSplitStep(gates, T == 1, T == 1 && bIh != null ? biasSum(G) : null);
        }
        // A one-step unit split folds the projection into its own dot products.
        prepareInputs(x, gates, G, true, unitStep == null || !unitStep.projectsInput, rolling);

        // The gate pass writes a batch-first y in place (its rows T·P apart), unless a projection or the unit
        // split, which take h rows P apart, stand between them.
        boolean yInPlace = outputBatchFirst && hCell == null && unitStep == null;
        StepRows yRows = yInPlace ? StepRows.batchFirst(T, P) : StepRows.timeMajor(B, P);
        float[] yOut = y;
        float[] yWritten = yInPlace ? y : timeMajorOutput(y);
        Gemm.PackedB wHhT = unitStep != null ? null : recurrentWeightsForSteps();
        float[] stepSums = unitStep != null ? null : buffers.get(STEP_SUMS, B * G);
        UnitSplitStep oneStep = unitStep;
        overBatchChunks((r0, r1) -> forwardRows(r0, r1, keep, gates, stepSums, hPrev, c, hCell, yWritten, yRows,
                wHhT, oneStep, h0, c0, hN, cN));
        publishOutput(yWritten, yOut);
        if (!keep) {
            releaseBuffers();
            buffers = null;
        }
    }

    /**
     * All time steps of the batch rows [r0, r1): the recurrent product and gate pass per step (or the unit
     * split step for the whole of a few-row batch), the states saved when {@code keep}, and the rows' final
     * states. Row r of a (T, B, width) buffer at step t is at {@code (t*B + r) * width}; of y, where
     * {@code yRows} says. Row r of {@code stepSums} (B × gate width) is at {@code r * width}.
     */
    private void forwardRows(int r0, int r1, boolean keep, float[] gates, float[] stepSums, float[] hPrev,
            float[] c, float[] hCell, float[] y, StepRows yRows, Gemm.PackedB wHhT,
            UnitSplitStep unitStep, float[] h0, float[] c0, float[] hN, float[] cN) {
        int T = steps, B = batch, H = hiddenSize, P = outputSize, G = gateWidth;
        int rows = r1 - r0;
        float[] h = h0;
        int hOff = h0Off + r0 * P;
        int hStride = P;
        float[] cIn = c0;
        int cInOff = c0Off + r0 * H;
        for (int s = 0; s < T; s++) {
            int t = timeAt(s);
            int row = t * B + r0;
            if (keep) {
                copyRows(h, hOff, hStride, hPrev, row * P, rows, P);
            }
            int gBase = inputs.stepRows(s, r0, r1, gates);
            int cOff = (keep ? t * B * H : (s & 1) * B * H) + r0 * H;
            int yOff = yRows.offset(t, r0);
            float[] hTarget = hCell == null ? y : hCell;
            int hTargetOff = hCell == null ? yOff : (keep ? t * B * H : 0) + r0 * H;
            int hTargetStride = hCell == null ? yRows.rowStride() : H;
            if (unitStep != null) {
                unitStep.run(gBase, h, hOff, cIn, cInOff, c, cOff, hTarget, hTargetOff);
            } else {
                // The product writes rows of its own and the gate pass adds the projection to them, streaming.
                // Added at the product's tile merges, the projection's rows were read a tile at a time, each
                // wait a cache miss: W_hh streaming through L2 had evicted them (from memory when projected up
                // front). For P <= 512 (one k slice) the bits are the merge's: projection + product is product
                // + projection; a deeper product now sums its slices first, then adds the projection.
                stepProduct(wHhT, true, rows, G, P, h, hOff, hStride, wHh, 0f, stepSums, r0 * G);
                gatePass(rows, H, gates, gBase, stepSums, r0 * G, cIn, cInOff, c, cOff, hTarget, hTargetOff,
                        hTargetStride);
            }
            if (hCell != null) {
                sgemm(false, true, rows, P, H, 1f, hCell, hTargetOff, H, wHr, 0, H, 0f, y, yOff, P);
            }
            h = y;
            hOff = yOff;
            hStride = yRows.rowStride();
            cIn = c;
            cInOff = cOff;
        }
        copyRows(h, hOff, hStride, hN, hNOff + r0 * P, rows, P);
        System.arraycopy(cIn, cInOff, cN, cNOff + r0 * H, rows * H);
    }

    /**
     * One step of a layer with at most {@link Gemm#dotShaped} rows: each thread takes a range of hidden units
     * and computes their four gate rows' dot products (W_hh, and W_ih too for a one-step sequence) and then
     * their gate pass, so a step is one parallel dispatch instead of a product and a pass. Same arithmetic, in
     * the same order, as the product-then-pass path: bias sum, + x·W_ihᵀ, + h·W_hhᵀ, then the gates. Made once
     * per forward call and re-aimed at every step, so steps allocate nothing.
     */
    private final class UnitSplitStep implements Parallelism.RangeBody {
        final float[] gates;
        final boolean projectsInput;
        /** b_ih + b_hh when the input projection is folded in with biases, else null. */
        private final float[] bias;
        private int gBase;
        private float[] h;
        private int hOff;
        private float[] cIn;
        private int cInOff;
        private float[] c;
        private int cOff;
        private float[] hOut;
        private int hOutOff;

        UnitSplitStep(float[] gates, boolean projectsInput, float[] bias) {
            this.gates = gates;
            this.projectsInput = projectsInput;
            this.bias = bias;
        }

        void run(int gBase, float[] h, int hOff, float[] cIn, int cInOff, float[] c, int cOff, float[] hOut,
                int hOutOff) {
            this.gBase = gBase;
            this.h = h;
            this.hOff = hOff;
            this.cIn = cIn;
            this.cInOff = cInOff;
            this.c = c;
            this.cOff = cOff;
            this.hOut = hOut;
            this.hOutOff = hOutOff;
            long work = (long) batch * gateWidth * (outputSize + (projectsInput ? inputSize : 0));
            if (SPLIT_STEPS && work >= Gemm.DOT_PARALLEL_MIN_WORK && Parallelism.threads() > 1) {
                Parallelism.parallelFor(0, hiddenSize, UNIT_GRAIN, this);
            } else {
                run(0, hiddenSize);
            }
        }

        @Override
        public void run(int j0, int j1) {
            int B = batch, H = hiddenSize, G = gateWidth;
            for (int q = 0; q < 4; q++) {
                int col0 = q * H + j0;
                int col1 = q * H + j1;
                float beta = 1f;
                if (projectsInput) {
                    beta = bias == null ? 0f : 1f;
                    if (bias != null) {
                        for (int r = 0; r < B; r++) {
                            System.arraycopy(bias, col0, gates, gBase + r * G + col0, col1 - col0);
                        }
                    }
                    Gemm.dotProductColumns(B, col0, col1, inputSize, x, 0, inputSize, wIh, 0, inputSize, beta, gates,
                            gBase, G);
                }
                Gemm.dotProductColumns(B, col0, col1, outputSize, h, hOff, outputSize, wHh, 0, outputSize, 1f, gates,
                        gBase, G);
            }
            gateKernels.lstmForwardUnits(0, B, H, j0, j1, gates, gBase, null, 0, cIn, cInOff, c, cOff, hOut, hOutOff,
                    H);
        }
    }

    /** Hidden units per chunk of a {@link UnitSplitStep}, at least (whole vectors of the gate pass). */
    private static final int UNIT_GRAIN = 16;

    /**
     * The gate pass of one step over all rows, adding the recurrent products {@code sums} to the gates first,
     * split over the threads by rows when it is large.
     */
    private void gatePass(int B, int H, float[] gates, int gBase, float[] sums, int sBase, float[] cIn, int cInOff,
            float[] c, int cOff, float[] hOut, int hOutOff, int hOutStride) {
        if (splitsGateRows(B, H)) {
            Parallelism.parallelFor(0, B, 1, (r0, r1) -> gateKernels.lstmForward(r0, r1, H, gates, gBase, sums, sBase,
                    cIn, cInOff, c, cOff, hOut, hOutOff, hOutStride));
        } else {
            gateKernels.lstmForward(0, B, H, gates, gBase, sums, sBase, cIn, cInOff, c, cOff, hOut, hOutOff,
                    hOutStride);
        }
    }

    /**
     * All time steps, in reverse, of the batch rows [r0, r1) of the backward: dh, dc and dGates rows. The cell
     * state fed into a step is the previous step's (in {@code c}), or {@code cInitial}'s rows for the first.
     */
    private void backwardRows(int r0, int r1, float[] dy, StepRows dyRows, float[] gates, float[] cInitial,
            float[] c, float[] dGates, float[] dh, float[] dc, float[] dhAll, float[] dhCell,
            Gemm.PackedB wHhPacked) {
        int T = steps, B = batch, H = hiddenSize, P = outputSize, G = gateWidth;
        int rows = r1 - r0;
        for (int s = T - 1; s >= 0; s--) {
            int t = timeAt(s);
            int yBase = (t * B + r0) * P;
            if (dyRows.rowStride() == P) {
                gateKernels.addTo(dh, r0 * P, dy, dyRows.offset(t, r0), rows * P);
            } else {
                for (int r = r0; r < r1; r++) {
                    gateKernels.addTo(dh, r * P, dy, dyRows.offset(t, r), P);
                }
            }
            if (wHr != null) {
                System.arraycopy(dh, r0 * P, dhAll, yBase, rows * P);
                sgemm(false, false, rows, H, P, 1f, dh, r0 * P, P, wHr, 0, H, 0f, dhCell, r0 * H, H);
            }
            int gBase = t * B * G;
            int sBase = t * B * H;
            float[] cPrev = s == 0 ? cInitial : c;
            int cPrevBase = s == 0 ? 0 : timeAt(s - 1) * B * H;
            if (splitsGateRows(rows, H)) {
                Parallelism.parallelFor(r0, r1, 1, (q0, q1) -> gateKernels.lstmBackward(q0, q1, H, gates, gBase, cPrev,
                        cPrevBase, c, sBase, dhCell, 0, dc, 0, dGates, gBase));
            } else {
                gateKernels.lstmBackward(r0, r1, H, gates, gBase, cPrev, cPrevBase, c, sBase, dhCell, 0, dc, 0,
                        dGates, gBase);
            }
            addToBiasSums(dGates, dGates, gBase, r0, r1);
            stepProduct(wHhPacked, false, rows, P, G, dGates, gBase + r0 * G, wHh, 0f, dh, r0 * P);
        }
    }

    @Override
    float[][] backward(float[] dy, float[] dhN, float[] dcN, boolean[] wanted) {
        checkSaved();
        int T = steps, B = batch, H = hiddenSize, P = outputSize, G = gateWidth;
        // The step loops read a batch-first dy's rows in place, unless a projection copies them into dhAll.
        boolean dyInPlace = outputBatchFirst && wHr == null;
        StepRows dyRows = dyInPlace ? StepRows.batchFirst(T, P) : StepRows.timeMajor(B, P);
        dy = dyInPlace ? dy : timeMajorOutputGrad(dy);
        int rows = T * B;
        float[] gates = buffers.get(GATES, rows * G);
        float[] hPrev = buffers.get(H_PREV, rows * P);
        float[] cInitial = buffers.get(C_INITIAL, B * H);
        float[] c = buffers.get(C, rows * H);
        float[] hCell = wHr == null ? null : buffers.get(H_CELL, rows * H);
        float[] dGates = buffers.get(D_GATES, rows * G);
        float[] dh = dhN.clone();
        float[] dc = dcN.clone();
        float[] dhAll = wHr == null ? null : buffers.get(DH_ALL, rows * P);
        float[] dhCell = wHr == null ? dh : new float[B * H];
        Gemm.PackedB wHhPacked = packWeights(false, wHh, G, P);
        float[] dyRead = dy;
        startBiasSums(wanted, G, false);
        overBatchChunks((r0, r1) -> backwardRows(r0, r1, dyRead, dyRows, gates, cInitial, c, dGates, dh, dc,
                dhAll, dhCell, wHhPacked));

        float[][] grads = new float[8][];
        projectionGradients(wanted, dGates, dGates, G, hPrev, grads);
        grads[1] = wanted[1] ? dh : null;
        grads[2] = wanted[2] ? dc : null;
        if (wHr != null && wanted[7]) {
            grads[7] = new float[P * H];
            sgemm(true, false, P, H, rows, 1f, dhAll, 0, P, hCell, 0, H, 0f, grads[7], 0, H);
        }
        return grads;
    }
}
