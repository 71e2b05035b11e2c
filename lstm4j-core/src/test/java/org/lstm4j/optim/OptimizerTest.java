package org.lstm4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.lstm4j.nn.MSELoss;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/** Hand-checked updates, argument errors and state-dict behaviour; no fixtures needed. */
class OptimizerTest {

    // ------------------------------------------------------------ updates by hand

    @Test
    void sgdOneStepByHand() {
        Tensor p = param(1f, 2f);
        p.setGrad(Tensor.of(new float[] {0.5f, -1f}, 2));
        new SGD(List.of(p), 0.1).step();
        assertArrayEquals(new float[] {1f - 0.1f * 0.5f, 2f + 0.1f}, p.data());
    }

    @Test
    void sgdMomentumStartsWithTheGradientThenDampens() {
        Tensor p = param(0f);
        SGD sgd = SGD.builder(List.of(p), 1.0).momentum(0.5).dampening(0.5).build();
        p.setGrad(Tensor.of(new float[] {2f}, 1));
        sgd.step(); // buf = 2 (no dampening on the first step), p = -2
        assertEquals(-2f, p.data()[0]);
        p.setGrad(Tensor.of(new float[] {2f}, 1));
        sgd.step(); // buf = 0.5 * 2 + 0.5 * 2 = 2, p = -4
        assertEquals(-4f, p.data()[0]);
        assertArrayEquals(new float[] {2f}, sgd.stateDict().get("state.0.momentum_buffer").data());
    }

    @Test
    void sgdNesterovAndWeightDecayByHand() {
        Tensor p = param(1f);
        SGD sgd = SGD.builder(List.of(p), 0.5).momentum(0.5).nesterov(true).weightDecay(1.0).build();
        p.setGrad(Tensor.of(new float[] {1f}, 1));
        sgd.step(); // d = 1 + 1*1 = 2; buf = 2; d = 2 + 0.5*2 = 3; p = 1 - 1.5
        assertEquals(-0.5f, p.data()[0]);
    }

    @Test
    void adamFirstStepMovesEachWeightByLrAgainstTheGradientSign() {
        Tensor p = param(1f, -2f, 0.5f);
        p.setGrad(Tensor.of(new float[] {0.3f, -7f, 1e-3f}, 3));
        new Adam(List.of(p), 0.01).step();
        // m̂ = g and v̂ = g², so the step is lr·g/(|g| + eps) ≈ lr·sign(g).
        assertArrayEquals(new float[] {0.99f, -1.99f, 0.49f}, p.data(), 1e-6f);
    }

    @Test
    void adamWDecaysWeightsBeforeTheUpdate() {
        Tensor p = param(2f);
        p.setGrad(Tensor.of(new float[] {0f}, 1));
        AdamW.builder(List.of(p)).lr(0.1).weightDecay(0.5).build().step();
        // zero gradient: only the decay p *= 1 - 0.1*0.5 acts
        assertEquals(2f * 0.95f, p.data()[0], 1e-7f);
    }

    @Test
    void rmspropFirstStepByHand() {
        Tensor p = param(1f);
        p.setGrad(Tensor.of(new float[] {2f}, 1));
        RMSprop.builder(List.of(p)).lr(0.1).alpha(0.75).eps(0).build().step();
        // square_avg = 0.25 * 4 = 1, p = 1 - 0.1 * 2 / 1
        assertEquals(0.8f, p.data()[0], 1e-7f);
    }

    @Test
    void maximizeAscends() {
        Tensor p = param(1f);
        p.setGrad(Tensor.of(new float[] {1f}, 1));
        SGD.builder(List.of(p), 0.5).maximize(true).build().step();
        assertEquals(1.5f, p.data()[0]);
    }

