package org.lstm4j.nn.rnn;

import org.lstm4j.kernels.Gemm;
import org.lstm4j.kernels.Parallelism;

/**
 * One layer and direction over a whole sequence, time-major (T, B, features), with the activations its
 * hand-written backward needs kept from the forward pass. One instance serves one forward call.
 *
 * <p>Forward: one GEMM projects the inputs of all time steps; each step then does one recurrent GEMM and
 * one fused, vectorized pass over the gates ({@link GateKernels}). Backward walks the steps in reverse with
 * one GEMM per step for the state gradient, collecting the gate gradients of all steps so that the weight and
 * input gradients are each a single large GEMM at the end. Large buffers come from a {@link LayerWorkspace}.
 *
 * <p>The step loops of both passes run over chunks of batch rows, one chunk per thread side by side
 * ({@link #overBatchChunks}): rows never meet in a recurrence, so a chunk needs no barrier between steps.
 * The whole-sequence GEMMs before and after the loops use all threads on the whole batch.
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
    final float[] wIh;
    final float[] wHh;
    /** The biases, both null without bias. */
    final float[] bIh;
    final float[] bHh;
    /**
     * The input of this call, kept for the weight gradient: time-major, except for a batch-first x that a call
     * keeping nothing reads in place ({@link #prepareInputs}).
     */
    float[] x;
    private final LayerWorkspace workspace;
    /** The buffers of this call; null when not yet run or when the forward kept nothing. */
    LayerWorkspace.Buffers buffers;
    /**
     * x (and dx) are batch-first (B, T, I) rather than time-major; staged through {@link #X_TIME_MAJOR}, unless
     * the step loops gather x's rows themselves (a call that keeps nothing, {@link #prepareInputs}).
     */
    boolean inputBatchFirst;
    /**
     * y (and dy) are batch-first (B, T, P); the kernel works on time-major copies in {@link #Y_TIME_MAJOR} and
     * {@link #DY_TIME_MAJOR}, except the LSTM without projection, whose gate pass writes y's rows and whose
     * backward reads dy's in place ({@link StepRows}).
     */
    boolean outputBatchFirst;
    /** Where h0/c0 are read and h_n/c_n written in the arrays given to {@link #forward} (0 by default). */
    int h0Off;
    int c0Off;
    int hNOff;
    int cNOff;

    /** Workspace slots of the layout staging buffers (the kernels use slots below {@link #PACKED_WEIGHTS}). */
    static final int X_TIME_MAJOR = 8;
    static final int Y_TIME_MAJOR = 9;
    static final int DY_TIME_MAJOR = 10;
    static final int DX_TIME_MAJOR = 11;
    /** Slot of the summed biases b_ih + b_hh added to the input projection. */
    static final int BIAS_SUM = 12;
    /** Slots of W_ihᵀ for the gather of one-hot inputs ({@link OneHotInputs}), reused by their scatter. */
    static final int W_IH_TRANSPOSED = 13;
    static final int ONE_HOT_TOTAL = 14;
    /** Slot of W_ihᵀ packed for the per-step input projections ({@link InputProjection}). */
    static final int W_IH_PACKED = 15;
    /** Slots of the per-row gradient sums behind the bias gradients ({@link #startBiasSums}). */
    static final int ROW_SUMS_INPUT = 16;
    static final int ROW_SUMS_HIDDEN = 17;
    /** Slot of the x rows of each chunk's next rolling block ({@link InputProjection}). */
    static final int X_BLOCK = 18;
    /** Slot of one step's recurrent products h·W_hhᵀ, a row per batch row, that the LSTM's gate pass adds. */
    static final int STEP_SUMS = 19;
    /** Workspace slots in all (one more than the highest above). */
    static final int SLOTS = STEP_SUMS + 1;

    /** @param type the recurrence, for the size checks and their messages */
    SequenceKernel(CellType type, int steps, int batch, int inputSize, int hiddenSize, int outputSize, boolean reverse,
            LayerWeights w, LayerWorkspace workspace) {
        // Before any buffer is taken: T·B·G·H and the like must not wrap around in the int sizes below.
        SequenceSizes.check(type, steps, batch, hiddenSize, outputSize, 1, 1);
        this.wIh = w.wIh().data();
        this.wHh = w.wHh().data();
        this.bIh = w.hasBias() ? w.bIh().data() : null;
        this.bHh = w.hasBias() ? w.bHh().data() : null;
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

    /**
     * Gives up the activations saved for backward once no backward will run again (the autograd node's
     * release): the buffers go back to the pool and this kernel forgets them. Until then a retained graph may
     * run {@link #backward} any number of times; backward itself never gives them back.
     */
    final void releaseSaved() {
        releaseBuffers();
        buffers = null;
        x = null;
        inputs = null;
    }

    /** Sets the layouts of x/dx and y/dy (both time-major by default). */
    final SequenceKernel layout(boolean inputBatchFirst, boolean outputBatchFirst) {
        this.inputBatchFirst = inputBatchFirst;
        this.outputBatchFirst = outputBatchFirst;
        return this;
    }

    /** W_ihᵀ and W_hhᵀ packed once by the caller, or null to pack them in each call that pays for it. */
    private PackedLayerWeights prepacked;

    /**
     * Uses weights packed once ({@link PackedLayerWeights}, null for none) instead of packing W_ih and W_hh in
     * this call; the bits are the same.
     */
    final SequenceKernel prepacked(PackedLayerWeights weights) {
        if (weights != null) {
            weights.checkShape(inputSize, outputSize, wIh.length / inputSize);
        }
        this.prepacked = weights;
        return this;
    }

    /**
     * W_hhᵀ for the forward's per-step products (W_hh is stored gate width × P): packed once by the caller, or
     * packed now when that pays for this sequence, else null (the products read W_hh in place).
     */
    final Gemm.PackedB recurrentWeightsForSteps() {
        return prepacked != null ? prepacked.recurrentWeights
                : packWeights(true, wHh, wHh.length / outputSize, outputSize);
    }

    /** Sets the offsets of h0, c0, h_n and c_n in the arrays given to {@link #forward} (all 0 by default). */
    final SequenceKernel stateOffsets(int h0Off, int c0Off, int hNOff, int cNOff) {
        this.h0Off = h0Off;
        this.c0Off = c0Off;
        this.hNOff = hNOff;
        this.cNOff = cNOff;
        return this;
    }

    /** x as time-major (T, B, I): itself, or a copy in this call's buffers (after {@link #takeBuffers}). */
    final float[] timeMajorInput(float[] x) {
        if (!inputBatchFirst) {
            return x;
        }
        float[] staged = buffers.get(X_TIME_MAJOR, steps * batch * inputSize);
        swapLeadingAxes(x, batch, steps, inputSize, staged);
        return staged;
    }

    /** Where the kernel writes the time-major y: y itself, or a buffer copied out by {@link #publishOutput}. */
    final float[] timeMajorOutput(float[] y) {
        return outputBatchFirst ? buffers.get(Y_TIME_MAJOR, steps * batch * outputSize) : y;
    }

    /** Copies the time-major output into the batch-first y when they differ. */
    final void publishOutput(float[] yTimeMajor, float[] y) {
        if (yTimeMajor != y) {
            swapLeadingAxes(yTimeMajor, steps, batch, outputSize, y);
        }
    }

    /** dy as time-major (in this call's buffers when y is batch-first). */
    final float[] timeMajorOutputGrad(float[] dy) {
        if (!outputBatchFirst) {
            return dy;
        }
        float[] staged = buffers.get(DY_TIME_MAJOR, steps * batch * outputSize);
        swapLeadingAxes(dy, batch, steps, outputSize, staged);
        return staged;
    }

    /** A buffer for the time-major dx; {@link #publishInputGrad} turns it into the returned gradient. */
    final float[] timeMajorInputGrad() {
        int n = steps * batch * inputSize;
        return inputBatchFirst ? buffers.get(DX_TIME_MAJOR, n) : new float[n];
    }

    final float[] publishInputGrad(float[] dxTimeMajor) {
        if (!inputBatchFirst) {
            return dxTimeMajor;
        }
        float[] dx = new float[steps * batch * inputSize];
        swapLeadingAxes(dxTimeMajor, steps, batch, inputSize, dx);
        return dx;
    }

    /** dst (d1, d0, f) = src (d0, d1, f) with the two leading axes exchanged. */
    static void swapLeadingAxes(float[] src, int d0, int d1, int f, float[] dst) {
        Parallelism.RangeBody rows = (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                for (int j = 0; j < d1; j++) {
                    System.arraycopy(src, (i * d1 + j) * f, dst, (j * d0 + i) * f, f);
                }
            }
        };
        if ((long) d0 * d1 * f >= PARALLEL_SWAP_MIN) {
            // Megabytes of x or y (infer-large: 6.5 and 13 MB per call), copied while the other thread idles.
            Parallelism.parallelFor(0, d0, 1, rows);
        } else {
            rows.run(0, d0);
        }
    }

    /** Floats from which a layout copy is split over the threads. */
    static final int PARALLEL_SWAP_MIN = 1 << 18;

    /** Fails clearly when the saved activations were handed to a later call. */
    final void checkSaved() {
        if (buffers == null || !buffers.ownedBy(this)) {
            throw new IllegalStateException("Trying to backward through a recurrent layer whose saved activations"
                    + " were freed: a later forward of the same layer reused them. Run backward before the next"
                    + " forward of this layer.");
        }
    }

    /**
     * Runs the sequence. {@code c0}/{@code cN} are used by the LSTM only; the states are read and written at
     * the offsets of {@link #stateOffsets}.
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
     * the gradients of y, h_n and c_n. Reads the saved activations without changing them (scratch goes to
     * other buffers), so a retained graph can run it again; the buffers stay this kernel's until
     * {@link #releaseSaved}.
     */
    abstract float[][] backward(float[] dy, float[] dhN, float[] dcN, boolean[] wanted);

    /** System property {@code lstm4j.rnn.split=false} turns the splitting of a step over the threads off. */
    static final boolean SPLIT_STEPS = !"false".equalsIgnoreCase(System.getProperty("lstm4j.rnn.split"));
    /** Gate elements (rows × hidden) of one step from which the gate pass is split over the threads by rows. */
    static final int ROWS_SPLIT_MIN_ELEMENTS = 8192;

    /**
     * Whether a step's gate pass over {@code rows} batch rows is split over the threads by rows: at least
     * {@link #ROWS_SPLIT_MIN_ELEMENTS} gate elements, and threads free here (inside a batch chunk they are not).
     * Rows are independent, so the split never changes a bit. Callers build the pass's lambda only when this
     * holds, so an unsplit step allocates nothing.
     */
    static boolean splitsGateRows(int rows, int hidden) {
        return SPLIT_STEPS && rows * hidden >= ROWS_SPLIT_MIN_ELEMENTS && Parallelism.parallelHere();
    }

    /**
     * Rows per batch chunk, at least, when the recurrence is split over the threads by batch rows: more than
     * {@link Gemm#dotShaped} rows, so each chunk's products take the blocked path, whose bits for a row do not
     * depend on the rows computed with it.
     */
    static final int MIN_CHUNK_ROWS = 8;

    /**
     * Runs {@code rows.run(r0, r1)} over chunks of the batch, one per thread and side by side when the pool
     * has threads here and the batch has at least {@link #MIN_CHUNK_ROWS} rows per chunk, else once over the
     * whole batch. Batch rows never meet in a recurrence (each row's state depends on that row alone), so a
     * chunk runs all its time steps without waiting for the others: no barrier per step, and each thread keeps
     * its rows' state, gates and products in its own cache. The bits do not depend on the chunking.
     */
    final void overBatchChunks(Parallelism.RangeBody rows) {
        int chunks = SPLIT_STEPS && Parallelism.parallelHere()
                ? Math.min(Parallelism.threads(), batch / MIN_CHUNK_ROWS) : 1;
        if (chunks <= 1) {
            rows.run(0, batch);
            return;
        }
        int base = batch / chunks;
        int extra = batch % chunks;
        Parallelism.concurrently(chunks, i -> {
            int r0 = i * base + Math.min(i, extra);
            rows.run(r0, r0 + base + (i < extra ? 1 : 0));
        });
    }

    /** Slot for the packed recurrent weights (forward: W_hh^T, backward: W_hh). */
    static final int PACKED_WEIGHTS = 7;

    /**
     * The recurrent product {@code C = A · op(W) + beta·C} of one step: with W packed once per sequence when
     * that pays ({@code packed} non-null), else a plain GEMM.
     */
    static void stepProduct(Gemm.PackedB packed, boolean transW, int m, int n, int k, float[] a, int aOff,
            float[] w, float beta, float[] c, int cOff) {
        stepProduct(packed, transW, m, n, k, a, aOff, k, w, beta, c, cOff);
    }

    /** {@link #stepProduct} with A's rows {@code lda} apart (a step's rows of a batch-first buffer). */
    static void stepProduct(Gemm.PackedB packed, boolean transW, int m, int n, int k, float[] a, int aOff, int lda,
            float[] w, float beta, float[] c, int cOff) {
        if (packed != null) {
            Gemm.sgemm(m, 1f, a, aOff, lda, packed, beta, c, cOff, n);
        } else {
            Gemm.sgemm(false, transW, m, n, k, 1f, a, aOff, lda, w, 0, transW ? k : n, beta, c, cOff, n);
        }
    }

    /** Copies {@code rows} rows of {@code width} floats, {@code srcStride} apart in src, adjacent in dst. */
    static void copyRows(float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int rows, int width) {
        if (srcStride == width) {
            System.arraycopy(src, srcOff, dst, dstOff, rows * width);
            return;
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(src, srcOff + r * srcStride, dst, dstOff + r * width, width);
        }
    }

    /**
     * {@link #stepProduct} writing {@code C = A · op(W) + bias} (bias on every row, or none when null): the
     * bits of a bias fill followed by the product with beta = 1 ({@link Gemm#sgemmAddingRowBias}).
     */
    static void stepProductAddingBias(Gemm.PackedB packed, boolean transW, int m, int n, int k, float[] a, int aOff,
            float[] w, float[] bias, float[] c, int cOff) {
        if (packed != null) {
            Gemm.sgemmAddingRowBias(m, a, aOff, k, packed, bias, c, cOff, n);
        } else {
            Gemm.sgemmAddingRowBias(false, transW, m, n, k, a, aOff, k, w, 0, transW ? k : n, bias, c, cOff, n);
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

    /** b_ih + b_hh in this call's buffers (slot {@link #BIAS_SUM}). */
    final float[] biasSum(int width) {
        float[] row = buffers.get(BIAS_SUM, width);
        for (int j = 0; j < width; j++) {
            row[j] = bIh[j] + bHh[j];
        }
        return row;
    }

    /** This call's input projection (set by {@link #prepareInputs}). */
    InputProjection inputs;

    /**
     * Steps of input projections of {@code width} that a call keeping nothing for backward holds at once (a
     * rolling block, {@link InputProjection#rollingSteps}), or 0 when a call must hold all steps' (it keeps
     * them for backward, or projects up front).
     */
    final int rollingProjectionSteps(boolean keep, int width) {
        return keep ? 0 : InputProjection.rollingSteps(steps, batch, inputSize, width);
    }

    /**
     * Stages x time-major (kept for backward) and sets up its projection {@code x · W_ihᵀ + b_ih} (plus
     * {@code b_hh} when {@code withHiddenBias}: LSTM, RNN; the GRU keeps b_hn apart) into {@code target}: done
     * here for all steps (T·B rows of {@code width}) unless the step loops do it ({@link InputProjection}),
     * per step in place, or in rolling blocks of {@code rollingSteps} steps ({@link #rollingProjectionSteps};
     * 0 for none). With {@code project} false nothing is projected (the caller folds the projection into its
     * own one-step call, which never projects per step).
     */
    final void prepareInputs(float[] input, float[] target, int width, boolean withHiddenBias, boolean project,
            int rollingSteps) {
        // A call that projects in its step loops and keeps nothing gathers the rows of a batch-first x in place.
        boolean inPlace = inputBatchFirst && rollingSteps > 0;
        x = inPlace ? input : timeMajorInput(input);
        StepRows xRows = inPlace ? StepRows.batchFirst(steps, inputSize) : StepRows.timeMajor(batch, inputSize);
        float[] bias = bIh == null ? null : withHiddenBias ? biasSum(width) : bIh;
        inputs = new InputProjection(x, xRows, steps, batch, inputSize, wIh, prepacked == null ? null
                : prepacked.inputWeights, width, bias, buffers, reverse, rollingSteps);
        if (project && inputs.upFront()) {
            inputs.projectAll(target);
        }
    }

    /** This backward call's bias gradient sums; null when the bias gradients are not wanted. */
    private BiasGradientSums biasSums;

    /** Sets up the bias gradients of a backward call ({@link BiasGradientSums}) when they are wanted. */
    final void startBiasSums(boolean[] wanted, int width, boolean separateHidden) {
        biasSums = bIh != null && (wanted[5] || wanted[6])
                ? new BiasGradientSums(buffers, batch, width, separateHidden) : null;
    }

    /** Adds one step's gradient rows of batch rows [r0, r1) to the bias sums (dHp used by the GRU only). */
    final void addToBiasSums(float[] dXp, float[] dHp, int stepOff, int r0, int r1) {
        if (biasSums != null) {
            biasSums.add(dXp, dHp, stepOff, r0, r1);
        }
    }

    /**
     * The gradients every recurrence ends with, each one large GEMM over all steps, into {@code grads}
     * (indices 0, 3, 4, 5, 6): dx = dXp · W_ih, dW_ih = dXpᵀ · x, dW_hh = dHpᵀ · h_prev, and the bias
     * gradients from the step loops' {@link BiasGradientSums}. dXp and dHp are the gradients of the input and
     * recurrent projections, (T·B, width): the same array for LSTM and RNN, apart for the GRU.
     */
    final void projectionGradients(boolean[] wanted, float[] dXp, float[] dHp, int width, float[] hPrev,
            float[][] grads) {
        int rows = steps * batch;
        if (wanted[0]) {
            float[] dx = timeMajorInputGrad();
            Gemm.sgemm(false, false, rows, inputSize, width, 1f, dXp, 0, width, wIh, 0, inputSize, 0f, dx, 0, inputSize);
            grads[0] = publishInputGrad(dx);
        }
        Parallelism.RangeBody weights = (first, end) -> {
            for (int which = first; which < end; which++) {
                if (which == 0 && wanted[3]) {
                    grads[3] = inputs.weightGradient(dXp);
                } else if (which == 1 && wanted[4]) {
                    grads[4] = new float[width * outputSize];
                    Gemm.sgemm(true, false, width, outputSize, rows, 1f, dHp, 0, width, hPrev, 0, outputSize, 0f,
                            grads[4], 0, outputSize);
                }
            }
        };
        if (wanted[3] && wanted[4] && inputs.productCostsAsMuchAs(outputSize)
                && Parallelism.parallelHere()) {
            // Two equal GEMMs, one per thread: no barrier per k slice, each thread's operands its own.
            Parallelism.concurrently(2, which -> weights.run(which, which + 1));
        } else {
            weights.run(0, 2);
        }
        if (biasSums != null) {
            float[] dBiasIh = biasSums.inputBias();
            float[] dBiasHh = biasSums.hiddenBias(dBiasIh);
            grads[5] = wanted[5] ? dBiasIh : null;
            grads[6] = wanted[6] ? dBiasHh : null;
        }
    }
}
