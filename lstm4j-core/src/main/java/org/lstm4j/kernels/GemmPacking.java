package org.lstm4j.kernels;

/**
 * Copies blocks of A and B into the contiguous micro-panel layouts the micro-kernels stream through, so that
 * the inner loop reads memory sequentially whatever the transposition and leading dimension of the operands.
 */
final class GemmPacking {
    private GemmPacking() {}

    /**
     * Packs A rows {@code [row0, row0+rows)}, columns {@code [p0, p0+kc)} into row tiles of the heights
     * {@link MicroKernel#tileRows} gives, each in a panel of the kernel's height mr: the q-th tile's row r,
     * column p goes to {@code dst[q*kc*mr + p*mr + r]}. The rows a tile lacks are not written: kernels are told
     * how many rows are valid.
     */
    static void packA(MicroKernel kernel, StridedMatrix a, int row0, int rows, int p0, int kc, float[] dst) {
        packA(kernel, a, row0, rows, p0, kc, dst, 0, true);
    }

    /**
     * {@link #packA} into {@code dst} from {@code dstOff} on, in tiles of mr rows (the last one shorter): a
     * block packed by several threads, each a range of whole tiles, so that their tiles line up.
     */
    static void packA(MicroKernel kernel, StridedMatrix a, int row0, int rows, int p0, int kc, float[] dst,
            int dstOff) {
        packA(kernel, a, row0, rows, p0, kc, dst, dstOff, false);
    }

    private static void packA(MicroKernel kernel, StridedMatrix a, int row0, int rows, int p0, int kc, float[] dst,
            int dstOff, boolean kernelTiles) {
        int mr = kernel.maxRows();
        float[] src = a.data;
        int rs = a.rowStride;
        int cs = a.colStride;
        if (rs == 1) {
            // A^T stored row-major: source row p holds all the rows of the block contiguously.
            int fullPanels = 0;
            while (rows - fullPanels * mr >= mr && tileRows(kernel, kernelTiles, rows - fullPanels * mr) == mr) {
                fullPanels++;
            }
            int s0 = a.index(row0, p0);
            kernel.packTransposedPanels(src, s0, cs, fullPanels, kc, dst, dstOff);
            for (int q = fullPanels, r0 = fullPanels * mr; r0 < rows; q++) {
                int height = tileRows(kernel, kernelTiles, rows - r0);
                int s = s0 + r0;
                int d = dstOff + q * kc * mr;
                for (int p = 0; p < kc; p++) {
                    for (int r = 0; r < height; r++) {
                        dst[d + p * mr + r] = src[s + p * cs + r];
                    }
                }
                r0 += height;
            }
            return;
        }
        for (int q = 0, r0 = 0; r0 < rows; q++) {
            int height = tileRows(kernel, kernelTiles, rows - r0);
            int base = dstOff + q * kc * mr;
            int s0 = a.index(row0 + r0, p0);
            r0 += height;
            if (height == mr && cs == 1) {
                kernel.copyPanelRows(src, s0, rs, dst, base, kc);
                continue;
            }
            for (int r = 0; r < height; r++) {
                int s = s0 + r * rs;
                int d = base + r;
                for (int p = 0; p < kc; p++) {
                    dst[d + p * mr] = src[s + p * cs];
                }
            }
        }
    }

    /** Rows of the next tile with {@code left} to go: the kernel's choice, or mr (a block shared by threads). */
    static int tileRows(MicroKernel kernel, boolean kernelTiles, int left) {
        return kernelTiles ? kernel.tileRows(left) : Math.min(kernel.maxRows(), left);
    }

    /**
     * Packs B rows {@code [p0, p0+kc)}, columns {@code [col0, col0+cols)} into column panels of width {@code nr}:
     * B(p0 + p, col0 + q*nr + j) goes to {@code dst[dstOff + q*kc*nr + p*nr + j]}; the last panel is padded
     * with zeros to the full width because kernels always read whole panels.
     */
    static void packB(MicroKernel kernel, StridedMatrix b, int p0, int kc, int col0, int cols, int nr, float[] dst,
            int dstOff) {
        float[] src = b.data;
        int rs = b.rowStride;
        int cs = b.colStride;
        int fullPanels = 0;
        if (cs == 1 && nr == kernel.panelWidth()) {
            // Row-major B: the full panels by the kernel, in cache-friendly blocks of rows.
            fullPanels = cols / nr;
            if (fullPanels > 0) {
                kernel.packRowPanels(src, b.index(p0, col0), rs, fullPanels, kc, dst, dstOff);
            }
        }
        for (int q = fullPanels, j0 = fullPanels * nr; j0 < cols; q++, j0 += nr) {
            int width = Math.min(nr, cols - j0);
            int base = dstOff + q * kc * nr;
            int s0 = b.index(p0, col0 + j0);
            if (cs == 1) {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(src, s0 + p * rs, dst, base + p * nr, width);
                }
            } else {
                // B^T stored row-major: walk each source row (contiguous in p) and scatter into the panel.
                for (int j = 0; j < width; j++) {
                    int s = s0 + j * cs;
                    int d = base + j;
                    for (int p = 0; p < kc; p++) {
                        dst[d + p * nr] = src[s + p * rs];
                    }
                }
            }
            if (width < nr) {
                for (int p = 0; p < kc; p++) {
                    java.util.Arrays.fill(dst, base + p * nr + width, base + (p + 1) * nr, 0f);
                }
            }
        }
    }
}
