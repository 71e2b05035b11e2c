package org.lstm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.io.SafeTensors;
import org.lstm4j.tensor.Tensor;

/**
 * {@code loadStateDict(state, strict)} as PyTorch's {@code load_state_dict}: non-strict copies what matches and
 * reports the missing and unexpected keys; shape mismatches are errors either way; messages stay short.
 */
class LoadStateDictTest {

    /** A copy of {@code module}'s parameters, each value filled with {@code value}. */
    private static Map<String, Tensor> filled(Module module, float value) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        module.namedParameters().forEach((name, p) -> state.put(name, Tensor.full(value, p.shape())));
        return state;
    }

    private static Map<String, float[]> snapshot(Module module) {
        Map<String, float[]> out = new HashMap<>();
        module.namedParameters().forEach((name, p) -> out.put(name, p.data().clone()));
        return out;
    }

    private static void assertUnchanged(Map<String, float[]> before, Module module) {
        module.namedParameters().forEach((name, p) -> assertArrayEquals(before.get(name), p.data(), name));
    }

    @Test
    void nonStrictCopiesTheMatchingEntriesAndReportsTheOthers() {
        LSTM lstm = LSTM.builder(3, 4).numLayers(2).build();
        Map<String, float[]> before = snapshot(lstm);
        Map<String, Tensor> state = filled(lstm, 0.25f);
        state.remove("bias_hh_l1");
        state.remove("weight_ih_l0");
        state.put("decoder.weight", Tensor.zeros(2, 4));
        state.put("decoder.bias", Tensor.zeros(2));

        Module.LoadResult result = lstm.loadStateDict(state, false);

        // PyTorch's order: missing in registration order, unexpected in the dict's order.
        assertEquals(List.of("weight_ih_l0", "bias_hh_l1"), result.missingKeys());
        assertEquals(List.of("decoder.weight", "decoder.bias"), result.unexpectedKeys());
        assertFalse(result.isExactMatch());
        lstm.namedParameters().forEach((name, p) -> {
            if (name.equals("weight_ih_l0") || name.equals("bias_hh_l1")) {
                assertArrayEquals(before.get(name), p.data(), name + " is left as it was");
            } else {
                for (float v : p.data()) {
                    assertEquals(0.25f, v, name + " is copied");
                }
            }
        });
    }

    @Test
    void strictLoadOfAnExactDictReportsNothing() {
        Linear linear = new Linear(3, 2);
        Module.LoadResult result = linear.loadStateDict(filled(linear, 1f), true);
        assertEquals(List.of(), result.missingKeys());
        assertEquals(List.of(), result.unexpectedKeys());
        assertTrue(result.isExactMatch());
        assertArrayEquals(new float[] {1f, 1f, 1f, 1f, 1f, 1f}, linear.weight().data());
    }

    @Test
    void shapeMismatchesAreErrorsEvenWhenNotStrictAndChangeNothing() {
        GRU gru = GRU.builder(3, 4).numLayers(2).build();
        Map<String, float[]> before = snapshot(gru);
        Map<String, Tensor> state = filled(gru, 2f);
        state.put("weight_hh_l1", Tensor.zeros(12, 5));
        state.remove("bias_ih_l0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gru.loadStateDict(state, false));
        assertEquals("size mismatch for weight_hh_l1: expected shape [12, 4], got [12, 5]", e.getMessage());
        assertUnchanged(before, gru);

        state.put("weight_ih_l0", Tensor.zeros(1));
        e = assertThrows(IllegalArgumentException.class, () -> gru.loadStateDict(state, false));
        assertTrue(e.getMessage().startsWith("2 size mismatches loading GRU: [size mismatch for weight_ih_l0"),
                e.getMessage());
        assertUnchanged(before, gru);
    }

    @Test
    void strictLoadWithAMillionUnexpectedKeysGivesAShortMessage() {
        Linear linear = new Linear(3, 2);
        Map<String, float[]> before = snapshot(linear);
        Map<String, Tensor> state = new LinkedHashMap<>(filled(linear, 1f));
        state.remove("bias");
        Tensor shared = Tensor.zeros(1);
        for (int i = 0; i < 1_000_000; i++) {
            state.put("extra." + i, shared);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> linear.loadStateDict(state));
        String message = e.getMessage();
        assertTrue(message.length() < 1000, "message of " + message.length() + " characters");
        assertTrue(message.contains("missing keys [bias]"), message);
        assertTrue(message.contains("unexpected keys [extra.0, extra.1, extra.2, extra.3, extra.4, extra.5, extra.6,"
                + " extra.7, extra.8, extra.9, and 999990 more]"), message);
        assertTrue(message.contains("loadStateDict(state, false)"), message);
        assertUnchanged(before, linear);

        Module.LoadResult result = linear.loadStateDict(state, false);
        assertEquals(1_000_000, result.unexpectedKeys().size());
        assertEquals(List.of("bias"), result.missingKeys());
        assertArrayEquals(new float[] {1f, 1f, 1f, 1f, 1f, 1f}, linear.weight().data());
    }

    @Test
    void namesAreListedInFullUpToTen() {
        List<String> ten = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ten.add("k" + i);
        }
        assertEquals("[k0, k1, k2, k3, k4, k5, k6, k7, k8, k9]", Module.boundedList(ten));
        ten.add("k10");
        assertEquals("[k0, k1, k2, k3, k4, k5, k6, k7, k8, k9, and 1 more]", Module.boundedList(ten));
        assertEquals("[]", Module.boundedList(List.of()));
    }

    @Test
    void aNullEntryIsNamed() {
        Linear linear = new Linear(3, 2);
        Map<String, Tensor> state = filled(linear, 1f);
        state.put("bias", null);
        NullPointerException e = assertThrows(NullPointerException.class, () -> linear.loadStateDict(state, false));
        assertEquals("state['bias']", e.getMessage());
        assertEquals("state", assertThrows(NullPointerException.class, () -> linear.loadStateDict(null)).getMessage());
    }

    @Test
    void nonStrictLoadFromAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("classifier.safetensors");
        Map<String, Tensor> saved = new LinkedHashMap<>();
        LSTM trained = new LSTM(3, 4);
        trained.stateDict().forEach((name, t) -> saved.put("rnn." + name, t));
        saved.put("weight_ih_l0", trained.stateDict().get("weight_ih_l0"));
        SafeTensors.write(file, saved, null);

        LSTM lstm = new LSTM(3, 4);
        Module.LoadResult result = lstm.load(file, false);
        assertEquals(List.of("weight_hh_l0", "bias_ih_l0", "bias_hh_l0"), result.missingKeys());
        assertEquals(4, result.unexpectedKeys().size());
        assertArrayEquals(trained.namedParameters().get("weight_ih_l0").data(),
                lstm.namedParameters().get("weight_ih_l0").data());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lstm.load(file));
        assertTrue(e.getMessage().startsWith(file + ": state dict does not match LSTM"), e.getMessage());
    }
}
