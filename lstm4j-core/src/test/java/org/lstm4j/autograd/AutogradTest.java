package org.lstm4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lstm4j.ops.LinearAlgebra;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/** Reverse-mode autograd: every op's backward against finite differences, and the engine's rules. */
class AutogradTest {
    private final Generator gen = new Generator(42);

    private Tensor randn(int... shape) {
        return Tensor.randn(gen, shape);
    }

    /** Weights the output so that the check sees every element's gradient, not just their sum. */
    private Tensor weightedSum(Tensor t) {
        return t.mul(Tensor.uniform(0.5f, 1.5f, new Generator(7), t.shape())).sum();
    }

    @Test
    void broadcastingArithmetic() {
        GradCheck.check(in -> weightedSum(in[0].add(in[1])), randn(2, 3, 4), randn(3, 1));
        GradCheck.check(in -> weightedSum(in[0].sub(in[1])), randn(2, 1, 4), randn(3, 4));
        GradCheck.check(in -> weightedSum(in[0].mul(in[1])), randn(2, 3), randn(3));
        GradCheck.check(in -> weightedSum(in[0].div(in[1].exp())), randn(4, 3), randn(4, 1));
        GradCheck.check(in -> weightedSum(in[0].mul(3f).add(2f).pow(2f)), randn(5));
    }

    @Test
    void activationsAndReductions() {
        GradCheck.check(in -> weightedSum(in[0].sigmoid()), randn(3, 4));
        GradCheck.check(in -> weightedSum(in[0].tanh()), randn(3, 4));
        GradCheck.check(in -> weightedSum(in[0].relu().add(in[0].mul(0.1f))), Tensor.of(new float[] {-1f, -0.3f, 0.4f, 2f}));
        GradCheck.check(in -> weightedSum(in[0].mul(in[0]).add(1f).log()), randn(6));
        GradCheck.check(in -> in[0].mean(), randn(2, 5));
        GradCheck.check(in -> weightedSum(in[0].sum(1, false)), randn(2, 3, 4));
        GradCheck.check(in -> weightedSum(in[0].mean(0, true)), randn(2, 3, 4));
    }

    @Test
    void shapeOps() {
        GradCheck.check(in -> weightedSum(in[0].transpose(0, 2)), randn(2, 3, 4));
        GradCheck.check(in -> weightedSum(in[0].permute(1, 2, 0)), randn(2, 3, 4));
        GradCheck.check(in -> weightedSum(in[0].reshape(4, -1)), randn(2, 3, 4));
        GradCheck.check(in -> weightedSum(in[0].narrow(1, 1, 2)), randn(2, 4, 3));
        GradCheck.check(in -> weightedSum(in[0].select(2, -1)), randn(2, 3, 4));
        GradCheck.check(in -> weightedSum(Tensor.cat(List.of(in[0], in[1]), 1)), randn(2, 3), randn(2, 2));
        GradCheck.check(in -> weightedSum(Tensor.stack(List.of(in[0], in[1]), 1)), randn(2, 3), randn(2, 3));
        GradCheck.check(in -> weightedSum(in[0].unsqueeze(1).squeeze(1)), randn(3));
    }

    @Test
    void matrixProducts() {
        GradCheck.check(in -> weightedSum(in[0].matmul(in[1])), randn(2, 3, 4), randn(4, 5));
        GradCheck.check(in -> weightedSum(LinearAlgebra.linear(in[0], in[1], in[2])), randn(3, 4), randn(5, 4), randn(5));
    }

    @Test
    void gradientsAccumulateOverUsesAndCalls() {
        Tensor x = Tensor.of(new float[] {2f}).requiresGrad(true);
        Tensor y = x.mul(x).add(x); // reuses x: dy/dx = 2x + 1 = 5
        y.sum().backward();
        assertEquals(5f, x.grad().item());
        x.mul(3f).sum().backward(); // leaves accumulate like PyTorch
        assertEquals(8f, x.grad().item());
    }

    @Test
    void noGradRecordsNothingAndDetachCutsTheGraph() {
        Tensor w = Tensor.ones(2).requiresGrad(true);
        try (GradMode.Guard g = GradMode.noGrad()) {
            Tensor y = w.mul(2f);
            assertFalse(y.requiresGrad());
            assertNull(y.gradFn());
            try (GradMode.Guard inner = GradMode.enableGrad()) {
                assertTrue(w.mul(2f).requiresGrad());
            }
            assertFalse(GradMode.isEnabled());
        }
        assertTrue(GradMode.isEnabled());

        Tensor z = w.mul(3f);
        Tensor d = z.detach();
        assertFalse(d.requiresGrad());
        assertTrue(d.isLeaf());
        assertSame(z.data(), d.data(), "detach shares storage like PyTorch");
    }

    @Test
    void backwardNeedsAScalarOrAGradientOfTheRightShape() {
        Tensor x = Tensor.ones(3).requiresGrad(true);
        Tensor y = x.mul(2f);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("[3]"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.ones(2)));
        assertTrue(e2.getMessage().contains("[2]") && e2.getMessage().contains("[3]"), e2.getMessage());
        y.backward(Tensor.of(new float[] {1f, 2f, 3f}));
        assertArrayEquals(new float[] {2f, 4f, 6f}, x.grad().data());
        assertThrows(IllegalStateException.class, () -> Tensor.ones(1).sum().backward(), "no tensor requires grad");
    }

    @Test
    void shapeErrorsNameBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> randn(2, 3).add(randn(4)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> randn(2, 3).matmul(randn(4, 5)));
        assertTrue(e.getMessage().contains("3 vs 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> randn(2, 3).reshape(4, 2));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("needs 6 values, got 5"), e.getMessage());
    }

    @Test
    void seededGeneratorsRepeat() {
        assertArrayEquals(Tensor.randn(new Generator(5), 10).data(), Tensor.randn(new Generator(5), 10).data());
        Generator.manualSeed(9);
        float[] a = Tensor.rand(8).data();
        Generator.manualSeed(9);
        assertArrayEquals(a, Tensor.rand(8).data());
        assertFalse(java.util.Arrays.equals(a, Tensor.rand(8).data()));
    }
}
