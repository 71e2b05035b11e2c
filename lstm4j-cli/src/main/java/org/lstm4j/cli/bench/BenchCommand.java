package org.lstm4j.cli.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.lstm4j.kernels.Parallelism;
import org.lstm4j.workloads.AllocationMeter;
import org.lstm4j.workloads.BenchResult;
import org.lstm4j.workloads.BenchStep;
import org.lstm4j.workloads.MemoryRun;
import org.lstm4j.workloads.TimingLoop;
import org.lstm4j.workloads.TimingPlan;
import org.lstm4j.workloads.WorkloadModels;
import org.lstm4j.workloads.WorkloadSpec;
import org.lstm4j.workloads.Workloads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lstm4j bench}: times the fixed workloads of {@link Workloads} and prints steps/s, tokens/s, GFLOP/s,
 * µs/step and allocated bytes per step (min/median/max over repetitions), as a table or JSON lines, with the
 * CPU, the vector width and each workload's fraction of the FMA roof measured first ({@link BenchMachine}).
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = org.lstm4j.cli.VersionProvider.class,
        description = {
            "Benchmark fixed workloads (float32, batch first, random data, fixed seed):",
            "training steps (forward, loss, backward, Adam) and forward-only inference.",
            "bench/compare runs the same workloads with PyTorch and ONNX Runtime."
        },
        sortOptions = false)
