package org.lstm4j.optim;

/**
 * Multiplies the learning rate by {@code gamma} every {@code stepSize} epochs: PyTorch's
 * {@code StepLR(optimizer, step_size, gamma=0.1)}. With lr 0.1, stepSize 3, gamma 0.5: 0.1 for epochs 0–2,
 * 0.05 for 3–5, 0.025 for 6–8, ...
 */
public final class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    /** gamma 0.1, as PyTorch. */
    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    /** @throws IllegalArgumentException if stepSize < 1 */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize < 1) {
            throw new IllegalArgumentException("StepLR stepSize must be >= 1, got " + stepSize);
        }
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    public int stepSize() {
        return stepSize;
    }

    public double gamma() {
        return gamma;
    }

    @Override
    protected double computeLr() {
        if (lastEpoch == 0 || lastEpoch % stepSize != 0) {
            return optimizer.getLr();
        }
        return optimizer.getLr() * gamma;
    }
}
