package org.lstm4j.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FmaChainsTest {
    /**
     * Each chain runs a ← 0.999·0.001 + a from 0.001 (through the addend, as a GEMM accumulates); the loop returns
     * the sum over its chains and lanes.
     */
    private static double expected(int chains, int iterations) {
        float a = 1e-3f;
        for (int i = 0; i < iterations; i++) {
            a = Math.fma(0.999f, 1e-3f, a);
        }
        return (double) a * chains * FmaChains.lanes();
    }

    @Test
    void eachFormRunsAsManyChainsAsItsFlopCountSays() {
        for (FmaChains.Form form : FmaChains.Form.values()) {
            int iterations = 7;
            double sum = FmaChains.run(form, iterations);
            assertEquals(expected(form.chains, iterations), sum, 1e-5 * sum, form.name());
            assertEquals(form.chains * FmaChains.lanes() * 2.0, form.flopsPerIteration());
        }
        assertEquals(10, FmaChains.Form.TEN_CHAINS.chains);
        assertEquals(12, FmaChains.Form.TWELVE_CHAINS.chains);
    }
}
