package org.lstm4j.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The float approximations against double-precision references. */
@org.junit.jupiter.api.Tag("vector-widths")
class ActivationsTest {

    /** Dense sweep of [-20, 20] plus wide random values. */
    private static float[] samples() {
        float[] xs = new float[2_000_000];
        Random random = new Random(1);
        for (int i = 0; i < xs.length; i++) {
            xs[i] = i < 1_000_000 ? -20f + 40f * i / 1_000_000 : (float) (random.nextGaussian() * 40);
        }
        return xs;
    }

    @Test
    void tanhWithinTwoTenthsOfAMicro() {
        double maxAbs = 0;
        double maxUlps = 0;
        for (float x : samples()) {
            double ref = Math.tanh(x);
            double err = Math.abs(Activations.tanh(x) - ref);
            maxAbs = Math.max(maxAbs, err);
            maxUlps = Math.max(maxUlps, err / Math.ulp((float) Math.abs(ref)));
        }
        assertTrue(maxAbs <= 1.5e-7, "max abs error " + maxAbs);
        assertTrue(maxUlps <= 2, "max error in ulps " + maxUlps);
    }

    @Test
    void sigmoidWithinThreeUlps() {
        double maxAbs = 0;
        double maxUlps = 0;
        for (float x : samples()) {
            double ref = 1 / (1 + Math.exp(-(double) x));
            double err = Math.abs(Activations.sigmoid(x) - ref);
            maxAbs = Math.max(maxAbs, err);
            if (ref > 1e-30) {
                maxUlps = Math.max(maxUlps, err / Math.ulp((float) ref));
            }
        }
        assertTrue(maxAbs <= 1.5e-7, "max abs error " + maxAbs);
        assertTrue(maxUlps <= 3, "max error in ulps " + maxUlps);
    }

    @Test
    void expWithinTwoUlpsOverItsRange() {
        double maxUlps = 0;
        for (float x : samples()) {
            if (x < Activations.EXP_MIN || x > Activations.EXP_MAX) {
                continue;
            }
            double ref = Math.exp(x);
            maxUlps = Math.max(maxUlps, Math.abs(Activations.exp(x) - ref) / Math.ulp((float) ref));
        }
        assertTrue(maxUlps <= 2, "max error in ulps " + maxUlps);
    }

    @Test
    void specialValues() {
        assertEquals(0f, Activations.tanh(0f));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(Activations.tanh(-0f)));
        assertEquals(1f, Activations.tanh(Float.POSITIVE_INFINITY));
        assertEquals(-1f, Activations.tanh(Float.NEGATIVE_INFINITY));
        assertEquals(1f, Activations.tanh(50f));
        assertTrue(Float.isNaN(Activations.tanh(Float.NaN)));
        assertEquals(0.5f, Activations.sigmoid(0f));
        assertEquals(1f, Activations.sigmoid(Float.POSITIVE_INFINITY));
        assertTrue(Activations.sigmoid(Float.NEGATIVE_INFINITY) < 1e-37f);
        assertTrue(Activations.sigmoid(-1000f) >= 0f);
        assertTrue(Float.isNaN(Activations.sigmoid(Float.NaN)));
    }
}
