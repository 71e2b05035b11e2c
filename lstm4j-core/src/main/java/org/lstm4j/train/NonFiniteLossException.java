package org.lstm4j.train;

/**
 * Training diverged: the loss became NaN or infinite. Training stops at once, since every later step
 * would only propagate the non-finite values into the weights; the weights are those before the bad step.
 */
public final class NonFiniteLossException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long step;
    private final float loss;
    private final double lr;

    /**
     * @param step 1-based step whose loss was non-finite
     * @param loss the offending value
     * @param lr   the learning rate in use, the usual culprit
     */
    public NonFiniteLossException(long step, float loss, double lr) {
        super("loss became " + loss + " at step " + step + " (lr " + lr + "): lower the learning rate");
        this.step = step;
        this.loss = loss;
        this.lr = lr;
    }

    /** The 1-based step at which the loss was first non-finite. */
    public long step() {
        return step;
    }

    /** The non-finite loss value. */
    public float loss() {
        return loss;
    }

    /** The learning rate of that step. */
    public double lr() {
        return lr;
    }
}
