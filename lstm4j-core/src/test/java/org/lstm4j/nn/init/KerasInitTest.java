package org.lstm4j.nn.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lstm4j.nn.Dropout;
import org.lstm4j.nn.Embedding;
import org.lstm4j.nn.GRU;
import org.lstm4j.nn.GRUCell;
import org.lstm4j.nn.LSTM;
import org.lstm4j.nn.LSTMCell;
import org.lstm4j.nn.Linear;
import org.lstm4j.nn.Module;
import org.lstm4j.nn.RNN;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

class KerasInitTest {
    /** Embedding → 2-layer bidirectional LSTM → dropout → linear head, as a user model would be. */
    static final class Classifier extends Module {
        Classifier() {
            registerModule("embedding", new Embedding(1000, 64));
            registerModule("lstm", LSTM.builder(64, 32).numLayers(2).bidirectional(true).build());
            registerModule("dropout", new Dropout(0.1));
            registerModule("fc", new Linear(64, 5));
        }
    }

    /** A module type KerasInit does not know, with a parameter of its own. */
    static final class Scale extends Module {
        Scale() {
            registerParameter("gamma", Tensor.ones(4));
        }
    }

    static final class ScaledHead extends Module {
        ScaledHead() {
            registerModule("lstm", new LSTM(3, 4));
            registerModule("head", new Scale());
        }
    }

    /** A known type with an extra parameter. */
    static final class LinearWithTemperature extends Linear {
        LinearWithTemperature() {
            super(3, 2);
            registerParameter("temperature", Tensor.ones(1));
        }
    }

    @Test
    void lstmWeightsFollowKerasDefaults() {
        LSTM lstm = new LSTM(300, 150); // gates 4·150 = 600
        KerasInit.apply(lstm, new Generator(1));
        Map<String, Tensor> p = lstm.namedParameters();
        Matrices.assertUniform("weight_ih_l0", p.get("weight_ih_l0"), Math.sqrt(6.0 / (300 + 600)));
        Matrices.assertOrthogonal("weight_hh_l0", p.get("weight_hh_l0"), 1, 1e-5);
        assertForgetBias(p.get("bias_ih_l0"), 150);
        assertAllZero("bias_hh_l0", p.get("bias_hh_l0"));
    }

    @Test
    void everyLayerAndDirectionOfABidirectionalTwoLayerLstm() {
        LSTM lstm = LSTM.builder(10, 8).numLayers(2).bidirectional(true).build();
        KerasInit.apply(lstm, new Generator(2));
        Map<String, Tensor> p = lstm.namedParameters();
        assertEquals(16, p.size());
        for (String suffix : List.of("_l0", "_l0_reverse", "_l1", "_l1_reverse")) {
            int input = suffix.startsWith("_l0") ? 10 : 16;
            assertWithin("weight_ih" + suffix, p.get("weight_ih" + suffix), Math.sqrt(6.0 / (input + 32)));
            Matrices.assertOrthogonal("weight_hh" + suffix, p.get("weight_hh" + suffix), 1, 1e-5);
            assertForgetBias(p.get("bias_ih" + suffix), 8);
            assertAllZero("bias_hh" + suffix, p.get("bias_hh" + suffix));
        }
        // Exactly these initialisers, drawn in namedParameters() order from one generator.
        Generator replay = new Generator(2);
        for (Map.Entry<String, Tensor> e : p.entrySet()) {
            Tensor expected = Tensor.zeros(e.getValue().shape());
            String name = e.getKey();
            if (name.startsWith("weight_ih")) {
                Init.xavierUniform(expected, replay);
            } else if (name.startsWith("weight_hh")) {
                Init.orthogonal(expected, replay);
            } else if (name.startsWith("bias_ih")) {
                Arrays.fill(expected.data(), 8, 16, 1f);
            }
            assertArrayEquals(expected.data(), e.getValue().data(), name);
        }
    }

    @Test
    void gruAndRnnBiasesAreAllZero() {
        GRU gru = GRU.builder(5, 6).numLayers(2).bidirectional(true).build();
        KerasInit.apply(gru, new Generator(3));
        for (Map.Entry<String, Tensor> e : gru.namedParameters().entrySet()) {
            String name = e.getKey();
            if (name.startsWith("bias")) {
                assertAllZero(name, e.getValue());
            } else if (name.startsWith("weight_hh")) {
                assertArrayEquals(new int[] {18, 6}, e.getValue().shape());
                Matrices.assertOrthogonal(name, e.getValue(), 1, 1e-5);
            } else {
                int input = name.contains("_l0") ? 5 : 12;
                assertWithin(name, e.getValue(), Math.sqrt(6.0 / (input + 18)));
            }
        }
        RNN rnn = new RNN(4, 9);
        KerasInit.apply(rnn, new Generator(4));
        Matrices.assertOrthogonal("rnn weight_hh_l0", rnn.namedParameters().get("weight_hh_l0"), 1, 1e-5);
        assertAllZero("rnn bias_ih_l0", rnn.namedParameters().get("bias_ih_l0"));
        assertWithin("rnn weight_ih_l0", rnn.namedParameters().get("weight_ih_l0"), Math.sqrt(6.0 / 13));
    }

