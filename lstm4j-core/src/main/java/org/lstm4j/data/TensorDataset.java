package org.lstm4j.data;

import java.util.Objects;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Shape;
import org.lstm4j.tensor.Tensor;

/**
 * Examples that are the rows (first-dimension slices) of in-memory tensors, as
 * {@code torch.utils.data.TensorDataset}: example i is {@code inputs[i]} with {@code targets[i]}. The tensors
 * are held, not copied; batches are copies.
 *
 * @param <T> {@link IndexTensor} for class labels, {@link Tensor} for value targets
 */
public final class TensorDataset<T> implements Dataset<T> {

    /** Copies the selected rows of the whole targets into a new targets object. */
    @FunctionalInterface
    private interface RowGather<T> {
        T gather(T all, int[] indices, int from, int count);
    }

    private final Tensor inputs;
    private final T targets;
    private final RowGather<T> targetRows;

    private TensorDataset(Tensor inputs, T targets, RowGather<T> targetRows) {
        this.inputs = inputs;
        this.targets = targets;
        this.targetRows = targetRows;
    }

    /**
     * Inputs of shape (N, ...) with class labels of shape (N) (or (N, ...), e.g. one label per time step).
     *
     * @throws IllegalArgumentException if either is 0-d or their first dimensions differ (naming both shapes)
     */
    public static TensorDataset<IndexTensor> ofClasses(Tensor inputs, IndexTensor labels) {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(labels, "labels");
        checkFirstDimensions(inputs.shape(), labels.shape(), "labels");
        return new TensorDataset<>(inputs, labels, (all, indices, from, count) -> {
            int[] shape = all.shape();
            int[] rows = gatherRows(all.data(), shape, indices, from, count);
            shape[0] = count;
            return IndexTensor.of(rows, shape);
        });
    }

    /**
     * Inputs of shape (N, ...) with value targets of shape (N, ...), for regression.
     *
     * @throws IllegalArgumentException if either is 0-d or their first dimensions differ (naming both shapes)
     */
    public static TensorDataset<Tensor> ofValues(Tensor inputs, Tensor targets) {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(targets, "targets");
        checkFirstDimensions(inputs.shape(), targets.shape(), "targets");
        return new TensorDataset<>(inputs, targets, TensorDataset::gatherRows);
    }

    private static void checkFirstDimensions(int[] inputShape, int[] targetShape, String targetName) {
        if (inputShape.length == 0 || targetShape.length == 0) {
            throw new IllegalArgumentException("inputs of shape " + Shape.toString(inputShape) + " and " + targetName
                    + " of shape " + Shape.toString(targetShape) + ": both need a first (example) dimension");
        }
        if (inputShape[0] != targetShape[0]) {
            throw new IllegalArgumentException("inputs of shape " + Shape.toString(inputShape) + " and " + targetName
                    + " of shape " + Shape.toString(targetShape) + " differ in the first (example) dimension: "
                    + inputShape[0] + " vs " + targetShape[0]);
        }
    }

    /** The inputs, (N, ...), as given (not a copy). */
    public Tensor inputs() {
        return inputs;
    }

    /** The targets as given (not a copy). */
    public T targets() {
        return targets;
    }

    @Override
    public int size() {
        return inputs.size(0);
    }

    @Override
    public Batch<T> gather(int[] indices, int from, int count) {
        DatasetChecks.checkGather(indices, from, count, size());
        return new Batch<>(gatherRows(inputs, indices, from, count), targetRows.gather(targets, indices, from, count));
    }

    private static Tensor gatherRows(Tensor all, int[] indices, int from, int count) {
        int[] shape = all.shape();
        float[] rows = gatherRows(all.data(), shape, indices, from, count);
        shape[0] = count;
        return Tensor.of(rows, shape);
    }

    private static float[] gatherRows(float[] all, int[] shape, int[] indices, int from, int count) {
        int rowLength = rowLength(shape);
        float[] out = new float[Math.multiplyExact(count, rowLength)];
        for (int i = 0; i < count; i++) {
            System.arraycopy(all, indices[from + i] * rowLength, out, i * rowLength, rowLength);
        }
        return out;
    }

    private static int[] gatherRows(int[] all, int[] shape, int[] indices, int from, int count) {
        int rowLength = rowLength(shape);
        int[] out = new int[Math.multiplyExact(count, rowLength)];
        for (int i = 0; i < count; i++) {
            System.arraycopy(all, indices[from + i] * rowLength, out, i * rowLength, rowLength);
        }
        return out;
    }

    /** Elements per example: the product of the dimensions after the first (also when there are no examples). */
    private static int rowLength(int[] shape) {
        int n = 1;
        for (int d = 1; d < shape.length; d++) {
            n *= shape[d];
        }
        return n;
    }
}
