package org.lstm4j.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.lstm4j.kernels.VectorWidth;
import org.lstm4j.workloads.AllocationMeter;

/**
 * Which Vector API operations this JVM compiles to vector instructions, one loop per kind of operation: an
 * operation C2 has no instruction for runs on vectors boxed on the heap, so the bytes a loop allocates once
 * compiled tell. These are the operations the kernels use: arithmetic and FMA (the GEMM kernels), and the masks,
 * lane reinterpretation and int/float conversion of the gate passes' exp (see
 * {@link org.lstm4j.kernels.VectorCompiler}), and the lane reads of the GEMM's dot-product sums. Run it under QEMU
 * for an ARM CPU ({@code scripts/check-arm-under-qemu} prepares the JDKs; bench/README, "Stop 33: ARM under
 * emulation").
 *
 * <p>Usage: {@code java --add-modules=jdk.incubator.vector -cp benchmarks.jar org.lstm4j.bench.VectorOpProbe}
 * [-Dlstm4j.vector.bits=128|256|512: the kernels' species, {@link VectorWidth}]. Prints bytes allocated per call of
 * each loop (1,024 floats) after 30,000 warm-up calls; 0 (or under one byte) where compiled.
 */
public final class VectorOpProbe {
    private static final VectorSpecies<Float> FLOATS = VectorWidth.FLOATS;
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, FLOATS.vectorShape());
    private static final int N = 1024;
    private static final float[] A = new float[N];
    private static final float[] B = new float[N];
    private static final float[] OUT = new float[N];
    private static final int[] INT_IN = new int[N];
    private static final int[] INT_OUT = new int[N];

    private VectorOpProbe() {}

    private static void arithmetic() {
        for (int j = 0; j < N; j += FLOATS.length()) {
            FloatVector x = FloatVector.fromArray(FLOATS, A, j);
            x.fma(FloatVector.broadcast(FLOATS, 2f), FloatVector.fromArray(FLOATS, B, j)).div(x.add(1f)).neg().abs()
                    .max(-88f).min(88f).intoArray(OUT, j);
        }
    }

    private static void integerLanes() {
        for (int j = 0; j < N; j += INTS.length()) {
            IntVector v = IntVector.fromArray(INTS, INT_IN, j);
            v.lanewise(VectorOperators.LSHL, 23).add(127 << 23).lanewise(VectorOperators.AND, 0x80000000)
                    .intoArray(INT_OUT, j);
        }
    }

    private static void compareAndBlend() {
        for (int j = 0; j < N; j += FLOATS.length()) {
            FloatVector x = FloatVector.fromArray(FLOATS, A, j);
            VectorMask<Float> high = x.compare(VectorOperators.GT, 0.5f);
            x.blend(FloatVector.broadcast(FLOATS, 3f), high).intoArray(OUT, j);
        }
    }

    private static void reinterpretLanes() {
        for (int j = 0; j < N; j += FLOATS.length()) {
            IntVector bits = (IntVector) FloatVector.fromArray(FLOATS, A, j).reinterpretShape(INTS, 0);
            ((FloatVector) bits.add(127 << 23).reinterpretShape(FLOATS, 0)).intoArray(OUT, j);
        }
    }

    private static void intToFloat() {
        for (int j = 0; j < N; j += INTS.length()) {
            ((FloatVector) IntVector.fromArray(INTS, INT_IN, j).convert(VectorOperators.I2F, 0)).intoArray(OUT, j);
        }
    }

    private static void laneExtract() {
        for (int j = 0; j < N; j += FLOATS.length()) {
            FloatVector x = FloatVector.fromArray(FLOATS, A, j);
            OUT[j] = (x.lane(0) + x.lane(1)) + (x.lane(2) + x.lane(3));
        }
    }

    public static void main(String[] args) {
        for (int i = 0; i < N; i++) {
            A[i] = i / (float) N;
            B[i] = 1f - A[i];
            INT_IN[i] = i % 7;
        }
        AllocationMeter meter = AllocationMeter.createOrNull();
        if (meter == null) {
            throw new IllegalStateException("this JVM does not count allocated bytes per thread");
        }
        Map<String, Runnable> loops = new LinkedHashMap<>();
        loops.put("fma, div, neg, abs, min, max", VectorOpProbe::arithmetic);
        loops.put("int shift, add, and", VectorOpProbe::integerLanes);
        loops.put("compare, blend (masks)", VectorOpProbe::compareAndBlend);
        loops.put("reinterpretShape float/int", VectorOpProbe::reinterpretLanes);
        loops.put("convert I2F", VectorOpProbe::intToFloat);
        loops.put("lane(i)", VectorOpProbe::laneExtract);
        System.out.printf(Locale.ROOT, "%s, %s on %s, Java %s%n", FLOATS, INTS, System.getProperty("os.arch"),
                Runtime.version());
        for (Map.Entry<String, Runnable> loop : loops.entrySet()) {
            for (int i = 0; i < 30_000; i++) {
                loop.getValue().run();
            }
            long before = meter.allocatedBytes();
            int calls = 1000;
            for (int i = 0; i < calls; i++) {
                loop.getValue().run();
            }
            System.out.printf(Locale.ROOT, "%-30s %10.1f bytes per call%n", loop.getKey(),
                    (meter.allocatedBytes() - before) / (double) calls);
        }
    }
}
