package org.lstm4j.kernels;

/**
 * Single-precision general matrix multiply on row-major arrays:
 * {@code C = alpha * op(A) * op(B) + beta * C} with {@code op(X) = X} or {@code X^T}.
 *
 * <p>Goto/BLIS-style blocked algorithm ({@link BlockedGemm}) with a register-blocked micro-kernel on the
 * Vector API when available ({@link MicroKernels}), multi-threaded over blocks of C via {@link Parallelism}.
 * Per call it picks, from the shape and transpositions only: dot products for vector-matrix shaped
 * {@code A·B^T}; otherwise computing C or C^T (whichever packs less), reading B or A in place when packing
 * would not be repaid.
 *
 * <p>Determinism: the path depends only on the shape, and within a path every element of C is accumulated in
 * the same order (ascending k, in slices of {@link BlockedGemm#KC}) whatever block or thread computes it, so
 * results are bit-identical across runs and across thread counts. The vector and plain-Java kernels differ in
 * rounding (only the former uses fused multiply-add).
 */
public final class Gemm {
    private Gemm() {}

    /**
     * Every product accumulates the shared dimension in slices of this many, ascending: each element's sum over
     * a slice starts from +0 and is then added to what the earlier slices left in C.
     */
    public static final int K_SLICE = BlockedGemm.KC;

    /**
     * Below this many multiply-adds (m·n·k, about 25 µs of single-thread work) a product runs on the calling
     * thread only: waking a pool thread costs tens of µs, and 2 threads did not beat 1 at 32×256×64.
     */
    static final long PARALLEL_MIN_WORK = 1L << 20;
    /**
     * Dot-product (vector-matrix) products go parallel from this many multiply-adds: they are memory bound
     * (each weight is read once), so two halves of W on two cores halve the time once the pool is awake.
     */
    public static final long DOT_PARALLEL_MIN_WORK = 1L << 16;
    /** Columns of C per chunk of a parallel dot-product product, at least. */
    static final int DOT_GRAIN = 64;
    /** B is read in place (not packed) when at most this many rows of A reuse each panel. */
    static final int DIRECT_B_MAX_ROWS = 8;
    /** Products A·B^T with at most this many rows in A (or columns in B^T) use dot products. */
    static final int DOT_MAX_ROWS = 4;
    /** A is packed when its panels are reused by more than this many B panels. */
    static final int PACK_A_MIN_PANELS = 4;
    /**
     * Shared dimension from which a row-major A may be read in place against packed B panels (where the
     * kernel can, {@link MicroKernel#readsRowMajorAInPlace}) instead of packed: reading in place costs a little
     * per kernel call, which a long k amortizes. With k = 28 (2800×512×28) it was 3% slower (Zen 5, paired,
     * bench/README stop 24).
     */
    static final int A_IN_PLACE_MIN_K = 64;
    /**
     * B panels per A block up to which a row-major A is read in place rather than packed: packing is a pass
     * over A that few panels reuse. Paired on Zen 5 (bench/README, stop 24): the recurrent backward step's
     * 32×256×1024 9% faster per core at 512 bits and 6.5% at 256, dX 6400×256×1024 12% and 6%, 6400×65×256 13%
     * at 256; products with 32 or more panels gained nothing, and infer-large's steps (16×2048×512 per thread,
     * 64 panels at 512 bits) ran 69-87k tokens/s in fresh JVMs against 82-94k packed.
     */
    static final int A_IN_PLACE_MAX_PANELS = 16;

