package org.lstm4j.kernels;

/**
 * The innermost GEMM step: a register-blocked product of a few rows of A (at most {@link #maxRows()}) with
 * one panel of {@link #panelWidth()} columns of B over a slice of the shared dimension, merged into C.
 *
 * <p>Contract shared by all implementations, so results never depend on which kernel variant, tile edge or
 * thread produced an element: each C element's products are accumulated in ascending p order, one rounding
 * per step, starting from 0; the sum is then merged as {@code alpha*sum} (beta == 0) or
 * {@code alpha*sum + beta*c}.
 */
abstract class MicroKernel {

    /** @return the largest row count one call handles (MR) */
    abstract int maxRows();

    /** @return the number of B columns in a panel (NR); B panels are always readable this wide */
    abstract int panelWidth();

    /**
     * Rows of the next A tile, packed or read in place, when {@code left} rows of the block remain:
     * {@link #maxRows}, or all that are left. Tiles always sit {@code maxRows()·kc} floats apart in a packed
     * block, whatever their heights.
     */
    int tileRows(int left) {
        return Math.min(maxRows(), left);
    }

    /**
     * Whether {@link #multiply} reads a row-major A (unit column stride) against packed B panels in place as
     * fast as a packed A, so that a caller may skip packing A where each packed block would be used by few
     * panels.
     */
    boolean readsRowMajorAInPlace() {
        return false;
    }

    /**
     * {@code C[rows × cols] = alpha * A[rows × kc] · B[kc × NR](first cols columns) + beta * C}.
     *
     * @param a A(i, p) at {@code a[aIdx + i*aRowStride + p*aColStride]}, for i &lt; rows
     * @param b B(p, j) at {@code b[bIdx + p*bRowStride + j]}, for every j &lt; NR (padding included)
     * @param c C(i, j) at {@code c[cIdx + i*cRowStride + j*cColStride]}, for i &lt; rows, j &lt; cols
     * @param bias null, or C's old values (beta is then 1) without reading C: every row of C counts as holding
     *     {@code bias[biasIdx + j]}, so the tile is stored, not read back (a freshly projected C costs no
     *     read-for-ownership stall at the merge); the bits of filling C with the bias first
     * @param tile scratch of at least MR*NR floats for edge tiles and strided C
     */
    abstract void multiply(int rows, int cols, int kc,
            float[] a, int aIdx, int aRowStride, int aColStride,
            float[] b, int bIdx, int bRowStride,
            float alpha, float beta, float[] c, int cIdx, int cRowStride, int cColStride,
            float[] bias, int biasIdx, float[] tile);

