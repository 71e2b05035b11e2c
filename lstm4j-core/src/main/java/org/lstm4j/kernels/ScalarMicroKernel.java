package org.lstm4j.kernels;

/**
 * Plain-Java micro-kernel for JVMs without the Vector API module (or with {@code lstm4j.gemm.vector=false}):
 * a 4 × 4 block of scalar accumulators held in registers, 16 independent multiply-add chains per step of k.
 *
 * <p>C2's auto-vectorizer does not help here: it gives up on inner loops that sit inside another loop over
 * the same arrays (measured on JDK 17: 2.4 GFLOP/s for a vectorizable-looking tile loop, no better than
 * scalar), so instruction-level parallelism is the lever. Separate multiply and add (Java never fuses them)
 * round differently from the FMA-based vector kernel.
 */
final class ScalarMicroKernel extends MicroKernel {
    private static final int MR = 4;
    private static final int NR = 4;

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
            float[] c, int cIdx, int cRowStride, int cColStride, float[] bias, int biasIdx, float[] tile) {
        if (bias != null) {
            fillRows(bias, biasIdx, rows, cols, c, cIdx, cRowStride);
        }
        if (rows == MR && aRowStride == 1 && aColStride == MR && bRowStride == NR) {
            packed4x4(kc, a, aIdx, b, bIdx, tile);
        } else {
            for (int i = 0; i < rows; i++) {
                int ai = aIdx + i * aRowStride;
                float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
                for (int p = 0; p < kc; p++) {
                    float v = a[ai + p * aColStride];
                    int bp = bIdx + p * bRowStride;
                    s0 += v * b[bp];
                    s1 += v * b[bp + 1];
                    s2 += v * b[bp + 2];
                    s3 += v * b[bp + 3];
                }
                tile[i * NR] = s0;
                tile[i * NR + 1] = s1;
                tile[i * NR + 2] = s2;
                tile[i * NR + 3] = s3;
            }
        }
        mergeTile(tile, 0, NR, rows, cols, alpha, beta, c, cIdx, cRowStride, cColStride);
    }

    private static void packed4x4(int kc, float[] a, int ai, float[] b, int bi, float[] tile) {
        float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f, c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f;
        float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f, c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f;
        for (int p = 0; p < kc; p++) {
            int ap = ai + p * MR;
            int bp = bi + p * NR;
            float b0 = b[bp], b1 = b[bp + 1], b2 = b[bp + 2], b3 = b[bp + 3];
            float a0 = a[ap];
            c00 += a0 * b0;
            c01 += a0 * b1;
            c02 += a0 * b2;
            c03 += a0 * b3;
            float a1 = a[ap + 1];
            c10 += a1 * b0;
            c11 += a1 * b1;
            c12 += a1 * b2;
            c13 += a1 * b3;
            float a2 = a[ap + 2];
            c20 += a2 * b0;
            c21 += a2 * b1;
            c22 += a2 * b2;
            c23 += a2 * b3;
            float a3 = a[ap + 3];
            c30 += a3 * b0;
            c31 += a3 * b1;
            c32 += a3 * b2;
            c33 += a3 * b3;
        }
        tile[0] = c00;
        tile[1] = c01;
        tile[2] = c02;
        tile[3] = c03;
        tile[4] = c10;
        tile[5] = c11;
        tile[6] = c12;
        tile[7] = c13;
        tile[8] = c20;
        tile[9] = c21;
        tile[10] = c22;
        tile[11] = c23;
        tile[12] = c30;
        tile[13] = c31;
        tile[14] = c32;
        tile[15] = c33;
    }

    @Override
    void panelProducts(int k, float[] x, int xOff, float[] w, int wOff, int panels, float[] y, int yOff) {
        int width = PanelGemv.WIDTH;
        for (int q = 0; q < panels; q++) {
            int base = wOff + q * k * width;
            int out = yOff + q * width;
            for (int j = 0; j < width; j++) {
                float acc = y[out + j];
                for (int p = 0; p < k; p++) {
                    acc += x[xOff + p] * w[base + p * width + j];
                }
                y[out + j] = acc;
            }
        }
    }

    @Override
    void interleavedPanelProducts(int k, float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
            int panels, float[] y, int yOff, int blockStride) {
        int width = PanelGemv.WIDTH;
        int blocks = InterleavedPanelGemv.BLOCKS;
        int row = blocks * width;
        for (int q = 0; q < panels; q++) {
            int base = wOff + q * k * row;
            for (int b = 0; b < blocks; b++) {
                for (int j = 0; j < width; j++) {
                    // Separate multiply and add, as panelProducts: the sums of a bias copy and its calls.
                    float acc = bias[biasOff + (q * blocks + b) * width + j];
                    int wi = base + b * width + j;
                    for (int p = 0; p < k; p++, wi += row) {
                        acc += x[xOff + p] * w[wi];
                    }
                    y[yOff + b * blockStride + q * width + j] = acc;
                }
            }
        }
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
