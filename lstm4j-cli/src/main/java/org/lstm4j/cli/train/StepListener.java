package org.lstm4j.cli.train;

/** Called by a trainer after every optimisation step: progress bars, logging, early stopping in tests. */
@FunctionalInterface
public interface StepListener {
    /** Does nothing. */
    StepListener NONE = (step, totalSteps, loss) -> {};

    /**
     * @param step       the step just finished, 1-based
     * @param totalSteps the number of steps of the run
     * @param loss       that step's training loss
     */
    void onStep(int step, int totalSteps, float loss);
}
