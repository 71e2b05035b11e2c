package org.lstm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.lstm4j.autograd.GradMode;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/**
 * The inference snapshot computes what the module's forward computes in eval mode without grad, bit for bit, on
 * every path of the kernels (dot-shaped and blocked batches, per-step, rolling and up-front input projections,
 * one step), and keeps the weights it was made with.
 */
@org.junit.jupiter.api.Tag("vector-widths")
class RecurrentInferenceTest {

    /** The module's eval-mode, no-grad forward on (x, state). */
    private static RecurrentOutput moduleForward(RNNBase module, Tensor x, RecurrentState state) {
        module.eval();
        try (GradMode.Guard g = GradMode.noGrad()) {
            return module.forward(x, state);
        }
    }

    private static void assertSameBits(RecurrentOutput expected, RecurrentOutput actual, String what) {
        assertArrayEquals(expected.output().shape(), actual.output().shape(), what + " output shape");
        assertArrayEquals(expected.output().data(), actual.output().data(), what + " output");
        assertArrayEquals(expected.hN().data(), actual.hN().data(), what + " h_n");
        if (expected.cN() == null) {
            assertNull(actual.cN(), what + " c_n");
        } else {
            assertArrayEquals(expected.cN().data(), actual.cN().data(), what + " c_n");
        }
    }

    /** A random input of (steps, batch) in the module's layout, and a random initial state when asked. */
    private static void matchesModule(RNNBase module, int steps, int batch, boolean withState, String what) {
        Generator data = new Generator(steps * 31L + batch);
        Tensor x = module.isBatchFirst() ? Tensor.uniform(-1f, 1f, data, batch, steps, module.inputSize())
                : Tensor.uniform(-1f, 1f, data, steps, batch, module.inputSize());
        RecurrentState state = null;
        if (withState) {
            int count = module.numLayers() * (module.isBidirectional() ? 2 : 1);
            Tensor h0 = Tensor.uniform(-1f, 1f, data, count, batch, module.outputSize());
            Tensor c0 = module instanceof LSTM ? Tensor.uniform(-1f, 1f, data, count, batch, module.hiddenSize()) : null;
            state = new RecurrentState(h0, c0);
        }
        RecurrentInference inference = module.inference();
        RecurrentOutput expected = moduleForward(module, x, state);
        assertSameBits(expected, inference.forward(x, state), what);
        // Again on the same snapshot: the pooled buffers hold the last call's values.
        assertSameBits(expected, inference.forward(x, state), what + ", second call");
    }

    @Test
    void lstmMatchesTheModuleOnEveryPath() {
        LSTM small = LSTM.builder(12, 40).numLayers(2).generator(new Generator(1)).build();
        // A dot-shaped batch, a blocked batch (inputs projected per step: W_ih fits L2), one step.
        matchesModule(small, 7, 2, true, "2 rows");
        matchesModule(small, 7, 24, true, "24 rows");
        matchesModule(small, 1, 24, false, "one step");
        // W_ih of 80 x 2400 is past the per-step limit: rolling blocks for 24 rows, up front for 64.
        LSTM wide = LSTM.builder(80, 600).generator(new Generator(2)).build();
        matchesModule(wide, 9, 24, true, "rolling blocks");
        matchesModule(wide, 5, 64, false, "up front");
        LSTM layouts = LSTM.builder(9, 33).numLayers(2).bidirectional(true).batchFirst(true).dropout(0.3)
                .generator(new Generator(3)).build();
        layouts.train(); // dropout is off in the snapshot, as in eval mode
        matchesModule(layouts, 6, 19, true, "bidirectional, batch first");
        LSTM projected = LSTM.builder(10, 32).projSize(12).numLayers(2).generator(new Generator(4)).build();
        matchesModule(projected, 5, 20, true, "proj_size");
        matchesModule(LSTM.builder(10, 32).bias(false).generator(new Generator(5)).build(), 5, 20, false, "no bias");
    }

    @Test
    void gruAndRnnMatchTheModule() {
        GRU gru = GRU.builder(12, 40).numLayers(2).generator(new Generator(6)).build();
        matchesModule(gru, 7, 2, true, "GRU, 2 rows");
        matchesModule(gru, 7, 24, true, "GRU, 24 rows");
        // Products of a few rows take the dot path, reading the packed operand's source in place.
        matchesModule(gru, 1, 2, true, "GRU, one step of 2 rows");
        matchesModule(GRU.builder(80, 600).generator(new Generator(7)).build(), 9, 24, false, "GRU, rolling");
        RNN tanh = RNN.builder(12, 40).bidirectional(true).generator(new Generator(8)).build();
        matchesModule(tanh, 7, 24, true, "RNN tanh");
        RNN relu = RNN.builder(12, 40).nonlinearity("relu").generator(new Generator(9)).build();
        matchesModule(relu, 7, 24, true, "RNN relu");
        matchesModule(relu, 3, 1, false, "RNN relu, 3 steps of one row");
    }

