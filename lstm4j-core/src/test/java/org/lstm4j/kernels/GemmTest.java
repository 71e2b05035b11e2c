package org.lstm4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@org.junit.jupiter.api.Tag("vector-widths")
class GemmTest {

    /** m, n, k: degenerate, tiny, primes, tile edges, k beyond one KC slice, m beyond MC, n beyond NC. */
    private static final int[][] SHAPES = {
            {1, 1, 1}, {0, 5, 3}, {5, 0, 3}, {4, 5, 0}, {1, 128, 32}, {17, 33, 65}, {3, 70, 19}, {7, 1, 40},
            {2, 9, 600}, {6, 16, 8}, {13, 31, 513}, {64, 100, 700}, {150, 40, 20}, {100, 3, 50}, {5, 2, 9},
            {8, 200, 64}, {2, 3100, 5},
            // ragged last panels of at most one vector (65 = 4·16 + 1, 28 = 16 + 12), k over several slices
            {65, 65, 600}, {30, 28, 1040}, {13, 9, 33},
    };
    /** alpha, beta; beta == 0 runs on NaN-filled C. */
    private static final float[][] SCALARS = {{1f, 0f}, {0.5f, 0f}, {1f, 1f}, {-2f, 0.75f}, {0f, 0.5f}, {0f, 0f}};

    @AfterEach
    void restoreThreads() {
        Parallelism.setThreads(Runtime.getRuntime().availableProcessors());
    }

    static Stream<Arguments> kernels() {
        List<Arguments> kernels = new ArrayList<>();
        kernels.add(Arguments.of("scalar", MicroKernels.scalar()));
        if (MicroKernels.vector() != null) {
            kernels.add(Arguments.of("vector", MicroKernels.vector()));
        }
        return kernels.stream();
    }

    @Test
    void vectorKernelIsAvailableWhenTheModuleIs() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            assertNotNull(MicroKernels.vector());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void matchesDoublePrecisionReference(String name, MicroKernel kernel) {
        Random random = new Random(7);
        for (int[] shape : SHAPES) {
            for (int transposes = 0; transposes < 4; transposes++) {
                boolean transA = (transposes & 1) != 0;
                boolean transB = (transposes & 2) != 0;
                for (float[] scalars : SCALARS) {
                    Problem problem = Problem.random(random, shape[0], shape[1], shape[2], transA, transB,
                            scalars[0], scalars[1]);
                    float[] c = problem.c.clone();
                    problem.run(kernel, 1, c);
                    problem.check(c, name);
                }
            }
        }
    }

