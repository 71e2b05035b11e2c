package org.lstm4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lstm4j.optim.LoadChecks.assertMessage;
import static org.lstm4j.optim.LoadChecks.assertRefused;
import static org.lstm4j.optim.LoadChecks.assertStepsToFiniteWeights;
import static org.lstm4j.optim.LoadChecks.copy;
import static org.lstm4j.optim.LoadChecks.trained;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.lstm4j.tensor.Tensor;

/**
 * {@link Optimizer#loadStateDict} refuses, naming the key, every state that used to load silently and turn
 * the weights into NaN at the next step; a refused load leaves the optimizer exactly as it was.
 */
class OptimizerStateValidationTest {
    private static final Function<List<Tensor>, Optimizer> ADAM_AMSGRAD =
            ps -> Adam.builder(ps).lr(0.01).amsgrad(true).build();
    private static final Function<List<Tensor>, Optimizer> ADAMW = ps -> AdamW.builder(ps).lr(0.01).build();
    private static final Function<List<Tensor>, Optimizer> SGD_MOMENTUM =
            ps -> SGD.builder(ps, 0.05).momentum(0.9).dampening(0.1).weightDecay(0.01).build();
    private static final Function<List<Tensor>, Optimizer> SGD_NESTEROV =
            ps -> SGD.builder(ps, 0.05).momentum(0.9).nesterov(true).build();
    private static final Function<List<Tensor>, Optimizer> RMSPROP_CENTERED =
            ps -> RMSprop.builder(ps).lr(0.01).momentum(0.5).centered(true).weightDecay(0.01).build();
    private static final List<Function<List<Tensor>, Optimizer>> STEP_COUNTING = List.of(ADAM_AMSGRAD, ADAMW,
            RMSPROP_CENTERED);

    // ------------------------------------------------------------ step counts

