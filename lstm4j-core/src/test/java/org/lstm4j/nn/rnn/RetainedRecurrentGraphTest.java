package org.lstm4j.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.nn.GRU;
import org.lstm4j.nn.LSTM;
import org.lstm4j.nn.LSTMCell;
import org.lstm4j.nn.RNN;
import org.lstm4j.nn.RNNBase;
import org.lstm4j.nn.RecurrentOutput;
import org.lstm4j.nn.RecurrentState;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/**
 * A retained recurrent graph keeps its kernel workspace valid: backwarding it twice gives exactly twice the
 * gradients of once, even when a later forward of the same layer ran in between; without retainGraph the second
 * backward is refused with PyTorch's advice.
 */
class RetainedRecurrentGraphTest {
    private static final int STEPS = 6;
    private static final int BATCH = 9;
    private static final int INPUT = 11;

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("LSTM 2 layers", (Supplier<RNNBase>) () -> LSTM.builder(INPUT, 37).numLayers(2).build()),
                Arguments.of("LSTM bidirectional proj batch-first", (Supplier<RNNBase>) () ->
                        LSTM.builder(INPUT, 40).bidirectional(true).projSize(13).batchFirst(true).build()),
                Arguments.of("GRU 2 layers bidirectional", (Supplier<RNNBase>) () ->
                        GRU.builder(INPUT, 24).numLayers(2).bidirectional(true).build()),
                Arguments.of("RNN relu", (Supplier<RNNBase>) () ->
                        RNN.builder(INPUT, 33).nonlinearity("relu").numLayers(2).build()));
    }

    private static RNNBase fresh(Supplier<RNNBase> factory) {
        Generator.manualSeed(42);
        return factory.get();
    }

    private static Tensor input(long seed) {
        return Tensor.randn(new Generator(seed), STEPS, BATCH, INPUT).requiresGrad(true);
    }

    /** A loss that weights every output and final state differently. */
    private static Tensor loss(RecurrentOutput out) {
        Tensor weights = Tensor.randn(new Generator(7), out.output().shape());
        Tensor loss = out.output().mul(weights).sum().add(out.hN().mul(out.hN()).sum());
        return out.cN() == null ? loss : loss.add(out.cN().sum());
    }

    /** x's gradient, then every parameter's. */
    private static List<float[]> gradients(RNNBase model, Tensor x) {
        List<float[]> grads = new ArrayList<>();
        grads.add(x.grad().data().clone());
        for (Tensor p : model.parameters()) {
            grads.add(p.grad().data().clone());
        }
        return grads;
    }

    private static List<float[]> doubled(List<float[]> grads) {
        List<float[]> out = new ArrayList<>();
        for (float[] g : grads) {
            float[] d = new float[g.length];
            for (int i = 0; i < g.length; i++) {
                d[i] = 2 * g[i];
            }
            out.add(d);
        }
        return out;
    }

    private static void assertSameBits(List<float[]> expected, List<float[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "gradient " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void retainedDoubleBackwardIsTwiceTheSingleGradients(String name, Supplier<RNNBase> factory) {
        RNNBase reference = fresh(factory);
        Tensor x1 = input(1);
        loss(reference.forward(x1)).backward();
        List<float[]> once = gradients(reference, x1);

        RNNBase model = fresh(factory);
        Tensor x = input(1);
        Tensor loss = loss(model.forward(x));
        loss.backward(true);
        loss.backward();
        // The kernels are deterministic and g + g = 2g exactly, so the comparison is bit for bit.
        assertSameBits(doubled(once), gradients(model, x));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void aRetainedGraphSurvivesLaterForwardsOfTheSameLayer(String name, Supplier<RNNBase> factory) {
        RNNBase reference = fresh(factory);
        Tensor x1 = input(1);
        loss(reference.forward(x1)).backward();
        List<float[]> once = gradients(reference, x1);

        RNNBase model = fresh(factory);
        Tensor x = input(1);
        Tensor retained = loss(model.forward(x));
        retained.backward(true);
        // Two later graphs of the same layers, backwarded (their buffers go to the pool and come back):
        // neither may take or overwrite the retained graph's saved activations.
        for (int seed = 2; seed <= 3; seed++) {
            loss(model.forward(input(seed))).backward();
        }
        model.zeroGrad();
        x.setGrad(null);
        retained.backward();
        assertSameBits(once, gradients(model, x));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void aSecondBackwardWithoutRetainGraphIsRefused(String name, Supplier<RNNBase> factory) {
        RNNBase model = fresh(factory);
        Tensor x = input(1);
        Tensor loss = loss(model.forward(x));
        loss.backward();
        List<float[]> once = gradients(model, x);
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("backward through the graph a second time"), e.getMessage());
        assertSameBits(once, gradients(model, x));
    }

    /** Whether {@code workspace} holds pooled buffers (a slot already allocated), not a fresh empty set. */
    private static boolean poolHoldsUsedBuffers(LayerWorkspace workspace) {
        LayerWorkspace.Buffers b = workspace.take(new Object());
        boolean used = b.get(0, 1).length > 1;
        workspace.give(b);
        return used;
    }

    @org.junit.jupiter.api.Test
    void theWorkspaceGoesBackToThePoolOnlyWhenTheGraphIsFreed() {
        Generator g = new Generator(3);
        int hidden = 8;
        LayerWeights w = new LayerWeights(Tensor.randn(g, 4 * hidden, INPUT).requiresGrad(true),
                Tensor.randn(g, 4 * hidden, hidden).requiresGrad(true), null, null, null);
        LayerWorkspace workspace = new LayerWorkspace();
        Tensor[] out = FusedRecurrentLayer.apply(CellType.LSTM, input(1), Tensor.zeros(BATCH, hidden),
                Tensor.zeros(BATCH, hidden), w, false, workspace);
        Tensor loss = out[0].sum();
        loss.backward(true);
        // Retained: the saved activations stay with the graph; a forward now would get fresh buffers.
        org.junit.jupiter.api.Assertions.assertFalse(poolHoldsUsedBuffers(workspace));
        loss.backward();
        // Freed: the next forward reuses them instead of allocating.
        assertTrue(poolHoldsUsedBuffers(workspace));
    }

    @org.junit.jupiter.api.Test
    void aCellStepRetainedTwiceDoublesToo() {
        Generator.manualSeed(5);
        LSTMCell cell = new LSTMCell(INPUT, 16);
        Tensor x = Tensor.randn(new Generator(9), BATCH, INPUT).requiresGrad(true);
        RecurrentState s = cell.forward(x);
        Tensor loss = s.h().sum().add(s.c().mul(s.c()).sum());
        loss.backward(true);
        float[] once = x.grad().data().clone();
        loss.backward();
        float[] twice = x.grad().data();
        for (int i = 0; i < once.length; i++) {
            assertEquals(2 * once[i], twice[i]);
        }
    }
}
