package org.lstm4j.nn.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HouseholderQRTest {
    @Test
    void tallRandomMatrix() {
        checkDecomposition(random(9, 4, 1), 9);
    }

    @Test
    void squareRandomMatrix() {
        checkDecomposition(random(6, 6, 2), 6);
    }

    @Test
    void rankDeficientMatrixStillGivesOrthonormalQ() {
        double[][] a = random(5, 3, 3);
        a[1] = new double[5]; // a zero column
        checkDecomposition(a, 5);
        double[][] b = random(5, 3, 4);
        b[2] = b[0].clone(); // a repeated column
        checkDecomposition(b, 5);
    }

    @Test
    void wideMatrixIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> HouseholderQR.decompose(random(3, 4, 5), 3));
    }

    /** n columns of length m, standard normal. */
    private static double[][] random(int m, int n, long seed) {
        Random random = new Random(seed);
        double[][] a = new double[n][m];
        for (double[] column : a) {
            for (int i = 0; i < m; i++) {
                column[i] = random.nextGaussian();
            }
        }
        return a;
    }

    /** Q·R = A, QᵀQ = I, R upper triangular, all to 1e-12. */
    private static void checkDecomposition(double[][] a, int m) {
        int n = a.length;
        HouseholderQR.Result qr = HouseholderQR.decompose(a, m);
        double[][] q = qr.q();
        double[][] r = qr.r();
        for (int j = 0; j < n; j++) {
            for (int i = j + 1; i < n; i++) {
                assertEquals(0.0, r[j][i], 0.0, "R below the diagonal at (" + i + ", " + j + ")");
            }
            for (int i = 0; i < m; i++) {
                double product = 0;
                for (int k = 0; k < n; k++) {
                    product += q[k][i] * r[j][k];
                }
                assertEquals(a[j][i], product, 1e-12, "(QR)[" + i + "][" + j + "]");
            }
            for (int k = 0; k < n; k++) {
                double dot = 0;
                for (int i = 0; i < m; i++) {
                    dot += q[j][i] * q[k][i];
                }
                assertEquals(j == k ? 1.0 : 0.0, dot, 1e-12, "(QᵀQ)[" + j + "][" + k + "]");
            }
        }
    }
}
