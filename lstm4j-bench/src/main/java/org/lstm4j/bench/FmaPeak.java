package org.lstm4j.bench;

import java.util.Arrays;
import java.util.Locale;
import org.lstm4j.workloads.FmaRoof;
import org.lstm4j.workloads.Summary;
import org.lstm4j.workloads.VectorWidthInUse;

/**
 * The machine's fused multiply-add peak as Java code reaches it at the kernels' vector width
 * ({@link FmaRoof}: ten or twelve independent vector FMA chains per thread, whichever is faster, no memory traffic). This is the roof the
 * GEMM figures of {@link GemmGflops} and the bench workloads are read against; {@code lstm4j bench} measures
 * the same roof briefly on its own thread count.
 *
 * <p>Usage: {@code java --add-modules=jdk.incubator.vector -cp benchmarks.jar org.lstm4j.bench.FmaPeak
 * [threads ...]} (default 1 and 2); prints GFLOP/s median [min-max] over 7 runs of about 0.5 s. Another width
 * on the same machine: {@code -XX:MaxVectorSize=16|32}, {@code -XX:UseAVX=2} or {@code -Dlstm4j.vector.bits=}.
 */
public final class FmaPeak {
    private FmaPeak() {}

    public static void main(String[] args) {
        int[] threadCounts = args.length > 0 ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 2};
        VectorWidthInUse width = VectorWidthInUse.detect();
        for (int threads : threadCounts) {
            FmaRoof roof = FmaRoof.measure(threads, 7, 0.5).orElseThrow(() -> new IllegalStateException(
                    "no Vector API: start Java with --add-modules=jdk.incubator.vector"));
            Summary g = roof.gflops();
            System.out.printf(Locale.ROOT, "FMA peak, %d thread(s), %s: %.1f GFLOP/s [%.1f-%.1f]%n", threads,
                    width.describe(), g.median(), g.min(), g.max());
        }
    }
}
