package org.lstm4j.kernels;

/**
 * Vector-matrix products {@code y += x · Wᵀ} against a weight matrix packed once into panels of
 * {@link #WIDTH} output rows: each panel holds, for every input index p, the 16 weights of its outputs side
 * by side, so a product reads the panel front to back in one stream and needs no horizontal sums. For
 * serving one sequence step by step, where the same weights are used at every call (the dot-product path
 * of {@link Gemm} reads W row by row, several streams at once, and sums lanes at the end of each row).
 *
 * <p>Each output is accumulated onto y's value in ascending input order, one rounding per step, whatever the
 * panel range or thread, so results do not depend on how callers split the panels.
 */
public final class PanelGemv {
    /** Outputs per panel. */
    public static final int WIDTH = 16;

    private PanelGemv() {}

    /** Panels needed for {@code outputs} outputs (the last one padded with zero weights). */
    public static int panels(int outputs) {
        return (outputs + WIDTH - 1) / WIDTH;
    }

    /**
     * Packs rows {@code [row0, row0 + rows)} of W (stored row-major with {@code k} columns from {@code wOff}),
     * one row per output: output {@code q*16 + j}'s weight for input p goes to {@code [(q*k + p)*16 + j]}.
     */
    public static float[] pack(float[] w, int wOff, int row0, int rows, int k) {
        // Rows are padded to whole panels, so the packed copy can pass the array limit where W itself does not.
        float[] packed = new float[org.lstm4j.tensor.Shape.arrayLength("panel-packed weights",
                new String[] {"panels", "k", "panel width"}, new int[] {panels(rows), k, WIDTH}, "use a smaller weight matrix")];
        for (int r = 0; r < rows; r++) {
            int q = r / WIDTH;
            int j = r % WIDTH;
            int src = wOff + (row0 + r) * k;
            int dst = q * k * WIDTH + j;
            for (int p = 0; p < k; p++) {
                packed[dst + p * WIDTH] = w[src + p];
            }
        }
        return packed;
    }

    /**
     * Panels {@code [panel0, panel1)} of {@code y += x · Wᵀ} on the calling thread, with W packed by {@link #pack}
     * ({@code k} inputs): {@code y[yOff + q*16 + j] += Σ_p x[xOff + p] · W(q*16 + j, p)} for q in the range.
     */
    public static void accumulate(int k, float[] x, int xOff, float[] packed, int panel0, int panel1, float[] y,
            int yOff) {
        if (panel0 < 0 || panel1 < panel0 || (long) panel1 * k * WIDTH > packed.length
                || yOff + (long) panel1 * WIDTH > y.length || xOff + k > x.length) {
            throw new IllegalArgumentException("panels [" + panel0 + ", " + panel1 + ") of " + k + " inputs: packed "
                    + packed.length + " floats, y " + y.length + " from " + yOff + ", x " + x.length + " from " + xOff);
        }
        MicroKernels.preferred().panelProducts(k, x, xOff, packed, panel0 * k * WIDTH, panel1 - panel0, y,
                yOff + panel0 * WIDTH);
    }
}
