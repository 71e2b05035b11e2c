package org.lstm4j.kernels;

import java.lang.management.ManagementFactory;
import java.util.function.IntSupplier;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * What this JVM's JIT compiler turns into vector instructions beyond arithmetic, loads, stores and broadcasts.
 * A Vector API operation that C2 does not compile runs as Java code on vector objects boxed on the heap:
 * megabytes allocated per step and several times slower than plain Java.
 *
 * <p>Java 17's C2 on an aarch64 CPU with SVE ({@code -XX:UseSVE} 1 or 2, which it picks by itself on Graviton 3
 * and 4, Neoverse N2/V1/V2 and A64FX) compiles vector arithmetic at the SVE width but not the lane operations:
 * masks (compare, blend), lane reads ({@code lane(i)}), lane reinterpretation and int/float conversion; nor any
 * other species at all. Measured under QEMU (bench/README, "Stop 33: ARM under emulation"): Java 17 with SVE of
 * 128 and 256 bits boxes them; Java 17 with {@code -XX:UseSVE=0} (NEON), Java 21 and Java 25 with SVE, and x86
 * compile them all. Java 18 to 20 were not checked and are taken as Java 17.
 */
public final class VectorCompiler {
    /** The first Java release measured to compile the lane operations on SVE. */
    static final int FIRST_RELEASE_WITH_SVE_LANE_OPERATIONS = 21;

    private static final boolean LANE_OPERATIONS = compilesLaneOperations(
            System.getProperty("os.arch", ""), Runtime.version().feature(), VectorCompiler::useSve);

    private VectorCompiler() {}

    /**
     * @return whether this JVM compiles the Vector API's lane operations: masks, lane reads, lane reinterpretation
     *     and int/float conversion (the exp, σ and tanh of the gate passes, and the lane sums of the GEMM's
     *     dot products, need them); false only for Java before 21 on aarch64 with SVE on
     */
    public static boolean compilesLaneOperations() {
        return LANE_OPERATIONS;
    }

    /**
     * The rule behind {@link #compilesLaneOperations()}.
     *
     * @param osArch      the {@code os.arch} property
     * @param javaFeature {@link Runtime.Version#feature()}
     * @param useSve      the value of {@code -XX:UseSVE}, 0 where it is off or the JVM has no such option; asked
     *     only on aarch64 before Java 21 (reading it starts the JVM's management beans)
     */
    static boolean compilesLaneOperations(String osArch, int javaFeature, IntSupplier useSve) {
        return !(KernelInfo.isAarch64(osArch) && javaFeature < FIRST_RELEASE_WITH_SVE_LANE_OPERATIONS && useSve.getAsInt() > 0);
    }

    /** What a user can do about {@link #compilesLaneOperations()} being false, for warnings and reports. */
    public static String sveAdvice() {
        return "Java " + Runtime.version().feature() + " on an SVE CPU does not compile the Vector API's lane "
                + "operations (masks, lane reads and casts would be boxed on the heap), so the gate passes and the "
                + "dot products of 1-4-row matrix products run in plain Java; start Java with -XX:UseSVE=0 (NEON "
                + "vectors, what the lstm4j launcher does) or use Java " + FIRST_RELEASE_WITH_SVE_LANE_OPERATIONS
                + " or later";
    }

    /** {@code -XX:UseSVE}, read through HotSpot's diagnostic bean; 0 where the JVM has no such option. */
    private static int useSve() {
        try {
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotSpot == null ? 0 : Integer.parseInt(hotSpot.getVMOption("UseSVE").getValue());
        } catch (IllegalArgumentException | UnsupportedOperationException | SecurityException | LinkageError e) {
            // No such option (x86, or not HotSpot), or no management module: no SVE compiler to worry about.
            return 0;
        }
    }
}
