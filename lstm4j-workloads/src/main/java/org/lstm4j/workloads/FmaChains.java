package org.lstm4j.workloads;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.lstm4j.kernels.VectorWidth;

/**
 * The FMA loops behind {@link FmaRoof}, in a class of their own so that the roof's other code loads on a JVM
 * without {@code jdk.incubator.vector}. Each loop runs independent vector FMA chains with no memory traffic,
 * each chain through the addend, {@code a ← b·c + a}, as a GEMM kernel accumulates: Zen 5 runs that chain
 * faster than one through a multiplicand ({@code a ← a·b + c}, the form before stop 30), whose loops read a
 * peak lower than the kernels themselves reach. Per thread, Java 17 and 25, 256 bits: twelve addend
 * chains 111-116 GFLOP/s, ten 108-111, against ten multiplicand chains 107-112 and twelve 93-100 (C2 spills
 * some of those); a 6-row GEMM k loop alone reaches 111-113. At 512 bits twelve addend chains 225-231 against
 * 211-230; at 128 bits 55-57 against 52-54. Two forms are kept, ten and twelve chains, and {@link FmaRoof}
 * times the faster of the two on the JVM at hand (twelve wherever measured so far).
 */
final class FmaChains {
    /** The kernels' species (the preferred one, or -Dlstm4j.vector.bits): the roof is the one they run against. */
    private static final VectorSpecies<Float> SPECIES = VectorWidth.FLOATS;
    /** Iterations per inner, int-counted loop: C2 compiles a long-counted loop with more overhead per trip. */
    private static final int CHUNK = 1 << 20;

    /** The loop forms, by their number of independent chains. */
    enum Form {
        TEN_CHAINS(10), TWELVE_CHAINS(12);

        final int chains;

        Form(int chains) {
            this.chains = chains;
        }

        /** Flops of one loop iteration: one FMA (2 flops per lane) per chain. */
        double flopsPerIteration() {
            return chains * SPECIES.length() * 2.0;
        }
    }

    private FmaChains() {}

    /** Floats per vector. */
    static int lanes() {
        return SPECIES.length();
    }

    /** Runs {@code form}'s chains {@code iterations} times; the result is returned so that C2 cannot drop the loop. */
    static float run(Form form, long iterations) {
        float sum = 0;
        for (long done = 0; done < iterations; done += CHUNK) {
            int n = (int) Math.min(CHUNK, iterations - done);
            sum += form == Form.TEN_CHAINS ? tenChains(n) : twelveChains(n);
        }
        return sum;
    }

    /** Ten chains of a ← b·c + a. */
    private static float tenChains(int iterations) {
        FloatVector b = FloatVector.broadcast(SPECIES, 0.999f);
        FloatVector c = FloatVector.broadcast(SPECIES, 1e-3f);
        FloatVector a0 = c, a1 = c, a2 = c, a3 = c, a4 = c, a5 = c, a6 = c, a7 = c, a8 = c, a9 = c;
        for (int i = 0; i < iterations; i++) {
            a0 = b.fma(c, a0);
            a1 = b.fma(c, a1);
            a2 = b.fma(c, a2);
            a3 = b.fma(c, a3);
            a4 = b.fma(c, a4);
            a5 = b.fma(c, a5);
            a6 = b.fma(c, a6);
            a7 = b.fma(c, a7);
            a8 = b.fma(c, a8);
            a9 = b.fma(c, a9);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9)
                .reduceLanes(VectorOperators.ADD);
    }

    /** Twelve chains of a ← b·c + a. */
    private static float twelveChains(int iterations) {
        FloatVector b = FloatVector.broadcast(SPECIES, 0.999f);
        FloatVector c = FloatVector.broadcast(SPECIES, 1e-3f);
        FloatVector a0 = c, a1 = c, a2 = c, a3 = c, a4 = c, a5 = c, a6 = c, a7 = c, a8 = c, a9 = c, a10 = c, a11 = c;
        for (int i = 0; i < iterations; i++) {
            a0 = b.fma(c, a0);
            a1 = b.fma(c, a1);
            a2 = b.fma(c, a2);
            a3 = b.fma(c, a3);
            a4 = b.fma(c, a4);
            a5 = b.fma(c, a5);
            a6 = b.fma(c, a6);
            a7 = b.fma(c, a7);
            a8 = b.fma(c, a8);
            a9 = b.fma(c, a9);
            a10 = b.fma(c, a10);
            a11 = b.fma(c, a11);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