    @Test
    void defaultsMatchPyTorch() {
        List<Tensor> ps = List.of(param(0f));
        Adam adam = new Adam(ps);
        assertEquals(1e-3, adam.getLr());
        assertEquals(0.9, adam.beta1());
        assertEquals(0.999, adam.beta2());
        assertEquals(1e-8, adam.eps());
        assertEquals(0.0, adam.weightDecay());
        assertFalse(adam.amsgrad());
        AdamW adamw = new AdamW(ps);
        assertEquals(1e-3, adamw.getLr());
        assertEquals(0.01, adamw.weightDecay());
        RMSprop rms = new RMSprop(ps);
        assertEquals(1e-2, rms.getLr());
        assertEquals(0.99, rms.alpha());
        assertEquals(1e-8, rms.eps());
        assertEquals(0.0, rms.momentum());
        assertFalse(rms.centered());
        SGD sgd = new SGD(ps, 0.1);
        assertEquals(0.0, sgd.momentum());
        assertEquals(0.0, sgd.dampening());
        assertEquals(0.0, sgd.weightDecay());
        assertFalse(sgd.nesterov());
    }

    // ------------------------------------------------------------ grads and parameters

    @Test
    void parametersWithoutGradientAreSkippedAndGetNoState() {
        Tensor a = param(1f);
        Tensor b = param(1f);
        a.setGrad(Tensor.of(new float[] {1f}, 1));
        Adam adam = new Adam(List.of(a, b));
        adam.step();
        assertEquals(1f, b.data()[0]);
        assertTrue(adam.stateDict().containsKey("state.0.exp_avg"));
        assertFalse(adam.stateDict().keySet().stream().anyMatch(k -> k.startsWith("state.1.")));
    }

    @Test
    void zeroGradSetsGradientsToNullByDefault() {
        Tensor a = param(1f, 2f);
        a.setGrad(Tensor.of(new float[] {1f, 1f}, 2));
        SGD sgd = new SGD(List.of(a), 0.1);
        sgd.zeroGrad(false);
        assertArrayEquals(new float[] {0f, 0f}, a.grad().data());
        sgd.zeroGrad();
        assertNull(a.grad());
    }

    @Test
    void trainsThroughAutograd() {
        // Fit w to minimise (w - 3)^2: the loss's gradient reaches the parameter and the optimizer follows it.
        Tensor w = param(0f);
        Tensor target = Tensor.of(new float[] {3f}, 1);
        Adam adam = new Adam(List.of(w), 0.1);
        MSELoss mse = new MSELoss();
        for (int i = 0; i < 300; i++) {
            adam.zeroGrad();
            mse.forward(w, target).backward();
            adam.step();
        }
        assertEquals(3f, w.data()[0], 1e-2f);
    }

    // ------------------------------------------------------------ argument checks

    @Test
    void rejectsInvalidArgumentsNamingTheValue() {
        List<Tensor> ps = List.of(param(0f));
        assertMessage(() -> new SGD(ps, -0.1), "learning rate", "-0.1");
        assertMessage(() -> new Adam(ps, Double.NaN), "learning rate", "NaN");
        assertMessage(() -> SGD.builder(ps, 0.1).momentum(-1).build(), "momentum", "-1.0");
        assertMessage(() -> SGD.builder(ps, 0.1).weightDecay(-1e-3).build(), "weight_decay", "-0.001");
        assertMessage(() -> SGD.builder(ps, 0.1).nesterov(true).build(), "Nesterov", "momentum 0.0");
        assertMessage(() -> SGD.builder(ps, 0.1).nesterov(true).momentum(0.9).dampening(0.1).build(), "Nesterov",
                "dampening 0.1");
        assertMessage(() -> Adam.builder(ps).betas(1.0, 0.999).build(), "beta parameter at index 0", "1.0");
        assertMessage(() -> AdamW.builder(ps).betas(0.9, -0.5).build(), "beta parameter at index 1", "-0.5");
        assertMessage(() -> Adam.builder(ps).eps(-1e-8).build(), "epsilon", "-1.0E-8");
        assertMessage(() -> RMSprop.builder(ps).alpha(-0.5).build(), "alpha", "-0.5");
        assertMessage(() -> RMSprop.builder(ps).eps(-1).build(), "epsilon", "-1.0");
        assertMessage(() -> new SGD(ps, 0.1).setLr(-2), "learning rate", "-2.0");
    }

