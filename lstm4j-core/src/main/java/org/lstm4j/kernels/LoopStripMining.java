package org.lstm4j.kernels;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Whether C2 strip-mines counted loops in this JVM ({@code -XX:LoopStripMiningIter} above 0): on by default
 * with G1, ZGC and Shenandoah, off with the serial and parallel collectors unless
 * {@code -XX:+UseCountedLoopSafepoints -XX:LoopStripMiningIter=1000} turn it on. The GEMM micro-kernel's
 * k loop keeps 15 of AVX2's 16 vector registers live with 6-row tiles; without strip mining C2 allocated
 * that loop with spills in about half of the compiles (in isolation: 53 or 115 GFLOP/s per core at 256 bits,
 * Zen 5, by JVM), with it in none of 16. {@link VectorMicroKernel} takes 5-row tiles where it is off.
 */
final class LoopStripMining {
    private static final boolean ENABLED = readEnabled();

    private LoopStripMining() {}

    /** @return whether counted loops are strip-mined; false when it cannot be told (not HotSpot, no management module) */
    static boolean enabled() {
        return ENABLED;
    }

    private static boolean readEnabled() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return vm != null && Long.parseLong(vm.getVMOption("LoopStripMiningIter").getValue()) > 0;
        } catch (RuntimeException | LinkageError e) {
            // Not a HotSpot JVM, or a runtime image without jdk.management: assume the conservative case.
            return false;
        }
    }
}
