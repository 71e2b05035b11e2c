package org.lstm4j.bench;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.lstm4j.workloads.BenchStep;
import org.lstm4j.workloads.WorkloadModels;
import org.lstm4j.workloads.Workloads;

/**
 * A paired A/B of one bench workload inside one JVM: a static boolean switch of the library (such as
 * {@code org.lstm4j.nn.rnn.InputProjection#perStepEnabled}) is flipped between short alternating rounds, and the
 * result is the median of the per-round time ratios. Both sides share the JIT state, the heap and the
 * machine's moment, so on a shared, noisy machine it resolves differences of a few percent that separate
 * processes (±20% from run to run here) cannot.
 *
 * <pre>java --add-modules=jdk.incubator.vector -cp lstm4j-bench/target/benchmarks.jar org.lstm4j.bench.SwitchAB \
 *     rows org.lstm4j.nn.rnn.InputProjection#perStepEnabled 20 [seconds per side, default 0.6]</pre>
 */
public final class SwitchAB {
    private SwitchAB() {}

    public static void main(String[] args) throws ReflectiveOperationException {
        if (args.length < 3 || !args[1].contains("#")) {
            System.err.println("usage: SwitchAB WORKLOAD CLASS#STATIC_BOOLEAN_FIELD ROUNDS [SECONDS_PER_SIDE]");
            System.exit(2);
        }
        String workload = args[0];
        String[] target = args[1].split("#", 2);
        int rounds = Integer.parseInt(args[2]);
        long sideNanos = (long) ((args.length > 3 ? Double.parseDouble(args[3]) : 0.6) * 1e9);
        Field flag = Class.forName(target[0]).getDeclaredField(target[1]);
        if (flag.getType() != boolean.class || !Modifier.isStatic(flag.getModifiers())
                || Modifier.isFinal(flag.getModifiers())) {
            throw new IllegalArgumentException(args[1] + ": expected a static, non-final boolean field, got "
                    + Modifier.toString(flag.getModifiers()) + " " + flag.getType().getName());
        }
        flag.setAccessible(true);
        boolean original = flag.getBoolean(null);
        BenchStep step = WorkloadModels.create(Workloads.byName(workload).orElseThrow(() ->
                new IllegalArgumentException("unknown workload '" + workload + "': expected one of "
                        + Workloads.names())), 42);
        // Warm both sides up, so that neither runs on code compiled for the other alone.
        long warmEnd = System.nanoTime() + 4_000_000_000L;
        for (int i = 0; System.nanoTime() < warmEnd; i++) {
            flag.setBoolean(null, (i & 1) == 1);
            step.run();
        }
        List<Double> off = new ArrayList<>();
        List<Double> on = new ArrayList<>();
        List<Double> speedup = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            double[] micros = new double[2];
            for (int k = 0; k < 2; k++) {
                // Alternate which side goes first, so a drift within a round favours neither.
                int side = k ^ (r & 1);
                flag.setBoolean(null, side == 1);
                step.run();
                long t0 = System.nanoTime();
                int steps = 0;
                while (System.nanoTime() - t0 < sideNanos) {
                    step.run();
                    steps++;
                }
                micros[side] = (System.nanoTime() - t0) / 1e3 / steps;
            }
            off.add(micros[0]);
            on.add(micros[1]);
            speedup.add(micros[0] / micros[1]);
        }
        flag.setBoolean(null, original);
        System.out.printf("%s %s, %d rounds: us/step false %s, true %s; speedup of true (false/true) %s%n", workload,
                args[1], rounds, summary(off, "%.0f"), summary(on, "%.0f"), summary(speedup, "%.3f"));
    }

    /** median [min-max] */
    private static String summary(List<Double> values, String format) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return String.format(format + " [" + format + "-" + format + "]", sorted.get(sorted.size() / 2), sorted.get(0),
                sorted.get(sorted.size() - 1));
    }
}
