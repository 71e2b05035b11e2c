package org.lstm4j.nn.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

class InitTest {
    @Test
    void uniformFillsInPlaceFromTheGenerator() {
        Tensor t = Tensor.zeros(200, 300);
        float[] storage = t.data();
        assertSame(t, Init.uniform(t, -0.25f, 0.25f, new Generator(1)));
        assertSame(storage, t.data());
        Matrices.assertUniform("uniform", t, 0.25);
        Tensor again = Init.uniform(Tensor.zeros(200, 300), -0.25f, 0.25f, new Generator(1));
        assertArrayEquals(t.data(), again.data());
        assertThrows(IllegalArgumentException.class, () -> Init.uniform(t, 1f, 0f, new Generator(1)));
    }

    @Test
    void zerosAndConstant() {
        Tensor t = Tensor.randn(new Generator(2), 3, 4);
        Init.constant(t, 1.5f);
        for (float v : t.data()) {
            assertEquals(1.5f, v);
        }
        Init.zeros(t);
        assertArrayEquals(new float[12], t.data());
    }

    @Test
    void initialisersRecordNoGraphAndKeepRequiresGrad() {
        Tensor p = Tensor.zeros(4, 5).requiresGrad(true);
        Init.xavierUniform(p, new Generator(3));
        Init.orthogonal(p, new Generator(3));
        assertTrue(p.isLeaf());
        assertTrue(p.requiresGrad());
    }

    @Test
    void xavierUniformOverFanInPlusFanOut() {
        // Weight (out=400, in=350): bound √(6/750).
        Tensor w = Init.xavierUniform(Tensor.zeros(400, 350), new Generator(4));
        Matrices.assertUniform("xavier 2-D", w, Math.sqrt(6.0 / 750));
        // (out=40, in=30, k=5): fans 150 and 200, as torch's _calculate_fan_in_and_fan_out.
        Tensor conv = Init.xavierUniform(Tensor.zeros(40, 30, 50), new Generator(5));
        Matrices.assertUniform("xavier 3-D", conv, Math.sqrt(6.0 / (30 * 50 + 40 * 50)));
        Tensor gained = Init.xavierUniform(Tensor.zeros(300, 300), 2.0, new Generator(6));
        Matrices.assertUniform("xavier gain 2", gained, 2 * Math.sqrt(6.0 / 600));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Init.xavierUniform(Tensor.zeros(5), new Generator(1)));
        assertTrue(e.getMessage().contains("fewer than 2 dimensions"), e.getMessage());
    }

    @Test
    void orthogonalTallHasOrthonormalColumns() {
        Tensor w = Init.orthogonal(Tensor.zeros(300, 40), new Generator(7));
        Matrices.assertOrthogonal("tall", w, 1, 1e-5);
    }

    @Test
    void orthogonalWideHasOrthonormalRows() {
        Tensor w = Init.orthogonal(Tensor.zeros(30, 200), new Generator(8));
        Matrices.assertOrthogonal("wide", w, 1, 1e-5);
    }

    @Test
    void orthogonalSquareFlattenedAndScaled() {
        Matrices.assertOrthogonal("square", Init.orthogonal(Tensor.zeros(64, 64), new Generator(9)), 1, 1e-5);
        // (6, 2, 5) is seen as 6 x 10: orthonormal rows.
        Tensor w3 = Init.orthogonal(Tensor.zeros(6, 2, 5), new Generator(10));
        assertArrayEquals(new int[] {6, 2, 5}, w3.shape());
        Matrices.assertOrthogonal("3-D", w3, 1, 1e-5);
        Matrices.assertOrthogonal("gain 2", Init.orthogonal(Tensor.zeros(50, 20), 2.0, new Generator(11)), 2, 4e-5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Init.orthogonal(Tensor.zeros(5), new Generator(1)));
        assertTrue(e.getMessage().contains("2 or more dimensions"), e.getMessage());
    }

    @Test
    void orthogonalIsRandomButReproducible() {
        Tensor a = Init.orthogonal(Tensor.zeros(20, 8), new Generator(12));
        Tensor b = Init.orthogonal(Tensor.zeros(20, 8), new Generator(12));
        Tensor c = Init.orthogonal(Tensor.zeros(20, 8), new Generator(13));
        assertArrayEquals(a.data(), b.data());
        assertFalse(Arrays.equals(a.data(), c.data()));
        // Not a signed identity or any other structured matrix: entries of both signs and many sizes.
        long distinct = distinctMagnitudes(a.data());
        assertTrue(distinct > 150, "distinct magnitudes " + distinct);
    }

    private static long distinctMagnitudes(float[] d) {
        float[] abs = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            abs[i] = Math.abs(d[i]);
        }
        Arrays.sort(abs);
        long distinct = abs.length == 0 ? 0 : 1;
        for (int i = 1; i < abs.length; i++) {
            distinct += abs[i] != abs[i - 1] ? 1 : 0;
        }
        return distinct;
    }

    @Test
    void emptyTensorsAreLeftAlone() {
        Tensor empty = Tensor.zeros(0, 3);
        Init.orthogonal(empty, new Generator(1));
        Init.xavierUniform(empty, new Generator(1));
        assertEquals(0, empty.numel());
    }
}
