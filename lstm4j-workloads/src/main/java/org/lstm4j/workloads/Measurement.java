package org.lstm4j.workloads;

import java.util.stream.LongStream;

/**
 * The raw outcome of timing one workload.
 *
 * @param stepsPerSecond        the rate of each timed repetition
 * @param stepsPerRep           steps run in each timed repetition
 * @param allocatedBytesPerRep  heap bytes allocated by all threads during each timed repetition, or null if unknown
 */
public record Measurement(double[] stepsPerSecond, long stepsPerRep, long[] allocatedBytesPerRep) {
    public Measurement {
        if (allocatedBytesPerRep != null && allocatedBytesPerRep.length != stepsPerSecond.length) {
            throw new IllegalArgumentException("allocation figures for " + allocatedBytesPerRep.length
                    + " repetitions, rates for " + stepsPerSecond.length);
        }
    }

    /** Steps run in all timed repetitions. */
    public long timedSteps() {
        return stepsPerRep * stepsPerSecond.length;
    }

    /** Allocated bytes per timed step over all repetitions, or -1 if unknown. */
    public double allocatedBytesPerStep() {
        if (allocatedBytesPerRep == null) {
            return -1;
        }
        return (double) LongStream.of(allocatedBytesPerRep).sum() / timedSteps();
    }

    /**
     * Allocated bytes per step in the repetition that allocated least, or -1 if unknown. A compilation that
     * finishes during the timed repetitions (late on a slow or emulated machine) inflates the ones before it;
     * a steady-state allocation shows in every repetition, so this is the figure a per-step bound should check.
     */
    public double leastAllocatedBytesPerStep() {
        if (allocatedBytesPerRep == null) {
            return -1;
        }
        return (double) LongStream.of(allocatedBytesPerRep).min().orElseThrow() / stepsPerRep;
    }
}
