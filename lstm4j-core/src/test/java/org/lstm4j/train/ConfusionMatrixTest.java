package org.lstm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;

class ConfusionMatrixTest {
    @Test
    void countsPairsAndDerivesAccuracyAndRecall() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        m.add(0, 0);
        m.add(0, 0);
        m.add(0, 1);
        m.add(1, 1);
        m.add(1, 0);
        // class 2 has no samples
        assertEquals(2, m.count(0, 0));
        assertEquals(1, m.count(0, 1));
        assertEquals(1, m.count(1, 0));
        assertEquals(0, m.count(2, 2));
        assertEquals(5, m.total());
        assertEquals(3, m.correct());
        assertEquals(0.6, m.accuracy(), 1e-15);
        double[] recall = m.perClassAccuracy();
        assertEquals(2.0 / 3, recall[0], 1e-15);
        assertEquals(0.5, recall[1], 1e-15);
        assertTrue(Double.isNaN(recall[2]));
    }

    @Test
    void addsLogitBatchesThroughArgmax() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        Tensor logits = Tensor.of(new float[] {
            0.1f, 2.0f, -1f,
            3.0f, 1.0f, 0.5f,
            1.0f, -2f, 1.0f,
            -5f, -4f, -3f}, 4, 3);
        IndexTensor labels = IndexTensor.of(new int[] {1, 0, 2, 2});
        m.add(logits, labels);
        m.add(logits, labels);
        assertArrayEquals(new long[][] {{2, 0, 0}, {0, 2, 0}, {2, 0, 2}}, m.counts());
        assertEquals(Accuracy.top1(logits, labels), m.accuracy(), 1e-15);
        assertEquals(2 * Accuracy.correct(logits, labels), m.correct());
    }

    @Test
    void countsIsACopy() {
        ConfusionMatrix m = new ConfusionMatrix(2);
        m.add(1, 0);
        long[][] c = m.counts();
        c[1][0] = 99;
        assertNotSame(c, m.counts());
        assertEquals(1, m.count(1, 0));
    }

    @Test
    void mergeAddsCounts() {
        ConfusionMatrix a = new ConfusionMatrix(2);
        ConfusionMatrix b = new ConfusionMatrix(2);
        a.add(0, 0);
        a.add(1, 0);
        b.add(1, 0);
        b.add(1, 1);
        a.merge(b);
        assertArrayEquals(new long[][] {{1, 0}, {2, 1}}, a.counts());
        assertArrayEquals(new long[][] {{0, 0}, {1, 1}}, b.counts()); // the source is unchanged
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.merge(new ConfusionMatrix(3)));
        assertTrue(e.getMessage().contains("3 classes"), e.getMessage());
    }

    @Test
    void emptyMatrixHasNoAccuracy() {
        ConfusionMatrix m = new ConfusionMatrix(2);
        assertEquals(0, m.total());
        assertTrue(Double.isNaN(m.accuracy()));
        assertTrue(Double.isNaN(m.perClassAccuracy()[0]));
    }

    @Test
    void rejectsBadClassesAndShapes() {
        assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(0));
        ConfusionMatrix m = new ConfusionMatrix(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.add(3, 0));
        assertTrue(e.getMessage().contains("actual class 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.add(0, -1));
        assertThrows(IllegalArgumentException.class, () -> m.count(0, 3));
        IllegalArgumentException classes = assertThrows(IllegalArgumentException.class,
                () -> m.add(Tensor.zeros(2, 4), IndexTensor.of(new int[] {0, 1})));
        assertTrue(classes.getMessage().contains("4 classes"), classes.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.add(Tensor.zeros(2, 3), IndexTensor.of(new int[] {0})));
        assertThrows(IllegalArgumentException.class, () -> m.add(Tensor.zeros(2, 3), IndexTensor.of(new int[] {0, 5})));
        assertEquals(0, m.total(), "a rejected batch adds nothing");
        assertThrows(IllegalArgumentException.class, () -> m.toString(List.of("a", "b")));
    }

    @Test
    void tableHasActualRowsAndPredictedColumns() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        for (int i = 0; i < 12; i++) {
            m.add(0, 0);
        }
        m.add(0, 1);
        m.add(1, 1);
        m.add(2, 0);
        String table = m.toString(List.of("cat", "dog", "bird"));
        assertEquals(String.join("\n",
                "rows: actual, columns: predicted; 15 samples, 13 correct (accuracy 0.8667)",
                "       cat   dog  bird",
                "cat     12     1     0",
                "dog      0     1     0",
                "bird     1     0     0",
                ""), table);
    }

    @Test
    void longNamesAreCutAndWideCountsWidenColumns() {
        ConfusionMatrix m = new ConfusionMatrix(2);
        for (int i = 0; i < 123456; i++) {
            m.add(1, 1);
        }
        String table = m.toString(List.of("a_really_long_class_name", "b"));
        String[] lines = table.split("\n");
        // Row labels cut at 16 characters, headers at 10; the 6-digit count fits in the 10-wide columns.
        assertEquals("                  a_really_…           b", lines[1]);
        assertEquals("a_really_long_c…           0           0", lines[2]);
        assertEquals("b                          0      123456", lines[3]);
        for (int i = 2; i < lines.length; i++) {
            assertEquals(lines[1].length(), lines[i].length(), "every row as wide as the header");
        }
    }

    @Test
    void defaultTableNamesClassesByIndex() {
        ConfusionMatrix m = new ConfusionMatrix(2);
        m.add(1, 0);
        assertEquals(String.join("\n",
                "rows: actual, columns: predicted; 1 samples, 0 correct (accuracy 0.0000)",
                "     0    1",
                "0    0    0",
                "1    1    0",
                ""), m.toString());
    }
}
