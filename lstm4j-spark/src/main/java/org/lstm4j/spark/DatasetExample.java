package org.lstm4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.lstm4j.data.Batch;
import org.lstm4j.data.Dataset;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;

/**
 * One example of an lstm4j {@link Dataset} with class targets, as an RDD holds it: its inputs (any shape, e.g.
 * 28 × 28 pixel rows, or a window of character ids) and its class. {@link #collate} rebuilds exactly the batch
 * the dataset's own {@code gather} gives for the same examples, so a model sees the same tensors on Spark as
 * in one process. ({@link LabeledSequence} is the special case of (steps, features) inputs.)
 *
 * @param inputs the example's values, row-major
 * @param shape  the example's input shape (the batch adds a first dimension)
 * @param label  the class index
 */
public record DatasetExample(float[] inputs, int[] shape, int label) implements Serializable {

    public DatasetExample {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(shape, "shape");
        long size = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("shape dimensions must be at least 1, got " + Arrays.toString(shape));
            }
            size *= d;
        }
        if (inputs.length != size) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size + " values, got "
                    + inputs.length);
        }
        if (label < 0) {
            throw new IllegalArgumentException("label must be >= 0, got " + label);
        }
    }

    /**
     * The batch of {@code examples} in their order: inputs (n, shape...), class indices (n).
     *
     * @throws IllegalArgumentException if the list is empty or the examples differ in shape (naming the first
     *     that does)
     */
    public static Batch<IndexTensor> collate(List<DatasetExample> examples) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("cannot collate an empty list of examples");
        }
        DatasetExample first = examples.get(0);
        int size = first.inputs.length;
        float[] inputs = new float[examples.size() * size];
        int[] labels = new int[examples.size()];
        for (int i = 0; i < examples.size(); i++) {
            DatasetExample e = examples.get(i);
            if (!Arrays.equals(e.shape, first.shape)) {
                throw new IllegalArgumentException("example " + i + " of the batch has shape " + Arrays.toString(e.shape)
                        + ", the first has " + Arrays.toString(first.shape));
            }
            System.arraycopy(e.inputs, 0, inputs, i * size, size);
            labels[i] = e.label;
        }
        int[] batchShape = new int[first.shape.length + 1];
        batchShape[0] = examples.size();
        System.arraycopy(first.shape, 0, batchShape, 1, first.shape.length);
        return new Batch<>(Tensor.of(inputs, batchShape), IndexTensor.of(labels));
    }

    /**
     * Every example of a dataset whose targets are one class per example, in index order: what
     * {@code JavaSparkContext.parallelize} takes to train on an in-memory dataset.
     *
     * @throws IllegalArgumentException if the dataset's targets are not one class index per example
     */
    public static List<DatasetExample> all(Dataset<IndexTensor> dataset) {
        List<DatasetExample> out = new ArrayList<>(dataset.size());
        int chunk = 1024;
        int[] indices = new int[dataset.size()];
        Arrays.setAll(indices, i -> i);
        for (int from = 0; from < indices.length; from += chunk) {
            int count = Math.min(chunk, indices.length - from);
            Batch<IndexTensor> batch = dataset.gather(indices, from, count);
            int[] shape = batch.inputs().shape();
            int[] labels = batch.targets().data();
            if (labels.length != count) {
                throw new IllegalArgumentException("expected one class index per example (" + count + "), got targets of shape "
                        + Arrays.toString(batch.targets().shape()));
            }
            int[] exampleShape = Arrays.copyOfRange(shape, 1, shape.length);
            int size = batch.inputs().numel() / count;
            float[] data = batch.inputs().data();
            for (int i = 0; i < count; i++) {
                out.add(new DatasetExample(Arrays.copyOfRange(data, i * size, (i + 1) * size), exampleShape, labels[i]));
            }
        }
        return out;
    }

    // A record's equals compares arrays by identity: compare the values instead.
    @Override
    public boolean equals(Object o) {
        return o instanceof DatasetExample e && label == e.label && Arrays.equals(shape, e.shape)
                && Arrays.equals(inputs, e.inputs);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(inputs) + Arrays.hashCode(shape)) + label;
    }

    @Override
    public String toString() {
        return "DatasetExample[" + Arrays.toString(shape) + ", label " + label + "]";
    }
}
