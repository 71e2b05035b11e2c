package org.lstm4j.nn.rnn;

/**
 * Where the rows of a sequence buffer are: batch row r of time step t at {@code t*stepStride + r*rowStride}.
 * Time-major (T, B, width) has its step's rows adjacent; batch-first (B, T, width) has them T·width apart, so a
 * step's rows form a strided matrix that products and gate passes read and write in place.
 */
record StepRows(int stepStride, int rowStride) {
    /** (T, B, width). */
    static StepRows timeMajor(int batch, int width) {
        return new StepRows(batch * width, width);
    }

    /** (B, T, width). */
    static StepRows batchFirst(int steps, int width) {
        return new StepRows(width, steps * width);
    }

    /** The offset of batch row r at time step t. */
    int offset(int t, int r) {
        return t * stepStride + r * rowStride;
    }
}