    @Test
    void unbatchedInputMatchesTheModule() {
        LSTM lstm = LSTM.builder(6, 20).generator(new Generator(10)).build();
        Tensor x = Tensor.uniform(-1f, 1f, new Generator(11), 8, 6);
        RecurrentOutput expected = moduleForward(lstm, x, null);
        RecurrentOutput actual = lstm.inference().forward(x);
        assertArrayEquals(new int[] {8, 20}, actual.output().shape());
        assertSameBits(expected, actual, "unbatched");
    }

    @Test
    void keepsTheWeightsItWasMadeWith() {
        LSTM lstm = LSTM.builder(12, 40).generator(new Generator(12)).build();
        Tensor x = Tensor.uniform(-1f, 1f, new Generator(13), 6, 24, 12);
        RecurrentInference before = lstm.inference();
        RecurrentOutput expected = moduleForward(lstm, x, null);
        for (Tensor p : lstm.parameters()) {
            float[] d = p.data();
            for (int i = 0; i < d.length; i++) {
                d[i] *= 0.5f;
            }
        }
        RecurrentOutput changed = moduleForward(lstm, x, null);
        assertFalse(java.util.Arrays.equals(expected.output().data(), changed.output().data()),
                "the module's output changes with its weights");
        assertSameBits(expected, before.forward(x), "the snapshot taken before");
        assertSameBits(changed, lstm.inference().forward(x), "a snapshot taken after");
    }

    @Test
    void recordsNothingForAutograd() {
        LSTM lstm = LSTM.builder(5, 16).generator(new Generator(14)).build();
        Tensor x = Tensor.uniform(-1f, 1f, new Generator(15), 4, 3, 5).requiresGrad(true);
        RecurrentOutput out = lstm.inference().forward(x);
        assertFalse(out.output().requiresGrad());
        assertFalse(out.hN().requiresGrad());
    }

    @Test
    void checksInputAsTheModuleDoes() {
        LSTM lstm = LSTM.builder(5, 16).generator(new Generator(16)).build();
        RecurrentInference inference = lstm.inference();
        Tensor wrong = Tensor.zeros(4, 3, 6);
        IllegalArgumentException fromModule = assertThrows(IllegalArgumentException.class, () -> lstm.forward(wrong));
        IllegalArgumentException fromSnapshot = assertThrows(IllegalArgumentException.class,
                () -> inference.forward(wrong));
        assertEquals(fromModule.getMessage(), fromSnapshot.getMessage());
        assertEquals("LSTM: input.size(-1) must be equal to input_size. Expected 5, got 6 (input shape [4, 3, 6])",
                fromSnapshot.getMessage());
        Tensor x = Tensor.zeros(4, 3, 5);
        IllegalArgumentException badState = assertThrows(IllegalArgumentException.class,
                () -> inference.forward(x, new RecurrentState(Tensor.zeros(1, 3, 16), null)));
        assertEquals("LSTM: give both h0 and c0, or neither", badState.getMessage());
    }

    @Test
    void concurrentCallsGiveTheSameBits() throws Exception {
        LSTM lstm = LSTM.builder(80, 600).generator(new Generator(17)).build();
        RecurrentInference inference = lstm.inference();
        Tensor[] inputs = new Tensor[4];
        RecurrentOutput[] expected = new RecurrentOutput[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = Tensor.uniform(-1f, 1f, new Generator(18 + i), 6, 24, 80);
            expected[i] = moduleForward(lstm, inputs[i], null);
        }
        ExecutorService pool = Executors.newFixedThreadPool(inputs.length);
        try {
            @SuppressWarnings("unchecked")
            Future<RecurrentOutput>[] results = new Future[inputs.length * 3];
            for (int i = 0; i < results.length; i++) {
                Tensor x = inputs[i % inputs.length];
                results[i] = pool.submit(() -> inference.forward(x));
            }
            for (int i = 0; i < results.length; i++) {
                assertSameBits(expected[i % inputs.length], results[i].get(), "call " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void describesItself() {
        assertEquals("RecurrentInference(LSTM, input_size=5, hidden_size=16, num_layers=2, bidirectional)",
                LSTM.builder(5, 16).numLayers(2).bidirectional(true).build().inference().toString());
    }
}
