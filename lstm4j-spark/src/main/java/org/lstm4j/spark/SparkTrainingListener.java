package org.lstm4j.spark;

/** Sees every step of a {@link SparkTrainer} and every checkpoint it writes (on the driver). */
public interface SparkTrainingListener {
    default void onStep(SparkTrainer<?, ?, ?> trainer, SparkStepEvent event) {}

    default void onCheckpoint(SparkTrainer<?, ?, ?> trainer, long step, String path) {}
}
