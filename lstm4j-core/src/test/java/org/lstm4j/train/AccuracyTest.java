package org.lstm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;

class AccuracyTest {
    /** Rows predict 1, 0, 2 (a tie between 0 and 2 goes to 0), 2. */
    private static final Tensor LOGITS = Tensor.of(new float[] {
        0.1f, 2.0f, -1f,
        3.0f, 1.0f, 0.5f,
        1.0f, -2f, 1.0f,
        -5f, -4f, -3f}, 4, 3);

    @Test
    void countsTopOneMatchesWithPyTorchsTieRule() {
        assertEquals(4, Accuracy.correct(LOGITS, IndexTensor.of(new int[] {1, 0, 0, 2})));
        assertEquals(3, Accuracy.correct(LOGITS, IndexTensor.of(new int[] {1, 0, 2, 2}))); // the tie is not class 2
        assertEquals(0, Accuracy.correct(LOGITS, IndexTensor.of(new int[] {0, 1, 1, 0})));
        assertEquals(1.0, Accuracy.top1(LOGITS, IndexTensor.of(new int[] {1, 0, 0, 2})));
        assertEquals(0.75, Accuracy.top1(LOGITS, IndexTensor.of(new int[] {1, 0, 0, 1})));
    }

    @Test
    void probabilitiesGiveTheSameAnswerAsLogits() {
        IndexTensor labels = IndexTensor.of(new int[] {1, 2, 0, 2});
        assertEquals(Accuracy.correct(LOGITS, labels), Accuracy.correct(LOGITS.softmax(1), labels));
    }

    @Test
    void emptyBatchHasNoAccuracy() {
        assertEquals(0, Accuracy.correct(Tensor.zeros(0, 3), IndexTensor.of(new int[0])));
        assertTrue(Double.isNaN(Accuracy.top1(Tensor.zeros(0, 3), IndexTensor.of(new int[0]))));
    }

    @Test
    void wrongShapesAndLabelsAreNamed() {
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> Accuracy.correct(Tensor.zeros(2, 3, 4), IndexTensor.of(new int[] {0, 1})));
        assertTrue(rank.getMessage().contains("(N, C)") && rank.getMessage().contains("[2, 3, 4]"), rank.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> Accuracy.correct(LOGITS, IndexTensor.of(new int[] {0, 1, 2})));
        assertTrue(count.getMessage().contains("[4]") && count.getMessage().contains("[3]"), count.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Accuracy.correct(LOGITS, IndexTensor.of(new int[] {0, 1, 2, 3}, 2, 2)));
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> Accuracy.top1(LOGITS, IndexTensor.of(new int[] {0, 1, 3, 0})));
        assertTrue(range.getMessage().contains("label[2] = 3"), range.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Accuracy.correct(LOGITS, IndexTensor.of(new int[] {0, -1, 0, 0})));
        assertThrows(IllegalArgumentException.class, () -> Accuracy.correct(Tensor.zeros(2, 0), IndexTensor.of(new int[] {0, 0})));
    }
}