    /**
     * Computes {@code C = alpha * op(A) * op(B) + beta * C} on row-major matrices.
     *
     * @param transA use A^T; A is stored m×k (lda ≥ k) when false, k×m (lda ≥ m) when true
     * @param transB use B^T; B is stored k×n (ldb ≥ n) when false, n×k (ldb ≥ k) when true
     * @param m rows of op(A) and C
     * @param n columns of op(B) and C
     * @param k columns of op(A), rows of op(B); 0 gives {@code C = beta * C}
     * @param beta 0 means C is overwritten (its old contents, even NaN, are ignored)
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        sgemm(MicroKernels.preferred(), Parallelism.threads(), transA, transB, m, n, k, alpha, a, aOff, lda,
                b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * {@code C = op(A) * op(B) + bias}, the bias (n values, or null for none) added to every row: bit for bit
     * {@link #sgemm} with beta = 1 on C filled with the bias rows, but the blocked path sets each tile of C to
     * its bias just before the tile's first merge, so C goes through memory once instead of twice (an input
     * projection over all time steps is megabytes).
     */
    public static void sgemmAddingRowBias(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
            int lda, float[] b, int bOff, int ldb, float[] bias, float[] c, int cOff, int ldc) {
        checkRowBias(bias, n);
        sgemm(MicroKernels.preferred(), Parallelism.threads(), transA, transB, m, n, k, 1f, a, aOff, lda, b, bOff,
                ldb, bias == null ? 0f : 1f, c, cOff, ldc, bias);
    }

    /** A row bias, when given, needs a value for each of C's n columns. */
    private static void checkRowBias(float[] bias, int n) {
        if (bias != null && bias.length < n) {
            throw new IllegalArgumentException("bias of " + bias.length + " values for " + n + " columns");
        }
    }

    /** {@link #sgemm} with an explicit kernel and thread count (tests, benchmarks). */
    static void sgemm(MicroKernel kernel, int threads, boolean transA, boolean transB, int m, int n, int k,
            float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
            float[] c, int cOff, int ldc) {
        sgemm(kernel, threads, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, null);
    }

