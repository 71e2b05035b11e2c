package org.lstm4j.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.autograd.GradMode;
import org.lstm4j.nn.GRU;
import org.lstm4j.nn.LSTM;
import org.lstm4j.nn.RNN;
import org.lstm4j.nn.RNNBase;
import org.lstm4j.nn.RNNOptions;
import org.lstm4j.nn.RecurrentOutput;
import org.lstm4j.nn.RecurrentState;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/**
 * The forward that skips the autograd graph (grad mode off, or nothing requiring grad) gives bit-identical
 * outputs and states, with the same shapes, as the recorded forward, for every layout and cell type.
 */
@org.junit.jupiter.api.Tag("vector-widths")
class NoGradFastPathTest {
    private static final int INPUT = 7;

    private record Config(String cell, int layers, boolean bidirectional, boolean batchFirst, int projSize,
            double dropout, boolean bias) {
        RNNBase build() {
            Generator.manualSeed(3);
            Function<RNNOptions.Builder<? extends RNNBase>, RNNBase> finish = b -> b.numLayers(layers)
                    .bidirectional(bidirectional).batchFirst(batchFirst).dropout(dropout).bias(bias).build();
            int hidden = 19;
            return switch (cell) {
                case "LSTM" -> finish.apply(LSTM.builder(INPUT, hidden).projSize(projSize));
                case "GRU" -> finish.apply(GRU.builder(INPUT, hidden));
                case "RNN_TANH" -> finish.apply(RNN.builder(INPUT, hidden));
                default -> finish.apply(RNN.builder(INPUT, hidden).nonlinearity("relu"));
            };
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String cell : new String[] {"LSTM", "GRU", "RNN_TANH", "RNN_RELU"}) {
            for (int layers : new int[] {1, 3}) {
                for (boolean bi : new boolean[] {false, true}) {
                    for (boolean bf : new boolean[] {false, true}) {
                        for (int proj : cell.equals("LSTM") ? new int[] {0, 5} : new int[] {0}) {
                            Config config = new Config(cell, layers, bi, bf, proj, 0, true);
                            for (int[] tb : new int[][] {{1, 1}, {6, 1}, {5, 9}, {1, 4}}) {
                                for (boolean batched : new boolean[] {true, false}) {
                                    if (!batched && tb[1] != 1) {
                                        continue;
                                    }
                                    for (boolean withState : new boolean[] {false, true}) {
                                        cases.add(Arguments.of(config, tb[0], tb[1], batched, withState));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // Inter-layer dropout in training mode draws the same masks on both paths.
        cases.add(Arguments.of(new Config("LSTM", 3, true, true, 0, 0.4, true), 4, 3, true, true));
        cases.add(Arguments.of(new Config("GRU", 2, false, false, 0, 0.5, true), 5, 2, true, false));
        // Without biases.
        cases.add(Arguments.of(new Config("LSTM", 2, true, false, 4, 0, false), 3, 2, true, true));
        cases.add(Arguments.of(new Config("GRU", 2, true, true, 0, 0, false), 3, 2, true, false));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} T={1} B={2} batched={3} state={4}")
    @MethodSource("cases")
    void noGradMatchesGraph(Config config, int steps, int batch, boolean batched, boolean withState) {
        RNNBase model = config.build();
        model.train(config.dropout() > 0);
        Tensor x = input(model, steps, batch, batched, config.batchFirst());
        RecurrentState state = withState ? state(model, batch, batched) : null;

        Generator.manualSeed(11);
        RecurrentOutput graph = model.forward(x, state);
        // The recorded forward really took the graph path.
        assertNotNullGradFn(graph);

        Generator.manualSeed(11);
        RecurrentOutput noGrad;
        try (GradMode.Guard g = GradMode.noGrad()) {
            noGrad = model.forward(x, state);
        }
        assertSame(graph, noGrad);

        // Grad mode on but nothing requiring grad takes the fast path too.
        for (Tensor p : model.parameters()) {
            p.requiresGrad(false);
        }
        Generator.manualSeed(11);
        assertSame(graph, model.forward(x, state));
    }

    /** The stream workload's pattern: one step per call, the state fed back, graph and no-grad in lockstep. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void streamedStateMatches(Config config) {
        RNNBase model = config.build();
        model.eval();
        Generator data = new Generator(5);
        RecurrentState graphState = null;
        RecurrentState fastState = null;
        for (int call = 0; call < 8; call++) {
            Tensor x = Tensor.randn(data, 1, 1, INPUT);
            RecurrentOutput graph = model.forward(x, graphState);
            RecurrentOutput fast;
            try (GradMode.Guard g = GradMode.noGrad()) {
                fast = model.forward(x, fastState);
            }
            assertSame(graph, fast);
            graphState = graph.state().detach();
            fastState = fast.state();
        }
    }

    static Stream<Config> streams() {
        return Stream.of(new Config("LSTM", 2, false, true, 0, 0, true),
                new Config("LSTM", 2, true, true, 6, 0, true), new Config("GRU", 2, false, true, 0, 0, true),
                new Config("RNN_TANH", 3, true, false, 0, 0, true));
    }

    private static void assertNotNullGradFn(RecurrentOutput out) {
        if (out.output().gradFn() == null) {
            throw new AssertionError("expected the recorded forward to build a graph");
        }
    }

    private static void assertSame(RecurrentOutput expected, RecurrentOutput actual) {
        assertArrayEquals(expected.output().shape(), actual.output().shape());
        assertArrayEquals(expected.output().data(), actual.output().data());
        assertArrayEquals(expected.hN().shape(), actual.hN().shape());
        assertArrayEquals(expected.hN().data(), actual.hN().data());
        if (expected.cN() == null) {
            assertNull(actual.cN());
        } else {
            assertArrayEquals(expected.cN().shape(), actual.cN().shape());
            assertArrayEquals(expected.cN().data(), actual.cN().data());
        }
        assertFalse(actual.output().requiresGrad());
        assertFalse(actual.hN().requiresGrad());
        assertNull(actual.output().gradFn());
    }

    private static Tensor input(RNNBase model, int steps, int batch, boolean batched, boolean batchFirst) {
        Generator gen = new Generator(7);
        if (!batched) {
            return Tensor.randn(gen, steps, INPUT);
        }
        return batchFirst ? Tensor.randn(gen, batch, steps, INPUT) : Tensor.randn(gen, steps, batch, INPUT);
    }

    private static RecurrentState state(RNNBase model, int batch, boolean batched) {
        Generator gen = new Generator(9);
        int count = model.numLayers() * (model.isBidirectional() ? 2 : 1);
        Tensor h = batched ? Tensor.randn(gen, count, batch, model.outputSize())
                : Tensor.randn(gen, count, model.outputSize());
        if (!(model instanceof LSTM)) {
            return RecurrentState.of(h);
        }
        Tensor c = batched ? Tensor.randn(gen, count, batch, model.hiddenSize())
                : Tensor.randn(gen, count, model.hiddenSize());
        return new RecurrentState(h, c);
    }
}