    @Test
    void rejectsBadParameterLists() {
        Tensor p = param(1f);
        assertMessage(() -> new SGD(List.of(), 0.1), "empty parameter list");
        assertMessage(() -> new SGD(List.of(p, p), 0.1), "same tensor");
        Tensor nonLeaf = new MSELoss().forward(p, Tensor.of(new float[] {0f}, 1));
        assertMessage(() -> new SGD(List.of(nonLeaf), 0.1), "non-leaf");
    }

    // ------------------------------------------------------------ state dict

    @Test
    void stateDictNamesBuffersStepsAndHyperparameters() {
        Tensor a = param(1f, 2f, 3f);
        Adam adam = Adam.builder(List.of(a)).amsgrad(true).build();
        for (int i = 0; i < 3; i++) {
            a.setGrad(Tensor.of(new float[] {1f, 2f, 3f}, 3));
            adam.step();
        }
        Map<String, Tensor> sd = adam.stateDict();
        assertEquals(3f, sd.get("state.0.step").item());
        assertEquals(0, sd.get("state.0.step").dim());
        assertArrayEquals(new int[] {3}, sd.get("state.0.exp_avg").shape());
        assertTrue(sd.containsKey("state.0.exp_avg_sq"));
        assertTrue(sd.containsKey("state.0.max_exp_avg_sq"));
        assertEquals(1e-3f, sd.get("param_groups.0.lr").data()[0]);
        assertEquals(1e-3, sum(sd.get("param_groups.0.lr")), 0.0, "the double is stored exactly");
        assertEquals(0.999, sum(sd.get("param_groups.0.betas.1")), 0.0);
        assertEquals(1.0, sum(sd.get("param_groups.0.amsgrad")), 0.0);
        // copies: later steps do not change a saved dict
        float before = sd.get("state.0.exp_avg").data()[0];
        adam.step();
        assertEquals(before, sd.get("state.0.exp_avg").data()[0]);
    }

    /** 3 steps, save, new optimizer, load, 2 more steps: bit-identical to 5 steps straight, for every kind. */
    @Test
    void stateDictRoundTripResumesBitExactly() {
        List<Function<List<Tensor>, Optimizer>> kinds = List.of(
                ps -> SGD.builder(ps, 0.05).momentum(0.9).nesterov(true).weightDecay(1e-2).build(),
                ps -> SGD.builder(ps, 0.05).momentum(0.8).dampening(0.3).build(),
                ps -> Adam.builder(ps).lr(0.01).weightDecay(0.1).amsgrad(true).build(),
                ps -> AdamW.builder(ps).lr(0.01).betas(0.8, 0.99).build(),
                ps -> RMSprop.builder(ps).lr(0.01).momentum(0.5).centered(true).weightDecay(0.1).build());
        for (Function<List<Tensor>, Optimizer> kind : kinds) {
            List<Tensor> straight = params(7);
            Optimizer a = kind.apply(straight);
            for (int s = 0; s < 5; s++) {
                if (s == 3) {
                    a.setLr(a.getLr() / 3); // an lr that is not a float: must survive the state dict exactly
                }
                grads(straight, s);
                a.step();
            }

            List<Tensor> first = params(7);
            Optimizer b = kind.apply(first);
            for (int s = 0; s < 3; s++) {
                grads(first, s);
                b.step();
            }
            b.setLr(b.getLr() / 3);
            Map<String, Tensor> saved = b.stateDict();
            List<Tensor> resumed = new ArrayList<>();
            for (Tensor p : first) {
                resumed.add(p.copy().requiresGrad(true));
            }
            Optimizer c = kind.apply(resumed);
            c.loadStateDict(saved);
            assertEquals(b.getLr(), c.getLr(), 0.0);
            for (int s = 3; s < 5; s++) {
                grads(resumed, s);
                c.step();
            }
            for (int k = 0; k < straight.size(); k++) {
                assertArrayEquals(straight.get(k).data(), resumed.get(k).data(), a.getClass().getSimpleName() + " p" + k);
            }
        }
    }

