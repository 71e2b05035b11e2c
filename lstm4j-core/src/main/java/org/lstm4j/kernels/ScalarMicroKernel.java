package org.lstm4j.kernels;

/**
 * Plain-Java micro-kernel for JVMs without the Vector API module (or with {@code lstm4j.gemm.vector=false}).
 * Accumulates 4 rows × 16 columns in the scratch tile; the unit-stride inner loop over columns is shaped so
 * that C2's superword pass can vectorize it. It uses separate multiply and add (Java never fuses them), so
 * its results differ in the last bits from the FMA-based vector kernel.
 */
final class ScalarMicroKernel extends MicroKernel {
    private static final int MR = 4;
    private static final int NR = 64;
    /**
     * NR as a field: with a compile-time constant trip count C2 unrolls the column loop completely and then has
     * no loop left for its superword (auto-vectorization) pass.
     */
    private final int width = NR;

    @Override
    int maxRows() {
        return MR;
    }

    @Override
    int panelWidth() {
        return NR;
    }

    @Override
    void multiply(int rows, int cols, int kc, float[] a, int aIdx, int aRowStride, int aColStride,
            float[] b, int bIdx, int bRowStride, float alpha, float beta,
            float[] c, int cIdx, int cRowStride, int cColStride, float[] tile) {
        java.util.Arrays.fill(tile, 0, rows * NR, 0f);
        // One row at a time: a single store stream per loop is what the superword pass can vectorize
        // (several rows of the same tile array in one loop look like overlapping accesses to it).
        for (int i = 0; i < rows; i++) {
            int t = i * NR;
            int ai = aIdx + i * aRowStride;
            for (int p = 0; p < kc; p++) {
                float v = a[ai + p * aColStride];
                int bp = bIdx + p * bRowStride;
                for (int j = 0; j < width; j++) {
                    tile[t + j] += v * b[bp + j];
                }
            }
        }
        mergeTile(tile, 0, NR, rows, cols, alpha, beta, c, cIdx, cRowStride, cColStride);
    }

    @Override
    void dotProducts(int rows, int cols, int k, float[] a, int aIdx, int lda, float[] b, int bIdx, int ldb,
            float alpha, float beta, float[] c, int cIdx, int ldc) {
        for (int i = 0; i < rows; i++) {
            int ai = aIdx + i * lda;
            for (int j = 0; j < cols; j++) {
                int bj = bIdx + j * ldb;
                // Four interleaved partial sums break the add latency chain; fixed by k alone.
                float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
                int p = 0;
                for (; p + 4 <= k; p += 4) {
                    s0 += a[ai + p] * b[bj + p];
                    s1 += a[ai + p + 1] * b[bj + p + 1];
                    s2 += a[ai + p + 2] * b[bj + p + 2];
                    s3 += a[ai + p + 3] * b[bj + p + 3];
                }
                for (; p < k; p++) {
                    s0 += a[ai + p] * b[bj + p];
                }
                mergeOne((s0 + s1) + (s2 + s3), alpha, beta, c, cIdx + i * ldc + j);
            }
        }
    }
}
