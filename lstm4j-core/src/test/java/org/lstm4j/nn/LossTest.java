package org.lstm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.lstm4j.autograd.GradMode;
import org.lstm4j.kernels.Parallelism;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;

/** Hand-computed losses, finite-difference gradients and error messages; no fixtures needed. */
class LossTest {

    // ------------------------------------------------------------ MSE

    @Test
    void mseByHand() {
        Tensor x = Tensor.of(new float[] {1f, 2f, 3f, 4f}, 2, 2).requiresGrad(true);
        Tensor t = Tensor.of(new float[] {0f, 2f, 5f, 4f}, 2, 2);
        Tensor loss = new MSELoss().forward(x, t);
        assertEquals(0, loss.dim());
        assertEquals((1f + 0f + 4f + 0f) / 4f, loss.item());
        loss.backward();
        assertArrayEquals(new float[] {0.5f, 0f, -1f, 0f}, x.grad().data());

        Tensor sum = new MSELoss(Reduction.SUM).forward(x.detach(), t);
        assertEquals(5f, sum.item());
    }

    @Test
    void mseTargetGetsTheOppositeGradient() {
        Tensor x = Tensor.of(new float[] {1f, 2f}, 2).requiresGrad(true);
        Tensor t = Tensor.of(new float[] {3f, 1f}, 2).requiresGrad(true);
        new MSELoss(Reduction.SUM).forward(x, t).backward();
        assertArrayEquals(new float[] {-4f, 2f}, x.grad().data());
        assertArrayEquals(new float[] {4f, -2f}, t.grad().data());
    }

    @Test
    void mseWithoutReductionKeepsTheShape() {
        Tensor x = Tensor.of(new float[] {1f, 2f, 3f}, 3).requiresGrad(true);
        Tensor t = Tensor.of(new float[] {0f, 0f, 0f}, 3);
        Tensor loss = new MSELoss(Reduction.NONE).forward(x, t);
        assertArrayEquals(new int[] {3}, loss.shape());
        assertArrayEquals(new float[] {1f, 4f, 9f}, loss.data());
        loss.backward(Tensor.of(new float[] {1f, 0f, 2f}, 3));
        assertArrayEquals(new float[] {2f, 0f, 12f}, x.grad().data());
    }

    @Test
    void mseRejectsMismatchedShapesNamingBoth() {
        Tensor x = Tensor.zeros(4, 1);
        Tensor t = Tensor.zeros(4);
        assertMessage(() -> new MSELoss().forward(x, t), "[4, 1]", "[4]", "broadcast");
    }

    @Test
    void mseGradientMatchesFiniteDifferences() {
        Generator gen = new Generator(7);
        Tensor x = Tensor.randn(gen, 3, 5);
        Tensor t = Tensor.randn(gen, 3, 5);
        checkGradient(x, () -> new MSELoss().forward(x, t));
    }

    @Test
    @SuppressWarnings("try") // the guard is only opened and closed
    void noGraphUnderNoGrad() {
        Tensor x = Tensor.of(new float[] {1f}, 1).requiresGrad(true);
        try (GradMode.Guard g = GradMode.noGrad()) {
            Tensor loss = new MSELoss().forward(x, Tensor.of(new float[] {0f}, 1));
            assertFalse(loss.requiresGrad());
            assertNull(loss.gradFn());
        }
    }

    // ------------------------------------------------------------ cross-entropy

    @Test
    void crossEntropyByHand() {
        // Two rows; log-softmax of [0, ln 3] is [ln 1/4, ln 3/4].
        float ln3 = (float) Math.log(3);
        Tensor x = Tensor.of(new float[] {0f, ln3, 0f, ln3}, 2, 2).requiresGrad(true);
        IndexTensor t = IndexTensor.of(new int[] {1, 0});
        Tensor loss = new CrossEntropyLoss().forward(x, t);
        assertEquals(0, loss.dim());
        assertEquals((-Math.log(0.75) - Math.log(0.25)) / 2, loss.item(), 1e-6);
        loss.backward();
        // (softmax - one_hot) / N
        assertArrayEquals(new float[] {0.125f, -0.125f, -0.375f, 0.375f}, x.grad().data(), 1e-6f);
    }

