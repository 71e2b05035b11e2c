package org.lstm4j.cli.sine;

import org.lstm4j.cli.train.CellType;

/**
 * Settings of the sine→cosine task.
 *
 * @param steps  optimisation steps, one 20-point window of the time axis each (at least 1)
 * @param hidden hidden size of the recurrent layer (at least 1)
 * @param lr     Adam learning rate (positive, finite)
 * @param seed   seed of the default generator, hence of the weight initialisation
 * @param cell   {@code lstm}, {@code gru} or {@code rnn} (tanh)
 */
public record SineConfig(int steps, int hidden, double lr, long seed, String cell) {
    public static final int DEFAULT_STEPS = 100;
    public static final int DEFAULT_HIDDEN = 32;
    public static final double DEFAULT_LR = 0.02;
    public static final long DEFAULT_SEED = 0;
    public static final String DEFAULT_CELL = "lstm";

    /** Validates eagerly, so a bad value fails before any model is built. */
    public SineConfig {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, was " + steps);
        }
        if (hidden < 1) {
            throw new IllegalArgumentException("hidden size must be at least 1, was " + hidden);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, was " + lr);
        }
        cell = CellType.parse(cell).toString();
    }

    /** The defaults: 100 steps, hidden 32, lr 0.02, seed 0, LSTM. */
    public static SineConfig defaults() {
        return new SineConfig(DEFAULT_STEPS, DEFAULT_HIDDEN, DEFAULT_LR, DEFAULT_SEED, DEFAULT_CELL);
    }

    public SineConfig withSteps(int newSteps) {
        return new SineConfig(newSteps, hidden, lr, seed, cell);
    }

    public SineConfig withCell(String newCell) {
        return new SineConfig(steps, hidden, lr, seed, newCell);
    }

    public SineConfig withLr(double newLr) {
        return new SineConfig(steps, hidden, newLr, seed, cell);
    }

    /** The cell as an enum. */
    public CellType cellType() {
        return CellType.parse(cell);
    }
}
