package org.lstm4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.function.Executable;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/** Helpers for the state-dict validation tests: trained optimizers, copies, and "refused, nothing changed". */
final class LoadChecks {
    private LoadChecks() {}

    /** Two parameters, of shapes [2, 3] and [4], so that buffer errors can name a multi-dimensional index. */
    static List<Tensor> params(long seed) {
        Generator gen = new Generator(seed);
        return List.of(Tensor.randn(gen, 2, 3).requiresGrad(true), Tensor.randn(gen, 4).requiresGrad(true));
    }

    /** Sets finite random gradients on every parameter. */
    static void grads(List<Tensor> params, long seed) {
        Generator gen = new Generator(seed);
        for (Tensor p : params) {
            p.setGrad(Tensor.randn(gen, p.shape()));
        }
    }

    /** An optimizer made by {@code kind} on fresh parameters after {@code steps} steps. */
    static Optimizer trained(Function<List<Tensor>, Optimizer> kind, int steps) {
        List<Tensor> ps = params(7);
        Optimizer opt = kind.apply(ps);
        for (int s = 0; s < steps; s++) {
            grads(ps, 100 + s);
            opt.step();
        }
        return opt;
    }

    /** A deep copy, so that corrupting it leaves the source alone. */
    static Map<String, Tensor> copy(Map<String, Tensor> dict) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        dict.forEach((k, t) -> out.put(k, Tensor.of(t.data().clone(), t.shape())));
        return out;
    }

    /** Asserts the load throws an IllegalArgumentException mentioning every part, and changes nothing. */
    static IllegalArgumentException assertRefused(Optimizer target, Map<String, Tensor> dict, String... parts) {
        Map<String, Tensor> before = target.stateDict();
        Map<String, Double> hyperBefore = target.hyperparameters();
        List<float[]> weightsBefore = weights(target);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(dict),
                () -> "expected the load to be refused: " + describe(dict));
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should mention '" + part + "'");
        }
        assertUnchanged(before, hyperBefore, weightsBefore, target, e.getMessage());
        return e;
    }

    /** Asserts the optimizer's state dict, hyperparameters and weights are what they were. */
    static void assertUnchanged(Map<String, Tensor> before, Map<String, Double> hyperBefore, List<float[]> weightsBefore,
            Optimizer target, String context) {
        assertEquals(hyperBefore, target.hyperparameters(), "hyperparameters changed by a refused load: " + context);
        Map<String, Tensor> after = target.stateDict();
        assertEquals(before.keySet(), after.keySet(), "state keys changed by a refused load: " + context);
        for (String k : before.keySet()) {
            assertArrayEquals(before.get(k).shape(), after.get(k).shape(), k + " reshaped by a refused load: " + context);
            assertArrayEquals(before.get(k).data(), after.get(k).data(), k + " changed by a refused load: " + context);
        }
        List<float[]> weightsAfter = weights(target);
        for (int i = 0; i < weightsBefore.size(); i++) {
            assertArrayEquals(weightsBefore.get(i), weightsAfter.get(i), "weights changed by a refused load: " + context);
        }
    }

    static List<float[]> weights(Optimizer opt) {
        List<float[]> out = new ArrayList<>();
        for (Tensor p : opt.params()) {
            out.add(p.data().clone());
        }
        return out;
    }

    /** Steps once with finite gradients and asserts every weight stays finite. */
    static void assertStepsToFiniteWeights(Optimizer opt, String context) {
        grads(opt.params(), 999);
        opt.step();
        for (int i = 0; i < opt.params().size(); i++) {
            float[] w = opt.params().get(i).data();
            for (int k = 0; k < w.length; k++) {
                if (!Float.isFinite(w[k])) {
                    fail("weight " + i + "[" + k + "] is " + w[k] + " after a step from a loaded state: " + context);
                }
            }
        }
    }

    static void assertMessage(Executable call, String... parts) {
        OptimizerTest.assertMessage(call, parts);
    }

    static String describe(Map<String, Tensor> dict) {
        StringBuilder sb = new StringBuilder("{");
        dict.forEach((k, t) -> sb.append(k).append(java.util.Arrays.toString(t.shape()))
                .append(t.numel() <= 3 ? java.util.Arrays.toString(t.data()) : "").append(' '));
        return sb.append('}').toString();
    }
}
