package org.lstm4j.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lstm4j.cli.CliRun;
import org.lstm4j.workloads.TimingPlan;
import picocli.CommandLine;

/** Timing and count options of {@code bench} are bounded, so every run ends; bad ones are usage errors (exit 2). */
class BenchOptionChecksTest {
    private static CliRun refused(String... args) {
        long start = System.nanoTime();
        CliRun run = CliRun.of(args);
        assertTrue((System.nanoTime() - start) / 1e9 < 5, "the check came after the work: " + run.err());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("Usage: lstm4j bench"), run.err());
        return run;
    }

    @Test
    void repetitionTimesBeyondAnHourAreRefused() {
        CliRun run = refused("bench", "--workload", "sine", "--rep-time", "1e300");
        assertTrue(run.err().contains("Invalid value for option '--rep-time': must be a number of seconds in [0, 3600]"
                + " (at most an hour), was 1.0E300"), run.err());
    }

    @Test
    void nonFiniteTimesAreRefused() {
        for (String value : new String[] {"NaN", "Infinity", "-1", "3600.5"}) {
            CliRun warmup = refused("bench", "--workload", "sine", "--warmup", value);
            assertTrue(warmup.err().contains("Invalid value for option '--warmup': must be a number of seconds in [0, 3600]"),
                    value + ": " + warmup.err());
            CliRun rep = refused("bench", "--workload", "sine", "--rep-time", value);
            assertTrue(rep.err().contains("'--rep-time'"), value + ": " + rep.err());
        }
    }

    @Test
    void countsAreBounded() {
        CliRun repeat = refused("bench", "--workload", "sine", "--repeat", "100000");
        assertTrue(repeat.err().contains("'--repeat': must be in [1, 1000], was 100000"), repeat.err());
        CliRun steps = refused("bench", "--workload", "sine", "--memory", "--steps", "2000000");
        assertTrue(steps.err().contains("'--steps': must be in [1, 1000000], was 2000000"), steps.err());
        CliRun warmupSteps = refused("bench", "--workload", "sine", "--memory", "--warmup-steps", "-1");
        assertTrue(warmupSteps.err().contains("'--warmup-steps': must be in [0, 1000000], was -1"), warmupSteps.err());
        CliRun timedWarmupSteps = refused("bench", "--workload", "sine", "--warmup-steps", "2000000");
        assertTrue(timedWarmupSteps.err().contains("'--warmup-steps': must be in [0, 1000000], was 2000000"),
                timedWarmupSteps.err());
    }

    @Test
    void warmupStepsBoundTheTimedWarmupFromBelow() {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs("--workload", "sine", "--quick", "--warmup-steps", "1200");
        TimingPlan plan = command.plan();
        assertEquals(1200, plan.warmupStepsAtLeast());
        assertEquals(TimingPlan.QUICK.warmupSeconds(), plan.warmupSeconds());

        BenchCommand byDefault = new BenchCommand();
        new CommandLine(byDefault).parseArgs("--workload", "sine");
        assertEquals(TimingPlan.MIN_WARMUP_STEPS, byDefault.plan().warmupStepsAtLeast());
    }

    @Test
    void threadsBeyondFourPerCoreAreRefusedInBothModes() {
        int cores = Runtime.getRuntime().availableProcessors();
        String expected = "'--threads': must be at most " + 4 * cores + " (4 per core on this machine of " + cores
                + " cores), was 100000";
        CliRun timing = refused("bench", "--workload", "sine", "--threads", "100000");
        assertTrue(timing.err().contains(expected), timing.err());
        CliRun memory = refused("bench", "--workload", "sine", "--memory", "--threads", "100000");
        assertTrue(memory.err().contains(expected), memory.err());
    }
}
