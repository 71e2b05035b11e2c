package org.lstm4j.kernels;

/**
 * Vector-matrix products for the four row blocks of a gate matrix at once, such as an LSTM's i, f, g, o gates:
 * {@code y_b = bias_b + x1 · W1_bᵀ + x2 · W2_bᵀ} for blocks b = 0..3, where W1 and W2 (the input and the
 * recurrent weights) each hold the four blocks one under the other, {@code rowsPerBlock} rows apiece, and the
 * caller passes x1 and x2 side by side as one input {@code x = [x1 | x2]}.
 *
 * <p>The packing interleaves everything one panel of 16 outputs needs: for each input index p (W1's k1 columns,
 * then W2's k2), the 16 weights of each of the four blocks side by side, 64 floats. A panel's products then read
 * one contiguous stream, and a range of panels one longer stream, instead of eight (two matrices × four blocks)
 * that restart at every block. For a serving step whose weights do not fit in L2 this is what sets the speed: a
 * two-layer LSTM of 256 units on 65 inputs (3.4 MB) stepped 1.22x faster on two threads than with
 * {@link PanelGemv} panels per matrix and block at 512-bit vectors, 1.23x at 256 and 1.19x at 128 (Zen 5,
 * paired), with the same bits.
 *
 * <p>Each output is the bias, then x1's terms in ascending p, then x2's, one rounding per step: the sums of a
 * bias copied into y followed by {@link PanelGemv#accumulate} of x1 and of x2, whatever the panel range or thread.
 * The kernels run one k loop over x from a bias that is always there (zeros for none): with a loop per input and
 * an optional bias, C2 left the 128-bit kernel's vectors boxed in about one fresh JVM in twelve.
 */
public final class InterleavedPanelGemv {
    /** Row blocks packed side by side (an LSTM's four gates). */
    public static final int BLOCKS = 4;
    /** Outputs per panel and block. */
    public static final int WIDTH = PanelGemv.WIDTH;

    private InterleavedPanelGemv() {}

    /** Panels needed for {@code rowsPerBlock} outputs per block (the last one padded with zero weights). */
    public static int panels(int rowsPerBlock) {
        return PanelGemv.panels(rowsPerBlock);
    }

    /**
     * Packs W1 ({@code 4·rowsPerBlock} rows of {@code k1} floats, row-major) and W2 ({@code 4·rowsPerBlock} rows
     * of {@code k2}): block b's output o's weight for W1's input p goes to
     * {@code [((o/16 · (k1+k2) + p) · 4 + b) · 16 + o%16]}, and for W2's input p to the same place at {@code k1 + p}.
     */
    public static float[] pack(float[] w1, int k1, float[] w2, int k2, int rowsPerBlock) {
        int k = k1 + k2;
        float[] packed = new float[org.lstm4j.tensor.Shape.arrayLength("interleaved panel weights",
                new String[] {"panels", "k1 + k2", "blocks", "panel width"},
                new int[] {panels(rowsPerBlock), k, BLOCKS, WIDTH}, "use a smaller weight matrix")];
        for (int b = 0; b < BLOCKS; b++) {
            for (int o = 0; o < rowsPerBlock; o++) {
                int row = b * rowsPerBlock + o;
                int dst = (o / WIDTH * k * BLOCKS + b) * WIDTH + o % WIDTH;
                for (int p = 0; p < k1; p++) {
                    packed[dst + p * BLOCKS * WIDTH] = w1[row * k1 + p];
                }
                for (int p = 0; p < k2; p++) {
                    packed[dst + (k1 + p) * BLOCKS * WIDTH] = w2[row * k2 + p];
                }
            }
        }
        return packed;
    }

    /**
     * Packs the sum of two bias vectors of {@code 4·rowsPerBlock} floats (either or both may be null: zeros) the
     * way {@link #products} reads them: block b's output o at {@code [(o/16 · 4 + b) · 16 + o%16]}, each the float
     * sum {@code bias1 + bias2}.
     */
    public static float[] packBias(float[] bias1, float[] bias2, int rowsPerBlock) {
        float[] packed = new float[panels(rowsPerBlock) * BLOCKS * WIDTH];
        for (int b = 0; b < BLOCKS; b++) {
            for (int o = 0; o < rowsPerBlock; o++) {
                int row = b * rowsPerBlock + o;
                float sum = (bias1 == null ? 0f : bias1[row]) + (bias2 == null ? 0f : bias2[row]);
                packed[(o / WIDTH * BLOCKS + b) * WIDTH + o % WIDTH] = sum;
            }
        }
        return packed;
    }

    /**
     * Panels {@code [panel0, panel1)} of the four blocks' products on the calling thread, with weights from
     * {@link #pack} ({@code k = k1 + k2}), x = [x1 | x2] from {@code xOff} and a bias from {@link #packBias}:
     * block b's output {@code q*16 + j} goes to {@code y[yOff + b*blockStride + q*16 + j]}, overwriting it.
     */
    public static void products(int k, float[] x, int xOff, float[] packed, float[] bias, int panel0, int panel1,
            float[] y, int yOff, int blockStride) {
        long panelFloats = (long) k * BLOCKS * WIDTH;
        if (panel0 < 0 || panel1 < panel0 || panel1 * panelFloats > packed.length
                || (long) panel1 * BLOCKS * WIDTH > bias.length || blockStride < (long) panel1 * WIDTH
                || yOff + (BLOCKS - 1L) * blockStride + (long) panel1 * WIDTH > y.length || xOff + (long) k > x.length) {
            throw new IllegalArgumentException("panels [" + panel0 + ", " + panel1 + ") of " + k + " inputs: packed "
                    + packed.length + " floats, bias " + bias.length + ", y " + y.length + " from " + yOff
                    + " with blocks " + blockStride + " apart, x " + x.length + " from " + xOff);
        }
        MicroKernels.preferred().interleavedPanelProducts(k, x, xOff, packed, (int) (panel0 * panelFloats), bias,
                panel0 * BLOCKS * WIDTH, panel1 - panel0, y, yOff + panel0 * WIDTH, blockStride);
    }
}
