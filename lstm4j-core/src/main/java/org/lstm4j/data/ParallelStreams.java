package org.lstm4j.data;

import java.util.Objects;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;

/**
 * A token sequence cut for truncated backpropagation through time, as char-rnn and PyTorch's word language
 * model do: the text is split into {@code streams} contiguous parts of {@code L = (n - 1) / streams} tokens,
 * and each part into {@code windows = L / steps} windows of {@code steps} tokens. Example
 * {@code w · streams + s} is window w of stream s: its inputs are tokens {@code s·L + w·steps ...} and its
 * targets the tokens one further. Read in order with batch size {@code streams} (no shuffle), batch w holds
 * window w of every stream, so a model that carries its state from one batch to the next reads each stream
 * as one continuous text.
 *
 * <p>A batch's inputs are the token ids as floats, shaped (batch, steps) (ids below 2^24 are exact), and
 * its targets the next ids flattened in the same order, (batch · steps), matching logits (batch · steps, V).
 */
public final class ParallelStreams implements Dataset<IndexTensor> {
    private final int[] tokens;
    private final int streams;
    private final int steps;
    private final int streamLength;
    private final int windows;

    /**
     * @throws IllegalArgumentException if the tokens do not fill one window of every stream (at least
     *     {@code streams · steps + 1} tokens), naming both counts
     */
    public ParallelStreams(int[] tokens, int streams, int steps) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        if (streams < 1 || steps < 1) {
            throw new IllegalArgumentException("streams and steps must be at least 1, got " + streams + " and " + steps);
        }
        long needed = (long) streams * steps + 1;
        if (tokens.length < needed) {
            throw new IllegalArgumentException("a text of " + tokens.length + " characters is shorter than one batch: "
                    + streams + " streams of " + steps + " steps need at least " + needed + " characters");
        }
        this.streams = streams;
        this.steps = steps;
        this.streamLength = (tokens.length - 1) / streams;
        this.windows = streamLength / steps;
    }

    /** The number of windows per stream: batches per epoch. */
    public int windows() {
        return windows;
    }

    public int streams() {
        return streams;
    }

    public int steps() {
        return steps;
    }

    /** Tokens per stream (the remainder of the text beyond streams · L + 1 is not read). */
    public int streamLength() {
        return streamLength;
    }

    @Override
    public int size() {
        return windows * streams;
    }

    @Override
    public Batch<IndexTensor> gather(int[] indices, int from, int count) {
        DatasetChecks.checkGather(indices, from, count, size());
        float[] inputs = new float[count * steps];
        int[] targets = new int[count * steps];
        for (int i = 0; i < count; i++) {
            int example = indices[from + i];
            int start = (example % streams) * streamLength + (example / streams) * steps;
            for (int t = 0; t < steps; t++) {
                inputs[i * steps + t] = tokens[start + t];
                targets[i * steps + t] = tokens[start + t + 1];
            }
        }
        return new Batch<>(Tensor.of(inputs, count, steps), IndexTensor.of(targets, count * steps));
    }
}
