package org.lstm4j.workloads;

/**
 * The figures reported for one workload.
 *
 * @param spec               the workload
 * @param threads            kernel threads used
 * @param stepsPerSecond     steps/s over the repetitions
 * @param tokensPerSecond    (batch × seq) tokens/s
 * @param gflops             achieved GFLOP/s by {@link FlopCount#perStep}
 * @param microsPerStep      µs per step (min from the fastest repetition)
 * @param allocBytesPerStep  heap bytes allocated per step, all threads, over all repetitions; -1 if unknown
 * @param leastAllocBytesPerStep  the same in the repetition that allocated least (what a bound on the steady
 *                                state checks: {@link Measurement#leastAllocatedBytesPerStep()}); -1 if unknown
 */
public record BenchResult(WorkloadSpec spec, int threads, Summary stepsPerSecond, Summary tokensPerSecond,
        Summary gflops, Summary microsPerStep, double allocBytesPerStep, double leastAllocBytesPerStep) {

    /** Derives all figures from the raw step rates. */
    public static BenchResult of(WorkloadSpec spec, int threads, Measurement m) {
        Summary steps = Summary.of(m.stepsPerSecond());
        return new BenchResult(spec, threads, steps, steps.scaled(spec.tokensPerStep()),
                steps.scaled(FlopCount.perStep(spec) / 1e9), steps.reciprocal(1e6), m.allocatedBytesPerStep(),
                m.leastAllocatedBytesPerStep());
    }

    /** Allocated bytes per token, or -1 if unknown. */
    public double allocBytesPerToken() {
        return allocBytesPerStep < 0 ? -1 : allocBytesPerStep / spec.tokensPerStep();
    }
}
