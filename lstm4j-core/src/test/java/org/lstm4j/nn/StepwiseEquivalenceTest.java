package org.lstm4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/** Feeding a sequence one step at a time while carrying the state equals one call on the whole sequence. */
class StepwiseEquivalenceTest {

    static Stream<Arguments> layers() {
        return Stream.of(
                Arguments.of("LSTM 2 layers", LSTM.builder(3, 5).numLayers(2).build()),
                Arguments.of("LSTM proj, batchFirst", LSTM.builder(3, 5).projSize(2).batchFirst(true).build()),
                Arguments.of("GRU 3 layers", GRU.builder(3, 5).numLayers(3).build()),
                Arguments.of("RNN relu batchFirst", RNN.builder(3, 5).nonlinearity("relu").batchFirst(true).build()),
                Arguments.of("RNN tanh no bias", RNN.builder(3, 5).bias(false).numLayers(2).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void stepwiseEqualsWholeSequence(String name, RNNBase layer) {
        int steps = 7;
        int batch = 2;
        boolean batchFirst = layer.isBatchFirst();
        int timeDim = batchFirst ? 1 : 0;
        Tensor x = batchFirst ? Tensor.randn(new Generator(1), batch, steps, 3) : Tensor.randn(new Generator(1), steps, batch, 3);

        RecurrentOutput whole = layer.forward(x);

        RecurrentState state = null;
        List<Tensor> outputs = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            RecurrentOutput step = layer.forward(x.narrow(timeDim, t, 1), state);
            outputs.add(step.output());
            state = step.state().detach();
        }
        Tensor stepped = Tensor.cat(outputs, timeDim);
        assertClose(whole.output(), stepped);
        assertClose(whole.hN(), state.h());
        if (whole.cN() != null) {
            assertClose(whole.cN(), state.c());
        }
    }

    /** Same values up to float rounding of the differently sized input GEMMs. */
    private static void assertClose(Tensor expected, Tensor actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected.shape(), actual.shape());
        for (int i = 0; i < expected.numel(); i++) {
            assertEquals(expected.data()[i], actual.data()[i], 1e-6f, "element " + i);
        }
    }
}
