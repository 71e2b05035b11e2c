package org.lstm4j.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.autograd.GradMode;
import org.lstm4j.kernels.Parallelism;
import org.lstm4j.nn.GRU;
import org.lstm4j.nn.LSTM;
import org.lstm4j.nn.RNN;
import org.lstm4j.nn.RNNBase;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/**
 * Inputs projected inside the step loops give the bits of the projection of all steps up front: per step (small
 * W_ih) in the outputs and every gradient of a training pass, and per step or in rolling blocks (large W_ih) in
 * the no-grad forward, for dense and one-hot inputs, one batch chunk or several, forward and reverse.
 */
class InputProjectionTest {
    private static final int INPUTS = 13;
    /** Inputs that make W_ih large enough for rolling blocks: 2048 × 70 floats (LSTM 512), 2100 × 70 (GRU 700). */
    private static final int WIDE_INPUTS = 70;
    private static final int STEPS = 7;
    private final int savedThreads = Parallelism.threads();
    private final boolean savedRolling = InputProjection.rollingEnabled;

    @AfterEach
    void restore() {
        InputProjection.perStepEnabled = true;
        InputProjection.rollingEnabled = savedRolling;
        Parallelism.setThreads(savedThreads);
    }

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("LSTM 2 layers", (Supplier<RNNBase>) () -> LSTM.builder(INPUTS, 40).numLayers(2).build()),
                Arguments.of("LSTM projection", (Supplier<RNNBase>) () ->
                        LSTM.builder(INPUTS, 24).projSize(10).numLayers(2).build()),
                Arguments.of("LSTM bidirectional without bias", (Supplier<RNNBase>) () ->
                        LSTM.builder(INPUTS, 20).bidirectional(true).bias(false).build()),
                Arguments.of("GRU 2 layers", (Supplier<RNNBase>) () -> GRU.builder(INPUTS, 24).numLayers(2).build()),
                Arguments.of("RNN relu", (Supplier<RNNBase>) () -> RNN.builder(INPUTS, 33).nonlinearity("relu").build()),
                Arguments.of("LSTM wide input, bidirectional", (Supplier<RNNBase>) () ->
                        LSTM.builder(WIDE_INPUTS, 512).bidirectional(true).build()),
                Arguments.of("GRU wide input", (Supplier<RNNBase>) () -> GRU.builder(WIDE_INPUTS, 700).build()));
    }

    private static Tensor inputs(int batch, int inputSize, boolean oneHot) {
        Generator g = new Generator(3);
        return oneHot ? TrainingPasses.oneHot(g, STEPS, batch, inputSize)
                : Tensor.uniform(-1f, 1f, g, STEPS, batch, inputSize);
    }

    /** No-grad output, then output, h_n and every parameter gradient of a training pass. */
    private static List<float[]> run(Supplier<RNNBase> factory, Tensor x, boolean perStep) {
        InputProjection.perStepEnabled = perStep;
        // Rolling blocks forced on, whatever this machine's L2 would choose, so that they are compared with up front.
        InputProjection.rollingEnabled = true;
        Generator.manualSeed(5);
        RNNBase model = factory.get();
        List<float[]> result = new ArrayList<>();
        try (GradMode.Guard g = GradMode.noGrad()) {
            result.add(model.forward(x).output().data().clone());
        }
        result.addAll(TrainingPasses.outputsAndGradients(model, x));
        return result;
    }

    /** The wide-input shapes do take rolling blocks, of fewer steps than the sequence for batch 37. */
    @org.junit.jupiter.api.Test
    void wideInputsTakeRollingBlocks() {
        InputProjection.rollingEnabled = true;
        assertEquals(3, InputProjection.rollingSteps(STEPS, 37, WIDE_INPUTS, 4 * 512));
        assertEquals(3, InputProjection.rollingSteps(STEPS, 37, WIDE_INPUTS, 3 * 700));
        assertEquals(STEPS, InputProjection.rollingSteps(STEPS, 11, WIDE_INPUTS, 4 * 512));
        assertEquals(1, InputProjection.rollingSteps(STEPS, 37, INPUTS, 4 * 40));
    }

    /** Without rolling blocks (a small L2) wide inputs are projected up front; small W_ih still per step. */
    @org.junit.jupiter.api.Test
    void withoutRollingBlocksWideInputsAreProjectedUpFront() {
        InputProjection.rollingEnabled = false;
        assertEquals(0, InputProjection.rollingSteps(STEPS, 37, WIDE_INPUTS, 4 * 512));
        assertEquals(0, InputProjection.rollingSteps(STEPS, 11, WIDE_INPUTS, 4 * 512));
        assertEquals(1, InputProjection.rollingSteps(STEPS, 37, INPUTS, 4 * 40));
    }

    @org.junit.jupiter.api.Test
    void rollingBlocksPayFromOneMebibyteOfL2PerCpuOrWhenForced() {
        assertFalse(InputProjection.rollingBlocksPay(null, OptionalLong.of(512 << 10)));
        assertFalse(InputProjection.rollingBlocksPay(" ", OptionalLong.of((1 << 20) - 1)));
        assertTrue(InputProjection.rollingBlocksPay(null, OptionalLong.of(1 << 20)));
        assertTrue(InputProjection.rollingBlocksPay(null, OptionalLong.of(2 << 20)));
        assertTrue(InputProjection.rollingBlocksPay(null, OptionalLong.empty()));
        assertTrue(InputProjection.rollingBlocksPay(" true ", OptionalLong.of(512 << 10)));
        assertFalse(InputProjection.rollingBlocksPay("false", OptionalLong.of(2 << 20)));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> InputProjection.rollingBlocksPay("yes", OptionalLong.empty()));
        assertTrue(bad.getMessage().contains("-Dlstm4j.rnn.rollingBlocks=yes: expected true or false"),
                bad.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void perStepProjectionGivesTheUpFrontBits(String name, Supplier<RNNBase> factory) {
        Parallelism.setThreads(2);
        RNNBase probe = factory.get();
        for (int batch : new int[] {11, 37}) {
            for (boolean oneHot : new boolean[] {false, true}) {
                Tensor x = inputs(batch, probe.inputSize(), oneHot);
                List<float[]> upFront = run(factory, x, false);
                List<float[]> perStep = run(factory, x, true);
                assertEquals(upFront.size(), perStep.size());
                for (int i = 0; i < upFront.size(); i++) {
                    assertArrayEquals(upFront.get(i), perStep.get(i),
                            name + " batch " + batch + (oneHot ? " one-hot" : "") + " array " + i);
                }
            }
        }
    }
}
