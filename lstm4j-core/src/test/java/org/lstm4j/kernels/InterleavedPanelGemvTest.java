package org.lstm4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lstm4j.kernels.PanelGemvTest.random;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The four-block interleaved products against a double-precision reference and against the per-matrix
 * {@link PanelGemv} sums they replace, bit for bit, on both kernels (the width forks run the vector one at 128,
 * 256 and 512 bits).
 */
@org.junit.jupiter.api.Tag("vector-widths")
class InterleavedPanelGemvTest {
    private static final int BLOCKS = InterleavedPanelGemv.BLOCKS;
    private static final int WIDTH = InterleavedPanelGemv.WIDTH;

    /** {@code pad} zeros, then a, then b: the one input the products take. */
    private static float[] sideBySide(int pad, float[] a, float[] b) {
        float[] x = new float[pad + a.length + b.length];
        System.arraycopy(a, 0, x, pad, a.length);
        System.arraycopy(b, 0, x, pad + a.length, b.length);
        return x;
    }

    private static List<MicroKernel> kernels() {
        List<MicroKernel> kernels = new ArrayList<>();
        kernels.add(MicroKernels.scalar());
        if (MicroKernels.vector() != null) {
            kernels.add(MicroKernels.vector());
        }
        return kernels;
    }

    /** {rows per block, k1, k2}: ragged panels, an empty first input, the stream workload's layers. */
    private static final int[][] SHAPES = {{1, 1, 1}, {16, 8, 16}, {37, 65, 37}, {20, 0, 20}, {64, 256, 64}, {256, 65, 256}};

    @Test
    void productsMatchTheReference() {
        Random r = new Random(5);
        for (int[] shape : SHAPES) {
            int rows = shape[0];
            int k1 = shape[1];
            int k2 = shape[2];
            float[] w1 = random(r, BLOCKS * rows * k1);
            float[] w2 = random(r, BLOCKS * rows * k2);
            float[] b1 = random(r, BLOCKS * rows);
            float[] b2 = random(r, BLOCKS * rows);
            float[] x1 = random(r, k1);
            float[] x2 = random(r, k2);
            float[] x = sideBySide(3, x1, x2);
            float[] packed = InterleavedPanelGemv.pack(w1, k1, w2, k2, rows);
            int panels = InterleavedPanelGemv.panels(rows);
            assertEquals(panels * (k1 + k2) * BLOCKS * WIDTH, packed.length);
            float[] bias = InterleavedPanelGemv.packBias(b1, b2, rows);
            int stride = panels * WIDTH + 5;
            for (MicroKernel kernel : kernels()) {
                float[] y = new float[1 + BLOCKS * stride];
                kernel.interleavedPanelProducts(k1 + k2, x, 3, packed, 0, bias, 0, panels, y, 1, stride);
                for (int b = 0; b < BLOCKS; b++) {
                    for (int o = 0; o < rows; o++) {
                        int row = b * rows + o;
                        double expected = b1[row] + b2[row];
                        for (int p = 0; p < k1; p++) {
                            expected += (double) x1[p] * w1[row * k1 + p];
                        }
                        for (int p = 0; p < k2; p++) {
                            expected += (double) x2[p] * w2[row * k2 + p];
                        }
                        assertEquals(expected, y[1 + b * stride + o], 1e-5 * (1 + k1 + k2),
                                kernel.getClass().getSimpleName() + " " + rows + "x(" + k1 + "+" + k2 + ") block " + b
                                        + " output " + o);
                    }
                    for (int o = rows; o < panels * WIDTH; o++) {
                        assertEquals(0f, y[1 + b * stride + o], "padding outputs are zero");
                    }
                }
            }
        }
    }

