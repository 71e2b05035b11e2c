package org.lstm4j.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lstm4j.kernels.KernelInfo;

class VectorWidthInUseTest {
    @Test
    void thePreferredWidthWithoutOptions() {
        VectorWidthInUse w = VectorWidthInUse.of(512, 0, List.of("-Xmx4g"));
        assertEquals(512, w.bits());
        assertFalse(w.forced());
        assertEquals("512-bit vectors (the CPU's preferred width)", w.describe());
    }

    @Test
    void jvmOptionsThatNarrowTheVectorsAreNamed() {
        VectorWidthInUse w = VectorWidthInUse.of(256, 0, List.of("-Xmx4g", "-XX:UseAVX=2", "-XX:MaxVectorSize=32"));
        assertFalse(w.forced());
        assertEquals("256-bit vectors (the JVM's preferred width under -XX:UseAVX=2 -XX:MaxVectorSize=32)", w.describe());
    }

    @Test
    void theLibrarysSwitchIsReportedAsForced() {
        VectorWidthInUse w = VectorWidthInUse.of(128, 128, List.of("-Dlstm4j.vector.bits=128"));
        assertTrue(w.forced());
        assertEquals("128-bit vectors (forced by -Dlstm4j.vector.bits=128)", w.describe());
    }

    @Test
    void withoutTheVectorApiThereIsNoWidth() {
        assertEquals("no Vector API: plain-Java kernels", VectorWidthInUse.of(0, 0, List.of()).describe());
    }

    @Test
    void detectReportsTheKernelsWidth() {
        assertEquals(KernelInfo.vectorBits(), VectorWidthInUse.detect().bits());
    }
}