    @Test
    void projectedLstm() {
        LSTM lstm = LSTM.builder(6, 12).numLayers(2).projSize(4).build();
        KerasInit.apply(lstm, new Generator(5));
        Map<String, Tensor> p = lstm.namedParameters();
        for (int layer = 0; layer < 2; layer++) {
            String s = "_l" + layer;
            assertArrayEquals(new int[] {48, 4}, p.get("weight_hh" + s).shape());
            Matrices.assertOrthogonal("weight_hh" + s, p.get("weight_hh" + s), 1, 1e-5);
            assertWithin("weight_hr" + s, p.get("weight_hr" + s), Math.sqrt(6.0 / (12 + 4)));
            assertWithin("weight_ih" + s, p.get("weight_ih" + s), Math.sqrt(6.0 / ((layer == 0 ? 6 : 4) + 48)));
            assertForgetBias(p.get("bias_ih" + s), 12);
        }
    }

    @Test
    void cellsAsTheirLayers() {
        LSTMCell lstm = new LSTMCell(5, 7);
        KerasInit.apply(lstm, new Generator(6));
        Matrices.assertOrthogonal("LSTMCell weight_hh", lstm.namedParameters().get("weight_hh"), 1, 1e-5);
        assertForgetBias(lstm.namedParameters().get("bias_ih"), 7);
        assertAllZero("LSTMCell bias_hh", lstm.namedParameters().get("bias_hh"));
        GRUCell gru = new GRUCell(5, 7);
        KerasInit.apply(gru, new Generator(6));
        assertAllZero("GRUCell bias_ih", gru.namedParameters().get("bias_ih"));
        assertWithin("GRUCell weight_ih", gru.namedParameters().get("weight_ih"), Math.sqrt(6.0 / (5 + 21)));
    }

    @Test
    void wholeModelByDottedNamesInPlace() {
        Classifier model = new Classifier();
        Map<String, Tensor> before = model.namedParameters();
        Map<String, float[]> storage = new LinkedHashMap<>();
        before.forEach((name, t) -> storage.put(name, t.data()));
        KerasInit.apply(model, new Generator(7));
        Map<String, Tensor> p = model.namedParameters();
        Matrices.assertUniform("embedding.weight", p.get("embedding.weight"), KerasInit.EMBEDDING_BOUND);
        Matrices.assertOrthogonal("lstm.weight_hh_l1_reverse", p.get("lstm.weight_hh_l1_reverse"), 1, 1e-5);
        assertForgetBias(p.get("lstm.bias_ih_l1_reverse"), 32);
        assertWithin("fc.weight", p.get("fc.weight"), Math.sqrt(6.0 / (64 + 5)));
        assertAllZero("fc.bias", p.get("fc.bias"));
        for (Map.Entry<String, Tensor> e : p.entrySet()) {
            assertSame(before.get(e.getKey()), e.getValue(), e.getKey() + ": same parameter");
            assertSame(storage.get(e.getKey()), e.getValue().data(), e.getKey() + ": written in place");
            assertTrue(e.getValue().requiresGrad() && e.getValue().isLeaf(), e.getKey());
        }
    }

    @Test
    void sameSeedSameWeightsOtherSeedOthers() {
        // The two models start from different PyTorch-style weights (the default generator moves on).
        Classifier a = new Classifier();
        Classifier b = new Classifier();
        Classifier c = new Classifier();
        KerasInit.apply(a, new Generator(42));
        KerasInit.apply(b, new Generator(42));
        KerasInit.apply(c, new Generator(43));
        for (String name : a.namedParameters().keySet()) {
            float[] x = a.namedParameters().get(name).data();
            assertArrayEquals(x, b.namedParameters().get(name).data(), name);
            if (!name.contains("bias")) {
                assertFalse(Arrays.equals(x, c.namedParameters().get(name).data()), name + " should differ with another seed");
            }
        }
    }

    @Test
    void unknownModuleWithParametersIsAnErrorAndChangesNothing() {
        ScaledHead model = new ScaledHead();
        float[] lstmWeights = model.namedParameters().get("lstm.weight_ih_l0").data().clone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KerasInit.apply(model, new Generator(8)));
        assertTrue(e.getMessage().contains("'head'") && e.getMessage().contains(Scale.class.getName())
                && e.getMessage().contains("head.gamma"), e.getMessage());
        assertArrayEquals(lstmWeights, model.namedParameters().get("lstm.weight_ih_l0").data(), "nothing initialised");
        assertArrayEquals(new float[] {1, 1, 1, 1}, model.namedParameters().get("head.gamma").data());

        IllegalArgumentException root = assertThrows(IllegalArgumentException.class,
                () -> KerasInit.apply(new Scale(), new Generator(8)));
        assertTrue(root.getMessage().contains("(root)"), root.getMessage());
    }

    @Test
    void unexpectedParameterOfAKnownTypeIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KerasInit.apply(new LinearWithTemperature(), new Generator(9)));
        assertTrue(e.getMessage().contains("'temperature'"), e.getMessage());
    }

    @Test
    void modulesWithoutParametersAreFine() {
        KerasInit.apply(new Dropout(0.5), new Generator(10));
    }

    /** Keras's unit_forget_bias in PyTorch's layout: 1 in rows [H, 2H) (gate f of i, f, g, o), 0 elsewhere. */
    private static void assertForgetBias(Tensor bias, int hidden) {
        float[] expected = new float[4 * hidden];
        Arrays.fill(expected, hidden, 2 * hidden, 1f);
        assertArrayEquals(expected, bias.data());
    }

    private static void assertAllZero(String what, Tensor t) {
        assertArrayEquals(new float[t.numel()], t.data(), what);
    }

    /** All values in [-bound, bound), not all zero (for matrices too small for the distribution checks). */
    private static void assertWithin(String what, Tensor t, double bound) {
        boolean nonZero = false;
        for (float v : t.data()) {
            assertTrue(v >= -bound && v < bound, what + ": " + v + " outside ±" + bound);
            nonZero |= v != 0;
        }
        assertTrue(nonZero, what + " is all zero");
    }
}
