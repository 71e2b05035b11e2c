package org.lstm4j.cli.bench;

import java.util.Locale;
import org.lstm4j.cli.MachineInfo;
import org.lstm4j.workloads.FmaRoof;
import org.lstm4j.workloads.VectorWidthInUse;

/**
 * What {@code lstm4j bench}'s figures are read against: the CPU, the Java release (its C2 compiles the kernels,
 * and releases have differed by tens of percent on the same code), the vector width the kernels run at, and the
 * FMA roof Java reaches at that width on the benchmark's thread count.
 *
 * @param cpuModel the CPU's model name (/proc/cpuinfo, or the OS architecture)
 * @param java     the Java runtime version ({@code java.runtime.version})
 * @param width    the kernels' vector width and what chose it
 * @param roof     the FMA roof, or null when it was not measured ({@code --no-roof}, or no Vector API)
 */
public record BenchMachine(String cpuModel, String java, VectorWidthInUse width, FmaRoof roof) {

    /** This machine; the roof measured now (about 1.5 s, {@code quick}: under 1 s) unless {@code measureRoof} is false. */
    public static BenchMachine detect(int threads, boolean measureRoof, boolean quick) {
        FmaRoof roof = !measureRoof ? null
                : FmaRoof.measure(threads, quick ? FmaRoof.QUICK_REPETITIONS : FmaRoof.REPETITIONS,
                        quick ? FmaRoof.QUICK_SECONDS_PER_REP : FmaRoof.SECONDS_PER_REP).orElse(null);
        MachineInfo machine = MachineInfo.detect();
        return new BenchMachine(machine.cpuModel(), machine.java(), VectorWidthInUse.detect(), roof);
    }

    /**
     * E.g. {@code machine: AMD EPYC 7B13; Java 17.0.15+6; 256-bit vectors (the CPU's preferred width); FMA roof
     * 155 GFLOP/s on 2 threads (fastest of 5 runs, median 152; Java vector FMAs at this width, no memory traffic)}.
     */
    public String describe() {
        String roofText = roof == null ? "FMA roof not measured"
                : String.format(Locale.ROOT, "FMA roof %s GFLOP/s on %d thread%s (fastest of %d runs, median %s;"
                        + " Java vector FMAs at this width, no memory traffic)", BenchOutput.num(roof.roofGflops()),
                        roof.threads(), roof.threads() == 1 ? "" : "s", roof.repetitions(),
                        BenchOutput.num(roof.gflops().median()));
        return "machine: " + cpuModel + "; Java " + java + "; " + width.describe() + "; " + roofText;
    }

    /** {@code gflops} as a fraction of the roof, or NaN without a roof. */
    public double roofFraction(double gflops) {
        return roof == null ? Double.NaN : roof.fractionOf(gflops);
    }
}
