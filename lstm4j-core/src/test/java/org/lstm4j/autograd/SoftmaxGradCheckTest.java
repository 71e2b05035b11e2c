package org.lstm4j.autograd;

import org.junit.jupiter.api.Test;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/** Softmax and log-softmax gradients against finite differences, along every dimension. */
class SoftmaxGradCheckTest {
    private final Generator gen = new Generator(11);

    /** Weights the output so that the check sees every element's gradient (an unweighted softmax sums to 1). */
    private static Tensor weightedSum(Tensor t) {
        return t.mul(Tensor.randn(new Generator(5), t.shape())).sum();
    }

    @Test
    void softmax() {
        for (int dim : new int[] {0, 1, 2, -1}) {
            GradCheck.check(in -> weightedSum(in[0].softmax(dim)), Tensor.randn(gen, 2, 3, 4));
        }
    }

    @Test
    void logSoftmax() {
        for (int dim : new int[] {0, 1, 2, -2}) {
            GradCheck.check(in -> weightedSum(in[0].logSoftmax(dim)), Tensor.randn(gen, 2, 3, 4));
        }
    }

    @Test
    void composedWithOtherOps() {
        // Softmax attention-like weights applied to values, and a log-softmax cross-entropy by hand.
        GradCheck.check(in -> weightedSum(in[0].softmax(-1).matmul(in[1])), Tensor.randn(gen, 3, 4), Tensor.randn(gen, 4, 2));
        GradCheck.check(in -> in[0].logSoftmax(1).mul(in[1]).sum().neg(), Tensor.randn(gen, 3, 5),
                Tensor.uniform(0f, 1f, gen, 3, 5));
    }
}
