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
 * One example of an lstm4j {@link Dataset} with class targets, as an RDD holds it: a classification example and
 * its class ({@link #oneTargetEach}), or e.g. a window of {@link org.lstm4j.data.ParallelStreams}, its character
 * ids and the next character at every step ({@link #all}). {@link #collate} rebuilds exactly the batch the
 * dataset's own {@code gather} gives for the same examples: inputs (n, shape...) and the targets flattened in
 * example order, (n · targets).
 *
 * @param inputs  the example's values, row-major
 * @param shape   the example's input shape (the batch adds a first dimension)
 * @param targets the class indices, in the order the loss reads them
 */
public record MultiTargetExample(float[] inputs, int[] shape, int[] targets) implements Serializable {

    public MultiTargetExample {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(targets, "targets");
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
        if (targets.length == 0) {
            throw new IllegalArgumentException("an example needs at least one target");
        }
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] < 0) {
                throw new IllegalArgumentException("class targets must be >= 0, got " + targets[i] + " at " + i);
            }
        }
    }

    /**
     * The batch of {@code examples} in their order: inputs (n, shape...), targets (n · targets per example).
     *
     * @throws IllegalArgumentException if the list is empty or the examples differ in shape or number of targets
     *     (naming the first that does)
     */
    public static Batch<IndexTensor> collate(List<MultiTargetExample> examples) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("cannot collate an empty list of examples");
        }
        MultiTargetExample first = examples.get(0);
        int size = first.inputs.length;
        int perExample = first.targets.length;
        float[] inputs = new float[examples.size() * size];
        int[] targets = new int[examples.size() * perExample];
        for (int i = 0; i < examples.size(); i++) {
            MultiTargetExample e = examples.get(i);
            if (!Arrays.equals(e.shape, first.shape) || e.targets.length != perExample) {
                throw new IllegalArgumentException("example " + i + " of the batch has shape " + Arrays.toString(e.shape)
                        + " and " + e.targets.length + " targets, the first has " + Arrays.toString(first.shape) + " and "
                        + perExample);
            }
            System.arraycopy(e.inputs, 0, inputs, i * size, size);
            System.arraycopy(e.targets, 0, targets, i * perExample, perExample);
        }
        int[] batchShape = new int[first.shape.length + 1];
        batchShape[0] = examples.size();
        System.arraycopy(first.shape, 0, batchShape, 1, first.shape.length);
        return new Batch<>(Tensor.of(inputs, batchShape), IndexTensor.of(targets, targets.length));
    }

    /**
     * Every example of a dataset whose targets are the same number of class indices per example, flattened in
     * example order (as {@link org.lstm4j.data.ParallelStreams} gives them), in index order: what
     * {@code JavaSparkContext.parallelize} takes.
     *
     * @throws IllegalArgumentException if a batch's targets do not split evenly over its examples
     */
    public static List<MultiTargetExample> all(Dataset<IndexTensor> dataset) {
        return all(dataset, false);
    }

    /**
     * Every example of a classification dataset, one class index per example, in index order.
     *
     * @throws IllegalArgumentException if the dataset's targets are not one class index per example
     */
    public static List<MultiTargetExample> oneTargetEach(Dataset<IndexTensor> dataset) {
        return all(dataset, true);
    }

    private static List<MultiTargetExample> all(Dataset<IndexTensor> dataset, boolean oneTargetEach) {
        List<MultiTargetExample> out = new ArrayList<>(dataset.size());
        DatasetChunks.forEach(dataset, (batch, count) -> {
            int[] shape = batch.inputs().shape();
            int[] targets = batch.targets().data();
            if (oneTargetEach && targets.length != count) {
                throw new IllegalArgumentException("expected one class index per example (" + count + "), got targets of shape "
                        + Arrays.toString(batch.targets().shape()));
            }
            if (targets.length % count != 0) {
                throw new IllegalArgumentException("expected the same number of targets for each of " + count
                        + " examples, got targets of shape " + Arrays.toString(batch.targets().shape()));
            }
            int perExample = targets.length / count;
            int[] exampleShape = Arrays.copyOfRange(shape, 1, shape.length);
            int size = batch.inputs().numel() / count;
            float[] data = batch.inputs().data();
            for (int i = 0; i < count; i++) {
                out.add(new MultiTargetExample(Arrays.copyOfRange(data, i * size, (i + 1) * size), exampleShape,
                        Arrays.copyOfRange(targets, i * perExample, (i + 1) * perExample)));
            }
        });
        return out;
    }

    // A record's equals compares arrays by identity: compare the values instead.
    @Override
    public boolean equals(Object o) {
        return o instanceof MultiTargetExample e && Arrays.equals(shape, e.shape) && Arrays.equals(inputs, e.inputs)
                && Arrays.equals(targets, e.targets);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(inputs) + Arrays.hashCode(shape)) + Arrays.hashCode(targets);
    }

    @Override
    public String toString() {
        return "MultiTargetExample[" + Arrays.toString(shape) + ", " + targets.length + " targets]";
    }
}
