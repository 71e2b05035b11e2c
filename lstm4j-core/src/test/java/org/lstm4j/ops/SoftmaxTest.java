package org.lstm4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lstm4j.autograd.GradMode;
import org.lstm4j.kernels.Parallelism;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/** Softmax and log-softmax: values against double references, dimensions, stability and special values. */
class SoftmaxTest {
    private final Generator gen = new Generator(3);

    @Test
    void matchesDoublePrecisionReferenceAlongEveryDimension() {
        Tensor x = Tensor.randn(gen, 3, 4, 5).mul(4f);
        for (int dim = -3; dim < 3; dim++) {
            int d = dim < 0 ? dim + 3 : dim;
            Tensor soft = x.softmax(dim);
            Tensor logSoft = x.logSoftmax(dim);
            assertArrayEquals(x.shape(), soft.shape());
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    for (int k = 0; k < 5; k++) {
                        int[] at = {i, j, k};
                        double logSumExp = logSumExp(x, at, d);
                        double expected = x.get(at) - logSumExp;
                        assertEquals(expected, logSoft.get(at), 2e-6 * Math.max(1, Math.abs(expected)), "log_softmax dim " + dim);
                        assertEquals(Math.exp(expected), soft.get(at), 3e-7 * Math.exp(expected) + 1e-9, "softmax dim " + dim);
                    }
                }
            }
        }
    }

    /** log Σ exp over dimension d through the element {@code at}, in double. */
    private static double logSumExp(Tensor x, int[] at, int d) {
        int[] index = at.clone();
        double sum = 0;
        for (int l = 0; l < x.size(d); l++) {
            index[d] = l;
            sum += Math.exp(x.get(index));
        }
        return Math.log(sum);
    }

    @Test
    void negativeDimensionsCountFromTheEnd() {
        Tensor x = Tensor.randn(gen, 2, 3, 4);
        assertArrayEquals(x.softmax(2).data(), x.softmax(-1).data());
        assertArrayEquals(x.logSoftmax(0).data(), x.logSoftmax(-3).data());
        assertThrows(IllegalArgumentException.class, () -> x.softmax(3));
        assertThrows(IllegalArgumentException.class, () -> x.logSoftmax(-4));
    }

    @Test
    void hugeLogitsNeitherOverflowNorUnderflow() {
        // exp(1000) overflows even in double: the maximum must be subtracted first.
        Tensor x = Tensor.of(new float[] {1000f, 1001f, -1000f});
        float[] soft = x.softmax(0).data();
        assertEquals(1 / (1 + Math.E), soft[0], 1e-7);
        assertEquals(Math.E / (1 + Math.E), soft[1], 1e-7);
        assertEquals(0f, soft[2]);
        float[] logSoft = x.logSoftmax(0).data();
        double log1pE = Math.log1p(Math.exp(-1));
        assertEquals(-1 - log1pE, logSoft[0], 1e-6);
        assertEquals(-log1pE, logSoft[1], 1e-6);
        assertEquals(-2001 - log1pE, logSoft[2], 1e-3); // finite, where log(softmax) would be -inf
    }

    @Test
    void negativeInfinityGetsProbabilityZeroAndNaNPoisonsOnlyItsLane() {
        float inf = Float.POSITIVE_INFINITY;
        Tensor x = Tensor.of(new float[] {
            -inf, 0f, 0f,
            1f, Float.NaN, 2f,
            -inf, -inf, -inf,
            inf, 1f, 2f}, 4, 3);
        float[] soft = x.softmax(1).data();
        float[] logSoft = x.logSoftmax(1).data();
        assertEquals(0f, soft[0]);
        assertEquals(0.5f, soft[1]);
        assertEquals(-inf, logSoft[0]);
        assertEquals((float) -Math.log(2), logSoft[1], 1e-7);
        // PyTorch: a lane with NaN, +inf or only -inf is NaN throughout.
        for (int i = 3; i < 12; i++) {
            assertTrue(Float.isNaN(soft[i]), "softmax element " + i);
            assertTrue(Float.isNaN(logSoft[i]), "log_softmax element " + i);
        }
    }

    @Test
    void scalarIsItsOwnLane() {
        assertEquals(1f, Tensor.scalar(7f).softmax(0).item());
        assertEquals(0f, Tensor.scalar(7f).logSoftmax(-1).item());
        assertEquals(0, Tensor.scalar(7f).softmax(0).dim());
        assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(7f).softmax(1));
    }

    @Test
    void emptyDimensionGivesEmptyResult() {
        assertArrayEquals(new int[] {2, 0}, Tensor.zeros(2, 0).softmax(1).shape());
        assertArrayEquals(new int[] {0, 3}, Tensor.zeros(0, 3).logSoftmax(1).shape());
    }

    @Test
    void backwardFollowsTheClosedForms() {
        Tensor x = Tensor.randn(gen, 2, 3, 4).requiresGrad(true);
        Tensor g = Tensor.randn(gen, 2, 3, 4);
        Tensor y = x.softmax(1);
        y.backward(g);
        float[] softGrad = x.grad().data().clone();
        x.setGrad(null);
        x.logSoftmax(1).backward(g);
        float[] logGrad = x.grad().data();
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 4; k++) {
                double dot = 0;
                double sumG = 0;
                for (int j = 0; j < 3; j++) {
                    dot += g.get(i, j, k) * y.get(i, j, k);
                    sumG += g.get(i, j, k);
                }
                for (int j = 0; j < 3; j++) {
                    int flat = (i * 3 + j) * 4 + k;
                    assertEquals(y.get(i, j, k) * (g.get(i, j, k) - dot), softGrad[flat], 1e-6);
                    assertEquals(g.get(i, j, k) - y.get(i, j, k) * sumG, logGrad[flat], 1e-6);
                }
            }
        }
    }

    @Test
    void recordsOnlyWhenNeeded() {
        Tensor x = Tensor.randn(gen, 2, 3);
        assertFalse(x.softmax(1).requiresGrad());
        x.requiresGrad(true);
        assertEquals("softmaxBackward", x.softmax(1).gradFn().toString());
        assertEquals("log_softmaxBackward", x.logSoftmax(1).gradFn().toString());
        try (GradMode.Guard guard = GradMode.noGrad()) {
            assertFalse(x.softmax(1).requiresGrad());
        }
    }

    @Test
    void threadsChangeNoBit() {
        // Big enough to be split over the threads; the lanes along dim 0 are strided.
        Tensor x = Tensor.randn(gen, 64, 700).mul(5f).requiresGrad(true);
        Tensor g = Tensor.randn(gen, 64, 700);
        int saved = Parallelism.threads();
        try {
            float[][] results = new float[4][];
            for (int threads = 1; threads <= 2; threads++) {
                Parallelism.setThreads(threads);
                for (int dim = 0; dim < 2; dim++) {
                    x.setGrad(null);
                    Tensor y = x.softmax(dim);
                    y.backward(g);
                    float[] both = new float[2 * y.numel()];
                    System.arraycopy(y.data(), 0, both, 0, y.numel());
                    System.arraycopy(x.grad().data(), 0, both, y.numel(), y.numel());
                    if (threads == 1) {
                        results[dim] = both;
                    } else {
                        assertArrayEquals(results[dim], both, "dim " + dim);
                    }
                }
            }
        } finally {
            Parallelism.setThreads(saved);
        }
    }
}
