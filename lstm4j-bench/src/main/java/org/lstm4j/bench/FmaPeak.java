package org.lstm4j.bench;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's fused multiply-add peak as Java code reaches it: each thread runs twelve independent vector FMA
 * chains (enough to cover the FMA latency on both pipes) with no memory traffic. This is the roof the GEMM
 * figures of {@link GemmGflops} and the bench workloads are read against.
 *
 * <p>Usage: {@code java --add-modules=jdk.incubator.vector -cp benchmarks.jar org.lstm4j.bench.FmaPeak
 * [threads ...]} (default 1 and 2); prints GFLOP/s median [min-max] over 7 runs of about 0.5 s.
 */
public final class FmaPeak {
    // The kernels' width (the preferred one, or -Dlstm4j.vector.bits), so the roof is the one they run against.
    private static final VectorSpecies<Float> SPECIES = org.lstm4j.kernels.VectorWidth.FLOATS;
    private static final int CHAINS = 12;

    private FmaPeak() {}

    public static void main(String[] args) throws InterruptedException {
        int[] threadCounts = args.length > 0 ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 2};
        long iterations = 100_000_000L;
        double flopsPerIteration = CHAINS * SPECIES.length() * 2.0;
        for (int i = 0; i < 4; i++) {
            chains(iterations / 4); // compiled (C2, normal entry rather than OSR) before timing
        }
        for (int threads : threadCounts) {
            double[] gflops = new double[7];
            for (int rep = 0; rep < gflops.length; rep++) {
                Thread[] workers = new Thread[threads];
                long t0 = System.nanoTime();
                for (int t = 0; t < threads; t++) {
                    workers[t] = new Thread(() -> chains(iterations));
                    workers[t].start();
                }
                for (Thread w : workers) {
                    w.join();
                }
                gflops[rep] = threads * iterations * flopsPerIteration / (System.nanoTime() - t0);
            }
            Arrays.sort(gflops);
            System.out.printf("FMA peak, %d thread(s), %d-lane vectors: %.1f GFLOP/s [%.1f-%.1f]%n", threads,
                    SPECIES.length(), gflops[gflops.length / 2], gflops[0], gflops[gflops.length - 1]);
        }
    }

    /** Twelve chains of a ← a·b + c; the result is returned so that C2 cannot drop the loop. */
    static float chains(long iterations) {
        FloatVector b = FloatVector.broadcast(SPECIES, 0.999f);
        FloatVector c = FloatVector.broadcast(SPECIES, 1e-3f);
        FloatVector a0 = c, a1 = c, a2 = c, a3 = c, a4 = c, a5 = c, a6 = c, a7 = c, a8 = c, a9 = c, a10 = c, a11 = c;
        for (long i = 0; i < iterations; i++) {
            a0 = a0.fma(b, c);
            a1 = a1.fma(b, c);
            a2 = a2.fma(b, c);
            a3 = a3.fma(b, c);
            a4 = a4.fma(b, c);
            a5 = a5.fma(b, c);
            a6 = a6.fma(b, c);
            a7 = a7.fma(b, c);
            a8 = a8.fma(b, c);
            a9 = a9.fma(b, c);
            a10 = a10.fma(b, c);
            a11 = a11.fma(b, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
