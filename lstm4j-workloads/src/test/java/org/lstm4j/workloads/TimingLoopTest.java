package org.lstm4j.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class TimingLoopTest {
    /** A step whose first call is slow (class loading, interpretation), the later ones quick. */
    private static final class SlowFirstStep implements BenchStep {
        int calls;

        @Override
        public void run() {
            LockSupport.parkNanos(calls++ == 0 ? 400_000_000L : 2_000_000L);
        }
    }

    @Test
    void warmupTimeStartsAfterTheFirstStep() {
        SlowFirstStep step = new SlowFirstStep();
        Measurement m = TimingLoop.measure(step, new TimingPlan(0.1, 2, 0.01), null);
        long warmupSteps = step.calls - m.timedSteps();
        // 0.1 s of 2 ms steps after the 400 ms first one: dozens of warm-up steps. Had the slow first step
        // counted toward the warm-up, the loop would have stopped at the minimum of 2.
        assertTrue(warmupSteps >= 10, "warm-up steps: " + warmupSteps);
        assertTrue(warmupSteps <= 60, "warm-up steps: " + warmupSteps);
        assertEquals(2, m.stepsPerSecond().length);
    }

    @Test
    void atLeastTheMinimumOfWarmupStepsRunWithoutWarmupTime() {
        SlowFirstStep step = new SlowFirstStep();
        Measurement m = TimingLoop.measure(step, new TimingPlan(0, 1, 0), null);
        assertEquals(TimingPlan.MIN_WARMUP_STEPS, step.calls - m.timedSteps());
        assertEquals(1, m.timedSteps());
    }

    /** Allocates 4 MiB in its first timed call only (as a compilation finishing late would), nothing after. */
    private static final class AllocatesOnceStep implements BenchStep {
        int calls;
        byte[] kept;

        @Override
        public void run() {
            if (calls++ == TimingPlan.MIN_WARMUP_STEPS) {
                kept = new byte[4 << 20];
            }
        }
    }

    @Test
    void allocationIsMeasuredPerRepetition() {
        AllocationMeter meter = AllocationMeter.createOrNull();
        assumeTrue(meter != null, "this JVM does not count allocations per thread");
        AllocatesOnceStep step = new AllocatesOnceStep();
        // No rep time: one step a repetition, the first of them allocating the 4 MiB.
        Measurement m = TimingLoop.measure(step, new TimingPlan(0, 3, 0), meter);
        assertEquals(1, m.stepsPerRep());
        long[] perRep = m.allocatedBytesPerRep();
        assertEquals(3, perRep.length);
        assertTrue(perRep[0] >= 4 << 20, "first repetition: " + perRep[0]);
        // The meter's own readings allocate a few hundred bytes; the later repetitions allocate nothing else.
        assertTrue(perRep[1] < 4096 && perRep[2] < 4096, "later repetitions: " + perRep[1] + ", " + perRep[2]);
        assertTrue(m.leastAllocatedBytesPerStep() < 4096, "least: " + m.leastAllocatedBytesPerStep());
        assertTrue(m.allocatedBytesPerStep() >= (4 << 20) / 3.0, "over all: " + m.allocatedBytesPerStep());
    }

    @Test
    void figuresWithoutAMeterAreUnknown() {
        Measurement m = TimingLoop.measure(new SlowFirstStep(), new TimingPlan(0, 2, 0), null);
        assertEquals(-1, m.allocatedBytesPerStep());
        assertEquals(-1, m.leastAllocatedBytesPerStep());
    }

    @Test
    void allocationFiguresMustMatchTheRepetitions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Measurement(new double[] {1, 2}, 1, new long[] {0}));
        assertTrue(e.getMessage().contains("1 repetitions, rates for 2"), e.getMessage());
    }

    @Test
    void warmupRunsAtLeastTheStepsAskedWhateverTheTime() {
        SlowFirstStep step = new SlowFirstStep();
        Measurement m = TimingLoop.measure(step, new TimingPlan(0, 1, 0, 25), null);
        assertEquals(25, step.calls - m.timedSteps());
    }

    @Test
    void negativeWarmupStepsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TimingPlan(0, 1, 0, -1));
        assertTrue(e.getMessage().contains("warm-up steps must be >= 0, was -1"), e.getMessage());
    }
}
