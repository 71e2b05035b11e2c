package org.lstm4j.kernels;

/**
 * The serial Goto/BLIS loop nest: C is computed in blocks of NC columns, the shared dimension is walked in
 * slices of KC, the B slice is packed once per (column block, k slice) and reused for every row block of MC
 * rows, whose A block is packed (or read in place) and multiplied panel by panel by the micro-kernel.
 *
 * <p>The k slicing starts at 0 for every call and sub-block, so an element of C always sees the same sums in
 * the same order, whichever part of C a thread is given.
 */
final class BlockedGemm {
    private BlockedGemm() {}

    /** Shared-dimension slice: a packed B panel (KC × NR) stays in L1, an A block (MC × KC) in L2. */
    static final int KC = 256;
    /** Rows per A block; a multiple of 4 and 6 keeps panels full. */
    static final int MC = 144;
    /** Columns per B block (the packed KC × NC slice lives in L3). */
    static final int NC = 3072;

    /**
     * {@code C = alpha * A·B + beta * C} for an m×k A, a k×n B and an m×n C.
     *
     * @param packA copy A blocks into micro-panels (pays off when each is reused across many B panels)
     * @param directB read B panels in place (only valid when B has unit column stride); pays off when few
     *                rows of A reuse each panel
     */
    static void multiply(MicroKernel kernel, int m, int n, int k, float alpha, StridedMatrix a, StridedMatrix b,
            float beta, StridedMatrix c, boolean packA, boolean directB) {
        int mr = kernel.maxRows();
        int nr = kernel.panelWidth();
        GemmWorkspace workspace = GemmWorkspace.current();
        float[] tile = workspace.tile(mr * nr);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int panels = (nc + nr - 1) / nr;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                // Later k slices add to what the first one wrote.
                float sliceBeta = pc == 0 ? beta : 1f;
                int fullPanels = directB ? nc / nr : 0;
                float[] packedB = workspace.packedB((panels - fullPanels) * kc * nr);
                // In direct mode only the ragged last panel needs a padded copy.
                GemmPacking.packB(kernel, b, pc, kc, jc + fullPanels * nr, nc - fullPanels * nr, nr, packedB, 0);
                float[] packedA = packA ? workspace.packedA(((Math.min(MC, m) + mr - 1) / mr) * mr * kc) : null;
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    if (packA) {
                        GemmPacking.packA(a, ic, mc, pc, kc, mr, packedA);
                    }
                    for (int q = 0; q < panels; q++) {
                        int j = q * nr;
                        int cols = Math.min(nr, nc - j);
                        float[] bData;
                        int bIdx;
                        int bRowStride;
                        if (q < fullPanels) {
                            bData = b.data;
                            bIdx = b.index(pc, jc + j);
                            bRowStride = b.rowStride;
                        } else {
                            bData = packedB;
                            bIdx = (q - fullPanels) * kc * nr;
                            bRowStride = nr;
                        }
                        for (int ir = 0; ir < mc; ir += mr) {
                            int rows = Math.min(mr, mc - ir);
                            int cIdx = c.index(ic + ir, jc + j);
                            if (packA) {
                                kernel.multiply(rows, cols, kc, packedA, ir * kc, 1, mr, bData, bIdx, bRowStride,
                                        alpha, sliceBeta, c.data, cIdx, c.rowStride, c.colStride, tile);
                            } else {
                                kernel.multiply(rows, cols, kc, a.data, a.index(ic + ir, pc), a.rowStride,
                                        a.colStride, bData, bIdx, bRowStride,
                                        alpha, sliceBeta, c.data, cIdx, c.rowStride, c.colStride, tile);
                            }
                        }
                    }
                }
            }
        }
    }
}
