package org.lstm4j.nn.rnn;

import org.lstm4j.kernels.Gemm;

/**
 * The input side of one layer-direction call: the projection {@code x · W_ihᵀ + bias} of every step's batch
 * rows in forward, and {@code dW_ih = dXpᵀ · x} in backward, for a time-major x of (T·B) rows.
 *
 * <p>The projection is done either for all steps up front ({@link #projectAll}: one GEMM), or, when W_ih is
 * small and the sequence has several steps, step by step inside the chunk loops ({@link #projectStep}: a
 * packed-W GEMM per step), so that a step's gate pre-activations are written just before the recurrent product
 * adds to them, while in cache, instead of all steps' going to memory and coming back. Both give the same bits:
 * the per-step products have the same k slices and never take the dot path. One-hot x ({@link OneHotInputs})
 * is gathered instead of multiplied, and its dW_ih scattered, with the GEMM's bits.
 */
final class InputProjection {
    /**
     * System property {@code lstm4j.rnn.projectPerStep=false}: project all steps' inputs up front (the same
     * bits; tests and benchmarks switch it).
     */
    static boolean perStepEnabled = !"false".equalsIgnoreCase(System.getProperty("lstm4j.rnn.projectPerStep"));

    /**
     * W_ih sizes (floats) up to which the inputs are projected per step: the per-step products then read W_ih
     * from L2 (half of a 1 MB L2 here). A larger W_ih is streamed from L3 at every step, which costs more than
     * the memory round trip of an up-front projection saves (infer-large's 2 MB W_ih: 2% slower per step).
     */
    static final int PER_STEP_MAX_WEIGHTS = 1 << 17;

    private final float[] x;
    private final int steps;
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
    /** W_ihᵀ packed for the per-step GEMMs (dense x, per step only). */
    private Gemm.PackedB packedWeights;
    /** W_ihᵀ for the gather of one-hot x. */
    private float[] transposedWeights;

    /**
     * Whether a call of this shape projects per step: several steps, a batch that takes the blocked GEMM path,
     * and a W_ih of at most {@link #PER_STEP_MAX_WEIGHTS}. Depends on the shape only, never on the threads.
     */
    static boolean projectsPerStep(int steps, int batch, int inputSize, int width) {
        return perStepEnabled && steps > 1 && !Gemm.dotShaped(batch) && (long) inputSize * width <= PER_STEP_MAX_WEIGHTS;
    }

    /**
     * @param x the time-major input, (steps·batch) × inputSize, kept for the weight gradient
     * @param wIh W_ih, width × inputSize
     * @param bias added to every projected row, or null
     */
    InputProjection(float[] x, int steps, int batch, int inputSize, float[] wIh, int width, float[] bias,
            LayerWorkspace.Buffers buffers) {
        this.x = x;
        this.steps = steps;
        this.batch = batch;
        this.inputSize = inputSize;
        this.width = width;
        this.wIh = wIh;
        this.bias = bias;
        this.buffers = buffers;
        this.hotColumns = OneHotInputs.hotColumns(x, steps * batch, inputSize);
        this.perStep = projectsPerStep(steps, batch, inputSize, width);
        if (perStep && hotColumns != null) {
            transposedWeights = transposedWeights();
            OneHotInputs.transpose(wIh, width, inputSize, transposedWeights);
        } else if (perStep) {
            packedWeights = Gemm.packB(true, inputSize, width, wIh, 0, inputSize,
                    buffers.get(SequenceKernel.W_IH_PACKED, Gemm.packedSize(inputSize, width)));
        }
    }

    /** Whether the step loops project their rows ({@link #projectStep}) instead of {@link #projectAll}. */
    boolean perStep() {
        return perStep;
    }

    /** All steps' projections into {@code target}, (steps·batch) × width: one GEMM, or the one-hot gather. */
    void projectAll(float[] target) {
        if (hotColumns != null) {
            OneHotInputs.project(hotColumns, wIh, width, inputSize, bias, target, transposedWeights());
            return;
        }
        Gemm.sgemmAddingRowBias(false, true, steps * batch, width, inputSize, x, 0, inputSize, wIh, 0, inputSize, bias,
                target, 0, width);
    }

    /** The projection of time step t's batch rows [r0, r1) into target from targetOff on (per step only). */
    void projectStep(int t, int r0, int r1, float[] target, int targetOff) {
        int row = t * batch + r0;
        if (hotColumns != null) {
            OneHotInputs.gather(hotColumns, row, row + r1 - r0, transposedWeights, width, bias, target, targetOff);
        } else {
            Gemm.sgemmAddingRowBias(r1 - r0, x, row * inputSize, inputSize, packedWeights, bias, target, targetOff,
                    width);
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
