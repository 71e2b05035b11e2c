package org.lstm4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;

/** argmax with PyTorch's rules: first of equal maxima, NaN as the maximum, shapes of the result. */
class ArgMaxTest {
    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;

    @Test
    void alongLastDimension() {
        Tensor x = Tensor.of(new float[] {
            0.1f, 0.7f, 0.2f,
            5f, -1f, 4.9f}, 2, 3);
        IndexTensor idx = x.argmax(1);
        assertArrayEquals(new int[] {2}, idx.shape());
        assertArrayEquals(new int[] {1, 0}, idx.data());
        assertArrayEquals(new int[] {1, 0}, x.argmax(-1).data());
    }

    @Test
    void alongLeadingAndMiddleDimensions() {
        // Expected indices as torch.argmax gives them for this tensor.
        float[] v = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4};
        Tensor x = Tensor.of(v, 2, 3, 4);
        assertArrayEquals(new int[] {3, 4}, x.argmax(0).shape());
        assertArrayEquals(new int[] {1, 1, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0}, x.argmax(0).data());
        assertArrayEquals(new int[] {2, 4}, x.argmax(1).shape());
        assertArrayEquals(new int[] {1, 1, 2, 2, 0, 0, 0, 1}, x.argmax(1).data());
        assertArrayEquals(new int[] {2, 3}, x.argmax(2).shape());
        assertArrayEquals(new int[] {2, 1, 3, 0, 2, 0}, x.argmax(2).data());
        assertArrayEquals(new int[] {2, 1, 4}, x.argmax(1, true).shape());
        assertArrayEquals(x.argmax(1).data(), x.argmax(-2, true).data());
    }

    @Test
    void tiesGiveTheFirstIndex() {
        Tensor x = Tensor.of(new float[] {
            2f, 7f, 7f, 1f,
            3f, 3f, 3f, 3f,
            0f, -0f, 0f, -1f}, 3, 4);
        assertArrayEquals(new int[] {1, 0, 0}, x.argmax(1).data());
        assertArrayEquals(new int[] {1, 0, 0, 1}, x.argmax(0).data());
        assertArrayEquals(new int[] {1}, new int[] {x.argmax().data()[0]});
    }

    @Test
    void nanCountsAsTheMaximumAndTheFirstNaNWins() {
        Tensor x = Tensor.of(new float[] {
            1f, NAN, 5f, NAN,
            NAN, INF, 1f, 2f,
            INF, 2f, INF, 0f}, 3, 4);
        assertArrayEquals(new int[] {1, 0, 0}, x.argmax(1).data());
        // Column 0: NaN in row 1 beats +inf in row 2; column 1: the NaN in row 0 beats +inf.
        assertArrayEquals(new int[] {1, 0, 2, 0}, x.argmax(0).data());
        assertArrayEquals(new int[] {1}, new int[] {x.argmax().data()[0]});
        assertArrayEquals(new int[] {2}, Tensor.of(new float[] {INF, 3f, NAN}).argmax(0).data());
    }

    @Test
    void onlyNegativeInfinityGivesZero() {
        assertArrayEquals(new int[] {0}, Tensor.of(new float[] {-INF, -INF}).argmax().data());
    }

    @Test
    void overAllElementsIsZeroDimensional() {
        Tensor x = Tensor.of(new float[] {1, 8, 3, 8, 2, 0}, 2, 3);
        IndexTensor idx = x.argmax();
        assertTrue(idx.dim() == 0);
        assertArrayEquals(new int[] {1}, idx.data());
        IndexTensor scalar = Tensor.scalar(4f).argmax(0);
        assertTrue(scalar.dim() == 0);
        assertArrayEquals(new int[] {0}, scalar.data());
        assertArrayEquals(new int[] {0}, Tensor.scalar(4f).argmax(-1, true).data());
    }

    @Test
    void emptyReductionsAndBadDimensionsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 0).argmax(1));
        assertTrue(e.getMessage().contains("size 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0).argmax());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).argmax(2));
        assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1f).argmax(1));
        // A non-empty dimension with no lanes is fine: an empty result, as in PyTorch.
        assertArrayEquals(new int[] {0}, Tensor.zeros(0, 3).argmax(1).shape());
    }
}
