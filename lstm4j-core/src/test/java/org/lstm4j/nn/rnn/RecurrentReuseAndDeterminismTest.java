package org.lstm4j.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.autograd.GradMode;
import org.lstm4j.kernels.Parallelism;
import org.lstm4j.nn.GRU;
import org.lstm4j.nn.LSTM;
import org.lstm4j.nn.RNN;
import org.lstm4j.nn.RNNBase;
import org.lstm4j.nn.RecurrentOutput;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/**
 * The pooled kernel buffers, the no-grad path and the thread count never change a bit of the results.
 * Shapes are big enough for the packed-weight GEMM path (batch > 4, several steps) and the parallel GEMMs.
 */
class RecurrentReuseAndDeterminismTest {
    private static final int STEPS = 6;
    private static final int BATCH = 9;
    private static final int INPUT = 11;

    @AfterEach
    void restoreThreads() {
        Parallelism.setThreads(Runtime.getRuntime().availableProcessors());
    }

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("LSTM 2 layers", (Supplier<RNNBase>) () -> LSTM.builder(INPUT, 37).numLayers(2).build()),
                Arguments.of("LSTM bidirectional proj", (Supplier<RNNBase>) () ->
                        LSTM.builder(INPUT, 40).bidirectional(true).projSize(13).build()),
                Arguments.of("LSTM large", (Supplier<RNNBase>) () -> LSTM.builder(INPUT, 128).build()),
                Arguments.of("GRU 2 layers bidirectional", (Supplier<RNNBase>) () ->
                        GRU.builder(INPUT, 24).numLayers(2).bidirectional(true).build()),
                Arguments.of("RNN tanh", (Supplier<RNNBase>) () -> RNN.builder(INPUT, 33).numLayers(2).build()));
    }

    private static RNNBase fresh(Supplier<RNNBase> factory) {
        Generator.manualSeed(42);
        return factory.get();
    }

    private static Tensor input(long seed) {
        return Tensor.randn(new Generator(seed), STEPS, BATCH, INPUT);
    }

    /** Output, final states and every parameter gradient of one forward/backward (loss = weighted sum). */
    private static List<float[]> trainStep(RNNBase model, Tensor x) {
        model.zeroGrad();
        return TrainingPasses.outputsAndGradients(model, x.copy().requiresGrad(true));
    }

    private static void assertSameBits(List<float[]> expected, List<float[]> actual) {
        assertArrayEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "array " + i);
        }
    }

    private static void assertArrayEquals(int expected, int actual) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, actual);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void reusedBuffersGiveTheGradientsOfFreshOnes(String name, Supplier<RNNBase> factory) {
        RNNBase reused = fresh(factory);
        trainStep(reused, input(1));
        List<float[]> second = trainStep(reused, input(2));
        assertSameBits(trainStep(fresh(factory), input(2)), second);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void twoForwardsThenTwoBackwards(String name, Supplier<RNNBase> factory) {
        RNNBase model = fresh(factory);
        RecurrentOutput a = model.forward(input(1));
        RecurrentOutput b = model.forward(input(2));
        b.output().sum().backward();
        List<float[]> gradsB = new ArrayList<>();
        model.parameters().forEach(p -> gradsB.add(p.grad().data().clone()));
        model.zeroGrad();
        a.output().sum().backward();
        List<float[]> gradsA = new ArrayList<>();
        model.parameters().forEach(p -> gradsA.add(p.grad().data().clone()));

        for (int which = 0; which < 2; which++) {
            RNNBase reference = fresh(factory);
            reference.forward(input(which == 0 ? 1 : 2)).output().sum().backward();
            List<float[]> expected = new ArrayList<>();
            reference.parameters().forEach(p -> expected.add(p.grad().data().clone()));
            assertSameBits(expected, which == 0 ? gradsA : gradsB);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void backwardAfterTheBuffersWereReusedFailsClearly(String name, Supplier<RNNBase> factory) {
        RNNBase model = fresh(factory);
        Tensor loss = model.forward(input(1)).output().sum();
        loss.backward();
        model.forward(input(2)); // takes the buffers the first graph handed back
        assertThrows(IllegalStateException.class, loss::backward);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void noGradOutputsEqualGraphOutputs(String name, Supplier<RNNBase> factory) {
        RNNBase model = fresh(factory);
        RecurrentOutput graph = model.forward(input(3));
        RecurrentOutput plain;
        try (GradMode.Guard g = GradMode.noGrad()) {
            plain = model.forward(input(3));
            model.forward(input(4)); // reuses the buffers at once
            plain = model.forward(input(3));
        }
        assertArrayEquals(graph.output().data(), plain.output().data());
        assertArrayEquals(graph.hN().data(), plain.hN().data());
        if (graph.cN() != null) {
            assertArrayEquals(graph.cN().data(), plain.cN().data());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void oneAndTwoThreadsGiveTheSameBits(String name, Supplier<RNNBase> factory) {
        Parallelism.setThreads(1);
        List<float[]> one = trainStep(fresh(factory), input(5));
        Parallelism.setThreads(2);
        List<float[]> two = trainStep(fresh(factory), input(5));
        assertSameBits(one, two);
        assertSameBits(two, trainStep(fresh(factory), input(5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void perCallerBudgetsGiveTheSameBitsAsTheProcessWideOne(String name, Supplier<RNNBase> factory) {
        Parallelism.setThreads(2);
        List<float[]> processWide = trainStep(fresh(factory), input(5));
        Parallelism.setThreads(1);
        // A scope of 2 inside a process of 1 (a Spark task given 2 cores) and a scope of 1 inside 2 (given 1).
        List<float[]> scopedTwo = Parallelism.callWithThreads(2, () -> trainStep(fresh(factory), input(5)));
        Parallelism.setThreads(2);
        List<float[]> scopedOne = Parallelism.callWithThreads(1, () -> trainStep(fresh(factory), input(5)));
        assertSameBits(processWide, scopedTwo);
        assertSameBits(processWide, scopedOne);
    }

    /**
     * The backward takes the cell state fed into each step from the saved cell states, and into the first step
     * from the forward's own copy of c0: the kernel is handed the caller's c0 array, and writing into it
     * between forward and backward changes no gradient, in both directions (first step t = 0, and T-1).
     */
    @Test
    void writingIntoC0BeforeBackwardChangesNoGradient() {
        for (boolean reverse : new boolean[] {false, true}) {
            List<float[]> expected = lstmGradients(reverse, false);
            assertSameBits(expected, lstmGradients(reverse, true));
        }
    }

    /** x, h0, c0, W_ih and W_hh gradients of one LSTM layer call; c0 overwritten after forward if asked. */
    private static List<float[]> lstmGradients(boolean reverse, boolean overwriteC0) {
        Generator g = new Generator(13);
        int hidden = 37;
        LayerWeights w = new LayerWeights(Tensor.randn(g, 4 * hidden, INPUT).requiresGrad(true),
                Tensor.randn(g, 4 * hidden, hidden).requiresGrad(true), Tensor.randn(g, 4 * hidden)
                        .requiresGrad(true), Tensor.randn(g, 4 * hidden).requiresGrad(true), null);
        Tensor x = input(6).requiresGrad(true);
        Tensor h0 = Tensor.randn(g, BATCH, hidden).requiresGrad(true);
        Tensor c0 = Tensor.randn(g, BATCH, hidden).requiresGrad(true);
        Tensor[] out = FusedRecurrentLayer.apply(CellType.LSTM, x, h0, c0, w, reverse, new LayerWorkspace());
        if (overwriteC0) {
            java.util.Arrays.fill(c0.data(), 5f);
        }
        out[0].sum().add(out[2].mul(out[2]).sum()).backward();
        List<float[]> result = new ArrayList<>();
        for (Tensor t : new Tensor[] {x, h0, c0, w.wIh(), w.wHh(), w.bIh(), w.bHh()}) {
            result.add(t.grad().data().clone());
        }
        return result;
    }

    private static void assertArrayEquals(float[] expected, float[] actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
    }

    private static void assertArrayEquals(float[] expected, float[] actual, String message) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, message);
    }
}
