package org.lstm4j.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lstm4j.autograd.GradMode;
import org.lstm4j.kernels.Parallelism;
import org.lstm4j.nn.GRU;
import org.lstm4j.nn.LSTM;
import org.lstm4j.nn.RNN;
import org.lstm4j.nn.RNNBase;
import org.lstm4j.nn.RecurrentOutput;
import org.lstm4j.nn.RecurrentState;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/**
 * A step split over the threads (by hidden units for few rows, by rows for many; LSTM and GRU) gives the same
 * bits as the one-thread kernel, and batch-first layouts give the same values as time-major ones.
 */
class SplitStepTest {
    private final int savedThreads = Parallelism.threads();

    @AfterEach
    void restoreThreads() {
        Parallelism.setThreads(savedThreads);
    }

    private static float[][] stream(int threads, int batch, int hidden) {
        Parallelism.setThreads(threads);
        Generator.manualSeed(7);
        LSTM lstm = LSTM.builder(65, hidden).numLayers(2).batchFirst(true).build();
        Generator data = new Generator(8);
        RecurrentState state = null;
        Tensor y = null;
        try (GradMode.Guard g = GradMode.noGrad()) {
            for (int step = 0; step < 5; step++) {
                RecurrentOutput out = lstm.forward(Tensor.uniform(-1f, 1f, data, batch, 1, 65), state);
                state = out.state();
                y = out.output();
            }
        }
        return new float[][] {y.data(), state.h().data(), state.c().data()};
    }

    @Test
    void splitStepsMatchOneThreadBitForBit() {
        for (int[] shape : new int[][] {{1, 256}, {3, 200}, {64, 256}}) {
            float[][] one = stream(1, shape[0], shape[1]);
            float[][] two = stream(2, shape[0], shape[1]);
            for (int i = 0; i < one.length; i++) {
                assertArrayEquals(one[i], two[i], "batch " + shape[0] + " hidden " + shape[1] + " output " + i);
            }
        }
    }

    /**
     * Output, final state, input and state gradients and every parameter gradient of one training pass with
     * a given initial state.
     */
    private static List<float[]> trainingPass(int threads, String cell, int hidden, int projSize, int batch) {
        Parallelism.setThreads(threads);
        Generator.manualSeed(11);
        RNNBase rnn = switch (cell) {
            case "lstm" -> LSTM.builder(16, hidden).numLayers(2).batchFirst(true).projSize(projSize).build();
            case "gru" -> GRU.builder(16, hidden).numLayers(2).batchFirst(true).build();
            default -> RNN.builder(16, hidden).numLayers(2).batchFirst(true).nonlinearity("relu").build();
        };
        Generator data = new Generator(12);
        int out = projSize > 0 ? projSize : hidden;
        Tensor x = Tensor.uniform(-1f, 1f, data, batch, 3, 16).requiresGrad(true);
        Tensor h0 = Tensor.uniform(-1f, 1f, data, 2, batch, out).requiresGrad(true);
        Tensor c0 = "lstm".equals(cell) ? Tensor.uniform(-1f, 1f, data, 2, batch, hidden).requiresGrad(true) : null;
        RecurrentOutput result = rnn.forward(x, new RecurrentState(h0, c0));
        Tensor y = result.output();
        Tensor loss = y.mul(y).sum().add(result.state().h().sum());
        if (c0 != null) {
            loss = loss.add(result.state().c().mul(result.state().c()).sum());
        }
        loss.backward();
        List<float[]> arrays = new ArrayList<>(List.of(y.data(), result.state().h().data(), x.grad().data(),
                h0.grad().data()));
        if (c0 != null) {
            arrays.add(result.state().c().data());
            arrays.add(c0.grad().data());
        }
        for (Tensor p : rnn.parameters()) {
            arrays.add(p.grad().data());
        }
        return arrays;
    }

