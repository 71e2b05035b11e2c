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
 * One classification example as an RDD holds it: a sequence of {@code steps} × {@code features} values
 * (row-major) and its class. {@link #collate} makes the batch a {@link org.lstm4j.models.RecurrentClassifier}
 * takes (batch first).
 *
 * @param values   steps × features values, step by step
 * @param steps    time steps
 * @param features values per step
 * @param label    the class index
 */
public record LabeledSequence(float[] values, int steps, int features, int label) implements Serializable {

    public LabeledSequence {
        Objects.requireNonNull(values, "values");
        if (steps < 1 || features < 1) {
            throw new IllegalArgumentException("steps and features must be at least 1, got " + steps + " and " + features);
        }
        if (values.length != (long) steps * features) {
            throw new IllegalArgumentException("expected steps × features = " + steps + " × " + features + " = "
                    + (long) steps * features + " values, got " + values.length);
        }
        if (label < 0) {
            throw new IllegalArgumentException("label must be >= 0, got " + label);
        }
    }

    /**
     * The batch of {@code examples} in their order: inputs (n, steps, features), class indices (n).
     *
     * @throws IllegalArgumentException if the list is empty or the examples differ in shape (naming the first
     *     that does)
     */
    public static Batch<IndexTensor> collate(List<LabeledSequence> examples) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("cannot collate an empty list of examples");
        }
        LabeledSequence first = examples.get(0);
        int size = first.values.length;
        float[] inputs = new float[examples.size() * size];
        int[] labels = new int[examples.size()];
        for (int i = 0; i < examples.size(); i++) {
            LabeledSequence e = examples.get(i);
            if (e.steps != first.steps || e.features != first.features) {
                throw new IllegalArgumentException("example " + i + " of the batch has " + e.steps + " × " + e.features
                        + " values, the first has " + first.steps + " × " + first.features);
            }
            System.arraycopy(e.values, 0, inputs, i * size, size);
            labels[i] = e.label;
        }
        return new Batch<>(Tensor.of(inputs, examples.size(), first.steps, first.features), IndexTensor.of(labels));
    }

    /**
     * Every example of a classification dataset whose inputs are (n, steps, features), in index order: what
     * {@code JavaSparkContext.parallelize} takes to train on an in-memory dataset.
     */
    public static List<LabeledSequence> all(Dataset<IndexTensor> dataset) {
        List<LabeledSequence> out = new ArrayList<>(dataset.size());
        DatasetChunks.forEach(dataset, (batch, count) -> {
            int[] shape = batch.inputs().shape();
            if (shape.length != 3) {
                throw new IllegalArgumentException("expected inputs of shape (n, steps, features), got "
                        + Arrays.toString(shape));
            }
            int size = shape[1] * shape[2];
            float[] data = batch.inputs().data();
            int[] labels = batch.targets().data();
            for (int i = 0; i < count; i++) {
                out.add(new LabeledSequence(Arrays.copyOfRange(data, i * size, (i + 1) * size), shape[1], shape[2], labels[i]));
            }
        });
        return out;
    }

    // A record's equals compares arrays by identity: compare the values instead.
    @Override
    public boolean equals(Object o) {
        return o instanceof LabeledSequence s && steps == s.steps && features == s.features && label == s.label
                && Arrays.equals(values, s.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(values) + steps * 131 + features) + label;
    }

    @Override
    public String toString() {
        return "LabeledSequence[" + steps + " × " + features + ", label " + label + "]";
    }
}