    @Test
    void publicEntryPointMatchesReference() {
        Random random = new Random(11);
        for (int[] shape : SHAPES) {
            for (int transposes = 0; transposes < 4; transposes++) {
                Problem problem = Problem.random(random, shape[0], shape[1], shape[2], (transposes & 1) != 0,
                        (transposes & 2) != 0, 1.5f, 0f);
                float[] c = problem.c.clone();
                Gemm.sgemm(problem.transA, problem.transB, problem.m, problem.n, problem.k, problem.alpha,
                        problem.a, problem.aOff, problem.lda, problem.b, problem.bOff, problem.ldb, problem.beta,
                        c, problem.cOff, problem.ldc);
                problem.check(c, "public");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void resultsAreBitIdenticalForAnyThreadCount(String name, MicroKernel kernel) {
        Random random = new Random(3);
        // All above Gemm.PARALLEL_MIN_WORK so the split happens: blocked (both orientations) and dot paths.
        int[][] shapes = {{64, 100, 300}, {160, 80, 90}, {3000, 3, 200}, {4, 1200, 600}, {97, 130, 530},
                {200, 65, 600}, {65, 200, 600}, {120, 28, 530}, {600, 41, 70},
                // several row blocks and k slices (grid of tasks, shared packed B), direct B with few rows
                {400, 100, 600}, {8, 400, 400}, {1030, 20, 60}};
        for (int[] shape : shapes) {
            assertTrue((long) shape[0] * shape[1] * shape[2] >= Gemm.PARALLEL_MIN_WORK);
            for (int transposes = 0; transposes < 4; transposes++) {
                Problem problem = Problem.random(random, shape[0], shape[1], shape[2], (transposes & 1) != 0,
                        (transposes & 2) != 0, 0.75f, 0.25f);
                Parallelism.setThreads(1);
                float[] single = problem.c.clone();
                problem.run(kernel, 1, single);
                for (int threads : new int[] {2, 3}) {
                    Parallelism.setThreads(threads);
                    float[] multi = problem.c.clone();
                    problem.run(kernel, threads, multi);
                    assertArrayEquals(single, multi, name + " " + problem + " threads=" + threads);
                }
                float[] again = problem.c.clone();
                problem.run(kernel, 1, again);
                assertArrayEquals(single, again, name + " " + problem + " rerun");
            }
        }
    }

    /**
     * A row bias set tile by tile inside the blocked product gives the bits of a bias fill followed by the
     * product with beta = 1, on every path (dot products, C or C^T computed, one or several k slices, ragged
     * panels, B packed once or not) and thread count; without a bias it is the product with beta = 0 on a
     * NaN-filled C.
     */
    @Test
    void rowBiasMatchesFillThenAccumulateBitForBit() {
        Random random = new Random(5);
        int[][] shapes = {{700, 512, 28}, {300, 512, 128}, {97, 130, 530}, {3, 200, 40}, {200, 3, 40},
                {65, 65, 600}, {40, 1000, 8}, {1, 1, 1}, {5, 7, 0}};
        for (int[] shape : shapes) {
            int m = shape[0], n = shape[1], k = shape[2];
            for (int transposes = 0; transposes < 4; transposes++) {
                boolean ta = (transposes & 1) != 0, tb = (transposes & 2) != 0;
                float[] a = randomArray(random, m * k);
                float[] b = randomArray(random, k * n);
                float[] bias = randomArray(random, n);
                for (int threads : new int[] {1, 2, 3}) {
                    Parallelism.setThreads(threads);
                    String label = m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb + " threads=" + threads;
                    float[] expected = new float[m * n];
                    for (int i = 0; i < m; i++) {
                        System.arraycopy(bias, 0, expected, i * n, n);
                    }
                    Gemm.sgemm(ta, tb, m, n, k, 1f, a, 0, ta ? m : k, b, 0, tb ? k : n, 1f, expected, 0, n);
                    float[] fused = new float[m * n];
                    java.util.Arrays.fill(fused, Float.NaN);
                    Gemm.sgemmAddingRowBias(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, bias, fused, 0, n);
                    assertArrayEquals(expected, fused, label);
                    if (!ta) {
                        // B packed once (a weight reused at every step): the same bits.
                        Gemm.PackedB packed = Gemm.packB(tb, k, n, b, 0, tb ? k : n,
                                new float[Math.max(1, Gemm.packedSize(k, n))]);
                        float[] fromPacked = new float[m * n];
                        java.util.Arrays.fill(fromPacked, Float.NaN);
                        Gemm.sgemmAddingRowBias(m, a, 0, k, packed, bias, fromPacked, 0, n);
                        assertArrayEquals(expected, fromPacked, label + " packed B");
                    }

                    float[] plain = new float[m * n];
                    Gemm.sgemm(ta, tb, m, n, k, 1f, a, 0, ta ? m : k, b, 0, tb ? k : n, 0f, plain, 0, n);
                    float[] noBias = new float[m * n];
                    java.util.Arrays.fill(noBias, Float.NaN);
                    Gemm.sgemmAddingRowBias(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, null, noBias, 0, n);
                    assertArrayEquals(plain, noBias, label + " without bias");
                }
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gemm.sgemmAddingRowBias(
                false, false, 2, 3, 4, new float[8], 0, 4, new float[12], 0, 3, new float[2], new float[6], 0, 3));
        assertEquals("bias of 2 values for 3 columns", e.getMessage());
    }

    private static float[] randomArray(Random random, int length) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = random.nextFloat() * 2f - 1f;
        }
        return values;
    }

    /**
     * A transposed C accumulated across k slices in a contiguous scratch block gets the bits of the per-slice
     * strided merge (each slice run alone, k ≤ KC, merges straight into C), on 1–3 threads.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void stridedCScratchMatchesPerSliceMerge(String name, MicroKernel kernel) {
        Random random = new Random(19);
        int[][] shapes = {{65, 200, 600}, {150, 37, 530}, {13, 160, 700}, {300, 70, 513}};
        for (int[] shape : shapes) {
            int m = shape[0], n = shape[1], k = shape[2];
            for (float[] scalars : new float[][] {{0.75f, 0f}, {0.75f, 0.25f}, {-1.5f, 1f}}) {
                for (boolean packA : new boolean[] {false, true}) {
                    float alpha = scalars[0], beta = scalars[1];
                    float[] a = Problem.fill(random, m * k);
                    float[] b = Problem.fill(random, k * n);
                    int ldc = m + 3;
                    float[] c0 = new float[n * ldc];
                    for (int i = 0; i < c0.length; i++) {
                        c0[i] = beta == 0f ? Float.NaN : random.nextFloat() * 2f - 1f;
                    }
                    StridedMatrix am = new StridedMatrix(a, 0, k, 1);
                    StridedMatrix bm = new StridedMatrix(b, 0, n, 1);
                    float[] expected = c0.clone();
                    StridedMatrix ce = new StridedMatrix(expected, 0, 1, ldc);
                    for (int pc = 0; pc < k; pc += BlockedGemm.KC) {
                        int kc = Math.min(BlockedGemm.KC, k - pc);
                        BlockedGemm.multiply(kernel, m, n, kc, alpha, am.shift(0, pc), bm.shift(pc, 0),
                                pc == 0 ? beta : 1f, ce, packA, false, null);
                    }
                    String label = name + " " + m + "x" + n + "x" + k + " alpha=" + alpha + " beta=" + beta
                            + " packA=" + packA;
                    float[] single = c0.clone();
                    BlockedGemm.multiply(kernel, m, n, k, alpha, am, bm, beta, new StridedMatrix(single, 0, 1, ldc),
                            packA, false, null);
                    assertArrayEquals(expected, single, label);
                    for (int threads : new int[] {2, 3}) {
                        float[] multi = c0.clone();
                        BlockedGemm.multiplyParallel(kernel, threads, m, n, k, alpha, am, bm, beta,
                                new StridedMatrix(multi, 0, 1, ldc), packA, false, null);
                        assertArrayEquals(expected, multi, label + " threads=" + threads);
                    }
                }
            }
        }
    }

    /**
     * Row blocks run through all k slices (narrow C, deep k: B packed for every slice up front) give the bits of
     * the slice-by-slice order, on 1-3 threads, with beta 0 or not, a row bias, A packed or read in place, B
     * packed or read in place, and a transposed C accumulated in the scratch block.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void rowBlocksThroughAllSlicesGiveTheSliceOrderBits(String name, MicroKernel kernel) {
        Random random = new Random(23);
        int nr = kernel.panelWidth();
        int[][] shapes = {{400, 100, 600}, {700, 40, 530}, {460, 65, 513}, {1000, 16, 1100}};
        try {
            for (int[] shape : shapes) {
                int m = shape[0], n = shape[1], k = shape[2];
                float[] a = Problem.fill(random, m * k);
                float[] b = Problem.fill(random, k * n);
                float[] bias = Problem.fill(random, n);
                for (int variant = 0; variant < 8; variant++) {
                    boolean packA = (variant & 1) != 0, directB = (variant & 2) != 0, transposedC = (variant & 4) != 0;
                    float beta = variant % 3 == 0 ? 0f : 0.5f;
                    float[] rowBias = transposedC || beta != 0f ? null : bias;
                    int ldc = transposedC ? m + 3 : n + 2;
                    float[] c0 = Problem.fill(random, transposedC ? n * ldc : m * ldc);
                    for (int threads = 1; threads <= 3; threads++) {
                        assertTrue(BlockedGemm.keepsRowBlockAcrossSlices(m, n, k, nr, threads), m + "x" + n + "x" + k);
                        String label = name + " " + m + "x" + n + "x" + k + " packA=" + packA + " directB=" + directB
                                + " transposedC=" + transposedC + " beta=" + beta + " threads=" + threads;
                        float[][] results = new float[2][];
                        for (int order = 0; order < 2; order++) {
                            BlockedGemm.rowBlockAcrossSlices = order == 1;
                            float[] c = c0.clone();
                            StridedMatrix cm = transposedC ? new StridedMatrix(c, 0, 1, ldc) : new StridedMatrix(c, 0, ldc, 1);
                            StridedMatrix am = new StridedMatrix(a, 0, k, 1);
                            StridedMatrix bm = new StridedMatrix(b, 0, n, 1);
                            if (threads == 1) {
                                BlockedGemm.multiply(kernel, m, n, k, 0.75f, am, bm, beta, cm, packA, directB, rowBias);
                            } else {
                                BlockedGemm.multiplyParallel(kernel, threads, m, n, k, 0.75f, am, bm, beta, cm, packA,
                                        directB, rowBias);
                            }
                            results[order] = c;
                        }
                        assertArrayEquals(results[0], results[1], label);
                    }
                }
            }
        } finally {
            BlockedGemm.rowBlockAcrossSlices = true;
        }
    }

    @Test
    void vectorMatrixProductsAreBitIdenticalForAnyThreadCount() {
        // Dot-product path (A·B^T with m ≤ 4, e.g. one streaming step's h·W^T), parallel from a lower threshold.
        Random random = new Random(17);
        int[][] shapes = {{1, 1024, 65}, {1, 1024, 256}, {2, 700, 130}, {1, 130, 700}, {4, 3000, 33}, {300, 3, 300}};
        for (int[] shape : shapes) {
            assertTrue((long) shape[0] * shape[1] * shape[2] >= Gemm.DOT_PARALLEL_MIN_WORK);
            for (MicroKernel kernel : new MicroKernel[] {MicroKernels.scalar(), MicroKernels.preferred()}) {
                Problem problem = Problem.random(random, shape[0], shape[1], shape[2], false, true, 1.25f, 0.5f);
                Parallelism.setThreads(1);
                float[] single = problem.c.clone();
                problem.run(kernel, 1, single);
                problem.check(single, "dot");
                for (int threads : new int[] {2, 3}) {
                    Parallelism.setThreads(threads);
                    float[] multi = problem.c.clone();
                    problem.run(kernel, threads, multi);
                    assertArrayEquals(single, multi, problem + " threads=" + threads);
                }
            }
        }
    }

    @Test
    void concurrentCallersGetTheSameBits() throws Exception {
        // Several application threads sharing the pool: no deadlock, and every result equals the serial one.
        Parallelism.setThreads(2);
        Random random = new Random(19);
        Problem problem = Problem.random(random, 300, 200, 300, false, true, 1f, 0f);
        float[] expected = problem.c.clone();
        problem.run(MicroKernels.preferred(), 1, expected);
        int callers = 4;
        Thread[] threads = new Thread[callers];
        Throwable[] failures = new Throwable[callers];
        for (int t = 0; t < callers; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                try {
                    for (int rep = 0; rep < 20; rep++) {
                        float[] c = problem.c.clone();
                        problem.run(MicroKernels.preferred(), 2, c);
                        assertArrayEquals(expected, c, "caller " + id + " rep " + rep);
                    }
                } catch (Throwable e) {
                    failures[id] = e;
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join(60_000);
            assertTrue(!thread.isAlive(), "caller did not finish");
        }
        for (Throwable failure : failures) {
            if (failure != null) {
                throw new AssertionError(failure);
            }
        }
    }

    /**
     * A row-major A read in place (k ≥ {@link Gemm#A_IN_PLACE_MIN_K}, 5 to 16 panels, rows lda apart as a
     * step's rows of a batch-first buffer) gives the bits of the same A stored transposed, which is packed:
     * through B packed per call and packed once, on 1–3 threads, with the 8-, 6-, 5- and 4-row tiles. Every width
     * reads some of these in place (n of 72-120 at 128 bits, 160-256 at 256, 200-512 at 512; at 8 rows per
     * tile 52 rows end in a 4-row tile, 13 in a 5-row one); the wider ones pack A on both sides.
     */
    @Test
    void rowMajorAReadInPlaceMatchesPackedABitForBit() {
        Random random = new Random(29);
        int[][] shapes = {{32, 1024, 256}, {32, 256, 1024}, {64, 200, 530}, {52, 512, 128}, {7, 300, 100},
                {13, 160, 600}, {149, 192, 96}, {32, 100, 300}, {52, 120, 200}, {13, 72, 150}};
        for (int[] shape : shapes) {
            int m = shape[0], n = shape[1], k = shape[2];
            for (int lda : new int[] {k, k + 9}) {
                float[] a = Problem.fill(random, m * lda);
                float[] aT = new float[k * m];
                for (int i = 0; i < m; i++) {
                    for (int p = 0; p < k; p++) {
                        aT[p * m + i] = a[i * lda + p];
                    }
                }
                float[] b = Problem.fill(random, k * n);
                float[] c0 = Problem.fill(random, m * n);
                Gemm.PackedB packedB = Gemm.packB(false, k, n, b, 0, n, new float[Gemm.packedSize(k, n)]);
                for (int threads : new int[] {1, 2, 3}) {
                    Parallelism.setThreads(threads);
                    String label = m + "x" + n + "x" + k + " lda=" + lda + " threads=" + threads;
                    float[] expected = c0.clone();
                    Gemm.sgemm(true, false, m, n, k, 0.5f, aT, 0, m, b, 0, n, 0.25f, expected, 0, n);
                    float[] inPlace = c0.clone();
                    Gemm.sgemm(false, false, m, n, k, 0.5f, a, 0, lda, b, 0, n, 0.25f, inPlace, 0, n);
                    assertArrayEquals(expected, inPlace, label);
                    float[] inPlacePackedB = c0.clone();
                    Gemm.sgemm(m, 0.5f, a, 0, lda, packedB, 0.25f, inPlacePackedB, 0, n);
                    assertArrayEquals(expected, inPlacePackedB, label + " B packed once");
                }
            }
        }
    }

    @Test
    void packedBMatchesUnpackedBitForBitOnAnyThreadCount() {
        Random random = new Random(13);
        int[][] shapes = {{64, 1024, 256}, {100, 65, 600}, {7, 200, 530}, {3, 40, 20}, {130, 28, 70},
                {100, 512, 128}, {32, 700, 520}, {400, 64, 300}};
        for (int[] shape : shapes) {
            for (boolean transB : new boolean[] {false, true}) {
                Problem problem = Problem.random(random, shape[0], shape[1], shape[2], false, transB, 0.5f, 0.25f);
                // The packed entry point takes A with lda == k and C with ldc == n.
                int m = problem.m, n = problem.n, k = problem.k;
                float[] a = Problem.fill(random, m * k);
                float[] c0 = Problem.fill(random, m * n);
                float[] packed = new float[Gemm.packedSize(k, n)];
                Gemm.PackedB b = Gemm.packB(transB, k, n, problem.b, problem.bOff, problem.ldb, packed);
                Parallelism.setThreads(1);
                float[] expected = c0.clone();
                Gemm.sgemm(false, transB, m, n, k, 0.5f, a, 0, k, problem.b, problem.bOff, problem.ldb, 0.25f,
                        expected, 0, n);
                for (int threads : new int[] {1, 2, 3}) {
                    Parallelism.setThreads(threads);
                    float[] viaPacked = c0.clone();
                    Gemm.sgemm(m, 0.5f, a, 0, k, b, 0.25f, viaPacked, 0, n);
                    assertArrayEquals(expected, viaPacked, problem + " packed, threads=" + threads);
                    float[] unpacked = c0.clone();
                    Gemm.sgemm(false, transB, m, n, k, 0.5f, a, 0, k, problem.b, problem.bOff, problem.ldb, 0.25f,
                            unpacked, 0, n);
                    assertArrayEquals(expected, unpacked, problem + " unpacked, threads=" + threads);
                }
            }
        }
    }

    /**
     * A block's packed tiles number ceil(rows / MR), as the packed buffers are sized, and cover its rows; at 6
     * rows per tile (256 and 128 bits) a block is cut into 6s and 5s where those cover it, else into 5s and 4s
     * rather than ending in a 2- or 3-row tile.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void packedTilesCoverTheBlockInCeilRowsOverMrTiles(String name, MicroKernel kernel) {
        int mr = kernel.maxRows();
        for (int rows = 1; rows <= 300; rows++) {
            List<Integer> heights = new ArrayList<>();
            for (int left = rows; left > 0; ) {
                int height = kernel.tileRows(left);
                assertTrue(height >= 1 && height <= Math.min(mr, left), name + " rows " + rows + " height " + height);
                heights.add(height);
                left -= height;
            }
            assertEquals((rows + mr - 1) / mr, heights.size(), name + " rows " + rows + " tiles " + heights);
        }
        if (mr == 6 && kernel == MicroKernels.vector()) {
            assertEquals(List.of(6, 6, 5, 5, 5, 5), tileHeights(kernel, 32));
            assertEquals(List.of(6, 5, 5), tileHeights(kernel, 16));
            assertEquals(List.of(6, 5), tileHeights(kernel, 11));
            assertEquals(List.of(5, 4, 4), tileHeights(kernel, 13));
            assertEquals(List.of(4, 4), tileHeights(kernel, 8));
            assertEquals(List.of(5, 2), tileHeights(kernel, 7));
        }
        if (mr == 8 && kernel == MicroKernels.vector()) { // 512 bits, aarch64, -Dlstm4j.gemm.tileRows=8
            assertEquals(List.of(8, 8, 8, 8), tileHeights(kernel, 32));
            assertEquals(List.of(8, 5), tileHeights(kernel, 13));
        }
        if (mr == 5 && kernel == MicroKernels.vector()) { // -Dlstm4j.gemm.tileRows=5
            assertEquals(List.of(5, 5, 5, 5, 4, 4, 4), tileHeights(kernel, 32));
            assertEquals(List.of(4, 4, 4, 4), tileHeights(kernel, 16));
            assertEquals(List.of(4, 4), tileHeights(kernel, 8));
        }
    }

    private static List<Integer> tileHeights(MicroKernel kernel, int rows) {
        List<Integer> heights = new ArrayList<>();
        for (int left = rows; left > 0; left -= heights.get(heights.size() - 1)) {
            heights.add(kernel.tileRows(left));
        }
        return heights;
    }

    /** Each row of a product with packed A has the bits of that row computed alone, whatever tiles it fell in. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void rowBitsDoNotDependOnTheTiling(String name, MicroKernel kernel) {
        Random random = new Random(13);
        int n = 300;
        for (int m = 1; m <= 41; m++) {
            for (boolean transA : new boolean[] {false, true}) {
                Problem problem = Problem.random(random, m, n, 70, transA, false, 1f, 0f);
                float[] whole = problem.c.clone();
                problem.run(kernel, 1, whole);
                for (int i = 0; i < m; i++) {
                    float[] alone = new float[n];
                    Gemm.sgemm(kernel, 1, transA, false, 1, n, problem.k, 1f, problem.a,
                            problem.aOff + (transA ? i : i * problem.lda), problem.lda, problem.b, problem.bOff,
                            problem.ldb, 0f, alone, 0, n);
                    float[] row = new float[n];
                    System.arraycopy(whole, problem.cOff + i * problem.ldc, row, 0, n);
                    assertArrayEquals(alone, row, name + " m=" + m + " row " + i + (transA ? " A^T" : ""));
                }
            }
        }
    }

    @Test
    void fallbackAndVectorKernelsAgreeWithinRounding() {
        // Forces the case split (tiny, dot, blocked) to be taken by both kernels on the same data.
        Random random = new Random(5);
        Problem problem = Problem.random(random, 33, 47, 129, false, true, 1f, 0f);
        for (MicroKernel kernel : new MicroKernel[] {MicroKernels.scalar(), MicroKernels.preferred()}) {
            float[] c = problem.c.clone();
            problem.run(kernel, 2, c);
            problem.check(c, kernel.getClass().getSimpleName());
        }
    }

    @Test
    void rejectsNegativeDimensionsAndShortLeadingDimensions() {
        float[] x = new float[16];
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, -1, 2, 2, 1f, x, 0, 2, x, 0, 2, 0f, x, 0, 2));
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 2, 2, 3, 1f, x, 0, 2, x, 0, 2, 0f, x, 0, 2));
    }

    @Test
    void zeroSharedDimensionScalesC() {
        float[] c = {1f, Float.NaN, 3f, 4f};
        Gemm.sgemm(false, false, 2, 2, 0, 1f, new float[0], 0, 0, new float[0], 0, 2, 0f, c, 0, 2);
        assertArrayEquals(new float[] {0f, 0f, 0f, 0f}, c);
        float[] d = {1f, 2f, 3f, 4f};
        Gemm.sgemm(true, true, 2, 2, 0, 1f, new float[0], 0, 2, new float[0], 0, 0, 2f, d, 0, 2);
        assertArrayEquals(new float[] {2f, 4f, 6f, 8f}, d);
    }

    /** One randomly filled product with offsets and padded leading dimensions; C keeps a guard band. */
    private static final class Problem {
        final boolean transA, transB;
        final int m, n, k, aOff, lda, bOff, ldb, cOff, ldc;
        final float alpha, beta;
        final float[] a, b, c;

        private Problem(Random random, int m, int n, int k, boolean transA, boolean transB, float alpha, float beta) {
            this.m = m;
            this.n = n;
            this.k = k;
            this.transA = transA;
            this.transB = transB;
            this.alpha = alpha;
            this.beta = beta;
            aOff = random.nextInt(5);
            bOff = random.nextInt(5);
            cOff = random.nextInt(5);
            lda = (transA ? m : k) + random.nextInt(4);
            ldb = (transB ? k : n) + random.nextInt(4);
            ldc = Math.max(1, n + random.nextInt(4));
            a = fill(random, aOff + (transA ? k : m) * lda + 3);
            b = fill(random, bOff + (transB ? n : k) * ldb + 3);
            c = fill(random, cOff + m * ldc + 3);
            if (beta == 0f) {
                // Old contents must be ignored, NaN included; the padding between rows must stay untouched.
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        c[cOff + i * ldc + j] = Float.NaN;
                    }
                }
            }
        }

        static Problem random(Random random, int m, int n, int k, boolean transA, boolean transB, float alpha,
                float beta) {
            return new Problem(random, m, n, k, transA, transB, alpha, beta);
        }

        private static float[] fill(Random random, int size) {
            float[] values = new float[size];
            for (int i = 0; i < size; i++) {
                values[i] = random.nextFloat() * 2f - 1f;
            }
            return values;
        }

        float aAt(int i, int p) {
            return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        }

        float bAt(int p, int j) {
            return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
        }

        void run(MicroKernel kernel, int threads, float[] target) {
            Gemm.sgemm(kernel, threads, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, target,
                    cOff, ldc);
        }

        void check(float[] result, String label) {
            double unit = Math.ulp(1f);
            for (int idx = 0; idx < result.length; idx++) {
                int rel = idx - cOff;
                boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
                if (!inside) {
                    assertEquals(c[idx], result[idx], 0f, label + " wrote outside C at " + idx + " " + this);
                    continue;
                }
                int i = rel / ldc;
                int j = rel % ldc;
                double sum = 0;
                double magnitude = 0;
                for (int p = 0; p < k; p++) {
                    double product = (double) aAt(i, p) * bAt(p, j);
                    sum += product;
                    magnitude += Math.abs(product);
                }
                double old = beta == 0f ? 0 : c[idx];
                double expected = alpha * sum + beta * old;
                double bound = (k + 3) * unit * (Math.abs(alpha) * magnitude + Math.abs(beta * old)) + 1e-30;
                if (!(Math.abs(result[idx] - expected) <= bound)) {
                    fail(label + " " + this + " C(" + i + "," + j + ")=" + result[idx] + " expected " + expected
                            + " bound " + bound);
                }
            }
        }

        @Override
        public String toString() {
            return m + "x" + n + "x" + k + (transA ? " A^T" : "") + (transB ? " B^T" : "") + " alpha=" + alpha
                    + " beta=" + beta + " lda=" + lda + " ldb=" + ldb + " ldc=" + ldc;
        }
    }
}
