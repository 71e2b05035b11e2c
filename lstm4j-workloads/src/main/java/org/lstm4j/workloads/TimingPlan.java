package org.lstm4j.workloads;

/**
 * How long to warm up and how to repeat the timed batches.
 *
 * @param warmupSeconds   warm-up time (JIT compilation, buffers), counted from the end of the first step
 * @param repetitions     timed batches; the statistics are over these
 * @param secondsPerRep   target duration of one timed batch (a batch has at least one step)
 * @param warmupStepsAtLeast  warm-up steps run whatever the time (never fewer than {@link #MIN_WARMUP_STEPS}): a
 *                        warm-up that must reach a JIT compile threshold in calls, whatever the machine's speed
 */
public record TimingPlan(double warmupSeconds, int repetitions, double secondsPerRep, int warmupStepsAtLeast) {
    /** Steps always run before timing, whatever the warm-up time. */
    public static final int MIN_WARMUP_STEPS = 2;

    /** The default: 3 s warm-up after the first step, 5 batches of about 1 s. */
    public static final TimingPlan DEFAULT = new TimingPlan(3.0, 5, 1.0);
    /** A smoke run: 0.5 s warm-up, 3 batches of about 0.2 s. */
    public static final TimingPlan QUICK = new TimingPlan(0.5, 3, 0.2);

    /** A plan whose warm-up is bounded by time alone (and {@link #MIN_WARMUP_STEPS}). */
    public TimingPlan(double warmupSeconds, int repetitions, double secondsPerRep) {
        this(warmupSeconds, repetitions, secondsPerRep, MIN_WARMUP_STEPS);
    }

    public TimingPlan {
        if (!(warmupSeconds >= 0) || Double.isInfinite(warmupSeconds)) {
            throw new IllegalArgumentException("warm-up must be a finite number of seconds >= 0, was " + warmupSeconds);
        }
        if (repetitions < 1) {
            throw new IllegalArgumentException("repetitions must be at least 1, was " + repetitions);
        }
        if (!(secondsPerRep >= 0) || Double.isInfinite(secondsPerRep)) {
            throw new IllegalArgumentException("seconds per repetition must be finite and >= 0, was " + secondsPerRep);
        }
        if (warmupStepsAtLeast < 0) {
            throw new IllegalArgumentException("warm-up steps must be >= 0, was " + warmupStepsAtLeast);
        }
    }
}