    @Test
    void crossEntropyIsStableForHugeLogits() {
        Tensor x = Tensor.of(new float[] {1000f, -1000f, 0f}, 1, 3).requiresGrad(true);
        Tensor loss = new CrossEntropyLoss().forward(x, IndexTensor.of(new int[] {1}));
        assertEquals(2000f, loss.item(), 1e-3f);
        loss.backward();
        assertArrayEquals(new float[] {1f, -1f, 0f}, x.grad().data(), 1e-6f);
    }

    @Test
    void maskedLogitsGetExactlyZeroProbability() {
        // -inf (masked) and very negative logits: probability and gradient exactly 0, as in PyTorch.
        float ninf = Float.NEGATIVE_INFINITY;
        Tensor x = Tensor.of(new float[] {0f, ninf, 0f, -200f}, 1, 4).requiresGrad(true);
        Tensor loss = new CrossEntropyLoss().forward(x, IndexTensor.of(new int[] {0}));
        assertEquals(Math.log(2), loss.item(), 1e-6);
        loss.backward();
        assertArrayEquals(new float[] {-0.5f, 0f, 0.5f, 0f}, x.grad().data(), 0f);
    }

    @Test
    void rowsSplitOverThreadsGiveTheSameBits() {
        // 700 rows of 65 classes are over the split threshold: two threads take a half each.
        Generator gen = new Generator(5);
        Tensor logits = Tensor.randn(gen, 700, 65).mul(3f);
        int[] targets = new int[700];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = i % 7 == 0 ? -100 : gen.nextInt(65);
        }
        IndexTensor t = IndexTensor.of(targets);
        float[][] one = lossAndGradient(logits, t, 1);
        float[][] two = lossAndGradient(logits, t, 2);
        assertArrayEquals(one[0], two[0], 0f);
        assertArrayEquals(one[1], two[1], 0f);
    }

    private static float[][] lossAndGradient(Tensor logits, IndexTensor t, int threads) {
        Parallelism.setThreads(threads);
        try {
            Tensor x = logits.detach().requiresGrad(true);
            Tensor loss = new CrossEntropyLoss(Reduction.MEAN, -100, 0.1).forward(x, t);
            loss.backward();
            return new float[][] {{loss.item()}, x.grad().data()};
        } finally {
            Parallelism.setThreads(Runtime.getRuntime().availableProcessors());
        }
    }

    @Test
    void crossEntropyUnbatched() {
        Tensor x = Tensor.of(new float[] {0f, 0f, 0f, 0f}, 4).requiresGrad(true);
        Tensor loss = new CrossEntropyLoss().forward(x, IndexTensor.of(new int[] {2}));
        assertEquals(0, loss.dim());
        assertEquals(Math.log(4), loss.item(), 1e-6);
        loss.backward();
        assertArrayEquals(new float[] {0.25f, 0.25f, -0.75f, 0.25f}, x.grad().data(), 1e-6f);
        Tensor none = new CrossEntropyLoss(Reduction.NONE).forward(x.detach(), IndexTensor.of(new int[] {2}));
        assertEquals(0, none.dim());
    }

    @Test
    void crossEntropyGradientMatchesFiniteDifferences() {
        Generator gen = new Generator(11);
        Tensor x = Tensor.randn(gen, 4, 6);
        IndexTensor t = IndexTensor.of(new int[] {5, 0, 2, 2});
        checkGradient(x, () -> new CrossEntropyLoss().forward(x, t));
        checkGradient(x, () -> new CrossEntropyLoss(Reduction.SUM).forward(x, t));
        checkGradient(x, () -> new CrossEntropyLoss(Reduction.MEAN, -100, 0.2).forward(x, t));
        checkGradient(x, () -> new CrossEntropyLoss(Reduction.MEAN, 2, 0.1).forward(x, t));
    }

    @Test
    void ignoredTargetsContributeNothingAndAreNotCounted() {
        Tensor x = Tensor.of(new float[] {0f, 0f, 5f, -5f}, 2, 2).requiresGrad(true);
        Tensor loss = new CrossEntropyLoss().forward(x, IndexTensor.of(new int[] {0, -100}));
        assertEquals(Math.log(2), loss.item(), 1e-6, "mean over the one counted row");
        loss.backward();
        assertArrayEquals(new float[] {-0.5f, 0.5f, 0f, 0f}, x.grad().data(), 1e-6f);
    }

    @Test
    void labelSmoothingMixesInTheUniformDistribution() {
        Tensor x = Tensor.of(new float[] {0f, 0f}, 1, 2);
        // uniform logits: every log-prob is ln 1/2 whatever the smoothing
        assertEquals(Math.log(2), new CrossEntropyLoss(Reduction.MEAN, -100, 0.3).forward(x, IndexTensor.of(new int[] {0})).item(), 1e-6);
        Tensor y = Tensor.of(new float[] {0f, (float) Math.log(3)}, 1, 2);
        double eps = 0.4;
        double expected = (1 - eps) * -Math.log(0.25) + eps / 2 * (-Math.log(0.25) - Math.log(0.75));
        assertEquals(expected, new CrossEntropyLoss(Reduction.SUM, -100, eps).forward(y, IndexTensor.of(new int[] {0})).item(), 1e-6);
    }

    @Test
    void crossEntropyWithoutReductionGivesOneLossPerSample() {
        Tensor x = Tensor.of(new float[] {0f, 0f, 0f, 0f}, 2, 2).requiresGrad(true);
        Tensor loss = new CrossEntropyLoss(Reduction.NONE).forward(x, IndexTensor.of(new int[] {0, 1}));
        assertArrayEquals(new int[] {2}, loss.shape());
        assertArrayEquals(new float[] {(float) Math.log(2), (float) Math.log(2)}, loss.data(), 1e-6f);
        loss.backward(Tensor.of(new float[] {1f, 0f}, 2));
        assertArrayEquals(new float[] {-0.5f, 0.5f, 0f, 0f}, x.grad().data(), 1e-6f);
    }

    @Test
    void crossEntropyErrors() {
        CrossEntropyLoss ce = new CrossEntropyLoss();
        Tensor x = Tensor.zeros(3, 4);
        assertMessage(() -> ce.forward(x, IndexTensor.of(new int[] {0, 4, 1})), "target[1] = 4", "4 classes", "[0, 4)");
        assertMessage(() -> ce.forward(x, IndexTensor.of(new int[] {0, -1, 1})), "target[1] = -1");
        assertMessage(() -> ce.forward(x, IndexTensor.of(new int[] {0, 1})), "batch size 3", "target batch size 2");
        assertMessage(() -> ce.forward(x, IndexTensor.of(new int[] {0, 1, 2}, 3, 1)), "[3, 1]");
        assertMessage(() -> ce.forward(Tensor.zeros(2, 3, 4), IndexTensor.of(new int[] {0, 1})), "(N, C) or (C)", "[2, 3, 4]");
        assertMessage(() -> ce.forward(Tensor.zeros(4), IndexTensor.of(new int[] {0, 1})), "unbatched", "[2]");
        assertMessage(() -> new CrossEntropyLoss(Reduction.MEAN, -100, 1.5), "labelSmoothing", "1.5");
        assertEquals(Reduction.SUM, Reduction.fromString("sum"));
        assertMessage(() -> Reduction.fromString("batchmean"), "batchmean");
    }

    // ------------------------------------------------------------ helpers

    /** Central differences in double against the autograd gradient of a 0-d loss of {@code x}. */
    private static void checkGradient(Tensor x, Supplier<Tensor> loss) {
        x.requiresGrad(true);
        x.setGrad(null);
        loss.get().backward();
        float[] analytic = x.grad().data().clone();
        float[] d = x.data();
        float h = 1e-2f;
        for (int i = 0; i < d.length; i++) {
            float keep = d[i];
            d[i] = keep + h;
            double up = loss.get().item();
            d[i] = keep - h;
            double down = loss.get().item();
            d[i] = keep;
            double numeric = (up - down) / (2 * h);
            assertEquals(numeric, analytic[i], 2e-3 + 1e-2 * Math.abs(numeric), "d loss / d x[" + i + "]");
        }
        x.setGrad(null);
    }

    private static void assertMessage(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should mention '" + part + "'");
        }
    }
}