    private static void assertThreadCountsKeepTheBits(String cell, int hidden, int projSize, int batch) {
        List<float[]> one = trainingPass(1, cell, hidden, projSize, batch);
        for (int threads : new int[] {2, 3}) {
            List<float[]> many = trainingPass(threads, cell, hidden, projSize, batch);
            for (int i = 0; i < one.size(); i++) {
                assertArrayEquals(one.get(i), many.get(i), cell + " hidden " + hidden + " proj " + projSize + " batch "
                        + batch + " threads " + threads + " array " + i);
            }
        }
    }

    /**
     * Batches of 8 or more rows per thread run as batch chunks side by side, each through all its time steps:
     * outputs, states and all gradients keep the one-thread bits, with and without an LSTM projection, for
     * chunk counts 2 and 3 and batches that do not divide evenly.
     */
    @Test
    void batchChunksMatchOneThreadBitForBit() {
        for (String cell : new String[] {"lstm", "gru", "rnn"}) {
            int hidden = "gru".equals(cell) ? 128 : 40;
            for (int projSize : "lstm".equals(cell) ? new int[] {0, 24} : new int[] {0}) {
                for (int batch : new int[] {64, 29}) {
                    assertThreadCountsKeepTheBits(cell, hidden, projSize, batch);
                }
            }
        }
    }

    /**
     * A batch too small for chunks (12 rows) but with 12 × 700 gate elements per step splits each step's gate
     * passes over the threads by rows instead: the same bits as one thread.
     */
    @Test
    void gatePassesSplitByRowsMatchOneThreadBitForBit() {
        for (String cell : new String[] {"lstm", "gru"}) {
            assertThreadCountsKeepTheBits(cell, 700, 0, 12);
        }
    }

    /**
     * Batches of at most four rows take the unit-split step (dot products and gate pass fused per range of
     * hidden units, with the input projection folded in for one step); they agree with the same rows run
     * inside a six-row batch, which takes the blocked-GEMM path, to float rounding.
     */
    @Test
    void fewRowStepsMatchTheBlockedPath() {
        Parallelism.setThreads(2);
        for (int steps : new int[] {1, 5}) {
            Generator.manualSeed(9);
            LSTM lstm = LSTM.builder(65, 200).numLayers(2).batchFirst(true).build();
            Tensor x = Tensor.uniform(-1f, 1f, new Generator(10), 6, steps, 65);
            float[] all;
            float[] parts = new float[6 * steps * 200];
            try (GradMode.Guard g = GradMode.noGrad()) {
                all = lstm.forward(x).output().data();
                for (int[] rows : new int[][] {{0, 1}, {1, 4}, {4, 6}}) {
                    Tensor slice = Tensor.of(Arrays.copyOfRange(x.data(), rows[0] * steps * 65,
                            rows[1] * steps * 65), rows[1] - rows[0], steps, 65);
                    float[] y = lstm.forward(slice).output().data();
                    System.arraycopy(y, 0, parts, rows[0] * steps * 200, y.length);
                }
            }
            for (int i = 0; i < all.length; i++) {
                assertEquals(all[i], parts[i], 1e-5f, "steps " + steps + " at " + i);
            }
        }
    }

    @Test
    void batchFirstMatchesTimeMajorWithGradients() {
        Generator.manualSeed(3);
        LSTM tm = LSTM.builder(5, 16).numLayers(2).build();
        Generator.manualSeed(3);
        LSTM bf = LSTM.builder(5, 16).numLayers(2).batchFirst(true).build();
        Tensor xt = Tensor.uniform(-1f, 1f, new Generator(4), 7, 3, 5).requiresGrad(true);
        Tensor xb = xt.detach().transpose(0, 1).requiresGrad(true);
        RecurrentOutput ot = tm.forward(xt);
        RecurrentOutput ob = bf.forward(xb);
        assertArrayEquals(ot.output().transpose(0, 1).data(), ob.output().data());
        ot.output().sum().backward();
        ob.output().sum().backward();
        assertArrayEquals(xt.grad().transpose(0, 1).data(), xb.grad().data());
        assertArrayEquals(tm.parameters().get(0).grad().data(), bf.parameters().get(0).grad().data());
    }
}