    @Test
    void stepMustBeAWholeCountFrom1To2Pow24AsOneFloat() {
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e30f, 16777218f, 0f, -1f, 2.5f};
        for (Function<List<Tensor>, Optimizer> kind : STEP_COUNTING) {
            Map<String, Tensor> good = trained(kind, 2).stateDict();
            for (float v : bad) {
                Map<String, Tensor> dict = copy(good);
                dict.put("state.1.step", Tensor.scalar(v));
                assertRefused(trained(kind, 1), dict, "'state.1.step'", "whole number in [1, 16777216]",
                        "got " + v);
            }
        }
    }

    @Test
    void stepUpTo2Pow24LoadsAsOneFloatOfAnyScalarShape() {
        for (Function<List<Tensor>, Optimizer> kind : STEP_COUNTING) {
            Map<String, Tensor> dict = copy(trained(kind, 2).stateDict());
            dict.put("state.0.step", Tensor.scalar(16777216f));
            dict.put("state.1.step", Tensor.of(new float[] {3f}, 1));
            Optimizer target = trained(kind, 0);
            target.loadStateDict(dict);
            assertEquals(16777216f, target.stateDict().get("state.0.step").item());
            assertEquals(3f, target.stateDict().get("state.1.step").item());
            assertStepsToFiniteWeights(target, kind.apply(LoadChecks.params(1)).getClass().getSimpleName());
        }
    }

    /** Past 2^24 the count no longer fits a float32 exactly, so it is saved in the exact three-float form. */
    @Test
    void stepsBeyond2Pow24AreSavedExactly() {
        Optimizer adam = trained(ADAM_AMSGRAD, 1);
        Map<String, Tensor> dict = copy(adam.stateDict());
        dict.put("state.0.step", Tensor.scalar(16777216f));
        adam.loadStateDict(dict);
        LoadChecks.grads(adam.params(), 5);
        adam.step();
        Tensor saved = adam.stateDict().get("state.0.step");
        assertArrayEquals(new int[] {3}, saved.shape());
        assertEquals(16777217.0, (double) saved.data()[0] + saved.data()[1] + saved.data()[2], 0.0);

        Optimizer resumed = trained(ADAM_AMSGRAD, 0);
        resumed.loadStateDict(adam.stateDict());
        LoadChecks.grads(resumed.params(), 6);
        resumed.step();
        Tensor next = resumed.stateDict().get("state.0.step");
        assertEquals(16777218.0, (double) next.data()[0] + next.data()[1] + next.data()[2], 0.0);
        assertEquals(0, resumed.stateDict().get("state.1.step").dim(), "small counts stay 0-d, as in PyTorch");
    }

    @Test
    void stepInTheThreeFloatFormMustBeAWholeCountUpTo2Pow53() {
        Map<String, Tensor> good = trained(ADAMW, 2).stateDict();
        for (double v : new double[] {2.5, 0, -3, Math.pow(2, 53) + 2, 1e20}) {
            Map<String, Tensor> dict = copy(good);
            dict.put("state.0.step", StateDicts.encodeDouble(v));
            assertRefused(trained(ADAMW, 1), dict, "'state.0.step'", "whole number in [1, 9007199254740992]");
        }
        Map<String, Tensor> notAnEncoding = copy(good);
        notAnEncoding.put("state.0.step", Tensor.of(new float[] {2f, 1f, 0f}, 3));
        assertRefused(trained(ADAMW, 1), notAnEncoding, "'state.0.step'", "exact encoding", "[2.0, 1.0, 0.0]");
        Map<String, Tensor> tooMany = copy(good);
        tooMany.put("state.0.step", Tensor.of(new float[] {1f, 1f}, 2));
        assertRefused(trained(ADAMW, 1), tooMany, "'state.0.step'", "shape [2]");
    }

    // ------------------------------------------------------------ hyperparameter ranges

    @Test
    void learningRatesMustBeFiniteAndNonNegative() {
        for (Function<List<Tensor>, Optimizer> kind : List.of(ADAM_AMSGRAD, ADAMW, SGD_MOMENTUM, RMSPROP_CENTERED)) {
            Map<String, Tensor> good = trained(kind, 2).stateDict();
            for (String key : List.of("param_groups.0.lr", "param_groups.0.initial_lr")) {
                List<Tensor> bad = List.of(Tensor.scalar(Float.POSITIVE_INFINITY), Tensor.scalar(Float.NaN),
                        Tensor.scalar(-1e-3f),
                        // Float.MAX_VALUE + 1e31: finite in double, infinite once the update rounds it to float32
                        Tensor.of(new float[] {Float.MAX_VALUE, 1e31f, 0f}, 3));
                for (Tensor t : bad) {
                    Map<String, Tensor> dict = copy(good);
                    dict.put(key, t);
                    assertRefused(trained(kind, 1), dict, "'" + key + "'", "number >= 0 that is finite in float32",
                            "got ");
                }
            }
        }
    }

    @Test
    void adamHyperparametersAreRangeChecked() {
        for (Function<List<Tensor>, Optimizer> kind : List.of(ADAM_AMSGRAD, ADAMW)) {
            Map<String, Tensor> good = trained(kind, 2).stateDict();
            refuse(kind, good, "weight_decay", Double.POSITIVE_INFINITY, "weight_decay value", "Infinity");
            refuse(kind, good, "weight_decay", -0.5, "weight_decay value", "-0.5");
            refuse(kind, good, "eps", -1e-8, "epsilon value", "-1.0E-8");
            refuse(kind, good, "eps", Double.NaN, "epsilon value", "NaN");
            refuse(kind, good, "betas.0", 1.0, "beta parameter at index 0", "[0, 1)", "1.0");
            refuse(kind, good, "betas.1", -0.1, "beta parameter at index 1", "[0, 1)", "-0.1");
            refuse(kind, good, "amsgrad", 0.5, "0 or 1", "0.5");
            refuse(kind, good, "maximize", 2, "0 or 1", "2.0");
            refuse(kind, good, "maximize", -1, "0 or 1", "-1.0");
        }
    }

    @Test
    void sgdHyperparametersAreRangeChecked() {
        Map<String, Tensor> good = trained(SGD_MOMENTUM, 2).stateDict();
        refuse(SGD_MOMENTUM, good, "momentum", -0.9, "momentum value", "-0.9");
        refuse(SGD_MOMENTUM, good, "momentum", Double.POSITIVE_INFINITY, "momentum value", "Infinity");
        refuse(SGD_MOMENTUM, good, "dampening", Double.NaN, "dampening value", "NaN");
        refuse(SGD_MOMENTUM, good, "dampening", -1, "dampening value", "-1.0");
        refuse(SGD_MOMENTUM, good, "weight_decay", Double.POSITIVE_INFINITY, "weight_decay value", "Infinity");
        refuse(SGD_MOMENTUM, good, "nesterov", 0.5, "0 or 1", "0.5");
        // Nesterov needs zero dampening, and this state has 0.1.
        Map<String, Tensor> nesterov = copy(good);
        nesterov.put("param_groups.0.nesterov", Tensor.scalar(1f));
        assertRefused(trained(SGD_MOMENTUM, 1), nesterov, "'param_groups.0.nesterov'", "'param_groups.0.dampening'",
                "Nesterov momentum requires", "dampening 0.1");
    }

    @Test
    void rmspropHyperparametersAreRangeChecked() {
        Map<String, Tensor> good = trained(RMSPROP_CENTERED, 2).stateDict();
        refuse(RMSPROP_CENTERED, good, "alpha", -0.1, "alpha value", "[0, 1]", "-0.1");
        // alpha > 1 would give g² a negative weight: square_avg negative, its root NaN at the next step.
        refuse(RMSPROP_CENTERED, good, "alpha", 1.5, "alpha value", "[0, 1]", "1.5");
        refuse(RMSPROP_CENTERED, good, "eps", Double.POSITIVE_INFINITY, "epsilon value", "Infinity");
        refuse(RMSPROP_CENTERED, good, "momentum", -1, "momentum value", "-1.0");
        refuse(RMSPROP_CENTERED, good, "weight_decay", Double.NaN, "weight_decay value", "NaN");
        refuse(RMSPROP_CENTERED, good, "centered", 0.25, "0 or 1", "0.25");
    }

    @Test
    void constructorsApplyTheSameRanges() {
        List<Tensor> ps = LoadChecks.params(1);
        assertMessage(() -> new SGD(ps, Double.POSITIVE_INFINITY), "Invalid learning rate", "Infinity", "finite");
        assertMessage(() -> new SGD(ps, 0.1).setLr(1e39), "Invalid learning rate", "1.0E39");
        assertMessage(() -> Adam.builder(ps).weightDecay(Double.POSITIVE_INFINITY).build(), "weight_decay", "Infinity");
        assertMessage(() -> SGD.builder(ps, 0.1).dampening(Double.NaN).build(), "dampening", "NaN");
        assertMessage(() -> RMSprop.builder(ps).alpha(1.01).build(), "alpha", "1.01", "[0, 1]");
        RMSprop.builder(ps).alpha(1).build(); // the edge is allowed
    }

    /** Booleans exactly 0 and 1, lr 0 and every other edge of a range load. */
    @Test
    void valuesOnTheEdgesOfTheirRangesLoad() {
        Map<String, Tensor> dict = copy(trained(ADAM_AMSGRAD, 2).stateDict());
        dict.put("param_groups.0.lr", Tensor.scalar(0f));
        dict.put("param_groups.0.betas.0", Tensor.scalar(0f));
        dict.put("param_groups.0.eps", Tensor.scalar(0f));
        dict.put("param_groups.0.maximize", Tensor.scalar(1f));
        Optimizer target = trained(ADAM_AMSGRAD, 0);
        target.loadStateDict(dict);
        assertEquals(0.0, target.getLr());
        assertTrue(((Adam) target).maximize());
        assertEquals(0.0, ((Adam) target).beta1());
    }

    // ------------------------------------------------------------ buffers

    @Test
    void nonFiniteBuffersAreRefusedNamingKeyIndexAndValue() {
        Map<Function<List<Tensor>, Optimizer>, List<String>> buffers = new LinkedHashMap<>();
        buffers.put(ADAM_AMSGRAD, List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq"));
        buffers.put(ADAMW, List.of("exp_avg", "exp_avg_sq"));
        buffers.put(SGD_MOMENTUM, List.of("momentum_buffer"));
        buffers.put(SGD_NESTEROV, List.of("momentum_buffer"));
        buffers.put(RMSPROP_CENTERED, List.of("square_avg", "momentum_buffer", "grad_avg"));
        buffers.forEach((kind, names) -> {
            Map<String, Tensor> good = trained(kind, 2).stateDict();
            for (String name : names) {
                for (float v : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                    Map<String, Tensor> dict = copy(good);
                    dict.get("state.0." + name).data()[4] = v; // flat 4 of shape [2, 3] is [1, 1]
                    assertRefused(trained(kind, 1), dict, "'state.0." + name + "'", "finite", "got " + v,
                            "at index [1, 1]");
                }
            }
        });
    }

    @Test
    void negativeAveragesOfSquaresAreRefused() {
        Map<Function<List<Tensor>, Optimizer>, List<String>> squares = Map.of(
                ADAM_AMSGRAD, List.of("exp_avg_sq", "max_exp_avg_sq"),
                ADAMW, List.of("exp_avg_sq"),
                RMSPROP_CENTERED, List.of("square_avg"));
        squares.forEach((kind, names) -> {
            Map<String, Tensor> good = trained(kind, 2).stateDict();
            for (String name : names) {
                Map<String, Tensor> dict = copy(good);
                dict.get("state.1." + name).data()[2] = -1e-6f;
                assertRefused(trained(kind, 1), dict, "'state.1." + name + "'", ">= 0", "got -1.0E-6",
                        "at index [2]");
            }
        });
    }

    /** exp_avg, momentum_buffer and grad_avg average signed gradients: negative values are normal. */
    @Test
    void negativeAveragesOfGradientsLoad() {
        Map<Function<List<Tensor>, Optimizer>, String> signed = Map.of(ADAM_AMSGRAD, "exp_avg",
                SGD_MOMENTUM, "momentum_buffer", RMSPROP_CENTERED, "momentum_buffer");
        signed.forEach((kind, name) -> {
            Map<String, Tensor> dict = copy(trained(kind, 2).stateDict());
            float[] d = dict.get("state.0." + name).data();
            d[0] = -Math.abs(d[0]) - 1;
            Optimizer target = trained(kind, 1);
            target.loadStateDict(dict);
            assertStepsToFiniteWeights(target, name);
        });
    }

    /** Centered RMSprop takes sqrt(square_avg - grad_avg²): a grad_avg too large for its square_avg is refused. */
    @Test
    void centeredRmspropRefusesAGradAvgWhoseSquareExceedsSquareAvg() {
        Map<String, Tensor> good = trained(RMSPROP_CENTERED, 3).stateDict();
        Map<String, Tensor> dict = copy(good);
        float squareAvg = dict.get("state.0.square_avg").data()[5];
        dict.get("state.0.grad_avg").data()[5] = -2 * (float) Math.sqrt(squareAvg);
        assertRefused(trained(RMSPROP_CENTERED, 1), dict, "'state.0.grad_avg'", "'state.0.square_avg'", "at index [1, 2]");

        // grad_avg² right at square_avg (zero variance) is legitimate.
        Map<String, Tensor> edge = copy(good);
        edge.get("state.0.grad_avg").data()[5] = (float) Math.sqrt(squareAvg);
        Optimizer target = trained(RMSPROP_CENTERED, 1);
        target.loadStateDict(edge);
        assertStepsToFiniteWeights(target, "grad_avg² = square_avg");

        // Not centered, grad_avg is not kept and square_avg alone is checked.
        Function<List<Tensor>, Optimizer> plain = ps -> RMSprop.builder(ps).lr(0.01).build();
        Map<String, Tensor> plainDict = copy(trained(plain, 2).stateDict());
        assertFalse(plainDict.containsKey("state.0.grad_avg"));
    }

    /** Which buffers a state must hold depends on flags; the error says under which values. */
    @Test
    void bufferErrorsNameTheFlagsThatDecideTheBuffers() {
        Map<String, Tensor> withMax = copy(trained(ADAM_AMSGRAD, 2).stateDict());
        withMax.put("param_groups.0.amsgrad", Tensor.scalar(0f));
        assertRefused(trained(ADAM_AMSGRAD, 1), withMax, "unknown state dict entries", "'state.0.max_exp_avg_sq'",
                "'param_groups.0.amsgrad' = 0.0");
        Map<String, Tensor> withoutMax = copy(trained(ADAMW, 2).stateDict());
        withoutMax.put("param_groups.0.amsgrad", Tensor.scalar(1f));
        assertRefused(trained(ADAMW, 1), withoutMax, "no 'state.0.max_exp_avg_sq'", "'param_groups.0.amsgrad' = 1.0");
        Map<String, Tensor> noMomentum = copy(trained(RMSPROP_CENTERED, 2).stateDict());
        noMomentum.put("param_groups.0.momentum", Tensor.scalar(0f));
        assertRefused(trained(RMSPROP_CENTERED, 1), noMomentum, "'state.0.momentum_buffer'",
                "'param_groups.0.momentum' = 0.0", "'param_groups.0.centered' = 1.0");
    }

    // ------------------------------------------------------------ scalar shapes

    @Test
    void hyperparametersMustBeScalarsOrTheExactThreeFloatForm() {
        for (Function<List<Tensor>, Optimizer> kind : List.of(ADAM_AMSGRAD, SGD_MOMENTUM, RMSPROP_CENTERED)) {
            Map<String, Tensor> good = trained(kind, 2).stateDict();
            // Used to be summed: four elements of 0.1 read as lr 0.4.
            Map<String, Tensor> four = copy(good);
            four.put("param_groups.0.lr", Tensor.of(new float[] {0.1f, 0.1f, 0.1f, 0.1f}, 4));
            assertRefused(trained(kind, 1), four, "'param_groups.0.lr'", "scalar", "got shape [4]");
            Map<String, Tensor> matrix = copy(good);
            matrix.put("param_groups.0.weight_decay", Tensor.of(new float[] {0.01f}, 1, 1));
            assertRefused(trained(kind, 1), matrix, "'param_groups.0.weight_decay'", "got shape [1, 1]");
            Map<String, Tensor> empty = copy(good);
            empty.put("param_groups.0.lr", Tensor.zeros(0));
            assertRefused(trained(kind, 1), empty, "'param_groups.0.lr'", "got shape [0]");
            // Three floats whose parts are not what the encoder writes: mid as large as hi.
            Map<String, Tensor> inconsistent = copy(good);
            inconsistent.put("param_groups.0.lr", Tensor.of(new float[] {0.01f, 0.01f, 0f}, 3));
            assertRefused(trained(kind, 1), inconsistent, "'param_groups.0.lr'", "exact encoding",
                    "[0.01, 0.01, 0.0]");
            Map<String, Tensor> nonFinitePart = copy(good);
            nonFinitePart.put("param_groups.0.lr", Tensor.of(new float[] {0.01f, Float.NaN, 0f}, 3));
            assertRefused(trained(kind, 1), nonFinitePart, "'param_groups.0.lr'", "finite", "NaN");
            Map<String, Tensor> asColumn = copy(good);
            asColumn.put("param_groups.0.lr", StateDicts.encodeDouble(0.01).reshape(3, 1));
            assertRefused(trained(kind, 1), asColumn, "'param_groups.0.lr'", "got shape [3, 1]");
        }
    }

    /** A state dict written the way Python writes one: every scalar a 0-d float. */
    @Test
    void stateDictsWithPlainFloatScalarsStillLoad() {
        for (Function<List<Tensor>, Optimizer> kind : List.of(ADAM_AMSGRAD, ADAMW, SGD_MOMENTUM, RMSPROP_CENTERED)) {
            Map<String, Tensor> dict = copy(trained(kind, 2).stateDict());
            dict.replaceAll((k, t) -> k.startsWith("param_groups.") ? Tensor.scalar(t.data()[0]) : t);
            Optimizer target = trained(kind, 0);
            target.loadStateDict(dict);
            double lr = target.getLr();
            assertTrue(lr == (double) 0.01f || lr == (double) 0.05f, "lr read as the float it was stored as: " + lr);
            assertStepsToFiniteWeights(target, target.getClass().getSimpleName());
        }
    }

    // ------------------------------------------------------------ keys

    @Test
    void onlyCanonicalParameterIndicesAreAccepted() {
        Map<String, Tensor> good = trained(ADAM_AMSGRAD, 2).stateDict();
        for (String index : List.of("00", "+0", " 0", "0 ", "-0", "0x1", "01", "\u0660", "1e0", "", "2",
                "99999999999999999999")) {
            Map<String, Tensor> dict = copy(good);
            dict.put("state." + index + ".step", dict.remove("state.0.step"));
            assertRefused(trained(ADAM_AMSGRAD, 1), dict, "'state." + index + ".step'", "plain decimal",
                    "got '" + index + "'");
        }
    }

    /** With "00" read as 0, both keys below filled one entry and the last one in map order won. */
    @Test
    void anAliasOfAnExistingKeyIsRefused() {
        Map<String, Tensor> dict = copy(trained(SGD_MOMENTUM, 2).stateDict());
        dict.put("state.00.momentum_buffer", Tensor.zeros(2, 3));
        assertRefused(trained(SGD_MOMENTUM, 1), dict, "'state.00.momentum_buffer'");
    }

    @Test
    void aKeyWithoutAnEntryNameIsRefused() {
        Map<String, Tensor> good = trained(ADAMW, 2).stateDict();
        for (String key : List.of("state.0", "state.0.", "state.")) {
            Map<String, Tensor> dict = copy(good);
            dict.put(key, Tensor.scalar(1f));
            assertRefused(trained(ADAMW, 1), dict, "'" + key + "'");
        }
        Map<String, Tensor> otherGroup = copy(good);
        otherGroup.put("param_groups.00.lr", Tensor.scalar(0.1f));
        assertRefused(trained(ADAMW, 1), otherGroup, "'param_groups.00.lr'");
    }

    // ------------------------------------------------------------ helpers

    private static void refuse(Function<List<Tensor>, Optimizer> kind, Map<String, Tensor> good, String name,
            double value, String... parts) {
        Map<String, Tensor> dict = copy(good);
        // A non-finite value as one float, as Python would write it (its three-float form is refused as such).
        dict.put("param_groups.0." + name,
                Double.isFinite(value) ? StateDicts.encodeDouble(value) : Tensor.scalar((float) value));
        String[] all = new String[parts.length + 1];
        all[0] = "'param_groups.0." + name + "'";
        System.arraycopy(parts, 0, all, 1, parts.length);
        assertRefused(trained(kind, 1), dict, all);
    }
}
