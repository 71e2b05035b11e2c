package org.lstm4j.cli.train;

/**
 * Training diverged: the loss became NaN or infinite. Training stops at once, since every later step
 * would only propagate the non-finite values into the weights.
 */
public final class NonFiniteLossException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int step;
    private final float loss;

    /**
     * @param step 1-based step whose loss was non-finite
     * @param loss the offending value
     * @param lr   the learning rate in use, the usual culprit
     */
    public NonFiniteLossException(int step, float loss, double lr) {
        super("loss became " + Numbers.compact(loss) + " at step " + step + " (lr " + Numbers.compact(lr) + "): lower --lr");
        this.step = step;
        this.loss = loss;
    }

    /** The 1-based step at which the loss was first non-finite. */
    public int step() {
        return step;
    }

    /** The non-finite loss value. */
    public float loss() {
        return loss;
    }
}
