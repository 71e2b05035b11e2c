package org.lstm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lstm4j.tensor.IndexTensor;

class NextTokenWindowsTest {
    private static final int[] TEN = {10, 11, 12, 13, 14, 15, 16, 17, 18, 19};

    @Test
    void windowsOfThreeWithStrideTwo() {
        // Starts 0, 2, 4, 6; a window at 8 would have no target.
        NextTokenWindows ds = new NextTokenWindows(TEN, 3, 2);
        assertEquals(4, ds.size());
        assertEquals(3, ds.length());
        Batch<IndexTensor> b = ds.gather(new int[] {0, 1, 2, 3}, 0, 4);
        assertArrayEquals(new int[] {4, 3}, b.inputs().shape());
        assertArrayEquals(new float[] {10, 11, 12, 12, 13, 14, 14, 15, 16, 16, 17, 18}, b.inputs().data());
        assertArrayEquals(new int[] {4}, b.targets().shape());
        assertArrayEquals(new int[] {13, 15, 17, 19}, b.targets().data());
    }

    @Test
    void strideOneGivesEveryWindowAndItsNextToken() {
        NextTokenWindows ds = new NextTokenWindows(TEN, 4, 1);
        assertEquals(6, ds.size());
        for (int i = 0; i < 6; i++) {
            Batch<IndexTensor> b = ds.gather(new int[] {i}, 0, 1);
            for (int t = 0; t < 4; t++) {
                assertEquals(TEN[i + t], b.inputs().get(0, t));
            }
            assertEquals(TEN[i + 4], b.targets().data()[0]);
        }
        assertEquals(1, new NextTokenWindows(TEN, 9, 1).size());
        assertEquals(1, new NextTokenWindows(TEN, 5, 100).size());
    }

    @Test
    void aLoaderInOrderYieldsTheWindowsInTextOrder() {
        NextTokenWindows ds = new NextTokenWindows(TEN, 2, 3); // starts 0, 3, 6 (9 + 2 > 10)
        assertEquals(3, ds.size());
        List<Batch<IndexTensor>> batches = new ArrayList<>();
        DataLoader.builder(ds).batchSize(2).build().forEach(batches::add);
        assertEquals(2, batches.size());
        assertArrayEquals(new float[] {10, 11, 13, 14}, batches.get(0).inputs().data());
        assertArrayEquals(new int[] {12, 15}, batches.get(0).targets().data());
        assertArrayEquals(new float[] {16, 17}, batches.get(1).inputs().data());
        assertArrayEquals(new int[] {18}, batches.get(1).targets().data());
    }

    @Test
    void aTextShorterThanAWindowAndItsTargetIsRefusedNamingTheCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NextTokenWindows(new int[] {1, 2, 3}, 3, 1));
        assertTrue(e.getMessage().contains("a text of 3 characters"), e.getMessage());
        assertTrue(e.getMessage().contains("one window of 3 characters"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new NextTokenWindows(TEN, 0, 1));
        assertTrue(e.getMessage().contains("got 0 and 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NextTokenWindows(TEN, 3, 0));
        assertThrows(RuntimeException.class, () -> new NextTokenWindows(TEN, 3, 2).gather(new int[] {4}, 0, 1));
    }
}
