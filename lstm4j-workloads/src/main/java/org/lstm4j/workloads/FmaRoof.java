package org.lstm4j.workloads;

import java.util.Optional;
import org.lstm4j.kernels.KernelInfo;

/**
 * The fused multiply-add peak Java code reaches on this machine at the kernels' vector width: the roof that
 * workload GFLOP/s are read against ({@code % of roof}). Measured on {@code threads} threads at once, each
 * running the faster on this JVM of {@link FmaChains}'s two loops (ten or twelve chains), with no memory
 * traffic.
 *
 * @param threads    threads that ran the chains at once
 * @param vectorBits  the width of the vectors they ran on
 * @param repetitions timed runs
 * @param gflops      GFLOP/s of all threads together over the runs
 */
public record FmaRoof(int threads, int vectorBits, int repetitions, Summary gflops) {
    /** {@code lstm4j bench}'s measurement: about 2 s (5 repetitions of 0.15 s after warm-ups of ~0.6 s per loop form). */
    public static final int REPETITIONS = 5;
    public static final double SECONDS_PER_REP = 0.15;
    /** {@code lstm4j bench --quick}: about 0.9 s. */
    public static final int QUICK_REPETITIONS = 3;
    public static final double QUICK_SECONDS_PER_REP = 0.1;

    /** Iterations of one warm-up call: tens of microseconds once compiled, so the calls can be timed. */
    private static final long WARMUP_ITERATIONS = 20_000L;
    /** Warm-up calls in a row within 25% of the fastest that show the loop compiled for good. */
    private static final int STEADY_CALLS = 5;
    /** The longest warm-up of a loop form: C2 compiles it well before (about 0.6 s on an AMD EPYC). */
    private static final long MAX_WARMUP_NANOS = 3_000_000_000L;

    public FmaRoof {
        if (threads < 1 || repetitions < 1) {
            throw new IllegalArgumentException("threads and repetitions must be at least 1, was " + threads + ", " + repetitions);
        }
    }

    /**
     * Measures the roof, or returns empty when the JVM runs without {@code jdk.incubator.vector} (the kernels
     * are plain Java then, and have no vector roof).
     */
    public static Optional<FmaRoof> measure(int threads, int repetitions, double secondsPerRep) {
        if (threads < 1 || repetitions < 1 || !(secondsPerRep > 0)) {
            throw new IllegalArgumentException("need threads >= 1, repetitions >= 1 and seconds > 0, was "
                    + threads + ", " + repetitions + ", " + secondsPerRep);
        }
        if (!KernelInfo.vectorApiPresent()) {
            return Optional.empty();
        }
        FmaChains.Form fastest = null;
        long fastestCallNanos = 0;
        for (FmaChains.Form form : FmaChains.Form.values()) {
            long callNanos = warmUp(form);
            if (fastest == null
                    || callNanos / form.flopsPerIteration() < fastestCallNanos / fastest.flopsPerIteration()) {
                fastest = form;
                fastestCallNanos = callNanos;
            }
        }
        FmaChains.Form form = fastest;
        long iterations = Math.max(1, Math.round(WARMUP_ITERATIONS * secondsPerRep * 1e9 / fastestCallNanos));
        double flops = form.flopsPerIteration() * iterations * threads;
        double[] gflops = new double[repetitions];
        for (int rep = 0; rep < repetitions; rep++) {
            gflops[rep] = flops / runOnThreads(form, threads, iterations);
        }
        return Optional.of(new FmaRoof(threads, FmaChains.lanes() * Float.SIZE, repetitions, Summary.of(gflops)));
    }

    /**
     * Short calls until C2's code runs them (interpreted and C1-compiled, the vectors are objects on the heap:
     * thousands of times slower), so that no timed call includes compilation; returns the fastest call's time.
     * Short calls rather than a few long ones: a long first call would run mostly interpreted (seconds).
     */
    private static long warmUp(FmaChains.Form form) {
        long fastest = Long.MAX_VALUE;
        int steady = 0;
        long deadline = System.nanoTime() + MAX_WARMUP_NANOS;
        while (steady < STEADY_CALLS && System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            FmaChains.run(form, WARMUP_ITERATIONS);
            long nanos = Math.max(1, System.nanoTime() - t0);
            if (nanos * 1.25 < fastest) {
                steady = 1; // much faster than before: a new compilation level, count afresh
            } else if (nanos <= fastest * 1.25) {
                steady++;
            } else {
                steady = 0;
            }
            fastest = Math.min(fastest, nanos);
        }
        return fastest;
    }

    /** Nanoseconds for {@code threads} fresh threads to each run {@code form}'s chains {@code iterations} times. */
    private static long runOnThreads(FmaChains.Form form, int threads, long iterations) {
        Thread[] workers = new Thread[threads];
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> FmaChains.run(form, iterations), "fma-roof-" + t);
            workers[t].start();
        }
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while measuring the FMA roof", e);
            }
        }
        return System.nanoTime() - t0;
    }

    /**
     * The roof in GFLOP/s: the fastest repetition. The loop touches no memory, so other load on the machine
     * can only slow a repetition down (on a shared 2-core machine, to half); the fastest is the machine's.
     */
    public double roofGflops() {
        return gflops.max();
    }

    /** {@code achievedGflops} as a fraction of the roof (0.5 = half the roof). */
    public double fractionOf(double achievedGflops) {
        return achievedGflops / roofGflops();
    }
}
