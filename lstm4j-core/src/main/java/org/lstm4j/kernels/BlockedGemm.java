package org.lstm4j.kernels;

import java.util.function.IntConsumer;

/**
 * The Goto/BLIS loop nest: C is computed in blocks of NC columns, the shared dimension is walked in slices of
 * KC, the B slice is packed once per (column block, k slice) and reused for every row block of MC rows, whose
 * A block is packed (or read in place) and multiplied panel by panel by the micro-kernel.
 *
 * <p>The parallel driver keeps that nest but packs each B slice once, cooperatively, into one buffer shared by
 * all threads, then hands out a grid of C blocks (row blocks × panel groups, see {@link Grid}) claimed from an
 * atomic counter.
 *
 * <p>The k slicing starts at 0 for every call and sub-block, so an element of C always sees the same sums in
 * the same order, whichever part of C a thread is given.
 */
final class BlockedGemm {
    private BlockedGemm() {}

    /**
     * Shared-dimension slice; an A block (MC × KC) stays in L2, a packed B panel (KC × NR: 32 KB at 256 bits,
     * 64 KB at 512) in L1 or L2. 512 rather than 256: a recurrent step's product (k = the hidden size, often
     * 512) then merges each tile into C once instead of twice, and A is packed once; infer-large 3.5% faster
     * at 512 and 256 bits, training workloads within ±2% (paired runs on Zen 5, bench/README.md).
     */
    static final int KC = 512;
    /** Rows per A block; a multiple of 4 and 6 keeps panels full. */
    static final int MC = 144;
    /** Columns per B block (the packed KC × NC slice lives in L3). */
    static final int NC = 3072;
    /** Floats of a B slice below which the caller packs it alone (a fork-join costs more than the copy). */
    static final int PARALLEL_PACK_MIN = 1 << 14;
    /**
     * Floats of a column block of strided C (m × nc) up to which it is accumulated in a contiguous scratch
     * block across the k slices and written to C once (instead of a scalar strided merge per slice).
     */
    static final int SCRATCH_C_MAX = 1 << 21;
    /** Largest C row block (MC rows × n) that {@link #keepsRowBlockAcrossSlices} keeps in L2, in floats. */
    static final int ROW_BLOCK_C_MAX = 1 << 17;
    /** Largest B, packed for all its k slices at once, that {@link #keepsRowBlockAcrossSlices} allows, in floats. */
    static final int ALL_SLICES_B_MAX = 1 << 19;
    /**
     * Whether products that qualify run the row block outside the k slices (see
     * {@link #keepsRowBlockAcrossSlices}); a switch for paired measurements (bench/README, SwitchAB).
     */
    static boolean rowBlockAcrossSlices = true;

    /**
     * Whether the product runs row block by row block, each through all k slices, instead of slice by slice
     * through all row blocks: for a narrow C (one column block of at most {@link #ROW_BLOCK_C_MAX} / MC
     * columns) and a deep k, where the slice order re-reads every C block from L3 once per slice (the 1 MB
     * to 6.5 MB C of the dX and dW products of the recurrent backward) and waits for all threads at every
     * slice. B is then packed for all slices up front; a C element still sees the same sums in the same
     * order, so the bits do not change.
     */
    static boolean keepsRowBlockAcrossSlices(int m, int n, int k, int nr, int threads) {
        long panelFloats = (long) ((n + nr - 1) / nr) * nr;
        return rowBlockAcrossSlices && k > KC && n <= NC && (long) MC * n <= ROW_BLOCK_C_MAX
                && slices(k) * KC * panelFloats <= ALL_SLICES_B_MAX && (m + MC - 1) / MC >= Math.max(2, threads);
    }

    private static int slices(int k) {
        return (k + KC - 1) / KC;
    }

