package org.lstm4j.train;

/**
 * Follows a {@link Trainer}: progress bars, metric logs, checkpoints, early stopping. Every method has an
 * empty default, so a listener overrides only what it needs. Listeners run on the training thread, in the
 * order they were added; {@link Trainer#requestStop()} from any of them ends training after the current step.
 */
public interface TrainingListener {
    /** Before the first step of {@link Trainer#fit} (after a resume: before the first new step). */
    default void onStart(Trainer<?> trainer) {}

    /** After every optimisation step. */
    default void onStep(Trainer<?> trainer, StepEvent step) {}

    /** After every completed epoch, once its validation (if any) has run. */
    default void onEpochEnd(Trainer<?> trainer, EpochResult epoch) {}

    /** After every evaluation: each epoch's, or every {@code evaluateEvery} steps, or {@link Trainer#evaluate()}. */
    default void onEvaluation(Trainer<?> trainer, long step, Evaluation evaluation) {}

    /** When {@link Trainer#fit} returns normally (all epochs done, step limit reached or stop requested). */
    default void onEnd(Trainer<?> trainer) {}
}
