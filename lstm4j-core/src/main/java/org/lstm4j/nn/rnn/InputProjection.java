package org.lstm4j.nn.rnn;

import java.util.OptionalLong;
import org.lstm4j.kernels.CacheSizes;
import org.lstm4j.kernels.Gemm;

/**
 * The input side of one layer-direction call: the projection {@code x · W_ihᵀ + bias} of every step's batch
 * rows in forward, and {@code dW_ih = dXpᵀ · x} in backward, for a time-major x of (T·B) rows.
 *
 * <p>Where the projection is done, by shape, and whether the call keeps its activations for backward:
 * <ul>
 *   <li>up front for all steps ({@link #projectAll}: one GEMM into a (T·B) × width buffer), when W_ih is large
 *       and the call keeps its activations;
 *   <li>step by step inside the chunk loops, when W_ih is small (it then stays in L2), so that a step's gate
 *       pre-activations are written just before the recurrent product adds to them, while in cache, instead of
 *       all steps' going to memory and coming back;
 *   <li>in rolling blocks of a few steps ({@link #rollingSteps}) when nothing is kept for backward, W_ih is
 *       large and each CPU has an L2 of at least {@link #ROLLING_MIN_L2_BYTES}: each chunk projects its rows of
 *       the next few steps with one GEMM into a buffer that stays in cache, so W_ih is streamed once per block,
 *       and no step's projection makes the round trip to memory (infer-large: 52 MB written and read back per
 *       call up front). With a smaller L2 the inputs are projected up front.
 * </ul>
 * {@link #stepRows} hides which. All give the same bits: every product has the same k slices and never takes
 * the dot path. One-hot x ({@link OneHotInputs}) is gathered instead of multiplied, and its dW_ih scattered,
 * with the GEMM's bits.
 */
final class InputProjection {
    /**
     * System property {@code lstm4j.rnn.projectPerStep=false}: project all steps' inputs up front, never per
     * step or in rolling blocks (the same bits; tests and benchmarks switch it).
     */
    static boolean perStepEnabled = !"false".equalsIgnoreCase(System.getProperty("lstm4j.rnn.projectPerStep"));

    /** The system property that forces rolling blocks on ({@code true}) or off ({@code false}) on any machine. */
    static final String ROLLING_PROPERTY = "lstm4j.rnn.rollingBlocks";

    /**
     * The L2 per CPU from which large-W_ih inputs are projected in rolling blocks rather than up front. Paired in
     * one JVM on infer-large (bench/README): with 1 MB of L2 a core (Zen 5) rolling blocks were 1.098x as fast
     * (stop 20); with 512 KB (Zen 3), 0.962x, 0.921x and 0.854x (stop 35), each thread's 512 KB block evicted
     * by W_hh's stream before the steps read it.
     */
    static final long ROLLING_MIN_L2_BYTES = 1 << 20;

    /**
     * Whether large-W_ih calls that keep nothing project in rolling blocks: {@link #rollingBlocksPay} of this
     * machine's L2 and {@value #ROLLING_PROPERTY}, read once (the same bits either way; tests switch it).
     */
    static boolean rollingEnabled = rollingBlocksPay(System.getProperty(ROLLING_PROPERTY), CacheSizes.l2BytesPerCpu());

    /**
     * W_ih sizes (floats) up to which the inputs are projected per step: the per-step products then read W_ih
     * from L2 (half of a 1 MB L2 here). A larger W_ih is streamed from L3 at every step, which costs more than
     * the memory round trip of an up-front projection saves (infer-large's 2 MB W_ih: 2% slower per step).
     */
    static final int PER_STEP_MAX_WEIGHTS = 1 << 17;

    /**
     * Projected floats a rolling block holds, all chunks together, at most: 1 MB, so that a block written by
     * its GEMM is still in L2 or L3 when the steps' products add to it. Blocks of fewer than two steps are not
     * worth it (W_ih would be streamed at every step).
     */
    static final int ROLLING_MAX_FLOATS = 1 << 18;

    private final float[] x;
    /** Where x's rows are: time-major, or batch-first read in place by a call that keeps nothing. */
    private final StepRows xRows;
    private final int steps;
    private final boolean reverse;
    private final int batch;
    private final int inputSize;
    private final int width;
    private final float[] wIh;
    /** b_ih (with b_hh for LSTM and RNN), or null. */
    private final float[] bias;
    private final LayerWorkspace.Buffers buffers;
    /** Per row of x, the column of its 1 when x is one-hot, else null. */
    private final int[] hotColumns;
    private final boolean perStep;
    /** Steps per rolling block (1 for small W_ih), or 0 when the projections of all steps are kept. */
    private final int rollingSteps;
    /**
     * W_ihᵀ packed for the per-step and block GEMMs (dense x, not up front), or for all of them when the caller
     * packed it once.
     */
    private Gemm.PackedB packedWeights;
    /** W_ihᵀ for the gather of one-hot x. */
    private float[] transposedWeights;
    /** The rows of each chunk's next block gathered from x (dense x in rolling blocks only). */
    private float[] blockInputs;

