/**
 * Training as a library call: the {@link org.lstm4j.train.Loss} interface, the {@link org.lstm4j.train.Trainer}
 * loop with its listeners and evaluators, and {@link org.lstm4j.train.Checkpoint}s that resume bit for bit.
 */
package org.lstm4j.train;
