package org.lstm4j.data;

/**
 * A finite, indexable collection of examples ({@code torch.utils.data.Dataset} with batched fetching).
 * Implementations copy the selected examples into fresh arrays, so a batch never aliases the dataset
 * and may be modified freely.
 *
 * @param <T> the type of a batch's targets
 */
public interface Dataset<T> {

    /** The number of examples. */
    int size();

    /**
     * Copies the examples {@code indices[from]}, ..., {@code indices[from + count - 1]}, in that order, into
     * one new batch whose first dimension is {@code count}.
     *
     * @throws IndexOutOfBoundsException if {@code [from, from + count)} is not within {@code indices}, or an
     *     index there is not in {@code [0, size())} (the message names the index and the size)
     */
    Batch<T> gather(int[] indices, int from, int count);

    /** The example at {@code index}, as a batch of one. */
    default Batch<T> get(int index) {
        DatasetChecks.checkIndex(index, size());
        return gather(new int[] {index}, 0, 1);
    }
}
