package org.lstm4j.nn.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.lstm4j.tensor.Tensor;

/** Assertions on initialised weights shared by the init tests. */
final class Matrices {
    private Matrices() {}

    /**
     * For a (rows, cols) view of {@code w}: WᵀW = gain²·I when rows ≥ cols (orthonormal columns), else
     * WWᵀ = gain²·I (orthonormal rows), every entry within {@code tol}. Sums in double.
     */
    static void assertOrthogonal(String what, Tensor w, double gain, double tol) {
        int rows = w.size(0);
        int cols = w.numel() / rows;
        float[] d = w.data();
        boolean tall = rows >= cols;
        int n = tall ? cols : rows;
        int len = tall ? rows : cols;
        for (int a = 0; a < n; a++) {
            for (int b = a; b < n; b++) {
                double dot = 0;
                for (int k = 0; k < len; k++) {
                    dot += tall ? (double) d[k * cols + a] * d[k * cols + b] : (double) d[a * cols + k] * d[b * cols + k];
                }
                assertEquals(a == b ? gain * gain : 0.0, dot, tol, what + ": Gram[" + a + "][" + b + "]");
            }
        }
    }

    /** Every value in [-bound, bound), the largest |value| near the bound, mean ≈ 0, variance within 2% of bound²/3. */
    static void assertUniform(String what, Tensor w, double bound) {
        float[] d = w.data();
        double sum = 0;
        double sumSq = 0;
        double maxAbs = 0;
        for (float v : d) {
            assertTrue(v >= -bound && v < bound, what + ": " + v + " outside ±" + bound);
            sum += v;
            sumSq += (double) v * v;
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        int n = d.length;
        double mean = sum / n;
        double variance = sumSq / n - mean * mean;
        // Standard error of the mean is bound/√(3n); 6 of them still pass only by chance 2e-9.
        assertEquals(0, mean, 6 * bound / Math.sqrt(3.0 * n), what + ": mean");
        assertEquals(bound * bound / 3, variance, 0.02 * bound * bound / 3, what + ": variance");
        assertTrue(maxAbs > bound * (1 - 20.0 / n), what + ": largest |value| " + maxAbs + " well below the bound " + bound);
    }
}
