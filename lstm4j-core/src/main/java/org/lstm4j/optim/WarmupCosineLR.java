package org.lstm4j.optim;

/**
 * A linear warm-up from 0 to the initial lr over {@code warmupSteps}, then cosine annealing down to
 * {@code etaMin} at {@code totalSteps}, and {@code etaMin} after that: Hugging Face's
 * {@code get_cosine_schedule_with_warmup} (a {@code LambdaLR}), with a floor. Stepped once per optimisation
 * step. The value at step t, in closed form:
 *
 * <pre>
 * t &lt; warmup:  lr = base · t / warmup
 * otherwise:   lr = etaMin + (base - etaMin) · (1 + cos(pi · min(1, (t - warmup) / (total - warmup)))) / 2
 * </pre>
 */
public final class WarmupCosineLR extends LRScheduler {
    private final int warmupSteps;
    private final int totalSteps;
    private final double etaMin;

    /**
     * @throws IllegalArgumentException unless 0 <= warmupSteps < totalSteps and 0 <= etaMin <= the initial lr
     */
    public WarmupCosineLR(Optimizer optimizer, int warmupSteps, int totalSteps, double etaMin) {
        super(optimizer);
        if (warmupSteps < 0 || totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("WarmupCosineLR needs 0 <= warmupSteps < totalSteps, got warmupSteps="
                    + warmupSteps + ", totalSteps=" + totalSteps);
        }
        if (!(etaMin >= 0 && etaMin <= baseLr)) {
            throw new IllegalArgumentException("WarmupCosineLR etaMin must be in [0, initial lr " + baseLr + "], got " + etaMin);
        }
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
        this.etaMin = etaMin;
        initialStep();
    }

    public int warmupSteps() {
        return warmupSteps;
    }

    public int totalSteps() {
        return totalSteps;
    }

    @Override
    protected double computeLr() {
        int t = lastEpoch;
        if (t < warmupSteps) {
            return baseLr * t / warmupSteps;
        }
        double progress = Math.min(1.0, (double) (t - warmupSteps) / (totalSteps - warmupSteps));
        return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * progress)) / 2;
    }
}
