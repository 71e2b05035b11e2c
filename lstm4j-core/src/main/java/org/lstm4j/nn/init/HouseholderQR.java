package org.lstm4j.nn.init;

/**
 * Reduced QR decomposition {@code A = Q·R} of a tall matrix (m ≥ n) by Householder reflections, in double:
 * Q is m×n with orthonormal columns, R n×n upper triangular. Matrices are held column by column
 * ({@code a[j][i]} is row i of column j) so that the reflections run over contiguous arrays.
 *
 * <p>Each reflection maps the column below the diagonal onto {@code −sign(a_kk)·‖a‖·e_k}, the choice that
 * avoids cancellation; R's diagonal signs are therefore arbitrary, as with LAPACK's geqrf, and
 * {@link Init#orthogonal} fixes them the way PyTorch does.
 */
final class HouseholderQR {
    /** Q (n columns of length m) and R (n columns of length n, zero below the diagonal). */
    record Result(double[][] q, double[][] r) {}

    private HouseholderQR() {}

    /** Decomposes the m×n matrix given as n columns of length m (not modified); needs m ≥ n. */
    static Result decompose(double[][] columns, int m) {
        int n = columns.length;
        if (m < n) {
            throw new IllegalArgumentException("HouseholderQR needs a tall matrix, got " + m + " x " + n);
        }
        double[][] a = new double[n][];
        for (int j = 0; j < n; j++) {
            if (columns[j].length != m) {
                throw new IllegalArgumentException("column " + j + " has " + columns[j].length + " rows, expected " + m);
            }
            a[j] = columns[j].clone();
        }
        // Reflection k is I − 2·v·vᵀ/(vᵀv) acting on rows k..m-1; v = null when the column is already zero there.
        double[][] reflectors = new double[n][];
        double[] vNorm2 = new double[n];
        for (int k = 0; k < n; k++) {
            double[] col = a[k];
            double norm2 = 0;
            for (int i = k; i < m; i++) {
                norm2 += col[i] * col[i];
            }
            if (norm2 == 0) {
                continue;
            }
            double norm = Math.sqrt(norm2);
            double alpha = col[k] > 0 ? -norm : norm;
            double[] v = new double[m - k];
            for (int i = k; i < m; i++) {
                v[i - k] = col[i];
            }
            v[0] -= alpha;
            double vv = 0;
            for (double x : v) {
                vv += x * x;
            }
            reflectors[k] = v;
            vNorm2[k] = vv;
            for (int j = k; j < n; j++) {
                reflect(v, vv, a[j], k);
            }
        }
        double[][] r = new double[n][n];
        for (int j = 0; j < n; j++) {
            System.arraycopy(a[j], 0, r[j], 0, j + 1);
        }
        // Q = H_0 · H_1 ⋯ H_{n-1} · I[:, :n], applied from the right end; H_k leaves column j < k alone
        // (e_j is zero in rows k and below).
        double[][] q = new double[n][m];
        for (int j = 0; j < n; j++) {
            q[j][j] = 1;
        }
        for (int k = n - 1; k >= 0; k--) {
            if (reflectors[k] == null) {
                continue;
            }
            for (int j = k; j < n; j++) {
                reflect(reflectors[k], vNorm2[k], q[j], k);
            }
        }
        return new Result(q, r);
    }

    /** column[k..] ← (I − 2·v·vᵀ/vv) · column[k..]. */
    private static void reflect(double[] v, double vv, double[] column, int k) {
        double dot = 0;
        for (int i = 0; i < v.length; i++) {
            dot += v[i] * column[k + i];
        }
        double f = 2 * dot / vv;
        for (int i = 0; i < v.length; i++) {
            column[k + i] -= f * v[i];
        }
    }
}