    @Test
    void loadStateDictRestoresHyperparameters() {
        Tensor p = param(1f);
        Adam saved = Adam.builder(List.of(p)).lr(0.02).betas(0.5, 0.6).eps(1e-3).weightDecay(0.1).amsgrad(true).build();
        Adam target = new Adam(List.of(param(1f)));
        target.loadStateDict(saved.stateDict());
        assertEquals(saved.hyperparameters(), target.hyperparameters());
        assertTrue(target.amsgrad());
        assertEquals(0.6, target.beta2(), 0.0);
    }

    @Test
    void loadStateDictRejectsBadEntriesWithoutChangingAnything() {
        Tensor p = param(1f, 2f);
        Adam adam = new Adam(List.of(p), 0.1);
        p.setGrad(Tensor.of(new float[] {1f, 1f}, 2));
        adam.step();
        Map<String, Tensor> good = adam.stateDict();

        Adam fresh = new Adam(List.of(param(1f, 2f)), 0.5);
        Map<String, Tensor> wrongShape = new HashMap<>(good);
        wrongShape.put("state.0.exp_avg", Tensor.zeros(3));
        wrongShape.put("param_groups.0.lr", Tensor.scalar(0.25f));
        assertMessage(() -> fresh.loadStateDict(wrongShape), "state.0.exp_avg", "[3]", "[2]");
        assertEquals(0.5, fresh.getLr(), 0.0, "nothing applied on failure");

        Map<String, Tensor> missing = new HashMap<>(good);
        missing.remove("state.0.exp_avg_sq");
        assertMessage(() -> fresh.loadStateDict(missing), "state.0.exp_avg_sq");

        Map<String, Tensor> unknown = new HashMap<>(good);
        unknown.put("state.0.momentum_buffer", Tensor.zeros(2));
        assertMessage(() -> fresh.loadStateDict(unknown), "momentum_buffer");

        Map<String, Tensor> outOfRange = new HashMap<>(good);
        outOfRange.put("state.5.exp_avg", Tensor.zeros(2));
        assertMessage(() -> fresh.loadStateDict(outOfRange), "state.5.exp_avg");

        Map<String, Tensor> badHyper = new HashMap<>(good);
        badHyper.put("param_groups.0.betas.0", Tensor.scalar(1.5f));
        assertMessage(() -> fresh.loadStateDict(badHyper), "beta parameter at index 0", "1.5");
        assertEquals(0.9, fresh.beta1(), 0.0);

        assertMessage(() -> new SGD(List.of(param(1f, 2f)), 0.1).loadStateDict(good), "param_groups.0.betas");
        assertTrue(fresh.stateDict().keySet().stream().noneMatch(k -> k.startsWith("state.")), "no state loaded");
    }

    // ------------------------------------------------------------ helpers

    private static Tensor param(float... values) {
        return Tensor.of(values.clone(), values.length).requiresGrad(true);
    }

    private static List<Tensor> params(long seed) {
        Generator gen = new Generator(seed);
        return List.of(Tensor.randn(gen, 3, 4).requiresGrad(true), Tensor.randn(gen, 5).requiresGrad(true));
    }

    private static void grads(List<Tensor> params, int step) {
        Generator gen = new Generator(1000 + step);
        for (Tensor p : params) {
            p.setGrad(Tensor.randn(gen, p.shape()));
        }
    }

    private static double sum(Tensor t) {
        double s = 0;
        for (float v : t.data()) {
            s += v;
        }
        return s;
    }

    static void assertMessage(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should mention '" + part + "'");
        }
    }
}
