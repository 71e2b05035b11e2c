package org.lstm4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Micro-kernel on the Vector API, blocked per vector width: 8 rows × 2 vectors (8×32 floats) with 512-bit vectors, 16
 * accumulators of AVX-512's 32 registers (and so on aarch64, 32 registers at every width); 6 rows × 2 vectors (6×16
 * floats with AVX2) at 256 and 128 bits on x86, 12 accumulators, 2 B vectors and a broadcast: 15 of 16 registers, the
 * usual AVX2 blocking (MLAS's FMA3 kernel is 6×16 too). More accumulator chains keep the FMA pipes busier (Zen 5 at 256
 * bits, chains through the addend as here: eight 99-103 GFLOP/s per core, ten 108-111, twelve 111-116; bench/README,
 * "Stop 30"), so a block is cut into tiles of 6 and 5 rows where those cover it, and into 4-row tiles (eight chains)
 * only where they do not. Until stop 29 the tiles here were 5 rows: the 6-row loop, its six broadcasts addressed off
 * one index, was compiled by Java 25 with accumulators on the stack in every JVM tried. Since then {@link #rows6Packed}
 * has a loop form per Java release, each kept in registers by that release's C2, which {@code
 * scripts/check-kernel-spills} checks in CI. Eight rows tile the 16- and 32-row per-thread batches of the recurrent
 * steps exactly at 512 bits, 6 + 5 + 5 and 6 + 6 + 5 + 5 + 5 + 5 at 256 and 128, from packed A panels and from A read
 * in place alike. A row-major A against packed B panels is read in place by its own 8-, 6-, 5- and 4-row kernels when
 * few panels would reuse a packing (see {@link Gemm#A_IN_PLACE_MAX_PANELS}), written like the packed ones so that C2
 * hoists their range checks; other unpacked A (products with at most 4 B panels) goes through the strided kernels.
 * Fewer rows (tile edges, skinny products) use 6-, 5-, 4-, 2- and 1-row variants with the same per-element arithmetic,
 * so the blocking never changes a result.
 *
 * <p>Only loaded (reflectively, by {@link MicroKernels}) when the {@code jdk.incubator.vector} module is present.
 */
final class VectorMicroKernel extends MicroKernel {
    private static final VectorSpecies<Float> SPECIES = VectorWidth.FLOATS;
    private static final int LANES = SPECIES.length();
    private static final int NR = 2 * LANES;
    /**
     * Rows per tile: 8 where 32 vector registers hold 16 accumulators (512-bit, and aarch64 at every width), else
     * 6 (x86's 16 registers), or what {@code -Dlstm4j.gemm.tileRows} asks below 512 bits (see
     * {@link KernelInfo#forcedTileRows}). On aarch64 sixteen chains are what four FMA pipes of 4-cycle latency
     * (Neoverse V1 and V2) need to stay busy; twelve can fill at most 75% of them. Not measured on an ARM CPU.
     */
    private static final int MR = LANES == 16 ? 8
            : KernelInfo.forcedTileRows() != 0 ? KernelInfo.forcedTileRows()
            : KernelInfo.thirtyTwoVectorRegisters() ? 8 : 6;
    /** {@link #rows6Packed}'s loop form ({@link KernelInfo#rows6OneIndex}): one index on Java 17. */
    private static final boolean ROWS6_ONE_INDEX = KernelInfo.rows6OneIndex();

    @Override
    int maxRows() {
        return MR;
    }

    @Override
    int panelWidth() {
        return NR;
    }

    @Override
    boolean readsRowMajorAInPlace() {
        return true;
    }

    /**
     * At 6 rows (256 and 128 bits), a block (packed or read in place) is cut into tiles of 6 and 5 rows where
     * those cover it in ceil(rows / 6) tiles, the 6s first (16 rows: 6, 5, 5; 32: 6, 6, 5, 5, 5, 5), otherwise
     * into tiles of 5 and 4 (8 rows: 4, 4 rather than 6, 2; 13: 5, 4, 4). A 4-row tile keeps
     * eight accumulator chains, a 2-row one four: per-thread products with packed B at 256 bits (Zen 5), 5-row
     * tiles against tiles of 5 and 4: 8×1024×256 1.41x, 32×256×1024 1.03x, 32×1024×256 1.02x (stop 22); tiles
     * of 6 and 5 against 4s: 16×2048×512 1.02-1.08x (stop 29). At 8 rows (512 bits) ending a block in tiles of
     * 5 (10 rows as 5 + 5) gained 1-4%: not done.
     */
    @Override
    int tileRows(int left) {
        if (MR == 8 || left <= MR) {
            return Math.min(MR, left);
        }
        if (MR == 6) {
            int tiles = (left + 5) / 6;
            if (5 * tiles <= left) {
                return left > 5 * tiles ? 6 : 5;
            }
        }
        // Tiles of 4 and 5 cover `left` when it is at least 4 per tile; the 5s go first.
        int tiles = (left + 4) / 5;
        return left == 4 * tiles ? 4 : 5;
    }

    @Override
    void multiply(int rows, int cols, int kc, float[] a, int aIdx, int aRowStride, int aColStride,
            float[] b, int bIdx, int bRowStride, float alpha, float beta,
            float[] c, int cIdx, int cRowStride, int cColStride, float[] bias, int biasIdx, float[] tile) {
        // Vector merge straight into C only for full-width rows of unit-stride C; otherwise via the tile.
        boolean direct = cColStride == 1 && cols == NR;
        if (bias != null && !direct) {
            fillRows(bias, biasIdx, rows, cols, c, cIdx, cRowStride);
            bias = null;
        }
        boolean packed = aRowStride == 1 && aColStride == MR && bRowStride == NR;
        boolean directA = !packed && aColStride == 1 && bRowStride == NR;
        int row = 0;
        while (row < rows) {
            int left = rows - row;
            int ai = aIdx + row * aRowStride;
            int ci = cIdx + row * cRowStride;
            // The row kernels only accumulate into the tile and the merge into C happens here, so that alpha,
            // beta and C's indexing are not live across their k loops (up to 15 of 16 vector registers at 256
            // and 128 bits).
            int done;
            if (left >= 6 && cols <= LANES) {
                // A ragged last panel (e.g. the 65th column of 65): one vector per row does the same sums.
                rows6Half(kc, a, ai, aRowStride, aColStride, b, bIdx, bRowStride, tile);
                MicroKernel.mergeTile(tile, 0, NR, 6, cols, alpha, beta, c, ci, cRowStride, cColStride);
                row += 6;
                continue;
            } else if (left >= 8 && packed) {
                rows8Packed(kc, a, ai, b, bIdx, tile);
                done = 8;
            } else if (left >= 6 && packed) {
                rows6Packed(kc, a, ai, aRowStride, b, bIdx, tile);
                done = 6;
            } else if (left >= 5 && packed) {
                rows5Packed(kc, a, ai, b, bIdx, tile);
                done = 5;
            } else if (left >= 8 && directA) {
                rows8Direct(kc, a, ai, aRowStride, b, bIdx, tile);
                done = 8;
            } else if (left >= 6 && directA) {
                rows6Direct(kc, a, ai, aRowStride, b, bIdx, tile);
                done = 6;
            } else if (left == 5 && directA) {
                rows5Direct(kc, a, ai, aRowStride, b, bIdx, tile);
                done = 5;
            } else if (left == 4 && directA) {
                rows4Direct(kc, a, ai, aRowStride, b, bIdx, tile);
                done = 4;
            } else if (left >= 8) {
                rows8(kc, a, ai, aRowStride, aColStride, b, bIdx, bRowStride, tile);
                done = 8;
            } else if (left >= 6) {
                rows6(kc, a, ai, aRowStride, aColStride, b, bIdx, bRowStride, tile);
                done = 6;
            } else if (left >= 4 && packed) {
                rows4Packed(kc, a, ai, b, bIdx, tile);
                done = 4;
            } else if (left >= 4) {
                rows4(kc, a, ai, aRowStride, aColStride, b, bIdx, bRowStride, tile);
                done = 4;
            } else if (left >= 2 && packed) {
                rows2Packed(kc, a, ai, b, bIdx, tile);
                done = 2;
            } else if (left >= 2) {
                rows2(kc, a, ai, aRowStride, aColStride, b, bIdx, bRowStride, tile);
                done = 2;
            } else {
                rows1(kc, a, ai, aColStride, b, bIdx, bRowStride, tile);
                done = 1;
            }
            mergeTile(tile, done, cols, alpha, beta, c, ci, cRowStride, cColStride, direct, bias, biasIdx);
            row += done;
        }
    }

    /** Eight rows from packed panels (512-bit vectors); loop form as in {@link #rows5Packed}. */
    private static void rows8Packed(int kc, float[] a, int ai, float[] b, int bi, float[] tile) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
        FloatVector c40 = zero, c41 = zero, c50 = zero, c51 = zero, c60 = zero, c61 = zero, c70 = zero, c71 = zero;
        int aEnd = ai + kc * MR;
        for (int ap = ai, bp = bi; ap < aEnd; ap += MR, bp += NR) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ap + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ap + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ap + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[ap + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, a[ap + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(SPECIES, a[ap + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(SPECIES, a[ap + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + LANES);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + LANES);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + LANES);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + LANES);
    }

    /**
     * Six rows from packed panels: the whole tile at 256 and 128 bits, an 8-row packing's tail at 512. Two loop
     * forms with the same FMAs in the same order; {@link #ROWS6_ONE_INDEX}, a constant, picks one per Java release
     * (one index on Java 17 only, where it was checked; a start per row on later releases), so only that one is
     * ever compiled:
     * <ul>
     *   <li>one index ({@code a[ap + r]}, as in {@link #rows5Packed}), the broadcasts' addresses constant offsets
     *       of it (packed rows are adjacent: {@code rowStep} is 1): on Java 17, 31 instructions per 12 FMAs at
     *       256 bits and 37 at 128, no spills. Java 25's C2 loads three or four broadcasts at the top of this
     *       loop, 17-18 live vectors of 16, and moves accumulators through the stack in it (2 vector spills; 68
     *       against 92-95 GFLOP/s per thread on 16×2048×512 at 256 bits);
     *   <li>a start per row, {@code rowStep} (1: packed rows are adjacent) apart and passed in so that C2 cannot
     *       fold them into one index: each broadcast's address is formed just before it, and Java 25 keeps all
     *       twelve accumulators in registers (39 instructions). On Java 17 this form takes 43 and 50.
     * </ul>
     * Instructions cost where the front end is narrower than Zen 5's eight µops a cycle: Intel's Haswell to
     * Skylake cores issue four (the Skylake-SP Xeons too, which HotSpot runs at 256 bits by default), about 7
     * cycles per 12 FMAs in the one-index form and 10 in the other, where the two FMA pipes need 6. On Zen 5 both
     * run alike.
     */
    private static void rows6Packed(int kc, float[] a, int ai, int rowStep, float[] b, int bi, float[] tile) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero;
        FloatVector c30 = zero, c31 = zero, c40 = zero, c41 = zero, c50 = zero, c51 = zero;
        if (ROWS6_ONE_INDEX) {
            int aEnd = ai + kc * MR;
            for (int ap = ai, bp = bi; ap < aEnd; ap += MR, bp += NR) {
                FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
                FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
                FloatVector av = FloatVector.broadcast(SPECIES, a[ap]);
                c00 = av.fma(b0, c00);
                c01 = av.fma(b1, c01);
                av = FloatVector.broadcast(SPECIES, a[ap + 1]);
                c10 = av.fma(b0, c10);
                c11 = av.fma(b1, c11);
                av = FloatVector.broadcast(SPECIES, a[ap + 2]);
                c20 = av.fma(b0, c20);
                c21 = av.fma(b1, c21);
                av = FloatVector.broadcast(SPECIES, a[ap + 3]);
                c30 = av.fma(b0, c30);
                c31 = av.fma(b1, c31);
                av = FloatVector.broadcast(SPECIES, a[ap + 4]);
                c40 = av.fma(b0, c40);
                c41 = av.fma(b1, c41);
                av = FloatVector.broadcast(SPECIES, a[ap + 5]);
                c50 = av.fma(b0, c50);
                c51 = av.fma(b1, c51);
            }
        } else {
            int r1 = ai + rowStep, r2 = r1 + rowStep, r3 = r2 + rowStep, r4 = r3 + rowStep, r5 = r4 + rowStep;
            int qEnd = kc * MR;
            for (int q = 0, bp = bi; q < qEnd; q += MR, bp += NR) {
                FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
                FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
                FloatVector av = FloatVector.broadcast(SPECIES, a[ai + q]);
                c00 = av.fma(b0, c00);
                c01 = av.fma(b1, c01);
                av = FloatVector.broadcast(SPECIES, a[r1 + q]);
                c10 = av.fma(b0, c10);
                c11 = av.fma(b1, c11);
                av = FloatVector.broadcast(SPECIES, a[r2 + q]);
                c20 = av.fma(b0, c20);
                c21 = av.fma(b1, c21);
                av = FloatVector.broadcast(SPECIES, a[r3 + q]);
                c30 = av.fma(b0, c30);
                c31 = av.fma(b1, c31);
                av = FloatVector.broadcast(SPECIES, a[r4 + q]);
                c40 = av.fma(b0, c40);
                c41 = av.fma(b1, c41);
                av = FloatVector.broadcast(SPECIES, a[r5 + q]);
                c50 = av.fma(b0, c50);
                c51 = av.fma(b1, c51);
            }
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + LANES);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + LANES);
    }

    /**
     * Five rows from packed panels (a 6- or 8-row packing's tail). The loop counts the A index itself, with the
     * constant stride MR: in that form C2 proves all loads in range before the loop, while a loop over p with
     * the index computed as {@code ai + p * MR} kept two range checks and the index arithmetic in every k step
     * (in the 6-row kernel at 512 bits: about 40 instructions per 12 FMAs, 8–15% slower GEMMs).
     */
    private static void rows5Packed(int kc, float[] a, int ai, float[] b, int bi, float[] tile) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero;
        FloatVector c30 = zero, c31 = zero, c40 = zero, c41 = zero;
        int aEnd = ai + kc * MR;
        for (int ap = ai, bp = bi; ap < aEnd; ap += MR, bp += NR) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ap + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ap + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ap + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[ap + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + LANES);
    }

    /** Four rows from packed panels (a 6- or 8-row packing's tail); loop form as in {@link #rows5Packed}. */
    private static void rows4Packed(int kc, float[] a, int ai, float[] b, int bi, float[] tile) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
        int aEnd = ai + kc * MR;
        for (int ap = ai, bp = bi; ap < aEnd; ap += MR, bp += NR) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ap + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ap + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ap + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
    }

    /**
     * Eight rows of a row-major A read in place (rows {@code lda} apart) against a packed B panel: the packing
     * of A skipped for products whose A block is used by few panels per copy (a recurrent step's 8 to 32 rows).
     * The loop counts the A index itself by 1 and the row offsets are loop-invariant, the form in which C2
     * proves every load in range before the loop (as for {@link #rows5Packed}).
     */
    private static void rows8Direct(int kc, float[] a, int ai, int lda, float[] b, int bi, float[] tile) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
        FloatVector c40 = zero, c41 = zero, c50 = zero, c51 = zero, c60 = zero, c61 = zero, c70 = zero, c71 = zero;
        int a1 = lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda, a6 = a5 + lda, a7 = a6 + lda;
        int aEnd = ai + kc;
        for (int ap = ai, bp = bi; ap < aEnd; ap++, bp += NR) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ap + a1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ap + a2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ap + a3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[ap + a4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, a[ap + a5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(SPECIES, a[ap + a6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(SPECIES, a[ap + a7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + LANES);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + LANES);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + LANES);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + LANES);
    }

    /**
     * Five rows of a row-major A read in place (a 6-row block's tail at 256 and 128 bits). Unlike {@link #rows8Direct}
     * the loop counts k from 0 and each row's loads are its start plus k. With the A index counted instead,
     * Java 25's C2 at 256 bits loaded all five broadcasts at the top of the loop (17 live vectors of 16) and
     * kept an accumulator on the stack: 49 GFLOP/s per thread on 32×256×1024 against 99 in this form (Java 17
     * compiles both forms without spills; {@code bench/c2_loop.py} shows a kernel's loop on any release).
     */
    private static void rows5Direct(int kc, float[] a, int ai, int lda, float[] b, int bi, float[] tile) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
        FloatVector c40 = zero, c41 = zero;
        int r1 = ai + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda;
        for (int p = 0, bp = bi; p < kc; p++, bp += NR) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ai + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[r1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[r2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[r3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[r4 + p]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + LANES);
    }

    /** Six rows of a row-major A read in place: the whole tile at 256 and 128 bits; as {@link #rows5Direct}. */
    private static void rows6Direct(int kc, float[] a, int ai, int lda, float[] b, int bi, float[] tile) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
        FloatVector c40 = zero, c41 = zero, c50 = zero, c51 = zero;
        int r1 = ai + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda;
        for (int p = 0, bp = bi; p < kc; p++, bp += NR) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ai + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[r1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[r2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[r3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[r4 + p]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, a[r5 + p]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + LANES);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + LANES);
    }

    /** Four rows of a row-major A read in place; as {@link #rows8Direct}. */
    private static void rows4Direct(int kc, float[] a, int ai, int lda, float[] b, int bi, float[] tile) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
        int a1 = lda, a2 = a1 + lda, a3 = a2 + lda;
        int aEnd = ai + kc;
        for (int ap = ai, bp = bi; ap < aEnd; ap++, bp += NR) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ap + a1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ap + a2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ap + a3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
    }

    /** Two rows from packed panels; loop form as in {@link #rows5Packed}. */
    private static void rows2Packed(int kc, float[] a, int ai, float[] b, int bi, float[] tile) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c00 = zero, c01 = zero, c10 = zero, c11 = zero;
        int aEnd = ai + kc * MR;
        for (int ap = ai, bp = bi; ap < aEnd; ap += MR, bp += NR) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ap + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
    }

    /**
     * Eight rows of A read in place (512-bit vectors: 16 accumulators of 32 registers), for products whose A
     * is not packed (few B panels reuse it); without it such a tile ran as six rows and then two, whose four
     * accumulator chains leave half the FMA issue slots empty.
     */
    private static void rows8(int kc, float[] a, int ai, int ars, int acs, float[] b, int bi, int brs,
            float[] tile) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
        FloatVector c40 = zero, c41 = zero, c50 = zero, c51 = zero, c60 = zero, c61 = zero, c70 = zero, c71 = zero;
        int a1 = ai + ars, a2 = a1 + ars, a3 = a2 + ars, a4 = a3 + ars, a5 = a4 + ars, a6 = a5 + ars, a7 = a6 + ars;
        for (int p = 0; p < kc; p++) {
            int bp = bi + p * brs;
            int ap = p * acs;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ai + ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + ap]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[a2 + ap]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[a3 + ap]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[a4 + ap]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, a[a5 + ap]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(SPECIES, a[a6 + ap]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(SPECIES, a[a7 + ap]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + LANES);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + LANES);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + LANES);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + LANES);
    }

    private static void rows6(int kc, float[] a, int ai, int ars, int acs, float[] b, int bi, int brs,
            float[] tile) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero;
        FloatVector c30 = zero, c31 = zero, c40 = zero, c41 = zero, c50 = zero, c51 = zero;
        int a1 = ai + ars, a2 = a1 + ars, a3 = a2 + ars, a4 = a3 + ars, a5 = a4 + ars;
        for (int p = 0; p < kc; p++) {
            int bp = bi + p * brs;
            int ap = p * acs;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ai + ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + ap]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[a2 + ap]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[a3 + ap]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[a4 + ap]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, a[a5 + ap]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + LANES);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + LANES);
    }

    /** Six rows of a panel whose valid columns fit one vector: the second half of the panel is not computed. */
    private static void rows6Half(int kc, float[] a, int ai, int ars, int acs, float[] b, int bi, int brs,
            float[] tile) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c0 = zero, c1 = zero, c2 = zero, c3 = zero, c4 = zero, c5 = zero;
        int a1 = ai + ars, a2 = a1 + ars, a3 = a2 + ars, a4 = a3 + ars, a5 = a4 + ars;
        for (int p = 0; p < kc; p++) {
            int ap = p * acs;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi + p * brs);
            c0 = FloatVector.broadcast(SPECIES, a[ai + ap]).fma(b0, c0);
            c1 = FloatVector.broadcast(SPECIES, a[a1 + ap]).fma(b0, c1);
            c2 = FloatVector.broadcast(SPECIES, a[a2 + ap]).fma(b0, c2);
            c3 = FloatVector.broadcast(SPECIES, a[a3 + ap]).fma(b0, c3);
            c4 = FloatVector.broadcast(SPECIES, a[a4 + ap]).fma(b0, c4);
            c5 = FloatVector.broadcast(SPECIES, a[a5 + ap]).fma(b0, c5);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, NR);
        c2.intoArray(tile, 2 * NR);
        c3.intoArray(tile, 3 * NR);
        c4.intoArray(tile, 4 * NR);
        c5.intoArray(tile, 5 * NR);
    }

    private static void rows4(int kc, float[] a, int ai, int ars, int acs, float[] b, int bi, int brs,
            float[] tile) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
        int a1 = ai + ars, a2 = a1 + ars, a3 = a2 + ars;
        for (int p = 0; p < kc; p++) {
            int bp = bi + p * brs;
            int ap = p * acs;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ai + ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + ap]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[a2 + ap]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[a3 + ap]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
    }

    private static void rows2(int kc, float[] a, int ai, int ars, int acs, float[] b, int bi, int brs,
            float[] tile) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c00 = zero, c01 = zero, c10 = zero, c11 = zero;
        int a1 = ai + ars;
        for (int p = 0; p < kc; p++) {
            int bp = bi + p * brs;
            int ap = p * acs;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ai + ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + ap]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
    }

    private static void rows1(int kc, float[] a, int ai, int acs, float[] b, int bi, int brs,
            float[] tile) {
        // Splitting p over more accumulators would change the summation order, so a single row stays
        // latency-bound; it only serves tile edges and vector-matrix products.
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c00 = zero, c01 = zero;
        for (int p = 0; p < kc; p++) {
            int bp = bi + p * brs;
            FloatVector av = FloatVector.broadcast(SPECIES, a[ai + p * acs]);
            c00 = av.fma(FloatVector.fromArray(SPECIES, b, bp), c00);
            c01 = av.fma(FloatVector.fromArray(SPECIES, b, bp + LANES), c01);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
    }

    /**
     * Merges the first {@code rows} rows of the accumulator tile into C. Vector values never cross a method
     * boundary: C2 only intrinsifies Vector API calls whose vector class it can see exactly. With {@code bias}
     * (direct merges only), C's old values are the bias row's: alpha·sum + 1·bias, C not read.
     */
    private static void mergeTile(float[] tile, int rows, int cols, float alpha, float beta,
            float[] c, int ci, int crs, int ccs, boolean direct, float[] bias, int biasIdx) {
        if (!direct) {
            MicroKernel.mergeTile(tile, 0, NR, rows, cols, alpha, beta, c, ci, crs, ccs);
            return;
        }
        for (int i = 0; i < rows; i++) {
            int t = i * NR;
            int row = ci + i * crs;
            for (int j = 0; j < NR; j += LANES) {
                FloatVector sum = FloatVector.fromArray(SPECIES, tile, t + j).mul(alpha);
                if (bias != null) {
                    sum = sum.add(FloatVector.fromArray(SPECIES, bias, biasIdx + j));
                } else if (beta != 0f) {
                    sum = sum.add(FloatVector.fromArray(SPECIES, c, row + j).mul(beta));
                }
                sum.intoArray(c, row + j);
            }
        }
    }

    /** Source rows per block of the packing loops: few enough read streams to stay in L1. */
    private static final int PACK_ROW_BLOCK = 8;
    /** Eight floats, one AVX2 register: a packing slot (MR = 6 or 5) plus floats that the next slot overwrites. */
    private static final VectorSpecies<Float> EIGHT = FloatVector.SPECIES_256;
    /** Only where 256 bits is the preferred width: under 512- or 128-bit vectors a 256-bit species is boxed by C2. */
    private static final boolean EIGHT_WIDE_COPIES = SPECIES.vectorBitSize() == 256 && MR < EIGHT.length();

    /**
     * Blocks of {@link #PACK_ROW_BLOCK} source rows, each block copied panel by panel: per panel the block's
     * slots are one contiguous run. Row by row instead, the slots written for one row are a panel apart
     * (kc·NR floats, 16 KB), all in one L1 set, and more than 8 panels thrash it: 256×256 slices took 23 µs
     * on one thread in isolation (12 µs blocked), ~80 µs a half in a training step.
     */
    @Override
    void packRowPanels(float[] src, int s0, int rs, int panels, int kc, float[] dst, int d) {
        for (int pb = 0; pb < kc; pb += PACK_ROW_BLOCK) {
            int pe = Math.min(kc, pb + PACK_ROW_BLOCK);
            for (int q = 0; q < panels; q++) {
                int from = s0 + q * NR;
                int to = d + q * kc * NR;
                for (int p = pb; p < pe; p++) {
                    int sp = from + p * rs;
                    int dp = to + p * NR;
                    FloatVector.fromArray(SPECIES, src, sp).intoArray(dst, dp);
                    FloatVector.fromArray(SPECIES, src, sp + LANES).intoArray(dst, dp + LANES);
                }
            }
        }
    }

    /**
     * Panel by panel, each filled front to back from the kc source rows: the writes are one sequential stream
     * and each source row gives one slot; where 256 bits is the preferred width, one 8-float vector copy per
     * slot whose extra floats land in the slot after it (written next), the panel's last slot float by float.
     * Filling every panel from each source row in turn instead (all panels' writes 16 KB apart, in one L1
     * set), or blocks of 8 source rows at a time, made the A^T products 1024×256×6400 and 512×128×2800 5-8%
     * slower at 128, 256 and 512 bits (paired, bench/README).
     */
    @Override
    void packTransposedPanels(float[] src, int s0, int cs, int panels, int kc, float[] dst, int d) {
        for (int q = 0; q < panels; q++) {
            int s = s0 + q * MR;
            int to = d + q * kc * MR;
            int p = 0;
            if (EIGHT_WIDE_COPIES && s + (kc - 2) * cs + EIGHT.length() <= src.length) {
                for (; p < kc - 1; p++) {
                    FloatVector.fromArray(EIGHT, src, s + p * cs).intoArray(dst, to + p * MR);
                }
            }
            for (; p < kc; p++) {
                copySlot(src, s + p * cs, dst, to + p * MR);
            }
        }
    }

    /**
     * MR consecutive floats, spelled out: a constant-length copy the JIT keeps in registers, where a loop over
     * a field or a System.arraycopy per slot costs several times more.
     */
    private static void copySlot(float[] src, int from, float[] dst, int to) {
        float v0 = src[from], v1 = src[from + 1], v2 = src[from + 2], v3 = src[from + 3], v4 = src[from + 4];
        if (MR >= 6) {
            float v5 = src[from + 5];
            if (MR == 8) {
                float v6 = src[from + 6], v7 = src[from + 7];
                dst[to + 7] = v7;
                dst[to + 6] = v6;
            }
            dst[to + 5] = v5;
        }
        dst[to + 4] = v4;
        dst[to + 3] = v3;
        dst[to + 2] = v2;
        dst[to + 1] = v1;
        dst[to] = v0;
    }

    @Override
    void copyPanelRows(float[] src, int s, int rowStride, float[] dst, int d, int kc) {
        // MR read streams, one sequential write stream (strided writes cost more than strided reads).
        int s1 = s + rowStride, s2 = s1 + rowStride, s3 = s2 + rowStride, s4 = s3 + rowStride, s5 = s4 + rowStride;
        if (MR == 8) {
            int s6 = s5 + rowStride, s7 = s6 + rowStride;
            for (int p = 0; p < kc; p++) {
                int to = d + p * MR;
                dst[to + 7] = src[s7 + p];
                dst[to + 6] = src[s6 + p];
                dst[to + 5] = src[s5 + p];
                dst[to + 4] = src[s4 + p];
                dst[to + 3] = src[s3 + p];
                dst[to + 2] = src[s2 + p];
                dst[to + 1] = src[s1 + p];
                dst[to] = src[s + p];
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int to = d + p * MR;
                if (MR == 6) { // a constant: the JIT folds the test away
                    dst[to + 5] = src[s5 + p];
                }
                dst[to + 4] = src[s4 + p];
                dst[to + 3] = src[s3 + p];
                dst[to + 2] = src[s2 + p];
                dst[to + 1] = src[s1 + p];
                dst[to] = src[s + p];
            }
        }
    }

    @Override
    void panelProducts(int k, float[] x, int xOff, float[] w, int wOff, int panels, float[] y, int yOff) {
        // In the preferred species only: a fixed 256-bit species under 512- or 128-bit preferred vectors falls
        // off C2's intrinsics (boxed vectors: 9x slower and megabytes allocated per call). Each width keeps
        // four independent accumulator chains; every output still sums in ascending p, so the bits are the
        // same at every width.
        switch (LANES) {
            case 16 -> panelProducts16(k, x, xOff, w, wOff, panels, y, yOff);
            case 8 -> panelProducts8(k, x, xOff, w, wOff, panels, y, yOff);
            case 4 -> panelProducts4(k, x, xOff, w, wOff, panels, y, yOff);
            default -> MicroKernels.scalar().panelProducts(k, x, xOff, w, wOff, panels, y, yOff);
        }
    }

    /** 512-bit vectors: a panel (PanelGemv.WIDTH = 16) is one vector; four panels at a time. */
    private static void panelProducts16(int k, float[] x, int xOff, float[] w, int wOff, int panels, float[] y, int yOff) {
        final int width = PanelGemv.WIDTH;
        final int stride = k * width;
        int q = 0;
        for (; q + 4 <= panels; q += 4) {
            int b0 = wOff + q * stride;
            int out = yOff + q * width;
            FloatVector a0 = FloatVector.fromArray(SPECIES, y, out);
            FloatVector a1 = FloatVector.fromArray(SPECIES, y, out + width);
            FloatVector a2 = FloatVector.fromArray(SPECIES, y, out + 2 * width);
            FloatVector a3 = FloatVector.fromArray(SPECIES, y, out + 3 * width);
            for (int p = 0; p < k; p++) {
                FloatVector xv = FloatVector.broadcast(SPECIES, x[xOff + p]);
                int wp = b0 + p * width;
                a0 = xv.fma(FloatVector.fromArray(SPECIES, w, wp), a0);
                a1 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + stride), a1);
                a2 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 2 * stride), a2);
                a3 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 3 * stride), a3);
            }
            a0.intoArray(y, out);
            a1.intoArray(y, out + width);
            a2.intoArray(y, out + 2 * width);
            a3.intoArray(y, out + 3 * width);
        }
        for (; q < panels; q++) {
            int b0 = wOff + q * stride;
            int out = yOff + q * width;
            FloatVector a0 = FloatVector.fromArray(SPECIES, y, out);
            for (int p = 0; p < k; p++) {
                a0 = FloatVector.broadcast(SPECIES, x[xOff + p]).fma(FloatVector.fromArray(SPECIES, w, b0 + p * width), a0);
            }
            a0.intoArray(y, out);
        }
    }

    /** 256-bit vectors: a panel is two vectors; two panels at a time. */
    private static void panelProducts8(int k, float[] x, int xOff, float[] w, int wOff, int panels, float[] y, int yOff) {
        final int half = 8;
        final int width = PanelGemv.WIDTH;
        int q = 0;
        for (; q + 2 <= panels; q += 2) {
            int b0 = wOff + q * k * width;
            int b1 = b0 + k * width;
            int out = yOff + q * width;
            FloatVector a0 = FloatVector.fromArray(SPECIES, y, out);
            FloatVector a1 = FloatVector.fromArray(SPECIES, y, out + half);
            FloatVector c0 = FloatVector.fromArray(SPECIES, y, out + width);
            FloatVector c1 = FloatVector.fromArray(SPECIES, y, out + width + half);
            for (int p = 0; p < k; p++) {
                FloatVector xv = FloatVector.broadcast(SPECIES, x[xOff + p]);
                a0 = xv.fma(FloatVector.fromArray(SPECIES, w, b0 + p * width), a0);
                a1 = xv.fma(FloatVector.fromArray(SPECIES, w, b0 + p * width + half), a1);
                c0 = xv.fma(FloatVector.fromArray(SPECIES, w, b1 + p * width), c0);
                c1 = xv.fma(FloatVector.fromArray(SPECIES, w, b1 + p * width + half), c1);
            }
            a0.intoArray(y, out);
            a1.intoArray(y, out + half);
            c0.intoArray(y, out + width);
            c1.intoArray(y, out + width + half);
        }
        for (; q < panels; q++) {
            int b0 = wOff + q * k * width;
            int out = yOff + q * width;
            FloatVector a0 = FloatVector.fromArray(SPECIES, y, out);
            FloatVector a1 = FloatVector.fromArray(SPECIES, y, out + half);
            for (int p = 0; p < k; p++) {
                FloatVector xv = FloatVector.broadcast(SPECIES, x[xOff + p]);
                a0 = xv.fma(FloatVector.fromArray(SPECIES, w, b0 + p * width), a0);
                a1 = xv.fma(FloatVector.fromArray(SPECIES, w, b0 + p * width + half), a1);
            }
            a0.intoArray(y, out);
            a1.intoArray(y, out + half);
        }
    }

    /**
     * 128-bit vectors (SSE, NEON): a panel is four vectors; two panels at a time, eight accumulator chains
     * (one panel's four left the FMA units half idle: stream 1.13x at -XX:MaxVectorSize=16, paired).
     */
    private static void panelProducts4(int k, float[] x, int xOff, float[] w, int wOff, int panels, float[] y, int yOff) {
        final int width = PanelGemv.WIDTH;
        final int stride = k * width;
        int q = 0;
        for (; q + 2 <= panels; q += 2) {
            int b0 = wOff + q * stride;
            int out = yOff + q * width;
            FloatVector a0 = FloatVector.fromArray(SPECIES, y, out);
            FloatVector a1 = FloatVector.fromArray(SPECIES, y, out + 4);
            FloatVector a2 = FloatVector.fromArray(SPECIES, y, out + 8);
            FloatVector a3 = FloatVector.fromArray(SPECIES, y, out + 12);
            FloatVector c0 = FloatVector.fromArray(SPECIES, y, out + width);
            FloatVector c1 = FloatVector.fromArray(SPECIES, y, out + width + 4);
            FloatVector c2 = FloatVector.fromArray(SPECIES, y, out + width + 8);
            FloatVector c3 = FloatVector.fromArray(SPECIES, y, out + width + 12);
            for (int p = 0; p < k; p++) {
                FloatVector xv = FloatVector.broadcast(SPECIES, x[xOff + p]);
                int wp = b0 + p * width;
                int wq = wp + stride;
                a0 = xv.fma(FloatVector.fromArray(SPECIES, w, wp), a0);
                a1 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 4), a1);
                a2 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 8), a2);
                a3 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 12), a3);
                c0 = xv.fma(FloatVector.fromArray(SPECIES, w, wq), c0);
                c1 = xv.fma(FloatVector.fromArray(SPECIES, w, wq + 4), c1);
                c2 = xv.fma(FloatVector.fromArray(SPECIES, w, wq + 8), c2);
                c3 = xv.fma(FloatVector.fromArray(SPECIES, w, wq + 12), c3);
            }
            a0.intoArray(y, out);
            a1.intoArray(y, out + 4);
            a2.intoArray(y, out + 8);
            a3.intoArray(y, out + 12);
            c0.intoArray(y, out + width);
            c1.intoArray(y, out + width + 4);
            c2.intoArray(y, out + width + 8);
            c3.intoArray(y, out + width + 12);
        }
        for (; q < panels; q++) {
            int b0 = wOff + q * stride;
            int out = yOff + q * width;
            FloatVector a0 = FloatVector.fromArray(SPECIES, y, out);
            FloatVector a1 = FloatVector.fromArray(SPECIES, y, out + 4);
            FloatVector a2 = FloatVector.fromArray(SPECIES, y, out + 8);
            FloatVector a3 = FloatVector.fromArray(SPECIES, y, out + 12);
            for (int p = 0; p < k; p++) {
                FloatVector xv = FloatVector.broadcast(SPECIES, x[xOff + p]);
                int wp = b0 + p * width;
                a0 = xv.fma(FloatVector.fromArray(SPECIES, w, wp), a0);
                a1 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 4), a1);
                a2 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 8), a2);
                a3 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 12), a3);
            }
            a0.intoArray(y, out);
            a1.intoArray(y, out + 4);
            a2.intoArray(y, out + 8);
            a3.intoArray(y, out + 12);
        }
    }

    @Override
    void interleavedPanelProducts(int k, float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
            int panels, float[] y, int yOff, int blockStride) {
        // In the preferred species only (see panelProducts). Each width keeps four, eight or sixteen accumulators;
        // every output sums the bias and x's terms in ascending p, so the bits are the same at every width. One k
        // loop and no branch on the accumulators' start: with two loops (one per input) and a bias that could be
        // absent, the 128-bit kernel's vectors were left boxed in about one fresh JVM in twelve (10 MB a step).
        switch (LANES) {
            case 16 -> interleaved16(k, x, xOff, w, wOff, bias, biasOff, panels, y, yOff, blockStride);
            case 8 -> interleaved8(k, x, xOff, w, wOff, bias, biasOff, panels, y, yOff, blockStride);
            case 4 -> interleaved4(k, x, xOff, w, wOff, bias, biasOff, panels, y, yOff, blockStride);
            default -> MicroKernels.scalar().interleavedPanelProducts(k, x, xOff, w, wOff, bias, biasOff, panels, y,
                    yOff, blockStride);
        }
    }

    /** 512-bit vectors: a panel's block is one vector, the four blocks' accumulators one panel at a time. */
    private static void interleaved16(int k, float[] x, int xOff, float[] w, int wOff, float[] bias,
            int biasOff, int panels, float[] y, int yOff, int blockStride) {
        final int width = PanelGemv.WIDTH;
        final int row = InterleavedPanelGemv.BLOCKS * width;
        int wp = wOff;
        for (int q = 0; q < panels; q++) {
            int bo = biasOff + q * row;
            FloatVector a0 = FloatVector.fromArray(SPECIES, bias, bo);
            FloatVector b0 = FloatVector.fromArray(SPECIES, bias, bo + 16);
            FloatVector c0 = FloatVector.fromArray(SPECIES, bias, bo + 32);
            FloatVector d0 = FloatVector.fromArray(SPECIES, bias, bo + 48);
            for (int p = 0; p < k; p++, wp += row) {
                FloatVector xv = FloatVector.broadcast(SPECIES, x[xOff + p]);
                a0 = xv.fma(FloatVector.fromArray(SPECIES, w, wp), a0);
                b0 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 16), b0);
                c0 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 32), c0);
                d0 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 48), d0);
            }
            int out = yOff + q * width;
            a0.intoArray(y, out);
            b0.intoArray(y, out + blockStride);
            c0.intoArray(y, out + 2 * blockStride);
            d0.intoArray(y, out + 3 * blockStride);
        }
    }

    /** 256-bit vectors: a panel's block is two vectors, eight accumulators. */
    private static void interleaved8(int k, float[] x, int xOff, float[] w, int wOff, float[] bias,
            int biasOff, int panels, float[] y, int yOff, int blockStride) {
        final int width = PanelGemv.WIDTH;
        final int row = InterleavedPanelGemv.BLOCKS * width;
        int wp = wOff;
        for (int q = 0; q < panels; q++) {
            int bo = biasOff + q * row;
            FloatVector a0 = FloatVector.fromArray(SPECIES, bias, bo);
            FloatVector a1 = FloatVector.fromArray(SPECIES, bias, bo + 8);
            FloatVector b0 = FloatVector.fromArray(SPECIES, bias, bo + 16);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bias, bo + 24);
            FloatVector c0 = FloatVector.fromArray(SPECIES, bias, bo + 32);
            FloatVector c1 = FloatVector.fromArray(SPECIES, bias, bo + 40);
            FloatVector d0 = FloatVector.fromArray(SPECIES, bias, bo + 48);
            FloatVector d1 = FloatVector.fromArray(SPECIES, bias, bo + 56);
            for (int p = 0; p < k; p++, wp += row) {
                FloatVector xv = FloatVector.broadcast(SPECIES, x[xOff + p]);
                a0 = xv.fma(FloatVector.fromArray(SPECIES, w, wp), a0);
                a1 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 8), a1);
                b0 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 16), b0);
                b1 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 24), b1);
                c0 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 32), c0);
                c1 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 40), c1);
                d0 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 48), d0);
                d1 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 56), d1);
            }
            int out = yOff + q * width;
            a0.intoArray(y, out);
            a1.intoArray(y, out + 8);
            b0.intoArray(y, out + blockStride);
            b1.intoArray(y, out + blockStride + 8);
            c0.intoArray(y, out + 2 * blockStride);
            c1.intoArray(y, out + 2 * blockStride + 8);
            d0.intoArray(y, out + 3 * blockStride);
            d1.intoArray(y, out + 3 * blockStride + 8);
        }
    }

    /**
     * 128-bit vectors: a panel's block is four vectors, sixteen accumulators in one pass. NEON and AVX-512 (the
     * 128-bit paths of which are run by -XX:MaxVectorSize=16) have 32 registers; two passes of two blocks each
     * fetched every line twice (the adjacent-line prefetch) and were 11% slower than the per-matrix panels.
     */
    private static void interleaved4(int k, float[] x, int xOff, float[] w, int wOff, float[] bias,
            int biasOff, int panels, float[] y, int yOff, int blockStride) {
        final int width = PanelGemv.WIDTH;
        final int row = InterleavedPanelGemv.BLOCKS * width;
        int wp = wOff;
        for (int q = 0; q < panels; q++) {
            int bo = biasOff + q * row;
            FloatVector a0 = FloatVector.fromArray(SPECIES, bias, bo);
            FloatVector a1 = FloatVector.fromArray(SPECIES, bias, bo + 4);
            FloatVector a2 = FloatVector.fromArray(SPECIES, bias, bo + 8);
            FloatVector a3 = FloatVector.fromArray(SPECIES, bias, bo + 12);
            FloatVector b0 = FloatVector.fromArray(SPECIES, bias, bo + 16);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bias, bo + 20);
            FloatVector b2 = FloatVector.fromArray(SPECIES, bias, bo + 24);
            FloatVector b3 = FloatVector.fromArray(SPECIES, bias, bo + 28);
            FloatVector c0 = FloatVector.fromArray(SPECIES, bias, bo + 32);
            FloatVector c1 = FloatVector.fromArray(SPECIES, bias, bo + 36);
            FloatVector c2 = FloatVector.fromArray(SPECIES, bias, bo + 40);
            FloatVector c3 = FloatVector.fromArray(SPECIES, bias, bo + 44);
            FloatVector d0 = FloatVector.fromArray(SPECIES, bias, bo + 48);
            FloatVector d1 = FloatVector.fromArray(SPECIES, bias, bo + 52);
            FloatVector d2 = FloatVector.fromArray(SPECIES, bias, bo + 56);
            FloatVector d3 = FloatVector.fromArray(SPECIES, bias, bo + 60);
            for (int p = 0; p < k; p++, wp += row) {
                FloatVector xv = FloatVector.broadcast(SPECIES, x[xOff + p]);
                a0 = xv.fma(FloatVector.fromArray(SPECIES, w, wp), a0);
                a1 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 4), a1);
                a2 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 8), a2);
                a3 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 12), a3);
                b0 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 16), b0);
                b1 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 20), b1);
                b2 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 24), b2);
                b3 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 28), b3);
                c0 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 32), c0);
                c1 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 36), c1);
                c2 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 40), c2);
                c3 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 44), c3);
                d0 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 48), d0);
                d1 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 52), d1);
                d2 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 56), d2);
                d3 = xv.fma(FloatVector.fromArray(SPECIES, w, wp + 60), d3);
            }
            int out = yOff + q * width;
            a0.intoArray(y, out);
            a1.intoArray(y, out + 4);
            a2.intoArray(y, out + 8);
            a3.intoArray(y, out + 12);
            b0.intoArray(y, out + blockStride);
            b1.intoArray(y, out + blockStride + 4);
            b2.intoArray(y, out + blockStride + 8);
            b3.intoArray(y, out + blockStride + 12);
            c0.intoArray(y, out + 2 * blockStride);
            c1.intoArray(y, out + 2 * blockStride + 4);
            c2.intoArray(y, out + 2 * blockStride + 8);
            c3.intoArray(y, out + 2 * blockStride + 12);
            d0.intoArray(y, out + 3 * blockStride);
            d1.intoArray(y, out + 3 * blockStride + 4);
            d2.intoArray(y, out + 3 * blockStride + 8);
            d3.intoArray(y, out + 3 * blockStride + 12);
        }
    }

    @Override
    void dotProducts(int rows, int cols, int k, float[] a, int aIdx, int lda, float[] b, int bIdx, int ldb,
            float alpha, float beta, float[] c, int cIdx, int ldc) {
        // Where sumLanes' lane reads do not compile (Java 17 with SVE), plain Java rather than boxed vectors.
        if (!VectorCompiler.compilesLaneOperations()) {
            MicroKernels.scalar().dotProducts(rows, cols, k, a, aIdx, lda, b, bIdx, ldb, alpha, beta, c, cIdx, ldc);
            return;
        }
        for (int i = 0; i < rows; i++) {
            int ai = aIdx + i * lda;
            int ci = cIdx + i * ldc;
            int j = 0;
            for (; j + 4 <= cols; j += 4) {
                dot4(k, a, ai, b, bIdx + j * ldb, ldb, alpha, beta, c, ci + j);
            }
            for (; j < cols; j++) {
                dot1(k, a, ai, b, bIdx + j * ldb, alpha, beta, c, ci + j);
            }
        }
    }

    /**
     * One row of A against four rows of B^T: 5 loads per 4 FMAs. Lane-wise partial sums, then a lane
     * reduction and a scalar tail; the same sequence as {@link #dot1} so every element rounds alike.
     */
    private static void dot4(int k, float[] a, int ai, float[] b, int b0, int ldb, float alpha, float beta,
            float[] c, int ci) {
        int b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        FloatVector s0 = FloatVector.zero(SPECIES), s1 = s0, s2 = s0, s3 = s0;
        int bound = SPECIES.loopBound(k);
        int p = 0;
        for (; p < bound; p += LANES) {
            FloatVector av = FloatVector.fromArray(SPECIES, a, ai + p);
            s0 = av.fma(FloatVector.fromArray(SPECIES, b, b0 + p), s0);
            s1 = av.fma(FloatVector.fromArray(SPECIES, b, b1 + p), s1);
            s2 = av.fma(FloatVector.fromArray(SPECIES, b, b2 + p), s2);
            s3 = av.fma(FloatVector.fromArray(SPECIES, b, b3 + p), s3);
        }
        float r0 = sumLanes(s0), r1 = sumLanes(s1), r2 = sumLanes(s2), r3 = sumLanes(s3);
        for (; p < k; p++) {
            float av = a[ai + p];
            r0 = Math.fma(av, b[b0 + p], r0);
            r1 = Math.fma(av, b[b1 + p], r1);
            r2 = Math.fma(av, b[b2 + p], r2);
            r3 = Math.fma(av, b[b3 + p], r3);
        }
        mergeOne(r0, alpha, beta, c, ci);
        mergeOne(r1, alpha, beta, c, ci + 1);
        mergeOne(r2, alpha, beta, c, ci + 2);
        mergeOne(r3, alpha, beta, c, ci + 3);
    }

    /**
     * The sum of a vector's lanes in one fixed order, pairwise ((0+1)+(2+3))+..., whoever runs it.
     * {@code reduceLanes(ADD)} leaves the order of a float sum open, and JDK 25's compiled and interpreted
     * forms differ (the same dot product gave different bits before and after C2 compiled it).
     */
    private static float sumLanes(FloatVector v) {
        switch (LANES) {
            case 16 -> {
                float a = (v.lane(0) + v.lane(1)) + (v.lane(2) + v.lane(3));
                float b = (v.lane(4) + v.lane(5)) + (v.lane(6) + v.lane(7));
                float c = (v.lane(8) + v.lane(9)) + (v.lane(10) + v.lane(11));
                float d = (v.lane(12) + v.lane(13)) + (v.lane(14) + v.lane(15));
                return (a + b) + (c + d);
            }
            case 8 -> {
                return ((v.lane(0) + v.lane(1)) + (v.lane(2) + v.lane(3)))
                        + ((v.lane(4) + v.lane(5)) + (v.lane(6) + v.lane(7)));
            }
            case 4 -> {
                return (v.lane(0) + v.lane(1)) + (v.lane(2) + v.lane(3));
            }
            default -> {
                float sum = 0f;
                for (int i = 0; i < LANES; i++) {
                    sum += v.lane(i);
                }
                return sum;
            }
        }
    }

    private static void dot1(int k, float[] a, int ai, float[] b, int b0, float alpha, float beta,
            float[] c, int ci) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        int bound = SPECIES.loopBound(k);
        int p = 0;
        for (; p < bound; p += LANES) {
            s0 = FloatVector.fromArray(SPECIES, a, ai + p).fma(FloatVector.fromArray(SPECIES, b, b0 + p), s0);
        }
        float r0 = sumLanes(s0);
        for (; p < k; p++) {
            r0 = Math.fma(a[ai + p], b[b0 + p], r0);
        }
        mergeOne(r0, alpha, beta, c, ci);
    }
}
