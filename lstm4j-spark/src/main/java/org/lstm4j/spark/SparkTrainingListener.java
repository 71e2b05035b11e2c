package org.lstm4j.spark;

import org.lstm4j.train.EpochResult;
import org.lstm4j.train.Evaluation;

/**
 * Sees a {@link SparkTrainer}'s steps, epochs, evaluations and checkpoints (on the driver), as a
 * {@link org.lstm4j.train.TrainingListener} sees a single-process trainer's.
 */
public interface SparkTrainingListener {
    /** Before the first step of a fit (after the data is prepared; after a restore, before the first new step). */
    default void onStart(SparkTrainer<?, ?, ?> trainer) {}

    default void onStep(SparkTrainer<?, ?, ?> trainer, SparkStepEvent event) {}

    /** After every completed epoch, once its evaluation (if any) has run. */
    default void onEpochEnd(SparkTrainer<?, ?, ?> trainer, EpochResult epoch) {}

    /** After every evaluation. */
    default void onEvaluation(SparkTrainer<?, ?, ?> trainer, long step, Evaluation evaluation) {}

    default void onCheckpoint(SparkTrainer<?, ?, ?> trainer, long step, String path) {}
}