    /**
     * Whether a call of this shape projects per step: several steps, a batch that takes the blocked GEMM path,
     * and a W_ih of at most {@link #PER_STEP_MAX_WEIGHTS}. Depends on the shape only, never on the threads.
     */
    static boolean projectsPerStep(int steps, int batch, int inputSize, int width) {
        return perStepEnabled && steps > 1 && !Gemm.dotShaped(batch) && (long) inputSize * width <= PER_STEP_MAX_WEIGHTS;
    }

    /**
     * Steps per rolling block for a call of this shape that keeps nothing for backward: 1 when it projects per
     * step, else as many as {@link #ROLLING_MAX_FLOATS} holds when that is at least two (at most all the
     * steps), else 0 (up front; always so where {@link #rollingEnabled} is off). Depends on the shape and the
     * machine's L2, never on the threads.
     */
    static int rollingSteps(int steps, int batch, int inputSize, int width) {
        if (projectsPerStep(steps, batch, inputSize, width)) {
            return 1;
        }
        if (!perStepEnabled || !rollingEnabled || steps <= 1 || Gemm.dotShaped(batch)) {
            return 0;
        }
        long fit = ROLLING_MAX_FLOATS / ((long) batch * width);
        return fit >= 2 ? (int) Math.min(fit, steps) : 0;
    }

