package org.lstm4j.spark;

import java.io.Serializable;
import org.lstm4j.train.Loss;

/**
 * Makes the loss on each executor, e.g. {@code CrossEntropyLoss::new} (the losses themselves are not
 * serializable). The loss must be the <em>mean</em> over the examples of a batch, as for
 * {@link org.lstm4j.train.Trainer}: a partition scales the mean over its share by share size / global batch
 * size, so the shares add up to the mean over the global batch.
 *
 * @param <T> the target type
 */
@FunctionalInterface
public interface LossFactory<T> extends Serializable {
    Loss<T> create();
}
