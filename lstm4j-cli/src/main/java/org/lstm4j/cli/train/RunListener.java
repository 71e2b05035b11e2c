package org.lstm4j.cli.train;

import org.lstm4j.train.EpochResult;
import org.lstm4j.train.StepEvent;
import org.lstm4j.train.Trainer;
import org.lstm4j.train.TrainingListener;

/**
 * What a command hears of a training run, whichever loop runs it: a single-process {@link Trainer} (through
 * {@link #asTrainingListener}) or Spark ({@code org.lstm4j.cli.spark}). Progress bars and epoch lines
 * implement this, so both runs print the same.
 */
public interface RunListener {
    /** Before the first step of this session; {@code step} and {@code elapsedSeconds} count earlier sessions. */
    default void onStart(long step, double elapsedSeconds) {}

    default void onStep(StepEvent step) {}

    /** After every completed epoch, with its evaluation if the run evaluates per epoch. */
    default void onEpochEnd(EpochResult epoch) {}

    /** This listener as a {@link Trainer}'s. */
    static TrainingListener asTrainingListener(RunListener listener) {
        return new TrainingListener() {
            @Override
            public void onStart(Trainer<?> trainer) {
                listener.onStart(trainer.step(), trainer.elapsedSeconds());
            }

            @Override
            public void onStep(Trainer<?> trainer, StepEvent step) {
                listener.onStep(step);
            }

            @Override
            public void onEpochEnd(Trainer<?> trainer, EpochResult epoch) {
                listener.onEpochEnd(epoch);
            }
        };
    }
}
