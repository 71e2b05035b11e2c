package org.lstm4j.bench.profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.lstm4j.kernels.Parallelism;

/**
 * Times the target workloads: per step median / min / max, tokens per second, and the share of each phase.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -cp core-classes:bench-classes org.lstm4j.bench.profile.Profile \
 *     [--threads N] [--seconds S] [--warmup S] workload...
 * </pre>
 * Workloads: charlm, rows, rows-gru, rows-bi, sine, infer-large, stream (default: all). Steps are grouped in
 * batches of at least 20 ms; the statistics are over the per-step times of the batches.
 */
public final class Profile {
    private Profile() {}

    public static void main(String[] args) {
        double seconds = 6;
        double warmup = 4;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> Parallelism.setThreads(Integer.parseInt(args[++i]));
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                default -> names.add(args[i]);
            }
        }
        if (names.isEmpty()) {
            names.addAll(Workloads.names());
        }
        for (String name : names) {
            run(Workloads.create(name), warmup, seconds);
        }
    }

    static void run(Workloads.Workload w, double warmupSeconds, double seconds) {
        String[] phases = w.phases();
        long[] scratch = new long[phases.length];
        long end = System.nanoTime() + (long) (warmupSeconds * 1e9);
        while (System.nanoTime() < end) {
            w.step(scratch);
        }
        List<Double> perStep = new ArrayList<>();
        long[] phaseNanos = new long[phases.length];
        long totalSteps = 0;
        end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end || perStep.size() < 5) {
            long t0 = System.nanoTime();
            int n = 0;
            do {
                w.step(phaseNanos);
                n++;
            } while (System.nanoTime() - t0 < 20_000_000L);
            perStep.add((System.nanoTime() - t0) / (double) n);
            totalSteps += n;
        }
        double[] s = perStep.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = s[s.length / 2];
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-12s threads=%d step median %s (min %s, max %s, n=%d)  %.0f tokens/s",
                w.name(), Parallelism.threads(), time(median), time(s[0]), time(s[s.length - 1]), totalSteps,
                w.tokens() / (median * 1e-9)));
        long sum = Arrays.stream(phaseNanos).sum();
        if (phases.length > 1) {
            out.append("\n             ");
            for (int i = 0; i < phases.length; i++) {
                out.append(String.format(Locale.ROOT, " %s %s (%.0f%%)", phases[i],
                        time(phaseNanos[i] / (double) totalSteps), 100.0 * phaseNanos[i] / sum));
            }
        }
        System.out.println(out);
    }

    static String time(double nanos) {
        if (nanos >= 1e6) {
            return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
    }
}
