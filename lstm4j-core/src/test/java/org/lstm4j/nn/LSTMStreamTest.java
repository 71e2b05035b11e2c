package org.lstm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lstm4j.autograd.GradMode;
import org.lstm4j.kernels.Parallelism;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/** The serving stream computes what forward computes one step at a time, carries its state, and checks input. */
@org.junit.jupiter.api.Tag("vector-widths")
class LSTMStreamTest {
    private final int savedThreads = Parallelism.threads();

    @AfterEach
    void restoreThreads() {
        Parallelism.setThreads(savedThreads);
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5f + 1e-4f * Math.abs(expected[i]), what + " at " + i);
        }
    }

    /** Eight steps through forward (state fed back) and through the stream; outputs and states agree. */
    private static void matchesForward(LSTM lstm) {
        lstm.eval();
        LSTMStream stream = lstm.stream();
        Generator data = new Generator(21);
        RecurrentState state = null;
        for (int step = 0; step < 8; step++) {
            Tensor x = Tensor.uniform(-1f, 1f, data, 1, 1, lstm.inputSize());
            RecurrentOutput out;
            try (GradMode.Guard g = GradMode.noGrad()) {
                out = lstm.forward(x, state);
            }
            state = out.state();
            Tensor y = stream.step(x);
            assertClose(out.output().data(), y.data(), "step " + step + " output");
            assertClose(state.c().data(), stream.state().c().data(), "step " + step + " c");
            assertClose(state.h().data(), stream.state().h().data(), "step " + step + " h");
        }
    }

    @Test
    void stepsMatchForward() {
        Generator.manualSeed(1);
        matchesForward(LSTM.builder(65, 256).numLayers(2).build());
        Generator.manualSeed(2);
        // Hidden size off the 16-unit panels, three layers, dropout (off in eval), no bias.
        matchesForward(LSTM.builder(7, 37).numLayers(3).dropout(0.5).build());
        Generator.manualSeed(3);
        matchesForward(LSTM.builder(5, 20).bias(false).batchFirst(true).build());
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        Generator.manualSeed(4);
        LSTM lstm = LSTM.builder(65, 256).numLayers(2).build();
        float[][] outputs = new float[2][];
        for (int threads = 1; threads <= 2; threads++) {
            Parallelism.setThreads(threads);
            LSTMStream stream = lstm.stream();
            Generator data = new Generator(5);
            float[] y = new float[256];
            for (int step = 0; step < 5; step++) {
                float[] x = Tensor.uniform(-1f, 1f, data, 65).data();
                stream.step(x, y);
            }
            outputs[threads - 1] = y.clone();
        }
        assertArrayEquals(outputs[0], outputs[1]);
    }

    @Test
    void stateCanBeReadSetAndReset() {
        Generator.manualSeed(6);
        LSTM lstm = LSTM.builder(3, 16).numLayers(2).build();
        LSTMStream stream = lstm.stream();
        Tensor x = Tensor.of(new float[] {0.5f, -1f, 2f}, 3);
        float[] first = stream.step(x).data();
        RecurrentState after1 = stream.state();
        assertArrayEquals(new int[] {2, 1, 16}, after1.h().shape());
        float[] second = stream.step(x).data();
        stream.state(after1);
        assertArrayEquals(second, stream.step(x).data(), "continuing from a saved state repeats the step");
        stream.reset();
        assertArrayEquals(first, stream.step(x).data(), "reset starts a new sequence");
    }

    @Test
    void snapshotIgnoresLaterWeightChanges() {
        Generator.manualSeed(7);
        LSTM lstm = LSTM.builder(3, 16).build();
        LSTMStream stream = lstm.stream();
        Tensor x = Tensor.of(new float[] {0.5f, -1f, 2f}, 3);
        float[] before = stream.step(x).data();
        lstm.parameters().get(0).data()[0] += 1f;
        stream.reset();
        assertArrayEquals(before, stream.step(x).data());
    }

    @Test
    void badInputIsRejectedClearly() {
        Generator.manualSeed(8);
        LSTMStream stream = LSTM.builder(3, 16).build().stream();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> stream.step(Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("(1, 3)") && e.getMessage().contains("[2, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> stream.step(new float[4], new float[16]));
        assertTrue(e.getMessage().contains("x of 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LSTM.builder(3, 16).bidirectional(true).build().stream());
        assertTrue(e.getMessage().contains("bidirectional"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LSTM.builder(3, 16).projSize(4).build().stream());
        assertTrue(e.getMessage().contains("proj_size=4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> stream.state(new RecurrentState(Tensor.zeros(2, 1, 16), Tensor.zeros(1, 1, 16))));
        assertTrue(e.getMessage().contains("1 x 1 x 16"), e.getMessage());
    }
}
