package org.lstm4j.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/**
 * Weights packed once replace the per-call packing: a kernel given the packed form of other weights computes with
 * those, on every blocked path (input projections per step, in rolling blocks and up front; one step), so the
 * packed operands are really the ones read.
 */
@org.junit.jupiter.api.Tag("vector-widths")
class PackedLayerWeightsTest {

    private static LayerWeights weights(CellType type, int inputSize, int hidden, long seed) {
        Generator gen = new Generator(seed);
        int width = type.gateBlocks() * hidden;
        return new LayerWeights(Tensor.uniform(-0.3f, 0.3f, gen, width, inputSize),
                Tensor.uniform(-0.3f, 0.3f, gen, width, hidden), null, null, null);
    }

    /** y of one layer over x, (steps, batch) time-major, from a zero state. */
    private static float[] run(CellType type, float[] x, int steps, int batch, int inputSize, int hidden,
            LayerWeights w, PackedLayerWeights packed) {
        float[] zeros = new float[batch * hidden];
        float[] y = new float[steps * batch * hidden];
        boolean lstm = type == CellType.LSTM;
        FusedRecurrentLayer.run(type, x, steps, batch, inputSize, zeros, 0, lstm ? zeros : null, 0, y,
                new float[batch * hidden], 0, lstm ? new float[batch * hidden] : null, 0, w, packed, false, null, false,
                false);
        return y;
    }

    @Test
    void theKernelsComputeWithThePackedWeights() {
        // (steps, batch, input, hidden): for the LSTM, inputs projected per step, in rolling blocks, up front, and
        // one step (the GRU's wider W_ih takes rolling blocks for 64 rows too, the RNN's narrower one per step).
        int[][] shapes = {{6, 24, 12, 40}, {9, 24, 80, 600}, {5, 64, 80, 600}, {1, 24, 12, 40}};
        for (CellType type : new CellType[] {CellType.LSTM, CellType.GRU, CellType.RNN_TANH}) {
            for (int[] s : shapes) {
                int steps = s[0], batch = s[1], inputSize = s[2], hidden = s[3];
                String what = type + " " + Arrays.toString(s);
                float[] x = Tensor.uniform(-1f, 1f, new Generator(7), steps * batch * inputSize).data();
                LayerWeights given = weights(type, inputSize, hidden, 1);
                LayerWeights other = weights(type, inputSize, hidden, 2);
                float[] withOther = run(type, x, steps, batch, inputSize, hidden, other, null);
                float[] withGiven = run(type, x, steps, batch, inputSize, hidden, given, null);
                assertFalse(Arrays.equals(withOther, withGiven), what);
                assertArrayEquals(withOther, run(type, x, steps, batch, inputSize, hidden, given,
                        PackedLayerWeights.of(other)), what);
                assertArrayEquals(withGiven, run(type, x, steps, batch, inputSize, hidden, given,
                        PackedLayerWeights.of(given)), what + ", its own weights packed");
            }
        }
    }

    @Test
    void refusesWeightsPackedForAnotherShape() {
        LayerWeights layer = weights(CellType.LSTM, 12, 40, 1);
        PackedLayerWeights packed = PackedLayerWeights.of(weights(CellType.LSTM, 12, 41, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(CellType.LSTM,
                new float[6 * 24 * 12], 6, 24, 12, 40, layer, packed));
        assertEquals("packed weights of W_ih 164x12 and W_hh 164x41 given to a layer of W_ih 160x12 and W_hh 160x40",
                e.getMessage());
    }
}
