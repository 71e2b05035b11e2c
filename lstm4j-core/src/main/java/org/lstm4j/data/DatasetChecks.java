package org.lstm4j.data;

import java.util.Objects;

/** Argument checks shared by the datasets, so they all word their errors alike. */
final class DatasetChecks {
    private DatasetChecks() {}

    static void checkIndex(int index, int size) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("example index " + index + " out of range for a dataset of size " + size);
        }
    }

    /** Checks the slice of {@code indices} and every index in it, before anything is allocated. */
    static void checkGather(int[] indices, int from, int count, int size) {
        Objects.requireNonNull(indices, "indices");
        Objects.checkFromIndexSize(from, count, indices.length);
        for (int i = from; i < from + count; i++) {
            checkIndex(indices[i], size);
        }
    }
}
