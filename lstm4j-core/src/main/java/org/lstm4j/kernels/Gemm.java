package org.lstm4j.kernels;

/**
 * Single-precision general matrix multiply on row-major arrays:
 * {@code C = alpha * op(A) * op(B) + beta * C} with {@code op(X) = X} or {@code X^T}.
 * PLACEHOLDER: naive loops until the blocked, vectorized kernel lands.
 */
public final class Gemm {
    private Gemm() {}

    /**
     * @param transA use A^T; A is stored m×k (lda ≥ k) when false, k×m (lda ≥ m) when true
     * @param transB use B^T; B is stored k×n (ldb ≥ n) when false, n×k (ldb ≥ k) when true
     * @param beta 0 means C is overwritten (its old contents, even NaN, are ignored)
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += av * bv;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0f ? alpha * s : alpha * s + beta * c[ci];
            }
        }
    }
}
