package org.lstm4j.workloads;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.Collectors;
import org.lstm4j.kernels.KernelInfo;
import org.lstm4j.kernels.VectorWidth;

/**
 * The float vector width the kernels run at, and what chose it: the CPU's preferred width, the JVM's
 * under options that narrow it ({@code -XX:MaxVectorSize=}, {@code -XX:UseAVX=}), or the library's
 * {@code -Dlstm4j.vector.bits} (forced: wider than the CPU's vectors, C2 emulates them). Benchmark figures
 * depend on it, so reports state it.
 *
 * @param bits   bits per float vector ({@code VectorWidth.FLOATS.vectorBitSize()}); 0 without the Vector API
 * @param forced whether {@code -Dlstm4j.vector.bits} set it
 * @param source what chose it, for a report
 */
public record VectorWidthInUse(int bits, boolean forced, String source) {
    /** The JVM options that narrow the JVM's preferred vectors (HotSpot x86 and AArch64). */
    private static final List<String> NARROWING_OPTIONS = List.of("-XX:MaxVectorSize=", "-XX:UseAVX=", "-XX:UseSVE=");

    /** The width of this JVM. */
    public static VectorWidthInUse detect() {
        return of(KernelInfo.vectorBits(), KernelInfo.forcedVectorBits(),
                ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** The width from its parts: the bits in use, the forced bits (0 if none) and the JVM's options. */
    static VectorWidthInUse of(int bits, int forcedBits, List<String> jvmArguments) {
        if (bits == 0) {
            return new VectorWidthInUse(0, false, "no Vector API: plain-Java kernels");
        }
        if (forcedBits > 0) {
            // A compile-time constant: naming it does not load VectorWidth (which needs the Vector API).
            return new VectorWidthInUse(bits, true, "forced by -D" + VectorWidth.PROPERTY + "=" + forcedBits);
        }
        String narrowing = jvmArguments.stream().filter(a -> NARROWING_OPTIONS.stream().anyMatch(a::startsWith))
                .collect(Collectors.joining(" "));
        return new VectorWidthInUse(bits, false, narrowing.isEmpty() ? "the CPU's preferred width"
                : "the JVM's preferred width under " + narrowing);
    }

    /** E.g. {@code 256-bit vectors (the CPU's preferred width)}. */
    public String describe() {
        return bits == 0 ? source : bits + "-bit vectors (" + source + ")";
    }
}
