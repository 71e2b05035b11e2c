package org.lstm4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Packed-panel vector-matrix products against a double-precision reference, on both kernels. */
@org.junit.jupiter.api.Tag("vector-widths")
class PanelGemvTest {

    /** n floats uniform in [-1, 1); also the inputs of {@link InterleavedPanelGemvTest}. */
    static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextFloat() * 2f - 1f;
        }
        return a;
    }

    @Test
    void packedProductsMatchTheReference() {
        Random r = new Random(3);
        for (int[] shape : new int[][] {{1, 1}, {16, 8}, {37, 65}, {64, 256}, {50, 3}}) {
            int rows = shape[0];
            int k = shape[1];
            float[] w = random(r, (rows + 5) * k);
            float[] x = random(r, k + 2);
            float[] packed = PanelGemv.pack(w, 0, 5, rows, k);
            assertEquals(PanelGemv.panels(rows) * k * PanelGemv.WIDTH, packed.length);
            for (MicroKernel kernel : new MicroKernel[] {MicroKernels.scalar(), MicroKernels.vector()}) {
                if (kernel == null) {
                    continue;
                }
                float[] y = new float[PanelGemv.panels(rows) * PanelGemv.WIDTH];
                float[] start = random(r, y.length);
                System.arraycopy(start, 0, y, 0, y.length);
                kernel.panelProducts(k, x, 0, packed, 0, PanelGemv.panels(rows), y, 0);
                for (int o = 0; o < rows; o++) {
                    double expected = start[o];
                    for (int p = 0; p < k; p++) {
                        expected += (double) x[p] * w[(5 + o) * k + p];
                    }
                    assertEquals(expected, y[o], 1e-5 * (1 + k), kernel.getClass().getSimpleName() + " " + rows
                            + "x" + k + " output " + o);
                }
                for (int o = rows; o < y.length; o++) {
                    assertEquals(start[o], y[o], "padding outputs keep their value");
                }
            }
        }
    }

    @Test
    void panelRangesGiveTheBitsOfTheWhole() {
        Random r = new Random(4);
        int rows = 100;
        int k = 70;
        float[] packed = PanelGemv.pack(random(r, rows * k), 0, 0, rows, k);
        float[] x = random(r, k);
        int panels = PanelGemv.panels(rows);
        float[] whole = new float[panels * PanelGemv.WIDTH];
        PanelGemv.accumulate(k, x, 0, packed, 0, panels, whole, 0);
        float[] pieces = new float[whole.length];
        PanelGemv.accumulate(k, x, 0, packed, 0, 3, pieces, 0);
        PanelGemv.accumulate(k, x, 0, packed, 3, 4, pieces, 0);
        PanelGemv.accumulate(k, x, 0, packed, 4, panels, pieces, 0);
        assertArrayEquals(whole, pieces);
    }

    @Test
    void rangesBeyondThePackingAreRejected() {
        float[] packed = PanelGemv.pack(new float[32 * 4], 0, 0, 32, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PanelGemv.accumulate(4, new float[4], 0, packed, 0, 3, new float[64], 0));
        assertEquals(true, e.getMessage().contains("panels [0, 3)"), e.getMessage());
    }
}
