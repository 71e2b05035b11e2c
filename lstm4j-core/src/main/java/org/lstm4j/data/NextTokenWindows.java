package org.lstm4j.data;

import java.util.Objects;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;

/**
 * Many-to-one examples from a token sequence, as the Keras text-generation example builds them: example i is
 * the window of {@code length} tokens starting at {@code i · stride}, and its target the one token that
 * follows it. A batch's inputs are the ids as floats, (batch, length), and its targets (batch).
 */
public final class NextTokenWindows implements Dataset<IndexTensor> {
    private final int[] tokens;
    private final int length;
    private final int stride;
    private final int size;

    /** @throws IllegalArgumentException if the tokens do not hold one window and its target */
    public NextTokenWindows(int[] tokens, int length, int stride) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        if (length < 1 || stride < 1) {
            throw new IllegalArgumentException("window length and stride must be at least 1, got " + length + " and " + stride);
        }
        if (tokens.length < length + 1) {
            throw new IllegalArgumentException("a text of " + tokens.length + " characters is shorter than one window of "
                    + length + " characters and the one it predicts");
        }
        this.length = length;
        this.stride = stride;
        this.size = (tokens.length - length - 1) / stride + 1;
    }

    public int length() {
        return length;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Batch<IndexTensor> gather(int[] indices, int from, int count) {
        DatasetChecks.checkGather(indices, from, count, size);
        float[] inputs = new float[count * length];
        int[] targets = new int[count];
        for (int i = 0; i < count; i++) {
            int start = indices[from + i] * stride;
            for (int t = 0; t < length; t++) {
                inputs[i * length + t] = tokens[start + t];
            }
            targets[i] = tokens[start + length];
        }
        return new Batch<>(Tensor.of(inputs, count, length), IndexTensor.of(targets, count));
    }
}
