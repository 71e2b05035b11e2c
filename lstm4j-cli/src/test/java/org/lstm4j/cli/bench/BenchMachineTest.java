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
    void theLineNamesCpuJavaWidthAndRoof() {
        BenchMachine m = new BenchMachine("AMD EPYC 7B13", "17.0.15+6-Debian-1deb12u1", AVX2,
                new FmaRoof(2, 256, 5, new Summary(148.2, 152.4, 155.0)));
        assertEquals("machine: AMD EPYC 7B13; Java 17.0.15+6-Debian-1deb12u1; 256-bit vectors (the CPU's preferred"
                + " width); FMA roof 155 GFLOP/s on 2 threads (fastest of 5 runs, median 152; Java vector FMAs at this"
                + " width, no memory traffic)", m.describe());
    }

    @Test
    void roofFractionAndItsPercentage() {
        BenchMachine m = new BenchMachine("x", "17", AVX2, new FmaRoof(2, 256, 5, new Summary(150, 160, 170)));
        assertEquals(0.5, m.roofFraction(85), 1e-12); // of the fastest run, 170
        assertEquals("50%", BenchOutput.percent(m.roofFraction(85)));
        assertEquals("2.5%", BenchOutput.percent(m.roofFraction(4.25)));
        assertEquals("0.05%", BenchOutput.percent(m.roofFraction(0.085)));
        assertEquals("<0.01%", BenchOutput.percent(m.roofFraction(0.005)));
    }

    @Test
    void withoutARoofThereIsNoFraction() {
        BenchMachine m = new BenchMachine("x", "17", AVX2, null);
        assertTrue(Double.isNaN(m.roofFraction(80)));
        assertTrue(m.describe().endsWith("FMA roof not measured"), m.describe());
    }
}
