package org.lstm4j.kernels;

/**
 * A logical matrix inside a float array: element (row, col) is {@code data[offset + row*rowStride + col*colStride]}.
 * Transposition and sub-blocks are free (they only change the numbers), which lets one GEMM driver serve every
 * transpose combination and both orientations of C.
 */
final class StridedMatrix {
    final float[] data;
    final int offset;
    final int rowStride;
    final int colStride;

    StridedMatrix(float[] data, int offset, int rowStride, int colStride) {
        this.data = data;
        this.offset = offset;
        this.rowStride = rowStride;
        this.colStride = colStride;
    }

    /** A row-major matrix with leading dimension {@code ld}, optionally seen transposed. */
    static StridedMatrix rowMajor(float[] data, int offset, int ld, boolean transposed) {
        return transposed ? new StridedMatrix(data, offset, 1, ld) : new StridedMatrix(data, offset, ld, 1);
    }

    StridedMatrix transpose() {
        return new StridedMatrix(data, offset, colStride, rowStride);
    }

    /** The sub-matrix starting at (row, col). */
    StridedMatrix shift(int row, int col) {
        return new StridedMatrix(data, offset + row * rowStride + col * colStride, rowStride, colStride);
    }

    int index(int row, int col) {
        return offset + row * rowStride + col * colStride;
    }
}
