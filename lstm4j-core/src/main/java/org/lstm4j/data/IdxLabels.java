package org.lstm4j.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * The contents of an IDX labels file: {@code count} unsigned-byte labels (held, not copied). Equality
 * compares the labels.
 */
public record IdxLabels(int count, byte[] labels) {

    public IdxLabels {
        Objects.requireNonNull(labels, "labels");
        if (count != labels.length) {
            throw new IllegalArgumentException(count + " labels need " + count + " bytes, got " + labels.length);
        }
    }

    /** Label {@code i} as an unsigned value in [0, 255]. */
    public int label(int i) {
        Objects.checkIndex(i, count);
        return labels[i] & 0xFF;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdxLabels other && count == other.count && Arrays.equals(labels, other.labels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, Arrays.hashCode(labels));
    }

    @Override
    public String toString() {
        return "IdxLabels[count=" + count + "]";
    }
}
