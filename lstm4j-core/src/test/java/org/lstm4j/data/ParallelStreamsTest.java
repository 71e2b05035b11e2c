package org.lstm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lstm4j.tensor.IndexTensor;

class ParallelStreamsTest {
    /** 23 tokens whose values are not their positions: token i is 100 + i. */
    private static int[] tokens(int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = 100 + i;
        }
        return t;
    }

    private static float[] floats(int... values) {
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            f[i] = values[i];
        }
        return f;
    }

    @Test
    void layoutOfTwoStreamsOfThreeStepWindows() {
        // n = 23: L = (23 - 1) / 2 = 11 tokens per stream, 11 / 3 = 3 windows; stream 1 starts at token 11.
        ParallelStreams ds = new ParallelStreams(tokens(23), 2, 3);
        assertEquals(11, ds.streamLength());
        assertEquals(3, ds.windows());
        assertEquals(6, ds.size());
        assertEquals(2, ds.streams());
        assertEquals(3, ds.steps());

        // Example w * 2 + s is window w of stream s.
        int[][] expectedInputs = {
            {100, 101, 102}, {111, 112, 113},
            {103, 104, 105}, {114, 115, 116},
            {106, 107, 108}, {117, 118, 119},
        };
        for (int e = 0; e < 6; e++) {
            Batch<IndexTensor> b = ds.gather(new int[] {e}, 0, 1);
            assertArrayEquals(new int[] {1, 3}, b.inputs().shape());
            assertArrayEquals(floats(expectedInputs[e]), b.inputs().data(), "inputs of example " + e);
            int[] shifted = {expectedInputs[e][0] + 1, expectedInputs[e][1] + 1, expectedInputs[e][2] + 1};
            assertArrayEquals(shifted, b.targets().data(), "targets of example " + e + " are the inputs one further");
        }
    }

    @Test
    void aBatchHoldsWindowsRowByRowAndTargetsFlattenedInTheSameOrder() {
        ParallelStreams ds = new ParallelStreams(tokens(23), 2, 3);
        Batch<IndexTensor> b = ds.gather(new int[] {9, 5, 2, 9}, 1, 2); // examples 5 and 2
        assertArrayEquals(new int[] {2, 3}, b.inputs().shape());
        assertArrayEquals(floats(117, 118, 119, 103, 104, 105), b.inputs().data());
        assertArrayEquals(new int[] {6}, b.targets().shape());
        assertArrayEquals(new int[] {118, 119, 120, 104, 105, 106}, b.targets().data());
    }

    @Test
    void aLoaderInOrderWithBatchStreamsReadsEachStreamAsOneText() {
        int[] text = tokens(101); // L = 100 / 4 = 25, 25 / 6 = 4 windows, the last 1 of each stream unread
        ParallelStreams ds = new ParallelStreams(text, 4, 6);
        assertEquals(25, ds.streamLength());
        assertEquals(4, ds.windows());
        DataLoader<IndexTensor> loader = DataLoader.builder(ds).batchSize(4).build();
        List<Batch<IndexTensor>> batches = new ArrayList<>();
        loader.forEach(batches::add);
        assertEquals(4, batches.size());
        for (int w = 0; w < 4; w++) {
            Batch<IndexTensor> b = batches.get(w);
            assertArrayEquals(new int[] {4, 6}, b.inputs().shape());
            for (int s = 0; s < 4; s++) {
                for (int t = 0; t < 6; t++) {
                    int position = s * 25 + w * 6 + t; // row s continues where the previous batch's row s ended
                    assertEquals(text[position], b.inputs().get(s, t), "batch " + w + " stream " + s + " step " + t);
                    assertEquals(text[position + 1], b.targets().data()[s * 6 + t]);
                }
            }
        }
    }

    @Test
    void aTextShorterThanOneBatchIsRefusedNamingTheCounts() {
        assertEquals(1, new ParallelStreams(tokens(7), 2, 3).windows()); // exactly streams * steps + 1: one batch
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ParallelStreams(tokens(6), 2, 3));
        assertTrue(e.getMessage().contains("a text of 6 characters"), e.getMessage());
        assertTrue(e.getMessage().contains("2 streams of 3 steps need at least 7 characters"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ParallelStreams(tokens(10), 0, 3));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ParallelStreams(tokens(10), 2, 0));
        assertThrows(NullPointerException.class, () -> new ParallelStreams(null, 2, 3));
        // No overflow for huge settings: refused as too short.
        assertThrows(IllegalArgumentException.class, () -> new ParallelStreams(tokens(10), 1 << 20, 1 << 20));
    }

    @Test
    void gatherRefusesExamplesOutOfRange() {
        ParallelStreams ds = new ParallelStreams(tokens(23), 2, 3);
        assertThrows(RuntimeException.class, () -> ds.gather(new int[] {6}, 0, 1));
        assertThrows(RuntimeException.class, () -> ds.gather(new int[] {-1}, 0, 1));
    }
}
