package org.lstm4j.optim;

/**
 * Cosine annealing from the initial lr down to {@code etaMin} over {@code tMax} epochs, then back up (the
 * schedule is periodic with period 2·tMax): PyTorch's {@code CosineAnnealingLR(optimizer, T_max,
 * eta_min=0)}, in its chainable form
 *
 * <pre>
 * lr_t = eta_min + (lr_{t-1} - eta_min) * (1 + cos(pi t / T_max)) / (1 + cos(pi (t-1) / T_max))
 * </pre>
 *
 * with PyTorch's special cases at epoch 0 and at the restart points.
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    /** etaMin 0, as PyTorch. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0.0);
    }

    /** @throws IllegalArgumentException if tMax < 1 */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        if (tMax < 1) {
            throw new IllegalArgumentException("CosineAnnealingLR tMax must be >= 1, got " + tMax);
        }
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    public int tMax() {
        return tMax;
    }

    public double etaMin() {
        return etaMin;
    }

    @Override
    protected double computeLr() {
        double lr = optimizer.getLr();
        if (lastEpoch == 0) {
            return lr;
        }
        if (stepCount == 1 && lastEpoch > 0) {
            // Constructed at a later epoch: the closed form.
            return etaMin + (baseLr - etaMin) * (1 + Math.cos(lastEpoch * Math.PI / tMax)) / 2;
        }
        if (Math.floorMod(lastEpoch - 1 - tMax, 2 * tMax) == 0) {
            // Just past the minimum: the recursion would divide by 1 + cos(pi) = 0.
            return lr + (baseLr - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
        }
        return (1 + Math.cos(Math.PI * lastEpoch / tMax))
                / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax))
                * (lr - etaMin) + etaMin;
    }
}
