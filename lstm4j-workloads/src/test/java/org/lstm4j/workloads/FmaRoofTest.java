package org.lstm4j.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lstm4j.kernels.KernelInfo;

class FmaRoofTest {
    @Test
    void fractionIsTheAchievedGflopsOverTheFastestRepetition() {
        FmaRoof roof = new FmaRoof(2, 256, 5, new Summary(75, 150, 160));
        assertEquals(160, roof.roofGflops());
        assertEquals(0.5, roof.fractionOf(80), 1e-12);
        assertEquals(1.25, roof.fractionOf(200), 1e-12); // above the roof is reported as it is, not clamped
        assertEquals(0, roof.fractionOf(0));
    }

    @Test
    void aShortMeasurementRunsAtTheKernelsWidthOnTheGivenThreads() {
        // Surefire runs with the Vector API, so there is a roof to measure.
        FmaRoof roof = FmaRoof.measure(1, 2, 0.02).orElseThrow();
        assertEquals(1, roof.threads());
        assertEquals(KernelInfo.vectorBits(), roof.vectorBits());
        Summary g = roof.gflops();
        assertTrue(g.min() > 0 && g.min() <= g.median() && g.median() <= g.max(), g.toString());
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> FmaRoof.measure(0, 1, 0.1));
        assertThrows(IllegalArgumentException.class, () -> FmaRoof.measure(1, 0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> FmaRoof.measure(1, 1, Double.NaN));
    }
}
