package org.lstm4j.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.nn.GRU;
import org.lstm4j.nn.LSTM;
import org.lstm4j.nn.RNN;
import org.lstm4j.nn.RNNBase;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/**
 * One-hot inputs take a gather (projection) and a scatter-add (weight gradient) instead of GEMMs, with the
 * GEMM's bits: outputs and every gradient are compared bit for bit against the GEMM path, over more rows than
 * one k slice of the GEMM so that the slice-by-slice summation order is exercised.
 */
@org.junit.jupiter.api.Tag("vector-widths")
class OneHotInputsTest {
    private static final int CLASSES = 13;
    private static final int STEPS = 50;
    private static final int BATCH = 11;

    @AfterEach
    void enable() {
        OneHotInputs.enabled = true;
    }

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("LSTM 2 layers", (Supplier<RNNBase>) () -> LSTM.builder(CLASSES, 40).numLayers(2).build()),
                Arguments.of("LSTM batch-first bidirectional", (Supplier<RNNBase>) () ->
                        LSTM.builder(CLASSES, 24).bidirectional(true).batchFirst(true).build()),
                Arguments.of("LSTM without bias", (Supplier<RNNBase>) () -> LSTM.builder(CLASSES, 20).bias(false).build()),
                Arguments.of("GRU", (Supplier<RNNBase>) () -> GRU.builder(CLASSES, 24).build()),
                Arguments.of("RNN relu", (Supplier<RNNBase>) () -> RNN.builder(CLASSES, 33).nonlinearity("relu").build()));
    }

    private static Tensor oneHot(long seed) {
        return TrainingPasses.oneHot(new Generator(seed), STEPS, BATCH, CLASSES);
    }

    /** Output, h_n, and every parameter gradient of one forward/backward. */
    private static List<float[]> trainStep(Supplier<RNNBase> factory, Tensor x, boolean gather) {
        OneHotInputs.enabled = gather;
        Generator.manualSeed(5);
        return TrainingPasses.outputsAndGradients(factory.get(), x);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void gatherAndScatterGiveTheGemmBits(String name, Supplier<RNNBase> factory) {
        Tensor x = oneHot(3);
        if (name.contains("batch-first")) {
            x = x.transpose(0, 1);
        }
        List<float[]> gemm = trainStep(factory, x, false);
        List<float[]> gather = trainStep(factory, x, true);
        assertEquals(gemm.size(), gather.size());
        for (int i = 0; i < gemm.size(); i++) {
            assertArrayEquals(gemm.get(i), gather.get(i), name + " array " + i);
        }
    }

    @Test
    void onlyExactOneHotRowsQualify() {
        float[] x = {0, 1, 0, 1, 0, 0};
        int[] hot = OneHotInputs.hotColumns(x, 2, 3);
        assertNotNull(hot);
        assertArrayEquals(new int[] {1, 0}, hot);
        assertNull(OneHotInputs.hotColumns(new float[] {0, 1, 1, 1, 0, 0}, 2, 3), "two ones in a row");
        assertNull(OneHotInputs.hotColumns(new float[] {0, 1, 0, 0, 0, 0}, 2, 3), "an all-zero row");
        assertNull(OneHotInputs.hotColumns(new float[] {0, 1, 0, 0.5f, 0, 0}, 2, 3), "a value other than 1");
        assertEquals(2, OneHotInputs.hotColumns(new float[] {-0f, 0, 1}, 1, 3)[0], "-0 counts as zero");
    }
}
