package org.lstm4j.spark;

import java.io.Serializable;
import org.lstm4j.nn.Module;

/**
 * Builds the model, on the driver and on every executor: the same architecture each time (its parameters, in
 * the same order and shapes). The driver's copy is the one trained; the executors' copies receive its
 * parameters every step, so their initial values do not matter, but a seeded factory keeps the driver's start
 * reproducible. Serializable because Spark ships it to the executors: a lambda or a method reference
 * assigned to this type is.
 *
 * @param <M> the model type
 */
@FunctionalInterface
public interface ModelFactory<M extends Module> extends Serializable {
    M create();
}