    /**
     * {@code C = alpha * A·B + beta * C} for an m×k A, a k×n B and an m×n C, on the calling thread.
     *
     * @param packA copy A blocks into micro-panels (pays off when each is reused across many B panels)
     * @param directB read B panels in place (only valid when B has unit column stride); pays off when few
     *                rows of A reuse each panel
     * @param rowBias null, or n values C is set to (every row; unit-stride C only) tile by tile just before the
     *                first k slice merges into it with beta (1 then): a fill without its own pass over C
     */
    static void multiply(MicroKernel kernel, int m, int n, int k, float alpha, StridedMatrix a, StridedMatrix b,
            float beta, StridedMatrix c, boolean packA, boolean directB, float[] rowBias) {
        int nr = kernel.panelWidth();
        GemmWorkspace workspace = GemmWorkspace.current();
        if (keepsRowBlockAcrossSlices(m, n, k, nr, 1)) {
            multiplyRowBlocksThroughSlices(kernel, 1, m, n, k, alpha, a, b, beta, c, packA, directB, rowBias);
            return;
        }
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int panels = (nc + nr - 1) / nr;
            StridedMatrix target = scratchTarget(workspace, c, m, jc, nc, k, beta);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                // Later k slices add to what the first one wrote.
                float sliceBeta = pc == 0 ? beta : 1f;
                int fullPanels = directB ? nc / nr : 0;
                float[] packedB = workspace.packedB((panels - fullPanels) * kc * nr);
                // In direct mode only the ragged last panel needs a padded copy.
                GemmPacking.packB(kernel, b, pc, kc, jc + fullPanels * nr, nc - fullPanels * nr, nr, packedB, 0);
                block(kernel, workspace, 0, m, 0, panels, jc, nc, pc, kc, alpha, sliceBeta, a, b, fullPanels,
                        packedB, 0, target, packA, null, 0, pc == 0 ? rowBias : null);
            }
            if (target != c) {
                copyOut(target, c, m, jc, nc);
            }
        }
    }

    /**
     * Where the k slices of column block {@code [jc, jc+nc)} accumulate: C itself, or (strided C, several
     * slices, block small enough) a contiguous m × nc scratch block holding exactly the values C would hold
     * (a copy of C first when beta != 0), addressed with C's column numbers, so each slice merges with the
     * vector code and the same arithmetic. {@link #copyOut} then writes it to C once.
     */
    static StridedMatrix scratchTarget(GemmWorkspace workspace, StridedMatrix c, int m, int jc, int nc, int k,
            float beta) {
        if (c.colStride == 1 || k <= KC || (long) m * nc > SCRATCH_C_MAX) {
            return c;
        }
        float[] scratch = workspace.scratchC(m * nc);
        if (beta != 0f) {
            for (int j = 0; j < nc; j++) {
                int s = c.index(0, jc + j);
                for (int i = 0; i < m; i++) {
                    scratch[i * nc + j] = c.data[s + i * c.rowStride];
                }
            }
        }
        // index(i, jc + j) = i*nc + j
        return new StridedMatrix(scratch, -jc, nc, 1);
    }

    /** Copies the m × nc scratch block of {@link #scratchTarget} into C's columns {@code [jc, jc+nc)}. */
    static void copyOut(StridedMatrix scratch, StridedMatrix c, int m, int jc, int nc) {
        float[] src = scratch.data;
        float[] dst = c.data;
        int rs = c.rowStride;
        for (int j = 0; j < nc; j++) {
            int d = c.index(0, jc + j);
            for (int i = 0; i < m; i++) {
                dst[d + i * rs] = src[i * nc + j];
            }
        }
    }

    /**
     * The same product split over the threads: per (column block, k slice) one shared packed B slice (packed
     * in parallel panel groups), then the C blocks of a {@link Grid} as independent tasks.
     */
    static void multiplyParallel(MicroKernel kernel, int threads, int m, int n, int k, float alpha,
            StridedMatrix a, StridedMatrix b, float beta, StridedMatrix c, boolean packA, boolean directB,
            float[] rowBias) {
        int mr = kernel.maxRows();
        int nr = kernel.panelWidth();
        // The caller's buffer, read by every thread; no thread packs into it while the tasks run.
        GemmWorkspace callerWorkspace = GemmWorkspace.current();
        if (keepsRowBlockAcrossSlices(m, n, k, nr, threads)) {
            multiplyRowBlocksThroughSlices(kernel, threads, m, n, k, alpha, a, b, beta, c, packA, directB, rowBias);
            return;
        }
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int panels = (nc + nr - 1) / nr;
            Grid grid = Grid.of(m, panels, mr, threads, (long) m * nc * Math.min(k, KC));
            // Shared by all tasks (each writes only its own C block), like C itself.
            StridedMatrix target = scratchTarget(callerWorkspace, c, m, jc, nc, k, beta);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                int p0 = pc;
                float sliceBeta = pc == 0 ? beta : 1f;
                int fullPanels = directB ? nc / nr : 0;
                int packPanels = panels - fullPanels;
                float[] packedB = callerWorkspace.packedB(packPanels * kc * nr);
                int col0 = jc + fullPanels * nr;
                int cols = nc - fullPanels * nr;
                // A is packed once into a shared buffer too when several panel groups would each repack it.
                boolean shareA = packA && grid.panelGroups > 1;
                float[] sharedA = shareA ? callerWorkspace.sharedA(((m + mr - 1) / mr) * mr * kc) : null;
                int rowTiles = (m + mr - 1) / mr;
                int bGroups = packPanels * kc * nr < PARALLEL_PACK_MIN ? (packPanels > 0 ? 1 : 0)
                        : Math.min(threads, packPanels);
                int aGroups = !shareA ? 0 : m * kc < PARALLEL_PACK_MIN ? 1 : Math.min(threads, rowTiles);
                Parallelism.forEachTask(bGroups + aGroups, g -> {
                    if (g < bGroups) {
                        int q0 = (int) ((long) packPanels * g / bGroups);
                        int q1 = (int) ((long) packPanels * (g + 1) / bGroups);
                        int from = q0 * nr;
                        int to = Math.min(cols, q1 * nr);
                        GemmPacking.packB(kernel, b, p0, kc, col0 + from, to - from, nr, packedB, q0 * kc * nr);
                    } else {
                        int t0 = (int) ((long) rowTiles * (g - bGroups) / aGroups);
                        int t1 = (int) ((long) rowTiles * (g - bGroups + 1) / aGroups);
                        int r1 = Math.min(m, t1 * mr);
                        GemmPacking.packA(kernel, a, t0 * mr, r1 - t0 * mr, p0, kc, sharedA, t0 * mr * kc);
                    }
                });
                int jcFinal = jc;
                float[] sliceBias = pc == 0 ? rowBias : null;
                Parallelism.forEachTask(grid.tasks(), t -> {
                    int i0 = grid.rowStart(t);
                    int i1 = Math.min(m, i0 + grid.rowBlock);
                    int q0 = grid.panelStart(t);
                    int q1 = Math.min(panels, q0 + grid.panelGroup);
                    block(kernel, GemmWorkspace.current(), i0, i1, q0, q1, jcFinal, nc, p0, kc, alpha, sliceBeta,
                            a, b, fullPanels, packedB, 0, target, packA, sharedA, 0, sliceBias);
                });
            }
            if (target != c) {
                copyOut(target, c, m, jc, nc);
            }
        }
    }

    /**
     * The {@link #keepsRowBlockAcrossSlices} order on {@code threads} threads (the calling thread alone for 1):
     * B's panels that are not read in place (all, or only the ragged last one with {@code directB}) packed for
     * every k slice, slice s at {@code s * packed panels * KC * NR}, then row blocks through all slices. The
     * blocks deal whole MR tiles evenly to a multiple of the thread count of blocks, none above MC rows but for
     * rounding: equal shares, claimed in order.
     */
    private static void multiplyRowBlocksThroughSlices(MicroKernel kernel, int threads, int m, int n, int k,
            float alpha, StridedMatrix a, StridedMatrix b, float beta, StridedMatrix c, boolean packA,
            boolean directB, float[] rowBias) {
        int mr = kernel.maxRows();
        int nr = kernel.panelWidth();
        // The caller's buffers, read by every thread; no thread packs into them while the row blocks run.
        GemmWorkspace callerWorkspace = GemmWorkspace.current();
        int fullPanels = directB ? n / nr : 0;
        int sliceFloats = ((n + nr - 1) / nr - fullPanels) * KC * nr;
        float[] packedB = callerWorkspace.packedB(slices(k) * sliceFloats);
        if (sliceFloats > 0) {
            forEachTask(threads, slices(k), s -> GemmPacking.packB(kernel, b, s * KC, Math.min(KC, k - s * KC),
                    fullPanels * nr, n - fullPanels * nr, nr, packedB, s * sliceFloats));
        }
        StridedMatrix target = scratchTarget(callerWorkspace, c, m, 0, n, k, beta);
        int rowTiles = (m + mr - 1) / mr;
        int blocks = ((Math.max((m + MC - 1) / MC, threads) + threads - 1) / threads) * threads;
        forEachTask(threads, blocks, t -> {
            int i0 = (int) ((long) rowTiles * t / blocks) * mr;
            int i1 = Math.min(m, (int) ((long) rowTiles * (t + 1) / blocks) * mr);
            rowBlockThroughSlices(kernel, GemmWorkspace.current(), i0, i1, n, k, alpha, a, b, beta, target, packA,
                    fullPanels, packedB, sliceFloats, rowBias);
        });
        if (target != c) {
            copyOut(target, c, m, 0, n);
        }
    }

    /** The tasks over the pool with more than one thread, else in order on the calling thread. */
    private static void forEachTask(int threads, int count, IntConsumer task) {
        if (threads > 1) {
            Parallelism.forEachTask(count, task);
        } else {
            for (int t = 0; t < count; t++) {
                task.accept(t);
            }
        }
    }

    /**
     * Rows {@code [i0, i1)} of a one-column-block product through all k slices; slice s of B's packed panels
     * starts at {@code s * sliceFloats}.
     */
    private static void rowBlockThroughSlices(MicroKernel kernel, GemmWorkspace workspace, int i0, int i1, int n,
            int k, float alpha, StridedMatrix a, StridedMatrix b, float beta, StridedMatrix c, boolean packA,
            int fullPanels, float[] packedB, int sliceFloats, float[] rowBias) {
        int panels = (n + kernel.panelWidth() - 1) / kernel.panelWidth();
        for (int s = 0; s < slices(k); s++) {
            int pc = s * KC;
            block(kernel, workspace, i0, i1, 0, panels, 0, n, pc, Math.min(KC, k - pc), alpha, pc == 0 ? beta : 1f,
                    a, b, fullPanels, packedB, s * sliceFloats, c, packA, null, 0, pc == 0 ? rowBias : null);
        }
    }

    /**
     * Rows {@code [i0, i1)} × panels {@code [q0, q1)} of the column block at {@code jc} (nc wide) for the k
     * slice {@code [pc, pc+kc)}: panel q is read in place from B when {@code q < fullPanels}, otherwise from
     * {@code packedB} at {@code packedBase + (q - fullPanels)*kc*NR}. With {@code rowBias} (unit-stride C),
     * C counts as holding the bias values of its columns: the kernel merges each tile onto them.
     */
    static void block(MicroKernel kernel, GemmWorkspace workspace, int i0, int i1, int q0, int q1, int jc, int nc,
            int pc, int kc, float alpha, float sliceBeta, StridedMatrix a, StridedMatrix b, int fullPanels,
            float[] packedB, int packedBase, StridedMatrix c, boolean packA, float[] sharedA, int sharedABase,
            float[] rowBias) {
        int mr = kernel.maxRows();
        int nr = kernel.panelWidth();
        float[] tile = workspace.tile(mr * nr);
        float[] packedA = sharedA != null ? sharedA
                : packA ? workspace.packedA(((Math.min(MC, i1 - i0) + mr - 1) / mr) * mr * kc) : null;
        for (int ic = i0; ic < i1; ic += MC) {
            int mc = Math.min(MC, i1 - ic);
            // Row ic's panel in the shared packing (ic is a multiple of MR there), or the private block from 0.
            int aBase = sharedA != null ? sharedABase + ic * kc : 0;
            if (packA && sharedA == null) {
                GemmPacking.packA(kernel, a, ic, mc, pc, kc, packedA);
            }
            for (int q = q0; q < q1; q++) {
                int j = q * nr;
                int cols = Math.min(nr, nc - j);
                float[] bData;
                int bIdx;
                int bRowStride;
                if (q < fullPanels) {
                    bData = b.data;
                    bIdx = b.index(pc, jc + j);
                    bRowStride = b.rowStride;
                } else {
                    bData = packedB;
                    bIdx = packedBase + (q - fullPanels) * kc * nr;
                    bRowStride = nr;
                }
                // A block packed here, like A read in place, has the kernel's tile heights (GemmPacking.packA);
                // a shared one mr rows.
                for (int ir = 0, tileIndex = 0; ir < mc; tileIndex++) {
                    int rows = packA ? GemmPacking.tileRows(kernel, sharedA == null, mc - ir)
                            : kernel.tileRows(mc - ir);
                    int cIdx = c.index(ic + ir, jc + j);
                    if (packA) {
                        kernel.multiply(rows, cols, kc, packedA, aBase + tileIndex * mr * kc, 1, mr, bData, bIdx,
                                bRowStride, alpha, sliceBeta, c.data, cIdx, c.rowStride, c.colStride, rowBias, jc + j,
                                tile);
                    } else {
                        kernel.multiply(rows, cols, kc, a.data, a.index(ic + ir, pc), a.rowStride,
                                a.colStride, bData, bIdx, bRowStride,
                                alpha, sliceBeta, c.data, cIdx, c.rowStride, c.colStride, rowBias, jc + j, tile);
                    }
                    ir += rows;
                }
            }
        }
    }

    /**
     * A partition of C (rows × panels of one column block) into row blocks × panel groups, numbered row block
     * by row block. Whole row blocks of MC rows come first (each task then packs its A block once); panels are
     * grouped only when there are too few row blocks to keep the threads busy, and rows are cut below MC (in
     * whole MR tiles) only when there are too few panels as well.
     */
    static final class Grid {
        final int rowBlock;
        final int rowBlocks;
        final int panelGroup;
        final int panelGroups;

        private Grid(int rowBlock, int rowBlocks, int panelGroup, int panelGroups) {
            this.rowBlock = rowBlock;
            this.rowBlocks = rowBlocks;
            this.panelGroup = panelGroup;
            this.panelGroups = panelGroups;
        }

        /**
         * @param work multiply-adds of one k slice of the block; small products get fewer, larger tasks
         */
        static Grid of(int m, int panels, int mr, int threads, long work) {
            int target = threads * (work >= (1L << 25) ? 4 : 2);
            int rowTiles = (m + mr - 1) / mr;
            int rowBlocks = (m + MC - 1) / MC;
            int panelGroups = Math.min(panels, (target + rowBlocks - 1) / rowBlocks);
            if ((long) rowBlocks * panelGroups < target) {
                rowBlocks = Math.min(rowTiles, (target + panelGroups - 1) / panelGroups);
            }
            int rowBlock = Math.min(MC, ((rowTiles + rowBlocks - 1) / rowBlocks) * mr);
            rowBlocks = (m + rowBlock - 1) / rowBlock;
            int panelGroup = (panels + panelGroups - 1) / panelGroups;
            panelGroups = (panels + panelGroup - 1) / panelGroup;
            return new Grid(rowBlock, rowBlocks, panelGroup, panelGroups);
        }

        int tasks() {
            return rowBlocks * panelGroups;
        }

        int rowStart(int task) {
            return (task / panelGroups) * rowBlock;
        }

        int panelStart(int task) {
            return (task % panelGroups) * panelGroup;
        }
    }
}
