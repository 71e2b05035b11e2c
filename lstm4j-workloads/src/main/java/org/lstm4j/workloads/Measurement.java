package org.lstm4j.workloads;

/**
 * The raw outcome of timing one workload.
 *
 * @param stepsPerSecond  the rate of each timed repetition
 * @param timedSteps      steps run in all timed repetitions
 * @param allocatedBytes  heap bytes allocated by all threads during the timed repetitions, or -1 if unknown
 */
public record Measurement(double[] stepsPerSecond, long timedSteps, long allocatedBytes) {
    /** Allocated bytes per timed step, or -1 if unknown. */
    public double allocatedBytesPerStep() {
        return allocatedBytes < 0 ? -1 : (double) allocatedBytes / timedSteps;
    }
}
