package org.lstm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;

class TensorDatasetTest {

    /** Five examples of shape (2, 3) whose values encode (example, element): 10 * example + element. */
    private static Tensor fiveInputs() {
        float[] data = new float[5 * 6];
        for (int i = 0; i < data.length; i++) {
            data[i] = 10 * (i / 6) + i % 6;
        }
        return Tensor.of(data, 5, 2, 3);
    }

    private static float[] row(int example) {
        float[] r = new float[6];
        for (int j = 0; j < 6; j++) {
            r[j] = 10 * example + j;
        }
        return r;
    }

    private static float[] concat(float[]... rows) {
        float[] out = new float[rows.length * 6];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * 6, 6);
        }
        return out;
    }

    @Test
    void gatherCopiesTheSelectedSliceOfIndicesInOrder() {
        TensorDataset<IndexTensor> ds = TensorDataset.ofClasses(fiveInputs(), IndexTensor.of(new int[] {7, 8, 9, 10, 11}));
        assertEquals(5, ds.size());
        // Only indices[1..4) are taken, in their order, with a repeat.
        Batch<IndexTensor> b = ds.gather(new int[] {0, 4, 1, 4, 2}, 1, 3);
        assertEquals(3, b.size());
        assertArrayEquals(new int[] {3, 2, 3}, b.inputs().shape());
        assertArrayEquals(concat(row(4), row(1), row(4)), b.inputs().data());
        assertArrayEquals(new int[] {3}, b.targets().shape());
        assertArrayEquals(new int[] {11, 8, 11}, b.targets().data());
    }

    @Test
    void batchesAreCopiesNotViews() {
        Tensor inputs = fiveInputs();
        TensorDataset<Tensor> ds = TensorDataset.ofValues(inputs, Tensor.of(new float[] {0, 1, 2, 3, 4}, 5, 1));
        Batch<Tensor> b = ds.gather(new int[] {2}, 0, 1);
        b.inputs().data()[0] = -1f;
        b.targets().data()[0] = -1f;
        assertEquals(20f, inputs.data()[2 * 6]);
        assertEquals(2f, ds.targets().data()[2]);
    }

    @Test
    void valueTargetsKeepTheirTrailingShape() {
        Tensor targets = Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 5, 2);
        Batch<Tensor> b = TensorDataset.ofValues(fiveInputs(), targets).gather(new int[] {3, 0}, 0, 2);
        assertArrayEquals(new int[] {2, 2}, b.targets().shape());
        assertArrayEquals(new float[] {6, 7, 0, 1}, b.targets().data());
    }

    @Test
    void labelsMayHaveOnePerTimeStep() {
        IndexTensor labels = IndexTensor.of(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 5, 2);
        Batch<IndexTensor> b = TensorDataset.ofClasses(fiveInputs(), labels).gather(new int[] {4, 1}, 0, 2);
        assertArrayEquals(new int[] {2, 2}, b.targets().shape());
        assertArrayEquals(new int[] {8, 9, 2, 3}, b.targets().data());
    }

    @Test
    void getIsABatchOfOne() {
        Batch<IndexTensor> b = TensorDataset.ofClasses(fiveInputs(), IndexTensor.of(new int[] {7, 8, 9, 10, 11})).get(3);
        assertArrayEquals(new int[] {1, 2, 3}, b.inputs().shape());
        assertArrayEquals(row(3), b.inputs().data());
        assertArrayEquals(new int[] {10}, b.targets().data());
    }

    @Test
    void outOfRangeIndicesNameTheIndexAndTheSize() {
        TensorDataset<IndexTensor> ds = TensorDataset.ofClasses(fiveInputs(), IndexTensor.of(new int[5]));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> ds.get(5));
        assertEquals("example index 5 out of range for a dataset of size 5", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> ds.gather(new int[] {0, -1}, 0, 2));
        assertEquals("example index -1 out of range for a dataset of size 5", e.getMessage());
        // A slice beyond the index array is refused too.
        assertThrows(IndexOutOfBoundsException.class, () -> ds.gather(new int[] {0, 1}, 1, 2));
    }

    @Test
    void mismatchedFirstDimensionsNameBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorDataset.ofClasses(fiveInputs(), IndexTensor.of(new int[4])));
        assertEquals("inputs of shape [5, 2, 3] and labels of shape [4] differ in the first (example) dimension: 5 vs 4",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TensorDataset.ofValues(fiveInputs(), Tensor.zeros(6, 1)));
        assertTrue(e.getMessage().contains("[5, 2, 3]") && e.getMessage().contains("targets of shape [6, 1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TensorDataset.ofValues(Tensor.scalar(1f), Tensor.zeros(1)));
        assertTrue(e.getMessage().contains("need a first (example) dimension"), e.getMessage());
    }

    @Test
    void anEmptyDatasetGathersEmptyBatches() {
        TensorDataset<IndexTensor> ds = TensorDataset.ofClasses(Tensor.zeros(0, 3), IndexTensor.of(new int[0]));
        assertEquals(0, ds.size());
        Batch<IndexTensor> b = ds.gather(new int[0], 0, 0);
        assertArrayEquals(new int[] {0, 3}, b.inputs().shape());
        assertEquals(0, b.targets().numel());
    }
}
