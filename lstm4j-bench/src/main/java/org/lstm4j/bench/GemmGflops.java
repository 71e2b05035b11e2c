package org.lstm4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.lstm4j.kernels.Gemm;
import org.lstm4j.kernels.Parallelism;

/**
 * Prints a GFLOP/s table (median, min, max over repetitions) of {@link Gemm#sgemm} without JMH, for notes.
 *
 * <p>Usage: {@code java --add-modules=jdk.incubator.vector -cp benchmarks.jar org.lstm4j.bench.GemmGflops
 * [shape ...]} with shapes like {@code 512x512x512:NN} ({@code :NTP} = packed B); add {@code -Dlstm4j.gemm.vector=false} for the
 * plain-Java kernel and {@code -Dgflops.threads=1,2} / {@code -Dgflops.reps=9} to change the runs.
 */
public final class GemmGflops {
    private GemmGflops() {}

    public static void main(String[] args) {
        List<String> shapeTexts = args.length > 0 ? Arrays.asList(args) : GemmShapes.ALL;
        int[] threadCounts = Arrays.stream(System.getProperty("gflops.threads", "1,2").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int reps = Math.max(7, Integer.getInteger("gflops.reps", 9));
        String path = "false".equalsIgnoreCase(System.getProperty("lstm4j.gemm.vector"))
                || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty() ? "fallback" : "vector";
        System.out.printf("%-20s %7s %8s %9s %9s %9s%n", "shape", "threads", "path", "median", "min", "max");
        for (String text : shapeTexts) {
            GemmShapes.Shape shape = GemmShapes.Shape.parse(text);
            for (int threads : threadCounts) {
                Parallelism.setThreads(threads);
                double[] gflops = measure(shape, reps);
                Arrays.sort(gflops);
                System.out.printf("%-20s %7d %8s %9.1f %9.1f %9.1f%n", text, threads, path,
                        gflops[gflops.length / 2], gflops[0], gflops[gflops.length - 1]);
            }
        }
    }

    /** GFLOP/s of each repetition; a repetition runs enough calls to last about 50 ms. */
    private static double[] measure(GemmShapes.Shape s, int reps) {
        Random random = new Random(42);
        float[] a = random(random, s.m() * s.k());
        float[] b = random(random, s.k() * s.n());
        float[] c = new float[s.m() * s.n()];
        int lda = s.transA() ? s.m() : s.k();
        int ldb = s.transB() ? s.k() : s.n();
        Runnable call;
        if (s.packedB()) {
            Gemm.PackedB packed = Gemm.packB(s.transB(), s.k(), s.n(), b, 0, ldb,
                    new float[Gemm.packedSize(s.k(), s.n())]);
            call = () -> Gemm.sgemm(s.m(), 1f, a, 0, s.k(), packed, 0f, c, 0, s.n());
        } else {
            call = () -> Gemm.sgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), 1f, a, 0, lda, b, 0, ldb,
                    0f, c, 0, s.n());
        }
        // Warm up (JIT) for about a second, and size repetitions from the warm speed.
        long warmStart = System.nanoTime();
        long warmCalls = 0;
        while (System.nanoTime() - warmStart < 1_000_000_000L) {
            call.run();
            warmCalls++;
        }
        double nanosPerCall = (System.nanoTime() - warmStart) / (double) warmCalls;
        int callsPerRep = (int) Math.max(1, 50_000_000L / nanosPerCall);
        List<Double> results = new ArrayList<>();
        for (int rep = 0; rep < reps; rep++) {
            long start = System.nanoTime();
            for (int i = 0; i < callsPerRep; i++) {
                call.run();
            }
            long elapsed = System.nanoTime() - start;
            results.add(s.flops() * callsPerRep / elapsed);
        }
        return results.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static float[] random(Random random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = random.nextFloat() * 2f - 1f;
        }
        return values;
    }
}
