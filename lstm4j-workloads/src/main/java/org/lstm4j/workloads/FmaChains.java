package org.lstm4j.workloads;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.lstm4j.kernels.VectorWidth;

/**
 * The FMA loops behind {@link FmaRoof}, in a class of their own so that the roof's other code loads on a JVM
 * without {@code jdk.incubator.vector}. Each loop runs independent vector FMA chains with no memory traffic, in
 * two forms, because no one chain count reaches the peak at every width: twelve chains fill both FMA pipes of
 * a 512- or 128-bit machine, but at 256 bits C2 (Java 17 and 25, {@code -XX:UseAVX=2}) spills some of twelve
 * accumulators to the stack inside the loop, and ten do not (Zen 5 per thread: 12 chains 92-97 GFLOP/s, 10
 * chains 104-106, a C loop of ymm FMAs 105-110; at 512 bits 219-220 both; at 128 bits 12 chains 53-54,
 * 10 chains 49-52). {@link FmaRoof} times the faster of the two on the JVM at hand.
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

    /** Ten chains of a ← a·b + c. */
    private static float tenChains(int iterations) {
        FloatVector b = FloatVector.broadcast(SPECIES, 0.999f);
        FloatVector c = FloatVector.broadcast(SPECIES, 1e-3f);
        FloatVector a0 = c, a1 = c, a2 = c, a3 = c, a4 = c, a5 = c, a6 = c, a7 = c, a8 = c, a9 = c;
        for (int i = 0; i < iterations; i++) {
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
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9)
                .reduceLanes(VectorOperators.ADD);
    }

    /** Twelve chains of a ← a·b + c. */
    private static float twelveChains(int iterations) {
        FloatVector b = FloatVector.broadcast(SPECIES, 0.999f);
        FloatVector c = FloatVector.broadcast(SPECIES, 1e-3f);
        FloatVector a0 = c, a1 = c, a2 = c, a3 = c, a4 = c, a5 = c, a6 = c, a7 = c, a8 = c, a9 = c, a10 = c, a11 = c;
        for (int i = 0; i < iterations; i++) {
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
