package org.lstm4j.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Shape;
import org.lstm4j.tensor.Tensor;

/**
 * Counts of (actual class, predicted class) pairs for a classifier with a fixed number of classes, from
 * which accuracy and per-class recall follow. Rows are the actual class, columns the predicted one.
 *
 * <p>Not thread-safe: give each thread its own matrix and {@link #merge} them.
 */
public final class ConfusionMatrix {
    /** Row labels (and column headers) longer than these are cut, ending in an ellipsis. */
    private static final int MAX_ROW_LABEL = 16;
    private static final int MAX_COLUMN_HEADER = 10;
    private static final int MIN_COLUMN = 3;

    private final int numClasses;
    private final long[][] counts;

    /** An empty matrix for classes 0 .. numClasses-1. */
    public ConfusionMatrix(int numClasses) {
        if (numClasses <= 0) {
            throw new IllegalArgumentException("ConfusionMatrix needs a positive number of classes, got " + numClasses);
        }
        this.numClasses = numClasses;
        this.counts = new long[numClasses][numClasses];
    }

    public int numClasses() {
        return numClasses;
    }

    /**
     * Adds one sample per row of {@code logits}, predicted as its argmax (first index among ties).
     *
     * @param logits (N, numClasses)
     * @param labels (N) actual classes in [0, numClasses)
     * @throws IllegalArgumentException on other shapes or labels out of range; nothing is added then
     */
    public void add(Tensor logits, IndexTensor labels) {
        Objects.requireNonNull(logits, "logits");
        if (logits.dim() == 2 && logits.size(1) != numClasses) {
            throw new IllegalArgumentException("ConfusionMatrix of " + numClasses + " classes got logits of shape "
                    + Shape.toString(logits.shape()) + " with " + logits.size(1) + " classes");
        }
        int[] predicted = Accuracy.predictions(logits, labels, "ConfusionMatrix");
        int[] actual = labels.data();
        for (int i = 0; i < predicted.length; i++) {
            counts[actual[i]][predicted[i]]++;
        }
    }

    /** Adds one sample. */
    public void add(int actual, int predicted) {
        counts[checkClass(actual, "actual")][checkClass(predicted, "predicted")]++;
    }

    /** How many samples of class {@code actual} were predicted as {@code predicted}. */
    public long count(int actual, int predicted) {
        return counts[checkClass(actual, "actual")][checkClass(predicted, "predicted")];
    }

    /** All samples added. */
    public long total() {
        long total = 0;
        for (long[] row : counts) {
            for (long c : row) {
                total += c;
            }
        }
        return total;
    }

    /** Samples predicted as their actual class: the diagonal's sum. */
    public long correct() {
        long correct = 0;
        for (int c = 0; c < numClasses; c++) {
            correct += counts[c][c];
        }
        return correct;
    }

    /** {@code correct() / total()}; NaN when nothing was added. */
    public double accuracy() {
        return (double) correct() / total();
    }

    /**
     * Recall of each actual class: the fraction of its samples predicted as it (diagonal over row sum); NaN
     * for a class with no samples.
     */
    public double[] perClassAccuracy() {
        double[] out = new double[numClasses];
        for (int a = 0; a < numClasses; a++) {
            long row = 0;
            for (long c : counts[a]) {
                row += c;
            }
            out[a] = (double) counts[a][a] / row;
        }
        return out;
    }

    /** A copy of the counts, {@code [actual][predicted]}. */
    public long[][] counts() {
        long[][] out = new long[numClasses][];
        for (int a = 0; a < numClasses; a++) {
            out[a] = counts[a].clone();
        }
        return out;
    }

    /** Adds {@code other}'s counts to this matrix (for example one matrix per thread or per shard). */
    public void merge(ConfusionMatrix other) {
        Objects.requireNonNull(other, "other");
        if (other.numClasses != numClasses) {
            throw new IllegalArgumentException("cannot merge a ConfusionMatrix of " + other.numClasses
                    + " classes into one of " + numClasses);
        }
        for (int a = 0; a < numClasses; a++) {
            for (int p = 0; p < numClasses; p++) {
                counts[a][p] += other.counts[a][p];
            }
        }
    }

    /** The table of {@link #toString(List)} with the class indices as names. */
    @Override
    public String toString() {
        List<String> names = new ArrayList<>(numClasses);
        for (int c = 0; c < numClasses; c++) {
            names.add(Integer.toString(c));
        }
        return toString(names);
    }

    /**
     * A fixed-width text table: a title line with the totals, a header of predicted class names, then one row
     * per actual class, labelled by its name. Names longer than 16 characters (10 in the column headers, or the
     * widest count if wider) are cut and end in "…".
     *
     * @param classNames one name per class, in class order
     */
    public String toString(List<String> classNames) {
        Objects.requireNonNull(classNames, "classNames");
        if (classNames.size() != numClasses) {
            throw new IllegalArgumentException("ConfusionMatrix of " + numClasses + " classes got "
                    + classNames.size() + " class names");
        }
        int labelWidth = 1;
        int columnWidth = MIN_COLUMN;
        for (int c = 0; c < numClasses; c++) {
            String name = Objects.requireNonNull(classNames.get(c), "class name " + c);
            labelWidth = Math.max(labelWidth, Math.min(name.length(), MAX_ROW_LABEL));
            columnWidth = Math.max(columnWidth, Math.min(name.length(), MAX_COLUMN_HEADER));
            for (long count : counts[c]) {
                columnWidth = Math.max(columnWidth, Long.toString(count).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("rows: actual, columns: predicted; ").append(total()).append(" samples, ")
                .append(correct()).append(" correct");
        if (total() > 0) {
            sb.append(String.format(" (accuracy %.4f)", accuracy()));
        }
        sb.append('\n').append(" ".repeat(labelWidth));
        for (String name : classNames) {
            sb.append("  ").append(padLeft(fit(name, columnWidth), columnWidth));
        }
        for (int a = 0; a < numClasses; a++) {
            sb.append('\n').append(padRight(fit(classNames.get(a), labelWidth), labelWidth));
            for (long count : counts[a]) {
                sb.append("  ").append(padLeft(Long.toString(count), columnWidth));
            }
        }
        return sb.append('\n').toString();
    }

    /** {@code name}, or its first width-1 characters and an ellipsis when longer than {@code width}. */
    private static String fit(String name, int width) {
        return name.length() <= width ? name : name.substring(0, width - 1) + "…";
    }

    private static String padLeft(String s, int width) {
        return " ".repeat(width - s.length()) + s;
    }

    private static String padRight(String s, int width) {
        return s + " ".repeat(width - s.length());
    }

    private int checkClass(int c, String what) {
        if (c < 0 || c >= numClasses) {
            throw new IllegalArgumentException(what + " class " + c + " is out of range for a ConfusionMatrix of "
                    + numClasses + " classes (expected in [0, " + numClasses + "))");
        }
        return c;
    }
}
