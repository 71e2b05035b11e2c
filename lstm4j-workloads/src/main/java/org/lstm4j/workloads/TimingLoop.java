package org.lstm4j.workloads;

/**
 * Times a {@link BenchStep}: warm-up, then repeated timed batches of steps, the batch size chosen from the
 * warm-up speed so that each batch lasts about {@link TimingPlan#secondsPerRep()}.
 */
public final class TimingLoop {
    private TimingLoop() {}

    /** Runs the plan; {@code meter} may be null (no allocation figure). */
    public static Measurement measure(BenchStep step, TimingPlan plan, AllocationMeter meter) {
        long warmupNanos = (long) (plan.warmupSeconds() * 1e9);
        // The warm-up clock starts after the first step: that step loads classes and runs interpreted (2.1 s
        // of charlm's), and the JIT needs seconds of real steps after it (charlm 333 ms, 317, 285, ... 255
        // from its tenth step on).
        long start = 0;
        long lastStepNanos = 0;
        int stepsAtLeast = Math.max(TimingPlan.MIN_WARMUP_STEPS, plan.warmupStepsAtLeast());
        for (int done = 0; done < stepsAtLeast || System.nanoTime() - start < warmupNanos; done++) {
            long t0 = System.nanoTime();
            step.run();
            long t1 = System.nanoTime();
            lastStepNanos = t1 - t0;
            if (done == 0) {
                start = t1;
            }
        }
        // The last warm-up step is the best guess of the warm speed (the first ones include compilation).
        long stepsPerRep = Math.max(1, Math.round(plan.secondsPerRep() * 1e9 / Math.max(1, lastStepNanos)));

        double[] rates = new double[plan.repetitions()];
        long[] allocated = meter == null ? null : new long[rates.length];
        for (int rep = 0; rep < rates.length; rep++) {
            long allocatedBefore = meter == null ? 0 : meter.allocatedBytes();
            long t0 = System.nanoTime();
            for (long i = 0; i < stepsPerRep; i++) {
                step.run();
            }
            rates[rep] = stepsPerRep / ((System.nanoTime() - t0) / 1e9);
            if (meter != null) {
                allocated[rep] = meter.allocatedBytes() - allocatedBefore;
            }
        }
        return new Measurement(rates, stepsPerRep, allocated);
    }
}
