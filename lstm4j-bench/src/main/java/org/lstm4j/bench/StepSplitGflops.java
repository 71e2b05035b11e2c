package org.lstm4j.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.lstm4j.kernels.Gemm;
import org.lstm4j.kernels.Parallelism;

/**
 * How the recurrent products of a many-row inference step divide between two threads, measured without the rest
 * of the layer: infer-large's shape (32 rows, 4·512 gate columns, k = 512, W_hh packed, 200 steps), each of two
 * threads running its share of every step on its own ({@link Parallelism#runWithThreads} of 1):
 * <ul>
 *   <li>{@code rows}: 16 rows × all 2048 columns per thread, no meeting between steps (what
 *       {@code LstmKernel} does: each thread carries its batch rows through all steps);
 *   <li>{@code rows+C}: the same, adding to a projection written before for all steps ({@code beta = 1},
 *       52 MB read back a step at a time, as the layer does);
 *   <li>{@code columns}: all 32 rows × 1024 columns per thread (each W_hh byte serves 32 rows, each thread
 *       streams half of W_hh), the two threads meeting after every step, as the next step needs all of h.
 * </ul>
 *
 * <p>Usage: {@code java --add-modules=jdk.incubator.vector -cp benchmarks.jar org.lstm4j.bench.StepSplitGflops
 * [rounds]} (default 12, the first 2 not counted); prints GFLOP/s median [min-max] per scheme, the schemes
 * alternating round by round.
 */
public final class StepSplitGflops {
    private static final int ROWS = 32;
    private static final int GATE_COLUMNS = 2048;
    private static final int K = 512;
    private static final int STEPS = 200;
    private static final String[] SCHEMES = {"rows", "rows+C", "columns"};

    private StepSplitGflops() {}

    public static void main(String[] args) throws InterruptedException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        Random random = new Random(1);
        float[] w = randomArray(random, GATE_COLUMNS * K);
        Gemm.PackedB all = Gemm.packB(true, K, GATE_COLUMNS, w, 0, K, new float[Gemm.packedSize(K, GATE_COLUMNS)]);
        int halfColumns = GATE_COLUMNS / 2;
        Gemm.PackedB[] halves = new Gemm.PackedB[2];
        for (int t = 0; t < 2; t++) {
            halves[t] = Gemm.packB(true, K, halfColumns, w, t * halfColumns * K, K,
                    new float[Gemm.packedSize(K, halfColumns)]);
        }
        float[] h = randomArray(random, STEPS * ROWS * K);
        float[] projection = randomArray(random, STEPS * ROWS * GATE_COLUMNS);
        float[] gates = new float[ROWS * GATE_COLUMNS];
        float[][] halfGates = {new float[ROWS * halfColumns], new float[ROWS * halfColumns]};
        double[][] gflops = new double[SCHEMES.length][rounds - 2];
        for (int round = 0; round < rounds; round++) {
            for (int scheme = 0; scheme < SCHEMES.length; scheme++) {
                int s = scheme;
                AtomicInteger arrivals = new AtomicInteger();
                Thread[] threads = new Thread[2];
                long start = System.nanoTime();
                for (int t = 0; t < 2; t++) {
                    int half = t;
                    int r0 = half * ROWS / 2;
                    threads[t] = new Thread(() -> Parallelism.runWithThreads(1, () -> {
                        for (int step = 0; step < STEPS; step++) {
                            int row = step * ROWS;
                            switch (s) {
                                case 0 -> Gemm.sgemm(ROWS / 2, 1f, h, (row + r0) * K, K, all, 0f, gates,
                                        r0 * GATE_COLUMNS, GATE_COLUMNS);
                                case 1 -> Gemm.sgemm(ROWS / 2, 1f, h, (row + r0) * K, K, all, 1f, projection,
                                        (row + r0) * GATE_COLUMNS, GATE_COLUMNS);
                                default -> {
                                    Gemm.sgemm(ROWS, 1f, h, row * K, K, halves[half], 0f, halfGates[half], 0,
                                            halfColumns);
                                    arrivals.incrementAndGet();
                                    while (arrivals.get() < 2 * (step + 1)) {
                                        Thread.onSpinWait();
                                    }
                                }
                            }
                        }
                    }));
                    threads[t].start();
                }
                for (Thread thread : threads) {
                    thread.join();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (round >= 2) {
                    gflops[scheme][round - 2] = 2.0 * ROWS * GATE_COLUMNS * K * STEPS / seconds / 1e9;
                }
            }
        }
        for (int scheme = 0; scheme < SCHEMES.length; scheme++) {
            double[] g = gflops[scheme];
            Arrays.sort(g);
            System.out.printf(Locale.ROOT, "%-8s %7.1f GFLOP/s [%.1f-%.1f] over %d rounds%n", SCHEMES[scheme],
                    g[g.length / 2], g[0], g[g.length - 1], g.length);
        }
    }

    private static float[] randomArray(Random random, int length) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            a[i] = random.nextFloat() - 0.5f;
        }
        return a;
    }
}
