package org.lstm4j.workloads;

/**
 * {@code lstm4j bench --memory}: builds one workload, notes the resident set (the baseline: JVM, classes,
 * model, data, optimizer), runs warm-up steps, then a fixed number of measured steps, and reports the
 * process's peak resident set and the heap the steps used. Meant to run alone in a fresh process: the peak
 * resident set is the whole process's since it started.
 *
 * @param spec            the workload
 * @param threads         kernel threads
 * @param warmupSteps     steps before the measured window (JIT compilation, workspaces, heap sizing)
 * @param steps           measured steps
 * @param stepsPerSecond  the speed of the measured steps (to check that a heap limit does not slow them)
 * @param cpuSecondsPerStep process CPU time (all threads: kernels, JIT, GC) per measured step; -1 if unknown.
 *                        Unlike the speed it hardly depends on other load on the machine, so it shows what a
 *                        tight heap costs (more collections, concurrent marking) on a shared machine
 * @param gcCpuSecondsPerStep CPU time of the garbage-collection threads per measured step (part of
 *                        {@code cpuSecondsPerStep}); -1 if unknown. Its share of the CPU time is the cost of the
 *                        heap limit: near 0 means the steps run at full speed
 * @param baselineRss     {@code VmRSS} after the workload was built, before its first step; -1 if unknown
 * @param peakRss         {@code VmHWM} after the last step: the peak resident set of the process; -1 if unknown
 * @param heap            the heap figures of the measured steps
 */
public record MemoryRun(WorkloadSpec spec, int threads, int warmupSteps, int steps, double stepsPerSecond,
        double cpuSecondsPerStep, double gcCpuSecondsPerStep, long baselineRss, long peakRss, MemoryMeter.HeapFigures heap) {

    /** Builds and runs the workload; {@code steps} at least 1. */
    public static MemoryRun run(WorkloadSpec spec, int threads, int warmupSteps, int steps, long seed) {
        if (warmupSteps < 0 || steps < 1) {
            throw new IllegalArgumentException("need warm-up steps >= 0 and steps >= 1, was " + warmupSteps + ", " + steps);
        }
        BenchStep step = WorkloadModels.create(spec, seed);
        long baseline = MemoryMeter.residentBytes();
        for (int i = 0; i < warmupSteps; i++) {
            step.run();
        }
        MemoryMeter meter = MemoryMeter.start();
        long cpu0 = MemoryMeter.processCpuNanos();
        long gc0 = MemoryMeter.gcThreadCpuNanos();
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            step.run();
        }
        double rate = steps / ((System.nanoTime() - t0) / 1e9);
        long cpu1 = MemoryMeter.processCpuNanos();
        long gc1 = MemoryMeter.gcThreadCpuNanos();
        double gcPerStep = gc0 < 0 || gc1 < 0 ? -1 : (gc1 - gc0) / 1e9 / steps;
        double cpuPerStep = cpu0 < 0 || cpu1 < 0 ? -1 : (cpu1 - cpu0) / 1e9 / steps;
        MemoryMeter.HeapFigures heap = meter.stop();
        // Linux folds the per-CPU (before 6.2, per-thread) resident-page counts into the process's lazily, so
        // VmHWM read now can come out a few pages below the VmRSS read at the baseline (seen on 6.18: 12 pages in
        // a 2 GB test JVM whose run added nothing); the peak is at least what was resident then.
        long peak = MemoryMeter.peakResidentBytes();
        if (peak >= 0 && baseline >= 0) {
            peak = Math.max(peak, baseline);
        }
        return new MemoryRun(spec, threads, warmupSteps, steps, rate, cpuPerStep, gcPerStep, baseline, peak, heap);
    }

    /** Peak resident set over the baseline, or -1 if either is unknown. */
    public long overBaseline() {
        return peakRss < 0 || baselineRss < 0 ? -1 : peakRss - baselineRss;
    }
}
