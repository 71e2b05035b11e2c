package org.lstm4j.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lstm4j.workloads.FmaRoof;
import org.lstm4j.workloads.Summary;
import org.lstm4j.workloads.VectorWidthInUse;

class BenchMachineTest {
    private static final VectorWidthInUse AVX2 = new VectorWidthInUse(256, false, "the CPU's preferred width");

    @Test
    void theLineNamesCpuWidthAndRoof() {
        BenchMachine m = new BenchMachine("AMD EPYC 7B13", AVX2, new FmaRoof(2, 256, new Summary(148.2, 152.4, 155.0)));
        assertEquals("machine: AMD EPYC 7B13; 256-bit vectors (the CPU's preferred width); FMA roof 152 GFLOP/s"
                + " [148-155] on 2 threads (vector FMAs at this width, no memory traffic)", m.describe());
    }

    @Test
    void roofFractionAndItsPercentage() {
        BenchMachine m = new BenchMachine("x", AVX2, new FmaRoof(2, 256, new Summary(150, 160, 170)));
        assertEquals(0.5, m.roofFraction(80), 1e-12);
        assertEquals("50%", BenchOutput.percent(m.roofFraction(80)));
        assertEquals("2.5%", BenchOutput.percent(m.roofFraction(4)));
    }

    @Test
    void withoutARoofThereIsNoFraction() {
        BenchMachine m = new BenchMachine("x", AVX2, null);
        assertTrue(Double.isNaN(m.roofFraction(80)));
        assertTrue(m.describe().endsWith("FMA roof not measured"), m.describe());
    }
}