    /** The sums the stream step made before: the bias copied into y, then PanelGemv over W_ih and over W_hh. */
    @Test
    void givesTheBitsOfTheBiasAndTwoPanelProducts() {
        Random r = new Random(6);
        for (int[] shape : SHAPES) {
            int rows = shape[0];
            int k1 = shape[1];
            int k2 = shape[2];
            float[] w1 = random(r, BLOCKS * rows * k1);
            float[] w2 = random(r, BLOCKS * rows * k2);
            float[] b1 = random(r, BLOCKS * rows);
            float[] b2 = random(r, BLOCKS * rows);
            float[] x1 = random(r, k1);
            float[] x2 = random(r, k2);
            int panels = InterleavedPanelGemv.panels(rows);
            int padded = panels * WIDTH;
            float[] packed = InterleavedPanelGemv.pack(w1, k1, w2, k2, rows);
            for (boolean withBias : new boolean[] {true, false}) {
                float[] bias = withBias ? InterleavedPanelGemv.packBias(b1, b2, rows)
                        : InterleavedPanelGemv.packBias(null, null, rows);
                for (MicroKernel kernel : kernels()) {
                    float[] expected = new float[BLOCKS * padded];
                    for (int b = 0; b < BLOCKS; b++) {
                        for (int o = 0; o < rows && withBias; o++) {
                            expected[b * padded + o] = b1[b * rows + o] + b2[b * rows + o];
                        }
                        if (k1 > 0) {
                            kernel.panelProducts(k1, x1, 0, PanelGemv.pack(w1, 0, b * rows, rows, k1), 0, panels,
                                    expected, b * padded);
                        }
                        kernel.panelProducts(k2, x2, 0, PanelGemv.pack(w2, 0, b * rows, rows, k2), 0, panels,
                                expected, b * padded);
                    }
                    float[] y = new float[BLOCKS * padded];
                    kernel.interleavedPanelProducts(k1 + k2, sideBySide(0, x1, x2), 0, packed, 0, bias, 0, panels, y,
                            0, padded);
                    assertArrayEquals(expected, y, kernel.getClass().getSimpleName() + " " + rows + "x(" + k1 + "+"
                            + k2 + ")" + (withBias ? "" : " without bias"));
                }
            }
        }
    }

    @Test
    void panelRangesGiveTheBitsOfTheWhole() {
        Random r = new Random(7);
        int rows = 100;
        int k1 = 33;
        int k2 = 70;
        float[] packed = InterleavedPanelGemv.pack(random(r, BLOCKS * rows * k1), k1, random(r, BLOCKS * rows * k2),
                k2, rows);
        float[] bias = InterleavedPanelGemv.packBias(random(r, BLOCKS * rows), null, rows);
        float[] x = random(r, k1 + k2);
        int k = k1 + k2;
        int panels = InterleavedPanelGemv.panels(rows);
        int padded = panels * WIDTH;
        float[] whole = new float[BLOCKS * padded];
        InterleavedPanelGemv.products(k, x, 0, packed, bias, 0, panels, whole, 0, padded);
        float[] pieces = new float[whole.length];
        InterleavedPanelGemv.products(k, x, 0, packed, bias, 0, 3, pieces, 0, padded);
        InterleavedPanelGemv.products(k, x, 0, packed, bias, 3, 4, pieces, 0, padded);
        InterleavedPanelGemv.products(k, x, 0, packed, bias, 4, panels, pieces, 0, padded);
        assertArrayEquals(whole, pieces);
    }

    @Test
    void rangesBeyondThePackingAreRejected() {
        float[] packed = InterleavedPanelGemv.pack(new float[BLOCKS * 32 * 4], 4, new float[BLOCKS * 32 * 8], 8, 32);
        float[] bias = InterleavedPanelGemv.packBias(null, null, 32);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InterleavedPanelGemv
                .products(12, new float[12], 0, packed, bias, 0, 3, new float[4 * 48], 0, 48));
        assertTrue(e.getMessage().contains("panels [0, 3) of 12 inputs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> InterleavedPanelGemv
                .products(12, new float[12], 0, packed, bias, 0, 2, new float[4 * 32 - 1], 0, 32));
        assertTrue(e.getMessage().contains("y 127 from 0 with blocks 32 apart"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> InterleavedPanelGemv
                .products(12, new float[11], 0, packed, bias, 0, 2, new float[4 * 32], 0, 32));
        assertTrue(e.getMessage().contains("x 11 from 0"), e.getMessage());
    }
}
