package org.lstm4j.workloads;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.lstm4j.kernels.VectorWidth;

/**
 * The FMA loop behind {@link FmaRoof}, in a class of its own so that the roof's other code loads on a JVM
 * without {@code jdk.incubator.vector}. Each call runs twelve independent vector FMA chains (enough to cover
 * the FMA latency on two pipes) with no memory traffic.
 */
final class FmaChains {
    /** The kernels' species (the preferred one, or -Dlstm4j.vector.bits): the roof is the one they run against. */
    private static final VectorSpecies<Float> SPECIES = VectorWidth.FLOATS;
    private static final int CHAINS = 12;

    private FmaChains() {}

    /** Floats per vector. */
    static int lanes() {
        return SPECIES.length();
    }

    /** Flops of one loop iteration: one FMA (2 flops per lane) per chain. */
    static double flopsPerIteration() {
        return CHAINS * SPECIES.length() * 2.0;
    }

    /** Twelve chains of a ← a·b + c; the result is returned so that C2 cannot drop the loop. */
    static float run(long iterations) {
        FloatVector b = FloatVector.broadcast(SPECIES, 0.999f);
        FloatVector c = FloatVector.broadcast(SPECIES, 1e-3f);
        FloatVector a0 = c, a1 = c, a2 = c, a3 = c, a4 = c, a5 = c, a6 = c, a7 = c, a8 = c, a9 = c, a10 = c, a11 = c;
        for (long i = 0; i < iterations; i++) {
            a0 = a0.fma(b, c);
            a1 = a1.fma(b, c);
            a2 = a2.fma(b, c);
            a3 = a3.fma(b, c);
            a4 = a4.fma(b, c);
            a5 = a5.fma(b, c);
            a6 = a6.fma(b, c);
            a7 = a7.fma(b, c);
            a8 = a8.fma(b, c);
            a9 = a9.fma(b, c);
            a10 = a10.fma(b, c);
            a11 = a11.fma(b, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