public final class BenchCommand implements Callable<Integer> {
    /** Seed of the weights and data of every workload. */
    static final long SEED = 0;
    /** The longest --warmup and --rep-time: an hour is far more than stable figures need, and it still ends. */
    static final double MAX_SECONDS = 3600;
    /** The most --repeat: the median of a thousand repetitions is as good as it gets. */
    static final int MAX_REPETITIONS = 1000;
    /** The most --steps and --warmup-steps. */
    static final int MAX_STEPS = 1_000_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--workload", paramLabel = "NAME",
            description = "A workload (charlm, rows, rows-gru, rows-bi, sine, infer-large, stream) or all (default: ${DEFAULT-VALUE}).")
    String workload = Workloads.ALL;

    @Option(names = "--threads", paramLabel = "N", description = "Kernel threads (default: all cores, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--json", description = "Print one JSON object per workload instead of the table.")
    boolean json;

    @Option(names = "--quick", description = "Smoke run: 0.5 s warm-up, 3 repetitions of about 0.2 s.")
    boolean quick;

    @Option(names = "--warmup", paramLabel = "SECONDS", description = "Warm-up time per workload (default: 3; --quick: 0.5).")
    Double warmupSeconds;

    @Option(names = "--repeat", paramLabel = "N", description = "Timed repetitions per workload (default: 5; --quick: 3).")
    Integer repetitions;

    @Option(names = "--rep-time", paramLabel = "SECONDS", description = "Target duration of one repetition (default: 1; --quick: 0.2).")
    Double secondsPerRep;

    @Option(names = "--no-roof", description = {
            "Skip the FMA roof: by default the FMA peak Java reaches at the kernels' vector width is measured first",
            "on --threads threads (about 1.5 s; --quick: under 1 s) and each workload's GFLOP/s is given as a %% of it."})
    boolean noRoof;

    @Option(names = "--memory", description = {
            "Measure memory instead of speed: one workload (not all), --warmup-steps then --steps steps;",
            "prints the process's peak resident set (VmHWM) and baseline (VmRSS before the first step),",
            "and the heap used by the measured steps. Run it in a fresh process with the heap limit to report."})
    boolean memory;

    @Option(names = "--steps", paramLabel = "N", description = "--memory: measured steps (default: 20; --quick: 3).")
    Integer memorySteps;

    @Option(names = "--warmup-steps", paramLabel = "N", description = {
            "Speed: at least N warm-up steps as well as --warmup seconds (default: 2), e.g. to pass a JIT compile",
            "threshold on a slow or emulated machine. --memory: steps before measuring (default: 5; --quick: 2)."})
    Integer warmupSteps;

    @Override
    public Integer call() {
        List<WorkloadSpec> selected = selectedWorkloads();
        if (memory) {
            return memory(selected);
        }
        TimingPlan plan = plan();
        checkThreads();
        Parallelism.setThreads(threads);
        AllocationMeter meter = AllocationMeter.createOrNull();

        PrintWriter out = spec.commandLine().getOut();
        if (!json) {
            out.printf("lstm4j bench: %d thread%s, warm-up %.1f s, %d x %.1f s%n", threads, threads == 1 ? "" : "s",
                    plan.warmupSeconds(), plan.repetitions(), plan.secondsPerRep());
            out.flush();
        }
        // Before any workload, while the kernels' worker pool is idle: the roof needs every core to itself.
        BenchMachine machine = BenchMachine.detect(threads, !noRoof, quick);
        if (!json) {
            out.println(machine.describe());
            BenchOutput.printHeader(out);
        }
        for (WorkloadSpec workloadSpec : selected) {
            BenchStep step = WorkloadModels.create(workloadSpec, SEED);
            BenchResult result = BenchResult.of(workloadSpec, threads, TimingLoop.measure(step, plan, meter));
            if (json) {
                out.println(BenchOutput.json(result, machine));
                out.flush();
            } else {
                BenchOutput.printRow(out, result, machine);
            }
        }
        out.flush();
        return 0;
    }

    /** {@code --memory}: one workload, a fixed number of steps, the memory figures. */
    private int memory(List<WorkloadSpec> selected) {
        if (selected.size() != 1) {
            throw usage("--workload", workload, "--memory measures one workload per process, not all");
        }
        int steps = memorySteps != null ? memorySteps : quick ? 3 : 20;
        if (steps < 1 || steps > MAX_STEPS) {
            throw usage("--steps", steps, "must be in [1, " + MAX_STEPS + "]");
        }
        int warmup = warmupSteps(quick ? 2 : 5);
        checkThreads();
        Parallelism.setThreads(threads);
        MemoryRun run = MemoryRun.run(selected.get(0), threads, warmup, steps, SEED);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(BenchOutput.memoryJson(run));
        } else {
            BenchOutput.printMemory(out, run);
        }
        out.flush();
        return 0;
    }

    private List<WorkloadSpec> selectedWorkloads() {
        try {
            return Workloads.select(workload);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--workload': " + e.getMessage());
        }
    }

    /** The timing plan: {@code --quick} or the default, with any explicit option overriding it. */
    TimingPlan plan() {
        TimingPlan base = quick ? TimingPlan.QUICK : TimingPlan.DEFAULT;
        double warmup = warmupSeconds != null ? warmupSeconds : base.warmupSeconds();
        int reps = repetitions != null ? repetitions : base.repetitions();
        double perRep = secondsPerRep != null ? secondsPerRep : base.secondsPerRep();
        checkSeconds("--warmup", warmup);
        if (reps < 1 || reps > MAX_REPETITIONS) {
            throw usage("--repeat", reps, "must be in [1, " + MAX_REPETITIONS + "]");
        }
        checkSeconds("--rep-time", perRep);
        return new TimingPlan(warmup, reps, perRep, warmupSteps(TimingPlan.MIN_WARMUP_STEPS));
    }

    /** {@code --warmup-steps}, or {@code byDefault} when it is not given; in [0, {@link #MAX_STEPS}] in both modes. */
    private int warmupSteps(int byDefault) {
        int steps = warmupSteps != null ? warmupSteps : byDefault;
        if (steps < 0 || steps > MAX_STEPS) {
            throw usage("--warmup-steps", steps, "must be in [0, " + MAX_STEPS + "]");
        }
        return steps;
    }

    /** A duration in [0, {@link #MAX_SECONDS}]: NaN and infinity fail too (!(x >= 0) is true for NaN). */
    private void checkSeconds(String option, double seconds) {
        if (!(seconds >= 0 && seconds <= MAX_SECONDS)) {
            throw usage(option, seconds, "must be a number of seconds in [0, " + (int) MAX_SECONDS + "] (at most an hour)");
        }
    }

    /** {@code --threads} in [1, 4 per core]: more only adds thread stacks and switching. */
    private void checkThreads() {
        try {
            org.lstm4j.cli.ThreadCount.check(threads);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private ParameterException usage(String option, Object value, String rule) {
        return new ParameterException(spec.commandLine(),
                "Invalid value for option '" + option + "': " + rule + ", was " + value);
    }
}
