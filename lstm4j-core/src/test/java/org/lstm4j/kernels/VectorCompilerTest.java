package org.lstm4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VectorCompilerTest {
    /** The releases and settings measured under QEMU (bench/README, "Stop 33"), and the ones taken as Java 17. */
    @ParameterizedTest(name = "{0}, Java {1}, UseSVE={2}: {3}")
    @CsvSource({
            // Java 17's C2 on SVE boxed compare, blend, reinterpretShape and I2F at 128 and 256 bits.
            "aarch64, 17, 1, false",
            "aarch64, 17, 2, false",
            // 18 to 20 were not measured: taken as 17.
            "aarch64, 20, 2, false",
            // NEON (UseSVE=0) on Java 17, and SVE on Java 21 and 25, compiled them all.
            "aarch64, 17, 0, true",
            "aarch64, 21, 2, true",
            "aarch64, 25, 1, true",
            // x86 has no UseSVE (read as 0); the rule is for aarch64 only even if it were set.
            "amd64, 17, 0, true",
            "x86_64, 17, 2, true",
    })
    void boxesMasksOnlyOnSveBeforeJava21(String arch, int feature, int useSve, boolean compiles) {
        assertEquals(compiles, VectorCompiler.compilesLaneOperations(arch, feature, () -> useSve));
    }

    @Test
    void readsUseSveOnlyWhereItDecides() {
        IntSupplier unreadable = () -> {
            throw new AssertionError("UseSVE read");
        };
        assertTrue(VectorCompiler.compilesLaneOperations("amd64", 17, unreadable));
        assertTrue(VectorCompiler.compilesLaneOperations("aarch64", 21, unreadable));
    }

    @Test
    void thisX86TestJvmCompilesThemAndSoReportsNoFallback() {
        assumeFalse(System.getProperty("os.arch").equalsIgnoreCase("aarch64"), "the rule reads UseSVE there");
        assertTrue(VectorCompiler.compilesLaneOperations());
        assertFalse(KernelInfo.describe().contains("plain Java"), KernelInfo.describe());
    }

    @Test
    void theAdviceNamesBothWaysOut() {
        String advice = VectorCompiler.sveAdvice();
        assertTrue(advice.contains("-XX:UseSVE=0"), advice);
        assertTrue(advice.contains("Java " + VectorCompiler.FIRST_RELEASE_WITH_SVE_LANE_OPERATIONS + " or later"), advice);
    }
}
