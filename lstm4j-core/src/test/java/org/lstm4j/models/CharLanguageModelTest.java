package org.lstm4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lstm4j.models.CharLanguageModel.Config;
import org.lstm4j.models.CharLanguageModel.Head;
import org.lstm4j.nn.RecurrentOutput;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

class CharLanguageModelTest {
    static final String VOCAB = "\n !',.:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"; // 61 characters
    static final int V = 61;

    private static Map<String, List<Integer>> shapes(CharLanguageModel m) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        m.namedParameters().forEach((name, t) -> {
            List<Integer> shape = new ArrayList<>();
            for (int d : t.shape()) {
                shape.add(d);
            }
            out.put(name, shape);
        });
        return out;
    }

    /** Random character ids (B, T) as floats. */
    static Tensor ids(long seed, int batch, int steps, int v) {
        Generator g = new Generator(seed);
        float[] data = new float[batch * steps];
        for (int i = 0; i < data.length; i++) {
            data[i] = g.nextInt(v);
        }
        return Tensor.of(data, batch, steps);
    }

    @Test
    void parameterNamesAndShapesArePyTorchs() {
        assertEquals(V, VOCAB.length());
        CharLanguageModel lstm = new CharLanguageModel(new Config(VOCAB, "lstm", 16, 32, 2, 0.0, Head.EVERY_STEP),
                new Generator(0));
        // named_parameters() of embedding = nn.Embedding(61, 16); rnn = nn.LSTM(16, 32, 2, batch_first=True);
        // fc = nn.Linear(32, 61), in registration order.
        Map<String, List<Integer>> expected = new LinkedHashMap<>();
        expected.put("embedding.weight", List.of(V, 16));
        expected.put("rnn.weight_ih_l0", List.of(128, 16));
        expected.put("rnn.weight_hh_l0", List.of(128, 32));
        expected.put("rnn.bias_ih_l0", List.of(128));
        expected.put("rnn.bias_hh_l0", List.of(128));
        expected.put("rnn.weight_ih_l1", List.of(128, 32));
        expected.put("rnn.weight_hh_l1", List.of(128, 32));
        expected.put("rnn.bias_ih_l1", List.of(128));
        expected.put("rnn.bias_hh_l1", List.of(128));
        expected.put("fc.weight", List.of(V, 32));
        expected.put("fc.bias", List.of(V));
        assertEquals(expected, shapes(lstm));
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(lstm.stateDict().keySet()));
        long count = V * 16L + (128 * 16 + 128 * 32 + 256) + (128 * 32 + 128 * 32 + 256) + V * 32 + V;
        assertEquals(count, lstm.parameterCount());

        CharLanguageModel gru = new CharLanguageModel(new Config(VOCAB, "GRU", 8, 10, 1, 0.0, Head.EVERY_STEP),
                new Generator(0));
        assertEquals("gru", gru.config().cell());
        assertEquals(List.of(30, 8), shapes(gru).get("rnn.weight_ih_l0"));
        assertEquals(List.of(30, 10), shapes(gru).get("rnn.weight_hh_l0"));
        CharLanguageModel rnn = new CharLanguageModel(new Config(VOCAB, "rnn", 8, 10, 1, 0.0, Head.EVERY_STEP),
                new Generator(0));
        assertEquals(List.of(10, 8), shapes(rnn).get("rnn.weight_ih_l0"));
    }

    @Test
    void embeddingDimZeroReadsOneHotVectors() {
        CharLanguageModel m = new CharLanguageModel(new Config(VOCAB, "lstm", 0, 12, 1, 0.0, Head.EVERY_STEP),
                new Generator(1));
        assertNull(m.embedding());
        Map<String, List<Integer>> s = shapes(m);
        assertEquals(List.of("rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "fc.weight",
                "fc.bias"), List.copyOf(s.keySet()));
        assertEquals(List.of(48, V), s.get("rnn.weight_ih_l0"));

        // One-hot input: the input-to-hidden product picks column id of W_ih. A model whose W_ih has column j
        // zeroed for all j but the fed id, gives the same logits as the unchanged model.
        Tensor x = Tensor.of(new float[] {5, 7, 5}, 1, 3);
        m.eval();
        Tensor before = m.forward(x);
        float[] w = m.rnn().namedParameters().get("weight_ih_l0").data();
        for (int r = 0; r < 48; r++) {
            for (int c = 0; c < V; c++) {
                if (c != 5 && c != 7) {
                    w[r * V + c] = 1e3f * (c + 1);
                }
            }
        }
        assertArrayEquals(before.data(), m.forward(x).data(), 0f, "only the fed characters' columns are read");
        w[0 * V + 7] += 1f;
        assertTrue(before.data()[V + 3] != m.forward(x).data()[V + 3], "column 7 is read for the second step");
    }

    @Test
    void logitsShapesOfBothHeadsAndTheLastStepHeadReadsTheLastStep() {
        Config every = new Config(VOCAB, "lstm", 8, 16, 2, 0.0, Head.EVERY_STEP);
        Config last = new Config(VOCAB, "lstm", 8, 16, 2, 0.0, Head.LAST_STEP);
        CharLanguageModel a = new CharLanguageModel(every, new Generator(3));
        CharLanguageModel b = new CharLanguageModel(last, new Generator(4));
        b.loadStateDict(a.stateDict());
        Tensor x = ids(9, 3, 7, V);
        Tensor la = a.forward(x);
        Tensor lb = b.forward(x);
        assertArrayEquals(new int[] {21, V}, la.shape());
        assertArrayEquals(new int[] {3, V}, lb.shape());
        for (int s = 0; s < 3; s++) {
            for (int v = 0; v < V; v++) {
                assertEquals(la.get(s * 7 + 6, v), lb.get(s, v), 1e-6f, "sequence " + s + " character " + v);
            }
        }
        RecurrentOutput out = a.forward(x, null);
        assertArrayEquals(new int[] {2, 3, 16}, out.hN().shape());
        assertArrayEquals(new int[] {2, 3, 16}, out.cN().shape());
    }

    /** Forward over 2T steps equals two forwards of T with the state carried: what truncated BPTT relies on. */
    @Test
    void twoHalvesWithTheStateCarriedEqualOneForward() {
        for (String cell : CharLanguageModel.CELLS) {
            for (int embedding : new int[] {0, 12}) {
                CharLanguageModel m = new CharLanguageModel(new Config(VOCAB, cell, embedding, 20, 2, 0.3,
                        Head.EVERY_STEP), new Generator(11));
                m.eval();
                int b = 3;
                int t = 6;
                Tensor x = ids(5, b, 2 * t, V);
                Tensor full = m.forward(x);
                RecurrentOutput first = m.forward(x.narrow(1, 0, t), null);
                RecurrentOutput second = m.forward(x.narrow(1, t, t), first.state());
                String what = cell + " embedding " + embedding;
                float maxDiff = 0;
                for (int s = 0; s < b; s++) {
                    for (int step = 0; step < 2 * t; step++) {
                        Tensor half = step < t ? first.output() : second.output();
                        int row = s * t + step % t;
                        for (int v = 0; v < V; v++) {
                            maxDiff = Math.max(maxDiff, Math.abs(full.get(s * 2 * t + step, v) - half.get(row, v)));
                        }
                    }
                }
                assertTrue(maxDiff < 1e-5f, what + ": largest difference " + maxDiff);
                // And from the zero state the second half alone is something else (the state matters).
                Tensor fresh = m.forward(x.narrow(1, t, t));
                assertTrue(Math.abs(fresh.get(0, 0) - second.output().get(0, 0)) > 1e-4f, what);
            }
        }
    }

    @Test
    void oneLayerDropoutActsBeforeTheReadOutWithoutTheLayersWarning() {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("org.lstm4j.nn");
        List<String> warnings = new ArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                warnings.add(r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        log.addHandler(handler);
        try {
            CharLanguageModel m = new CharLanguageModel(new Config(VOCAB, "lstm", 8, 16, 1, 0.5, Head.EVERY_STEP),
                    new Generator(0));
            assertEquals(List.of(), warnings, "the model's dropout is used (before the read-out): no warning");
            org.lstm4j.nn.LSTM.builder(4, 4).dropout(0.5).build();
            assertEquals(1, warnings.size(), "a bare one-layer LSTM with dropout does warn (the handler hears it)");

            Tensor x = ids(1, 2, 5, V);
            m.train();
            Tensor a = m.forward(x);
            Tensor b = m.forward(x);
            assertTrue(maxAbsDiff(a, b) > 1e-3f, "training mode: other dropout masks, other logits");
            m.eval();
            Tensor c = m.forward(x);
            assertArrayEquals(c.data(), m.forward(x).data(), 0f, "eval mode: no dropout");
        } finally {
            log.removeHandler(handler);
        }
    }

    private static float maxAbsDiff(Tensor a, Tensor b) {
        float max = 0;
        for (int i = 0; i < a.numel(); i++) {
            max = Math.max(max, Math.abs(a.data()[i] - b.data()[i]));
        }
        return max;
    }

    @Test
    void inputsThatAreNotCharacterIndicesAreRefused() {
        CharLanguageModel m = new CharLanguageModel(new Config("abc", "lstm", 4, 5, 1, 0.0, Head.EVERY_STEP),
                new Generator(2));
        String[] expected = {"input 1 is 2.5", "input 2 is 3.0", "input 0 is -1.0", "input 1 is NaN"};
        float[][] inputs = {{0, 2.5f, 1}, {0, 1, 3}, {-1, 0, 0}, {2, Float.NaN, 0}};
        for (int i = 0; i < inputs.length; i++) {
            Tensor x = Tensor.of(inputs[i], 1, 3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(x));
            assertTrue(e.getMessage().contains(expected[i]) && e.getMessage().contains("[0, 3)"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.forward(Tensor.of(new float[] {0, 1}, 2)));
        assertTrue(e.getMessage().contains("(batch, steps)") && e.getMessage().contains("1-D"), e.getMessage());
        assertArrayEquals(new int[] {3, 3}, m.forward(Tensor.of(new float[] {0, 1, 2}, 1, 3)).shape());
    }

    @Test
    void badConfigurationsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Config(VOCAB, "transformer", 8, 8, 1, 0, Head.EVERY_STEP));
        assertThrows(IllegalArgumentException.class, () -> new Config("ba", "lstm", 8, 8, 1, 0, Head.EVERY_STEP));
        assertThrows(IllegalArgumentException.class, () -> new Config(VOCAB, "lstm", -1, 8, 1, 0, Head.EVERY_STEP));
        assertThrows(IllegalArgumentException.class, () -> new Config(VOCAB, "lstm", 8, 8, 1, 1.0, Head.EVERY_STEP));
        assertThrows(IllegalArgumentException.class, () -> new Config(VOCAB, "lstm", 8, 8, 1, Double.NaN, Head.EVERY_STEP));
        assertThrows(IllegalArgumentException.class,
                () -> new CharLanguageModel(new Config(VOCAB, "lstm", 8, 0, 1, 0, Head.EVERY_STEP), new Generator(0)));
        assertEquals(3, new Config("a😀b".codePoints().sorted()
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString(),
                "lstm", 0, 4, 1, 0, Head.LAST_STEP).vocabularySize(), "an emoji is one character");
    }
}
