package org.lstm4j.spark;

import java.io.Serializable;
import java.util.List;
import org.lstm4j.data.Batch;

/**
 * Turns a partition's share of the global batch, examples in batch order, into one {@link Batch} (inputs
 * with the examples along the first dimension, and their targets).
 *
 * @param <E> the example type held by the RDD
 * @param <T> the batch's target type
 */
@FunctionalInterface
public interface Collator<E, T> extends Serializable {
    Batch<T> collate(List<E> examples);
}
