package org.lstm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lstm4j.io.SafeTensorsFile;
import org.lstm4j.nn.utils.ClipGrad;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.testing.Fixtures;

class ClipGradTest {
    /** fixtures/optim/clip_grad_norm.safetensors: "clip" (norm above max_norm) and "noclip" (below). */
    @Test
    void matchesPyTorchClipGradNorm() {
        SafeTensorsFile f = Fixtures.load(Fixtures.path("optim/clip_grad_norm.safetensors"));
        for (String prefix : List.of("clip", "noclip")) {
            double maxNorm = Double.parseDouble(f.meta(prefix + ".max_norm"));
            Tensor p0 = Tensor.zeros(f.get(prefix + ".grad_before.p0").shape()).requiresGrad(true);
            Tensor p1 = Tensor.zeros(f.get(prefix + ".grad_before.p1").shape()).requiresGrad(true);
            p0.setGrad(f.get(prefix + ".grad_before.p0").copy());
            p1.setGrad(f.get(prefix + ".grad_before.p1").copy());
            Tensor total = ClipGrad.clipGradNorm(List.of(p0, p1), maxNorm);
            assertEquals(0, total.dim(), "total norm is 0-d");
            Fixtures.assertClose(prefix + ".total_norm", f.get(prefix + ".total_norm"), total);
            Fixtures.assertClose(prefix + ".grad_after.p0", f.get(prefix + ".grad_after.p0"), p0.grad());
            Fixtures.assertClose(prefix + ".grad_after.p1", f.get(prefix + ".grad_after.p1"), p1.grad());
        }
    }

    @Test
    void scalesByMaxNormOverTotalByHand() {
        Tensor a = param(new float[] {3f, 0f});
        Tensor b = param(new float[] {0f});
        b.setGrad(Tensor.of(new float[] {4f}, 1));
        a.setGrad(Tensor.of(new float[] {3f, 0f}, 2));
        Tensor total = ClipGrad.clipGradNorm(List.of(a, b), 1.0);
        assertEquals(5f, total.item(), 0f);
        float coef = 1f / (5f + 1e-6f);
        assertArrayEquals(new float[] {3f * coef, 0f}, a.grad().data());
        assertArrayEquals(new float[] {4f * coef}, b.grad().data());
    }

    @Test
    void leavesSmallGradientsUntouched() {
        Tensor a = param(new float[] {1f, 2f});
        a.setGrad(Tensor.of(new float[] {0.3f, -0.4f}, 2));
        Tensor total = ClipGrad.clipGradNorm(List.of(a), 1.0);
        assertEquals(0.5f, total.item(), 1e-7f);
        assertArrayEquals(new float[] {0.3f, -0.4f}, a.grad().data());
    }

    @Test
    void skipsParametersWithoutGradient() {
        Tensor a = param(new float[] {1f});
        Tensor b = param(new float[] {1f, 1f});
        b.setGrad(Tensor.of(new float[] {6f, 8f}, 2));
        Tensor total = ClipGrad.clipGradNorm(List.of(a, b), 5.0);
        assertEquals(10f, total.item(), 0f);
        assertNull(a.grad());
        assertEquals(3f, b.grad().data()[0], 1e-5f);
    }

    @Test
    void noGradientsGiveZeroNorm() {
        assertEquals(0f, ClipGrad.clipGradNorm(List.of(param(new float[] {1f})), 1.0).item());
    }

    @Test
    void infinityNormIsTheLargestMagnitude() {
        Tensor a = param(new float[] {0f, 0f, 0f});
        a.setGrad(Tensor.of(new float[] {1f, -4f, 2f}, 3));
        Tensor total = ClipGrad.clipGradNorm(List.of(a), 2.0, Double.POSITIVE_INFINITY, false);
        assertEquals(4f, total.item(), 0f);
        assertEquals(-2f, a.grad().data()[1], 1e-5f);
    }

    @Test
    void nonFiniteNormThrowsWhenAsked() {
        Tensor a = param(new float[] {0f, 0f});
        a.setGrad(Tensor.of(new float[] {Float.NaN, 1f}, 2));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ClipGrad.clipGradNorm(List.of(a), 1.0, true));
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
        assertTrue(e.getMessage().contains("errorIfNonfinite"), e.getMessage());
        assertEquals(1f, a.grad().data()[1], "gradients untouched when it throws");

        Tensor b = param(new float[] {0f});
        b.setGrad(Tensor.of(new float[] {Float.POSITIVE_INFINITY}, 1));
        assertThrows(IllegalStateException.class, () -> ClipGrad.clipGradNorm(List.of(b), 1.0, true));
        // Without the check PyTorch scales anyway: the NaN norm makes every gradient NaN.
        Tensor total = ClipGrad.clipGradNorm(List.of(a), 1.0);
        assertTrue(Float.isNaN(total.item()));
        assertTrue(Float.isNaN(a.grad().data()[1]));
    }

    @Test
    void rejectsNegativeMaxNorm() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClipGrad.clipGradNorm(List.of(param(new float[] {1f})), -1.0));
        assertTrue(e.getMessage().contains("-1.0"), e.getMessage());
    }

    @Test
    void clipGradValueClamps() {
        Tensor a = param(new float[] {0f, 0f, 0f});
        a.setGrad(Tensor.of(new float[] {-3f, 0.5f, 2f}, 3));
        ClipGrad.clipGradValue(List.of(a), 1.0);
        assertArrayEquals(new float[] {-1f, 0.5f, 1f}, a.grad().data());
    }

    private static Tensor param(float[] values) {
        return Tensor.of(values.clone(), values.length).requiresGrad(true);
    }
}