    /**
     * The product with an optional row bias: when {@code rowBias} is non-null, C counts as filled with it
     * (beta is 1), filled tile by tile on the blocked path that writes C directly, else up front.
     */
    private static void sgemm(MicroKernel kernel, int threads, boolean transA, boolean transB, int m, int n, int k,
            float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
            float[] c, int cOff, int ldc, float[] rowBias) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative dimension: m=" + m + " n=" + n + " k=" + k);
        }
        if (ldc < n || lda < (transA ? m : k) || ldb < (transB ? k : n)) {
            throw new IllegalArgumentException("leading dimension too small: lda=" + lda + " ldb=" + ldb
                    + " ldc=" + ldc + " for m=" + m + " n=" + n + " k=" + k);
        }
        if (m == 0 || n == 0) {
            return;
        }
        StridedMatrix opA = StridedMatrix.rowMajor(a, aOff, lda, transA);
        StridedMatrix opB = StridedMatrix.rowMajor(b, bOff, ldb, transB);
        StridedMatrix cMatrix = new StridedMatrix(c, cOff, ldc, 1);
        int nr = kernel.panelWidth();
        boolean dotShaped = !transA && transB && Math.min(m, n) <= DOT_MAX_ROWS;
        // The kernel vectorizes along C's columns. C^T = op(B)^T·op(A)^T vectorizes along C's rows instead,
        // which is cheaper when it avoids packing a large transposed B (e.g. h·W^T with few rows in h).
        int mr = kernel.maxRows();
        boolean computeTransposed = cost(n, m, k, mr, nr, transA) < cost(m, n, k, mr, nr, !transB);
        if (rowBias != null && (k == 0 || alpha == 0f || dotShaped || computeTransposed)) {
            // Paths that do not walk C in row tiles: fill first.
            MicroKernel.fillRows(rowBias, 0, m, n, c, cOff, ldc);
            rowBias = null;
        }
        if (k == 0 || alpha == 0f) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        if (dotShaped) {
            // Vector-matrix shaped (e.g. one sequence's h·W^T): packing would cost as much as the product.
            if (m <= n) {
                dotProducts(kernel, threads, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, 1);
            } else {
                // C^T = B·A^T: the same dot products with the operands' roles (and C's strides) exchanged.
                dotProducts(kernel, threads, n, m, k, alpha, b, bOff, ldb, a, aOff, lda, beta, c, cOff, 1, ldc);
            }
            return;
        }
        if (computeTransposed) {
            multiply(kernel, threads, n, m, k, alpha, opB.transpose(), opA.transpose(), beta,
                    cMatrix.transpose(), null);
        } else {
            multiply(kernel, threads, m, n, k, alpha, opA, opB, beta, cMatrix, rowBias);
        }
    }

    /**
     * A B operand packed once into the micro-kernel's panel layout, for many products with the same B (a
     * recurrent weight matrix used at every time step). Made by {@link #packB}; valid until its source or
     * buffer changes.
     */
    public static final class PackedB {
        final MicroKernel kernel;
        final int k;
        final int n;
        final float[] panels;
        /** The unpacked operand, for the dot-product path of skinny products (m ≤ {@link #DOT_MAX_ROWS}). */
        final float[] b;
        final int bOff;
        final int ldb;
        final boolean transB;

        PackedB(MicroKernel kernel, int k, int n, float[] panels, float[] b, int bOff, int ldb, boolean transB) {
            this.kernel = kernel;
            this.k = k;
            this.n = n;
            this.panels = panels;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.transB = transB;
        }

        public int k() {
            return k;
        }

        public int n() {
            return n;
        }
    }

    /**
     * Whether packing B once pays for {@code uses} products of m rows each: not for a single use, nor for
     * skinny transposed products, which read B in place (dot products) anyway.
     */
    public static boolean prepackPays(int m, int uses, boolean transB) {
        return uses > 1 && !(transB && m <= DOT_MAX_ROWS);
    }

    /** Floats a {@link PackedB} of a k×n operand needs. */
    public static int packedSize(int k, int n) {
        int nr = MicroKernels.preferred().panelWidth();
        // n rounded up to whole panels: within a panel of the array limit even when k·n itself fits.
        return org.lstm4j.tensor.Shape.arrayLength("packed B operand", new String[] {"k", "n rounded up to panels of " + nr},
                new int[] {k, (int) Math.min(Integer.MAX_VALUE, ((long) n + nr - 1) / nr * nr)},
                "use a smaller weight matrix");
    }

    /** Floats of B from which {@link #packB} splits its panels over the threads. */
    static final int PARALLEL_PACK_B_MIN = 1 << 16;

    /**
     * Packs op(B) (k×n; B stored n×k when {@code transB}) into {@code dst} (at least {@link #packedSize} floats):
     * for each k slice of {@link BlockedGemm#KC}, the panels of NR columns one after another, kc×NR each.
     */
    public static PackedB packB(boolean transB, int k, int n, float[] b, int bOff, int ldb, float[] dst) {
        MicroKernel kernel = MicroKernels.preferred();
        int nr = kernel.panelWidth();
        int panels = (n + nr - 1) / nr;
        if (dst.length < packedSize(k, n)) {
            throw new IllegalArgumentException("packed buffer of " + dst.length + " floats for " + k + "x" + n);
        }
        StridedMatrix op = StridedMatrix.rowMajor(b, bOff, ldb, transB);
        Parallelism.RangeBody pack = (q0, q1) -> {
            for (int pc = 0; pc < k; pc += BlockedGemm.KC) {
                int kc = Math.min(BlockedGemm.KC, k - pc);
                int col0 = q0 * nr;
                GemmPacking.packB(kernel, op, pc, kc, col0, Math.min(n, q1 * nr) - col0, nr, dst,
                        pc * panels * nr + q0 * kc * nr);
            }
        };
        if ((long) k * n >= PARALLEL_PACK_B_MIN) {
            // A weight matrix packed per call (a recurrent layer's W_hh each forward): ~1 ms per 4 MB on one
            // thread, while the other would idle.
            Parallelism.parallelFor(0, panels, 1, pack);
        } else {
            pack.run(0, panels);
        }
        return new PackedB(kernel, k, n, dst, b, bOff, ldb, transB);
    }

    /**
     * {@code C = alpha * A · B + beta * C} with A m×k row-major (not transposed) and B pre-packed. The result
     * equals {@link #sgemm} on the same shape bit for bit in every path except that it never packs B again;
     * skinny products (m or n ≤ {@link #DOT_MAX_ROWS}) of a transposed B use the same dot-product path as sgemm.
     */
    public static void sgemm(int m, float alpha, float[] a, int aOff, int lda, PackedB b, float beta,
            float[] c, int cOff, int ldc) {
        sgemm(m, alpha, a, aOff, lda, b, beta, c, cOff, ldc, null);
    }

    /** {@link #sgemmAddingRowBias} with B pre-packed: bit for bit the same as unpacked. */
    public static void sgemmAddingRowBias(int m, float[] a, int aOff, int lda, PackedB b, float[] bias, float[] c,
            int cOff, int ldc) {
        checkRowBias(bias, b.n);
        sgemm(m, 1f, a, aOff, lda, b, bias == null ? 0f : 1f, c, cOff, ldc, bias);
    }

    private static void sgemm(int m, float alpha, float[] a, int aOff, int lda, PackedB b, float beta,
            float[] c, int cOff, int ldc, float[] rowBias) {
        int n = b.n;
        int k = b.k;
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f || (b.transB && Math.min(m, n) <= DOT_MAX_ROWS)) {
            sgemm(b.kernel, Parallelism.threads(), false, b.transB, m, n, k, alpha, a, aOff, lda, b.b, b.bOff, b.ldb,
                    beta, c, cOff, ldc, rowBias);
            return;
        }
        MicroKernel kernel = b.kernel;
        int mr = kernel.maxRows();
        int nr = kernel.panelWidth();
        int colPanels = (n + nr - 1) / nr;
        int rowTiles = (m + mr - 1) / mr;
        // Decided on the whole product (packing A never changes the arithmetic, only the memory traffic).
        boolean packA = m >= mr && packsA(kernel, colPanels, k, true);
        long work = (long) m * n * k;
        int threads = Parallelism.threads();
        StridedMatrix aMatrix = new StridedMatrix(a, aOff, lda, 1);
        StridedMatrix cMatrix = new StridedMatrix(c, cOff, ldc, 1);
        if (threads <= 1 || work < PARALLEL_MIN_WORK || Math.max(rowTiles, colPanels) < 2
                || Parallelism.runsInline()) {
            packedBlock(kernel, 0, m, 0, colPanels, k, alpha, aMatrix, b, beta, cMatrix, packA, null, 0, rowBias);
            return;
        }
        // B is packed already: only C needs splitting, into a grid of blocks claimed by the threads. When
        // several panel groups share rows, A is packed once (all k slices) for all of them.
        BlockedGemm.Grid grid = BlockedGemm.Grid.of(m, colPanels, mr, threads, work);
        float[] sharedA = null;
        if (packA && grid.panelGroups > 1) {
            float[] shared = GemmWorkspace.current().sharedA(rowTiles * mr * k);
            int slices = (k + BlockedGemm.KC - 1) / BlockedGemm.KC;
            int aGroups = m * k < BlockedGemm.PARALLEL_PACK_MIN ? 1 : Math.min(threads, slices * rowTiles);
            Parallelism.forEachTask(aGroups, g -> {
                // Group g packs a contiguous range of (slice, row tile) pairs.
                int u0 = (int) ((long) slices * rowTiles * g / aGroups);
                int u1 = (int) ((long) slices * rowTiles * (g + 1) / aGroups);
                for (int u = u0; u < u1; ) {
                    int slice = u / rowTiles;
                    int t0 = u % rowTiles;
                    int t1 = Math.min(rowTiles, t0 + (u1 - u));
                    int pc = slice * BlockedGemm.KC;
                    int kc = Math.min(BlockedGemm.KC, k - pc);
                    GemmPacking.packA(kernel, aMatrix, t0 * mr, Math.min(m, t1 * mr) - t0 * mr, pc, kc, shared,
                            pc * rowTiles * mr + t0 * mr * kc);
                    u += t1 - t0;
                }
            });
            sharedA = shared;
        }
        float[] packedA = sharedA;
        Parallelism.forEachTask(grid.tasks(), t -> {
            int i0 = grid.rowStart(t);
            int q0 = grid.panelStart(t);
            packedBlock(kernel, i0, Math.min(m, i0 + grid.rowBlock), q0, Math.min(colPanels, q0 + grid.panelGroup),
                    k, alpha, aMatrix, b, beta, cMatrix, packA, packedA, rowTiles * mr, rowBias);
        });
    }

    /**
     * Rows [i0, i1) × panels [q0, q1) of C, k sliced as in {@link BlockedGemm}; A from {@code sharedA} (slice pc
     * at {@code pc * paddedRows}) when it was packed for all tasks.
     */
    private static void packedBlock(MicroKernel kernel, int i0, int i1, int q0, int q1, int k, float alpha,
            StridedMatrix a, PackedB b, float beta, StridedMatrix c, boolean packA, float[] sharedA, int paddedRows,
            float[] rowBias) {
        int nr = kernel.panelWidth();
        int n = b.n;
        int panels = (n + nr - 1) / nr;
        GemmWorkspace workspace = GemmWorkspace.current();
        for (int pc = 0; pc < k; pc += BlockedGemm.KC) {
            int kc = Math.min(BlockedGemm.KC, k - pc);
            float sliceBeta = pc == 0 ? beta : 1f;
            BlockedGemm.block(kernel, workspace, i0, i1, q0, q1, 0, n, pc, kc, alpha, sliceBeta, a, null, 0,
                    b.panels, pc * panels * nr, c, packA, sharedA, pc * paddedRows, pc == 0 ? rowBias : null);
        }
    }

    /**
     * Whether the blocked product packs A: when more than {@link #PACK_A_MIN_PANELS} B panels reuse each block,
     * unless A is row-major against packed B panels ({@code rowMajorAgainstPackedB}), k is at least
     * {@link #A_IN_PLACE_MIN_K}, the panels at most {@link #A_IN_PLACE_MAX_PANELS}, and the kernel reads such
     * an A in place. Never changes the bits, only the memory traffic.
     */
    static boolean packsA(MicroKernel kernel, int panels, int k, boolean rowMajorAgainstPackedB) {
        return panels > PACK_A_MIN_PANELS
                && !(rowMajorAgainstPackedB && k >= A_IN_PLACE_MIN_K && panels <= A_IN_PLACE_MAX_PANELS
                        && kernel.readsRowMajorAInPlace());
    }

    /**
     * The blocked product on the calling thread, or over the threads with one shared packed B per slice and a
     * grid of C blocks ({@link BlockedGemm#multiplyParallel}).
     */
    private static void multiply(MicroKernel kernel, int threads, int m, int n, int k, float alpha,
            StridedMatrix a, StridedMatrix b, float beta, StridedMatrix c, float[] rowBias) {
        int mr = kernel.maxRows();
        int nr = kernel.panelWidth();
        // Decided on the whole product, not per thread block (which would not change the bits anyway).
        boolean directB = b.colStride == 1 && m <= DIRECT_B_MAX_ROWS;
        // Panels read in place from B are not the packed panels that A is read in place against.
        boolean packA = packsA(kernel, (n + nr - 1) / nr, k, !directB && a.colStride == 1);
        long work = (long) m * n * k;
        int rowTiles = (m + mr - 1) / mr;
        int colPanels = (n + nr - 1) / nr;
        if (threads <= 1 || work < PARALLEL_MIN_WORK || Math.max(rowTiles, colPanels) < 2
                || Parallelism.runsInline()) {
            BlockedGemm.multiply(kernel, m, n, k, alpha, a, b, beta, c, packA, directB, rowBias);
        } else {
            BlockedGemm.multiplyParallel(kernel, threads, m, n, k, alpha, a, b, beta, c, packA, directB, rowBias);
        }
    }

    /** Whether A·Bᵀ with {@code m} rows in A takes the dot-product path (m ≤ {@link #DOT_MAX_ROWS}). */
    public static boolean dotShaped(int m) {
        return m <= DOT_MAX_ROWS;
    }

    /**
     * Columns [n0, n1) of {@code C = A · Bᵀ + beta * C} (A m×k, B stored n×k, both row-major) on the calling
     * thread, for a {@link #dotShaped} A: a slice of sgemm's dot-product path with the same arithmetic per
     * element, for callers that split a vector-matrix product over the threads themselves to fuse it with
     * the work that follows (a recurrent step's gate pass).
     */
    public static void dotProductColumns(int m, int n0, int n1, int k, float[] a, int aOff, int lda, float[] b,
            int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (m > DOT_MAX_ROWS || n0 < 0 || n1 < n0 || lda < k || ldb < k || ldc < n1) {
            throw new IllegalArgumentException("dot-product columns [" + n0 + ", " + n1 + ") of an " + m + "x" + k
                    + " A (at most " + DOT_MAX_ROWS + " rows) with lda=" + lda + " ldb=" + ldb + " ldc=" + ldc);
        }
        if (m == 0 || n1 == n0) {
            return;
        }
        if (k == 0) {
            scale(m, n1 - n0, beta, c, cOff + n0, ldc);
            return;
        }
        MicroKernels.preferred().dotProducts(m, n1 - n0, k, a, aOff, lda, b, bOff + n0 * ldb, ldb, 1f, beta, c,
                cOff + n0, ldc);
    }

    /**
     * Dot-product path, split over columns of C. C(i, j) is at {@code c[cOff + i*cRowStride + j*cColStride]};
     * the kernel writes unit-stride rows, so a transposed C is filled one column of C^T at a time.
     */
    private static void dotProducts(MicroKernel kernel, int threads, int m, int n, int k, float alpha,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff,
            int cRowStride, int cColStride) {
        Parallelism.RangeBody columns = (first, end) -> {
            if (cColStride == 1) {
                kernel.dotProducts(m, end - first, k, a, aOff, lda, b, bOff + first * ldb, ldb, alpha, beta,
                        c, cOff + first, cRowStride);
            } else {
                for (int j = first; j < end; j++) {
                    // Column j of C as a 1 × m row with stride cRowStride: one B row against all A rows.
                    kernel.dotProducts(1, m, k, b, bOff + j * ldb, ldb, a, aOff, lda, alpha, beta,
                            c, cOff + j * cColStride, cRowStride);
                }
            }
        };
        if (threads <= 1 || (long) m * n * k < DOT_PARALLEL_MIN_WORK || n < 2 * DOT_GRAIN) {
            columns.run(0, n);
        } else {
            Parallelism.parallelFor(0, n, DOT_GRAIN, columns);
        }
    }

    /** Rows a kernel call covers below FMA-latency bound: fewer rows cost as much as this many. */
    private static final int LATENCY_BOUND_ROWS = 4;

    /**
     * Rough cycle estimate of one orientation: micro-kernel time (few-row tiles are FMA-latency bound, so a
     * row costs more there) plus the time to pack B when it cannot be read in place.
     */
    private static double cost(int rows, int cols, int k, int mr, int nr, boolean bUnitStride) {
        double kernelCost = (double) ((cols + nr - 1) / nr) * k * ((rows / mr) * mr + tailRowCost(rows % mr));
        double packCost;
        if (bUnitStride && rows <= DIRECT_B_MAX_ROWS) {
            packCost = 0;
        } else {
            packCost = (double) k * cols * (bUnitStride ? 0.25 : 1.0);
        }
        return kernelCost + packCost;
    }

    /**
     * Relative cost of a tile's leftover rows, as the kernels split them (calls of 6, 5, 4, 2 and 1 rows), each
     * call costing at least {@link #LATENCY_BOUND_ROWS}.
     */
    private static int tailRowCost(int rows) {
        int cost = 0;
        while (rows > 0) {
            int call = rows >= 6 ? 6 : rows == 5 ? 5 : rows == 4 ? 4 : rows >= 2 ? 2 : 1;
            cost += Math.max(call, LATENCY_BOUND_ROWS);
            rows -= call;
        }
        return cost;
    }

    /** C = beta·C, with beta == 0 clearing C (NaN included). */
    private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, row, row + n, 0f);
            } else {
                for (int j = 0; j < n; j++) {
                    c[row + j] *= beta;
                }
            }
        }
    }
}
