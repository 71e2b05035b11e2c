package org.lstm4j.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
