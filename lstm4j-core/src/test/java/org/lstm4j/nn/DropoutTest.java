package org.lstm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/** Dropout is inverted (kept values scaled by 1/(1−p)), active only in training, and between RNN layers only. */
class DropoutTest {

    @Test
    void dropoutZeroesAboutPAndScalesTheRest() {
        Generator.manualSeed(1);
        Dropout dropout = new Dropout(0.25);
        Tensor x = Tensor.ones(10_000).requiresGrad(true);
        Tensor y = dropout.forward(x);
        int zeros = 0;
        for (float v : y.data()) {
            if (v == 0f) {
                zeros++;
            } else {
                assertEquals(1f / 0.75f, v, 1e-6f);
            }
        }
        assertEquals(2500, zeros, 150);
        y.sum().backward();
        assertArrayEquals(y.data(), x.grad().data(), "gradient flows through the same mask");

        dropout.eval();
        assertSame(x, dropout.forward(x), "identity in eval mode");
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1));
    }

    @Test
    void recurrentDropoutActsBetweenLayersInTrainingOnly() {
        Generator.manualSeed(2);
        LSTM withDropout = LSTM.builder(3, 8).numLayers(2).dropout(0.5).build();
        LSTM without = LSTM.builder(3, 8).numLayers(2).build();
        without.loadStateDict(withDropout.stateDict());
        Tensor x = Tensor.randn(new Generator(3), 5, 2, 3);

        float[] a = withDropout.forward(x).output().data();
        float[] b = withDropout.forward(x).output().data();
        assertFalse(Arrays.equals(a, b), "training mode draws a new mask each call");
        assertFalse(Arrays.equals(a, without.forward(x).output().data()));

        withDropout.eval();
        assertArrayEquals(without.forward(x).output().data(), withDropout.forward(x).output().data(),
                "eval mode: no dropout");

        Generator.manualSeed(4);
        LSTM oneLayer = LSTM.builder(3, 8).dropout(0.5).build();
        LSTM oneLayerPlain = LSTM.builder(3, 8).build();
        oneLayerPlain.loadStateDict(oneLayer.stateDict());
        assertArrayEquals(oneLayerPlain.forward(x).output().data(), oneLayer.forward(x).output().data(),
                "no dropout after the last layer");
    }
}
