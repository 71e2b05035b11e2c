package org.lstm4j.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.function.Function;
import org.lstm4j.tensor.Tensor;

/** Compares autograd gradients with central finite differences of a scalar function. */
final class GradCheck {
    private GradCheck() {}

    /** Checks d f(inputs)/d input for every input; {@code f} must return a one-element tensor. */
    static void check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        for (Tensor t : inputs) {
            t.requiresGrad(true).setGrad(null);
        }
        f.apply(inputs).backward();
        double eps = 1e-2;
        for (int k = 0; k < inputs.length; k++) {
            Tensor t = inputs[k];
            assertNotNull(t.grad(), "input " + k + " got no gradient");
            float[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                float saved = d[i];
                d[i] = (float) (saved + eps);
                double plus = evaluate(f, inputs);
                d[i] = (float) (saved - eps);
                double minus = evaluate(f, inputs);
                d[i] = saved;
                double numeric = (plus - minus) / (2 * eps);
                assertEquals(numeric, t.grad().data()[i], 2e-2 * Math.max(1, Math.abs(numeric)),
                        "d/d input" + k + "[" + i + "]");
            }
        }
    }

    private static double evaluate(Function<Tensor[], Tensor> f, Tensor[] inputs) {
        try (GradMode.Guard g = GradMode.noGrad()) {
            return f.apply(inputs).item();
        }
    }
}
