package org.lstm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Layers given their own generator draw from it, not from the process-wide default. */
class LayerGeneratorTest {

    private static void assertSameWeights(Module a, Module b) {
        Map<String, Tensor> pa = a.namedParameters();
        Map<String, Tensor> pb = b.namedParameters();
        assertEquals(pa.keySet(), pb.keySet());
        for (String name : pa.keySet()) {
            assertArrayEquals(pa.get(name).data(), pb.get(name).data(), name);
        }
    }

    @Test
    void anOwnGeneratorGivesTheDefaultSeedsWeightsAndLeavesTheDefaultAlone() {
        Generator.manualSeed(11);
        LSTM fromDefault = LSTM.builder(5, 7).numLayers(2).bidirectional(true).build();
        Linear linearFromDefault = new Linear(7, 3);

        Generator.manualSeed(99);
        Generator.State defaultBefore = Generator.getDefault().getState();
        Generator own = new Generator(11);
        LSTM fromOwn = LSTM.builder(5, 7).numLayers(2).bidirectional(true).generator(own).build();
        Linear linearFromOwn = new Linear(7, 3, true, own);

        assertSameWeights(fromDefault, fromOwn);
        assertSameWeights(linearFromDefault, linearFromOwn);
        assertEquals(defaultBefore, Generator.getDefault().getState(), "the default generator was drawn from");
    }

    @Test
    void resetParametersRedrawsInRegistrationOrder() {
        GRU a = GRU.builder(4, 6).generator(new Generator(3)).build();
        GRU b = GRU.builder(4, 6).generator(new Generator(8)).build();
        assertFalse(java.util.Arrays.equals(a.parameters().get(0).data(), b.parameters().get(0).data()));
        b.resetParameters(new Generator(3));
        assertSameWeights(a, b);
    }

    @Test
    void interLayerDropoutDrawsFromTheLayersGenerator() {
        Generator own = new Generator(5);
        RNN rnn = RNN.builder(3, 4).numLayers(2).dropout(0.5).generator(own).build();
        Tensor x = Tensor.randn(new Generator(1), 6, 2, 3);
        Generator.State before = own.getState();
        Generator.State defaultBefore = Generator.getDefault().getState();
        float[] first = rnn.forward(x).output().data().clone();
        assertFalse(before.equals(own.getState()), "dropout did not draw from the layer's generator");
        assertEquals(defaultBefore, Generator.getDefault().getState());
        own.setState(before);
        assertArrayEquals(first, rnn.forward(x).output().data(), "same generator state, same masks");

        Dropout dropout = new Dropout(0.5, new Generator(2));
        Tensor ones = Tensor.ones(100);
        float[] masked = dropout.forward(ones).data();
        assertArrayEquals(masked, new Dropout(0.5, new Generator(2)).forward(ones).data());
        assertEquals(List.of(), dropout.parameters());
    }
}