    /** Sets each of the rows × cols of C to {@code bias[biasIdx + j]} (unit-stride C rows). */
    static void fillRows(float[] bias, int biasIdx, int rows, int cols, float[] c, int cIdx, int cRowStride) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(bias, biasIdx, c, cIdx + r * cRowStride, cols);
        }
    }

    /**
     * Dot-product form for skinny {@code C = alpha * A·B^T + beta * C} with few rows in A: both operands are
     * read along their contiguous k axis, nothing is packed. Each element is one dot product whose summation
     * order depends only on k (never on rows, cols or the thread).
     *
     * @param a A(i, p) at {@code a[aIdx + i*lda + p]}, for i &lt; rows
     * @param b B^T(j, p) at {@code b[bIdx + j*ldb + p]}, for j &lt; cols
     * @param c C(i, j) at {@code c[cIdx + i*ldc + j]}
     */
    abstract void dotProducts(int rows, int cols, int k, float[] a, int aIdx, int lda, float[] b, int bIdx, int ldb,
            float alpha, float beta, float[] c, int cIdx, int ldc);

    /**
     * Vector-matrix products against {@link PanelGemv} panels: for each of {@code panels} consecutive panels q,
     * {@code y[yOff + q*16 + j] += Σ_p x[xOff + p] · w[wOff + (q*k + p)*16 + j]}, accumulated onto y's value in
     * ascending p, one rounding per step.
     */
    abstract void panelProducts(int k, float[] x, int xOff, float[] w, int wOff, int panels, float[] y, int yOff);

    /**
     * The four blocks' products against {@link InterleavedPanelGemv} panels: for each of {@code panels}
     * consecutive panels q and block b, {@code y[yOff + b*blockStride + q*16 + j]} = the bias, then
     * {@code x[xOff + p] · w(q, p, b, j)} for p below k in ascending order, with the rounding of
     * {@link #panelProducts}; w(q, p, b, j) is at {@code w[wOff + ((q*k + p)*4 + b)*16 + j]} and the bias at
     * {@code bias[biasOff + (q*4 + b)*16 + j]}.
     */
    abstract void interleavedPanelProducts(int k, float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
            int panels, float[] y, int yOff, int blockStride);

    /**
     * Packs {@code panels} full panels of a row-major B, kc rows of it: B(p, q*NR + j) at
     * {@code src[s0 + p*rs + q*NR + j]} goes to {@code dst[d + q*kc*NR + p*NR + j]}.
     */
    void packRowPanels(float[] src, int s0, int rs, int panels, int kc, float[] dst, int d) {
        int nr = panelWidth();
        for (int p = 0; p < kc; p++) {
            for (int q = 0; q < panels; q++) {
                System.arraycopy(src, s0 + p * rs + q * nr, dst, d + q * kc * nr + p * nr, nr);
            }
        }
    }

    /**
     * Packs {@code panels} full panels of an A stored transposed, kc columns of it: A(q*MR + r, p) at
     * {@code src[s0 + q*MR + r + p*cs]} goes to {@code dst[d + q*kc*MR + p*MR + r]}. Panel by panel, so the
     * writes are one sequential stream (filling every panel's slot p in turn puts them a panel apart).
     */
    void packTransposedPanels(float[] src, int s0, int cs, int panels, int kc, float[] dst, int d) {
        int mr = maxRows();
        for (int q = 0; q < panels; q++) {
            for (int p = 0; p < kc; p++) {
                System.arraycopy(src, s0 + q * mr + p * cs, dst, d + (q * kc + p) * mr, mr);
            }
        }
    }

    /**
     * Packing step for row-major A: interleaves MR source rows (row r at {@code s + r*rowStride}, kc floats
     * each) into one panel, {@code dst[d + p*MR + r]}.
     */
    void copyPanelRows(float[] src, int s, int rowStride, float[] dst, int d, int kc) {
        int mr = maxRows();
        for (int r = 0; r < mr; r++) {
            for (int p = 0; p < kc; p++) {
                dst[d + p * mr + r] = src[s + r * rowStride + p];
            }
        }
    }

    /** Merges one finished sum into C (same arithmetic as the tile merges). */
    static void mergeOne(float sum, float alpha, float beta, float[] c, int index) {
        c[index] = beta == 0f ? alpha * sum : alpha * sum + beta * c[index];
    }

    /** Merges a rows × cols block of {@code tile} (row length NR) into strided C; same arithmetic as the vector merge. */
    static void mergeTile(float[] tile, int tileRowOffset, int nr, int rows, int cols, float alpha, float beta,
            float[] c, int cIdx, int cRowStride, int cColStride) {
        if (cColStride != 1 && cRowStride == 1) {
            // C seen transposed (C^T computed): a column of the tile is contiguous in C, so walk it that way.
            for (int j = 0; j < cols; j++) {
                int t = tileRowOffset * nr + j;
                int cj = cIdx + j * cColStride;
                if (beta == 0f) {
                    for (int i = 0; i < rows; i++) {
                        c[cj + i] = alpha * tile[t + i * nr];
                    }
                } else {
                    for (int i = 0; i < rows; i++) {
                        c[cj + i] = alpha * tile[t + i * nr] + beta * c[cj + i];
                    }
                }
            }
            return;
        }
        for (int i = 0; i < rows; i++) {
            int t = (tileRowOffset + i) * nr;
            int ci = cIdx + i * cRowStride;
            if (beta == 0f) {
                for (int j = 0; j < cols; j++) {
                    c[ci + j * cColStride] = alpha * tile[t + j];
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    int index = ci + j * cColStride;
                    c[index] = alpha * tile[t + j] + beta * c[index];
                }
            }
        }
    }
}