    /**
     * Whether rolling blocks pay: as {@code forced} says when it is {@code true} or {@code false}; otherwise when
     * the L2 per CPU is at least {@link #ROLLING_MIN_L2_BYTES}, or unknown (the choice measured on the larger L2).
     *
     * @throws IllegalArgumentException naming {@value #ROLLING_PROPERTY} when {@code forced} is anything else
     */
    static boolean rollingBlocksPay(String forced, OptionalLong l2BytesPerCpu) {
        if (forced != null && !forced.isBlank()) {
            return switch (forced.strip()) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("-D" + ROLLING_PROPERTY + "=" + forced
                        + ": expected true or false (project large inputs in rolling blocks or up front), or unset"
                        + " for this machine's choice by its L2 size");
            };
        }
        return l2BytesPerCpu.isEmpty() || l2BytesPerCpu.getAsLong() >= ROLLING_MIN_L2_BYTES;
    }

    /**
     * @param x the input, (steps·batch) × inputSize, kept for the weight gradient
     * @param xRows where x's rows are: time-major, or batch-first (only with {@code rollingSteps > 0}: a call
     *     that projects in the step loops and keeps nothing for backward, which then gathers its rows in place)
     * @param wIh W_ih, width × inputSize
     * @param packedWeights W_ihᵀ packed once by the caller ({@link PackedLayerWeights}), or null to pack it here
     *     when the step loops project
     * @param bias added to every projected row, or null
     * @param reverse the steps run from the last time step to the first
     * @param rollingSteps steps per rolling block ({@link #rollingSteps}), or 0 to keep all steps' projections
     */
    InputProjection(float[] x, StepRows xRows, int steps, int batch, int inputSize, float[] wIh,
            Gemm.PackedB packedWeights, int width, float[] bias, LayerWorkspace.Buffers buffers, boolean reverse,
            int rollingSteps) {
        if (rollingSteps == 0 && !xRows.equals(StepRows.timeMajor(batch, inputSize))) {
            throw new IllegalArgumentException("x must be time-major when all steps are projected or kept, got "
                    + xRows);
        }
        this.x = x;
        this.xRows = xRows;
        this.steps = steps;
        this.reverse = reverse;
        this.rollingSteps = rollingSteps;
        this.batch = batch;
        this.inputSize = inputSize;
        this.width = width;
        this.wIh = wIh;
        this.bias = bias;
        this.buffers = buffers;
        this.hotColumns = OneHotInputs.hotColumns(x, steps * batch, inputSize);
        this.perStep = projectsPerStep(steps, batch, inputSize, width);
        if (!upFront() && hotColumns != null) {
            transposedWeights = transposedWeights();
            OneHotInputs.transpose(wIh, width, inputSize, transposedWeights);
        } else if (packedWeights != null) {
            this.packedWeights = packedWeights;
        } else if (!upFront()) {
            this.packedWeights = Gemm.packB(true, inputSize, width, wIh, 0, inputSize,
                    buffers.get(SequenceKernel.W_IH_PACKED, Gemm.packedSize(inputSize, width)));
        }
        if (rollingSteps > 1 && hotColumns == null) {
            blockInputs = buffers.get(SequenceKernel.X_BLOCK, rollingSteps * batch * inputSize);
        }
    }

    /** Whether {@link #projectAll} must run before the step loops (nothing is projected inside them). */
    boolean upFront() {
        return !perStep && rollingSteps == 0;
    }

    /** All steps' projections into {@code target}, (steps·batch) × width: one GEMM, or the one-hot gather. */
    void projectAll(float[] target) {
        if (hotColumns != null) {
            OneHotInputs.project(hotColumns, wIh, width, inputSize, bias, target, transposedWeights());
            return;
        }
        if (packedWeights != null) {
            Gemm.sgemmAddingRowBias(steps * batch, x, 0, inputSize, packedWeights, bias, target, 0, width);
            return;
        }
        Gemm.sgemmAddingRowBias(false, true, steps * batch, width, inputSize, x, 0, inputSize, wIh, 0, inputSize, bias,
                target, 0, width);
    }

    /**
     * Where the projection of step {@code s}'s batch rows [r0, r1) is in {@code target} (row r at the returned
     * offset plus {@code (r - r0) * width}), projecting it first when the step loops do that: this step alone,
     * or when it starts a rolling block, the chunk's rows of the whole block (the chunk's region of the block
     * buffer, steps one after the other, so that one GEMM writes them). Called for every step in order.
     */
    int stepRows(int s, int r0, int r1, float[] target) {
        int t = timeAt(s);
        if (rollingSteps == 0) {
            int offset = (t * batch + r0) * width;
            if (perStep) {
                projectRows(t, r0, r1, target, offset);
            }
            return offset;
        }
        int rows = r1 - r0;
        int chunkBase = r0 * rollingSteps * width;
        int j = s % rollingSteps;
        if (j == 0) {
            projectBlock(s, Math.min(rollingSteps, steps - s), r0, r1, target, chunkBase);
        }
        return chunkBase + j * rows * width;
    }

    private int timeAt(int s) {
        return reverse ? steps - 1 - s : s;
    }

    /** Steps [s, s + count) of rows [r0, r1), one after the other from {@code targetOff}: one GEMM for dense x. */
    private void projectBlock(int s, int count, int r0, int r1, float[] target, int targetOff) {
        int rows = r1 - r0;
        if (count == 1 || hotColumns != null) {
            for (int j = 0; j < count; j++) {
                projectRows(timeAt(s + j), r0, r1, target, targetOff + j * rows * width);
            }
            return;
        }
        float[] source = x;
        int sourceOff = xRows.offset(timeAt(s), 0);
        if (rows != batch || reverse || xRows.rowStride() != inputSize) {
            // The chunk's rows of successive steps are not adjacent in x: gather them (a few KB per step).
            source = blockInputs;
            sourceOff = r0 * rollingSteps * inputSize;
            for (int j = 0; j < count; j++) {
                SequenceKernel.copyRows(x, xRows.offset(timeAt(s + j), r0), xRows.rowStride(), source,
                        sourceOff + j * rows * inputSize, rows, inputSize);
            }
        }
        Gemm.sgemmAddingRowBias(count * rows, source, sourceOff, inputSize, packedWeights, bias, target, targetOff,
                width);
    }

    /** The projection of time step t's batch rows [r0, r1) into target from targetOff on. */
    private void projectRows(int t, int r0, int r1, float[] target, int targetOff) {
        int xOff = xRows.offset(t, r0);
        if (hotColumns == null) {
            Gemm.sgemmAddingRowBias(r1 - r0, x, xOff, xRows.rowStride(), packedWeights, bias, target, targetOff,
                    width);
        } else if (xRows.rowStride() == inputSize) {
            int row = xOff / inputSize;
            OneHotInputs.gather(hotColumns, row, row + r1 - r0, transposedWeights, width, bias, target, targetOff);
        } else {
            for (int r = r0; r < r1; r++) {
                int row = xRows.offset(t, r) / inputSize;
                OneHotInputs.gather(hotColumns, row, row + 1, transposedWeights, width, bias, target,
                        targetOff + (r - r0) * width);
            }
        }
    }

    /** {@code dW_ih = dXpᵀ · x} (width × inputSize) for the projection gradient dXp, (steps·batch) × width. */
    float[] weightGradient(float[] dXp) {
        if (hotColumns != null) {
            return OneHotInputs.weightGradient(hotColumns, dXp, width, inputSize, transposedWeights(),
                    buffers.get(SequenceKernel.ONE_HOT_TOTAL, inputSize * width));
        }
        float[] gradient = new float[width * inputSize];
        Gemm.sgemm(true, false, width, inputSize, steps * batch, 1f, dXp, 0, width, x, 0, inputSize, 0f, gradient, 0,
                inputSize);
        return gradient;
    }

    /**
     * Whether {@link #weightGradient} is a GEMM of about the cost of one over {@code otherColumns} columns
     * (within 25%): a product, not the one-hot scatter, over a similar input width.
     */
    boolean productCostsAsMuchAs(int otherColumns) {
        return hotColumns == null && 4 * Math.max(inputSize, otherColumns) <= 5 * Math.min(inputSize, otherColumns);
    }

    /** Room for W_ihᵀ (the gather's source; scratch for the scatter, which comes after every gather). */
    private float[] transposedWeights() {
        return buffers.get(SequenceKernel.W_IH_TRANSPOSED, inputSize * width);
    }
}
