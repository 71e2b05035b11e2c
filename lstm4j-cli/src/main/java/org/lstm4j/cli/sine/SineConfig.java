package org.lstm4j.cli.sine;

import org.lstm4j.cli.train.CellType;

/**
 * Settings of the sine→cosine task.
 *
 * @param steps  optimisation steps, one 20-point window of the time axis each, in [1, {@link #MAX_STEPS}]
 * @param hidden hidden size of the recurrent layer, in [1, {@link #MAX_HIDDEN}]
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
    /**
     * The most steps: the loss of every step is kept for the plot (20 bytes a step with the plot's copies), and
     * ten million steps take an hour or more.
     */
    public static final int MAX_STEPS = 10_000_000;
    /**
     * The largest hidden size: an LSTM's recurrent weights alone are 4·H² floats, 1 GiB at 8192 and 4 GiB with
     * their gradients and Adam's two moments, far beyond what a one-feature sine needs.
     */
    public static final int MAX_HIDDEN = 8192;
    /** Float copies of every parameter during training: the value, its gradient, Adam's two moments. */
    private static final int COPIES_PER_PARAMETER = 4;
    /** Bytes kept per step for the loss curve: its float, and the two doubles per point the plot draws from. */
    private static final int BYTES_PER_STEP = Float.BYTES + 2 * Double.BYTES;

    /** Validates eagerly, so a bad value fails before any model is built. */
    public SineConfig {
        if (steps < 1 || steps > MAX_STEPS) {
            throw new IllegalArgumentException("steps must be in [1, " + MAX_STEPS + "], was " + steps);
        }
        if (hidden < 1 || hidden > MAX_HIDDEN) {
            throw new IllegalArgumentException("hidden size must be in [1, " + MAX_HIDDEN + "], was " + hidden);
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

    /**
     * Parameters of the model: the recurrent layer (G gate blocks of weight_ih (H×1), weight_hh (H×H) and two
     * biases, with G = 4 for LSTM, 3 for GRU, 1 for RNN) and the linear head (H weights, one bias).
     */
    public long parameterCount() {
        long gates = switch (cellType()) {
            case LSTM -> 4;
            case GRU -> 3;
            case RNN -> 1;
        };
        long h = hidden;
        return gates * h * (1 + h + 2) + h + 1;
    }

    /**
     * A lower bound of the heap training needs: four float copies of every parameter (value, gradient, Adam's
     * two moments) and the loss curve. Activations of the 20-point windows are small beside these.
     */
    public long trainingBytes() {
        return COPIES_PER_PARAMETER * Float.BYTES * parameterCount() + (long) BYTES_PER_STEP * steps;
    }
}
