package org.lstm4j.workloads;

import java.util.Optional;
import org.lstm4j.kernels.KernelInfo;

/**
 * The fused multiply-add peak Java code reaches on this machine at the kernels' vector width: the roof that
 * workload GFLOP/s are read against ({@code % of roof}). Measured on {@code threads} threads at once, each
 * running {@link FmaChains} with no memory traffic.
 *
 * @param threads    threads that ran the chains at once
 * @param vectorBits the width of the vectors they ran on
 * @param gflops     GFLOP/s of all threads together over the repetitions
 */
public record FmaRoof(int threads, int vectorBits, Summary gflops) {
    /** {@code lstm4j bench}'s measurement: about 1.5 s (5 repetitions of 0.25 s after a short warm-up). */
    public static final int REPETITIONS = 5;
    public static final double SECONDS_PER_REP = 0.25;
    /** {@code lstm4j bench --quick}: about 0.6 s. */
    public static final int QUICK_REPETITIONS = 3;
    public static final double QUICK_SECONDS_PER_REP = 0.12;

    /** Iterations of one calibration call: long enough to time, short enough to stay well inside a budget. */
    private static final long CALIBRATION_ITERATIONS = 2_000_000L;

    public FmaRoof {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
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
        // Four calls, so that the timed ones run the loop compiled by C2 with a normal entry, not the
        // on-stack-replacement version the first call gets.
        long calibrationNanos = 0;
        for (int i = 0; i < 4; i++) {
            long t0 = System.nanoTime();
            FmaChains.run(CALIBRATION_ITERATIONS);
            calibrationNanos = System.nanoTime() - t0;
        }
        long iterations = Math.max(1, Math.round(CALIBRATION_ITERATIONS * secondsPerRep * 1e9 / Math.max(1, calibrationNanos)));
        double flops = FmaChains.flopsPerIteration() * iterations * threads;
        double[] gflops = new double[repetitions];
        for (int rep = 0; rep < repetitions; rep++) {
            gflops[rep] = flops / runOnThreads(threads, iterations);
        }
        return Optional.of(new FmaRoof(threads, FmaChains.lanes() * Float.SIZE, Summary.of(gflops)));
    }

    /** Nanoseconds for {@code threads} fresh threads to each run the chains {@code iterations} times. */
    private static long runOnThreads(int threads, long iterations) {
        Thread[] workers = new Thread[threads];
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> FmaChains.run(iterations), "fma-roof-" + t);
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

    /** The roof: the median over the repetitions, in GFLOP/s. */
    public double medianGflops() {
        return gflops.median();
    }

    /** {@code achievedGflops} as a fraction of the roof's median (0.5 = half the roof). */
    public double fractionOf(double achievedGflops) {
        return achievedGflops / gflops.median();
    }
}
