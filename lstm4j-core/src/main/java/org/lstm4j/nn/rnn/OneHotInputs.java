package org.lstm4j.nn.rnn;

import java.util.Arrays;
import org.lstm4j.kernels.Gemm;
import org.lstm4j.kernels.Parallelism;

/**
 * Input projections of one-hot inputs (every row of x a single 1 among zeros, as in a character model fed
 * one-hot vectors): {@code x · W_ihᵀ} is then a gather of W_ih's columns and {@code dW_ih = dXpᵀ · x} a
 * scatter-add of dXp's rows, a few memory passes instead of two GEMMs.
 *
 * <p>Both give the GEMM's bits: with x in {0, 1} every product the GEMM accumulates is exact (the weight or a
 * zero), so its sums reduce to the same additions in the same order, which is kept here: the rows of a class
 * are summed in ascending order within each slice of {@link Gemm#K_SLICE} rows, and each slice's sum is
 * added to the total as the GEMM does. (Only a non-finite weight or gradient would differ: the GEMM
 * multiplies it by zero into a NaN.)
 */
final class OneHotInputs {
    /** System property {@code lstm4j.rnn.oneHot=false} turns the gather and scatter off (tests, benchmarks). */
    static boolean enabled = !"false".equalsIgnoreCase(System.getProperty("lstm4j.rnn.oneHot"));

    /** Rows per chunk of the parallel gather. */
    private static final int ROW_GRAIN = 64;
    /** Weight rows (gate columns) per chunk of the parallel scatter. */
    private static final int COLUMN_GRAIN = 64;
    /** The scatter's row additions, vectorized when the Vector API is present. */
    private static final GateKernels ADDER = GateKernels.preferred();

    private OneHotInputs() {}

    /**
     * The column of the 1 in each of x's rows (rows × width), or null unless every row is exactly one 1 and
     * zeros, or when disabled.
     */
    static int[] hotColumns(float[] x, int rows, int width) {
        if (!enabled || width < 2 || rows == 0 || hotColumn(x, 0, width) < 0) {
            return null;
        }
        int[] hot = new int[rows];
        for (int r = 0; r < rows; r++) {
            int c = hotColumn(x, r * width, width);
            if (c < 0) {
                return null;
            }
            hot[r] = c;
        }
        return hot;
    }

    /** The column of the single 1 in the row at {@code base}, or -1 when the row is not one-hot. */
    private static int hotColumn(float[] x, int base, int width) {
        int found = -1;
        for (int j = 0; j < width; j++) {
            float v = x[base + j];
            if (v == 0f) {
                continue;
            }
            if (v != 1f || found >= 0) {
                return -1;
            }
            found = j;
        }
        return found;
    }

    /**
     * {@code target} (rows × width) = W_ih's column {@code hot[r]} (+ {@code bias} when not null) for each row,
     * with W_ih stored (width × inputSize); {@code transposed} (inputSize × width floats) is scratch for W_ihᵀ.
     */
    static void project(int[] hot, float[] wIh, int width, int inputSize, float[] bias, float[] target,
            float[] transposed) {
        transpose(wIh, width, inputSize, transposed);
        Parallelism.parallelFor(0, hot.length, ROW_GRAIN,
                (r0, r1) -> gather(hot, r0, r1, transposed, width, bias, target, r0 * width));
    }

    /**
     * {@code transposed} (inputSize × width) = W_ihᵀ, each weight as {@code 0 + w}: the GEMM's sum starts from
     * +0, so a -0 weight comes out +0 there too.
     */
    static void transpose(float[] wIh, int width, int inputSize, float[] transposed) {
        for (int j = 0; j < width; j++) {
            for (int c = 0; c < inputSize; c++) {
                transposed[c * width + j] = 0f + wIh[j * inputSize + c];
            }
        }
    }

    /**
     * The projections of x's rows [r0, r1) into {@code target} from {@code targetOff} (one row of width after
     * another): row {@code hot[r]} of W_ihᵀ ({@link #transpose}), plus {@code bias} when not null.
     */
    static void gather(int[] hot, int r0, int r1, float[] transposed, int width, float[] bias, float[] target,
            int targetOff) {
        for (int r = r0; r < r1; r++) {
            int row = targetOff + (r - r0) * width;
            int col = hot[r] * width;
            System.arraycopy(transposed, col, target, row, width);
            if (bias != null) {
                // weight + bias, added in place: the same bits as the sum written at once.
                ADDER.addTo(target, row, bias, 0, width);
            }
        }
    }

    /**
     * dW_ih (width × inputSize) = dXpᵀ · x for the one-hot x of {@code hot}; dXp is (rows × width).
     * {@code sums} and {@code total} are scratch of at least inputSize × width floats each.
     */
    static float[] weightGradient(int[] hot, float[] dXp, int width, int inputSize, float[] sums, float[] total) {
        int rows = hot.length;
        // Accumulated transposed (one row per class, contiguous in the gate column), then turned around.
        Arrays.fill(total, 0, inputSize * width, 0f);
        Parallelism.parallelFor(0, width, COLUMN_GRAIN, (j0, j1) -> {
            int span = j1 - j0;
            // This chunk's columns of one slice's sums, one row per class, in its own part of sums.
            int slice0 = inputSize * j0;
            boolean[] present = new boolean[inputSize];
            for (int s0 = 0; s0 < rows; s0 += Gemm.K_SLICE) {
                int s1 = Math.min(rows, s0 + Gemm.K_SLICE);
                Arrays.fill(present, false);
                for (int r = s0; r < s1; r++) {
                    int c = hot[r];
                    int acc = slice0 + c * span;
                    if (!present[c]) {
                        // Each slice's sum starts from +0, as the GEMM's does.
                        present[c] = true;
                        Arrays.fill(sums, acc, acc + span, 0f);
                    }
                    ADDER.addTo(sums, acc, dXp, r * width + j0, span);
                }
                for (int c = 0; c < inputSize; c++) {
                    if (!present[c]) {
                        continue;
                    }
                    int acc = slice0 + c * span;
                    int dst = c * width + j0;
                    if (s0 == 0) {
                        System.arraycopy(sums, acc, total, dst, span);
                    } else {
                        // total + sums: the same bits as sums + total (float addition commutes exactly).
                        ADDER.addTo(total, dst, sums, acc, span);
                    }
                }
            }
        });
        float[] grad = new float[width * inputSize];
        for (int c = 0; c < inputSize; c++) {
            for (int j = 0; j < width; j++) {
                grad[j * inputSize + c] = total[c * width + j];
            }
        }
        return grad;
    }
}
