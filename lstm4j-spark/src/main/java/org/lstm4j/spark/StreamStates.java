package org.lstm4j.spark;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lstm4j.tensor.Tensor;

/**
 * The driver's copy of the state truncated BPTT carries between batches: one row per batch row (stream), each
 * row continued by the partition that holds that row of the next batch. Every step the driver cuts out each
 * partition's rows ({@link #rows}) and writes back the detached final state the partition returns
 * ({@link #write}); being on the driver, the state survives task retries and lost executors, is reset with
 * every epoch, and goes into checkpoints in {@link org.lstm4j.train.TruncatedBptt}'s format (h, and c for an
 * LSTM, each (layers, batch, hidden)).
 */
final class StreamStates {
    private static final String H = "h";
    private static final String C = "c";

    private final int batchRows;
    /** (layers, batchRows, hidden) row-major; null right after a reset (a forward from zeros). */
    private float[] h;
    private float[] c;
    private int layers;
    private int hidden;

    StreamStates(int batchRows) {
        this.batchRows = batchRows;
    }

    /** Back to zeros, at the start of an epoch. */
    void reset() {
        h = null;
        c = null;
    }

    boolean isReset() {
        return h == null;
    }

    /** The state of these batch rows, in this order; null right after a reset. */
    CarriedRows rows(int[] batchPositions) {
        if (h == null) {
            return null;
        }
        int n = batchPositions.length;
        float[] hOut = new float[layers * n * hidden];
        float[] cOut = c == null ? null : new float[hOut.length];
        for (int l = 0; l < layers; l++) {
            for (int j = 0; j < n; j++) {
                int from = (l * batchRows + batchPositions[j]) * hidden;
                int to = (l * n + j) * hidden;
                System.arraycopy(h, from, hOut, to, hidden);
                if (c != null) {
                    System.arraycopy(c, from, cOut, to, hidden);
                }
            }
        }
        return new CarriedRows(hOut, cOut, layers, n, hidden);
    }

    /**
     * Takes a partition's new state for these batch rows. The first write after a reset sets the layout (every
     * row of a full batch is written each step, so no row keeps a stale or missing value).
     */
    void write(int[] batchPositions, CarriedRows rows, long step) {
        if (rows.rows() != batchPositions.length) {
            throw new IllegalStateException("step " + step + ": a partition returned the state of " + rows.rows()
                    + " rows for its " + batchPositions.length + " rows of the batch");
        }
        if (h == null || layers != rows.layers() || hidden != rows.hidden() || (c == null) != (rows.c() == null)) {
            if (h != null) {
                throw new IllegalStateException("step " + step + ": a partition returned a state of " + rows.layers() + " × "
                        + rows.hidden() + (rows.c() == null ? " without" : " with") + " a cell state, the carried one is "
                        + layers + " × " + hidden + (c == null ? " without" : " with") + " one");
            }
            layers = rows.layers();
            hidden = rows.hidden();
            h = new float[layers * batchRows * hidden];
            c = rows.c() == null ? null : new float[h.length];
        }
        int n = batchPositions.length;
        for (int l = 0; l < layers; l++) {
            for (int j = 0; j < n; j++) {
                int from = (l * n + j) * hidden;
                int to = (l * batchRows + batchPositions[j]) * hidden;
                System.arraycopy(rows.h(), from, h, to, hidden);
                if (c != null) {
                    System.arraycopy(rows.c(), from, c, to, hidden);
                }
            }
        }
    }

    /** A copy, as {@link org.lstm4j.train.TruncatedBptt#stateDict()}: h and c, or empty right after a reset. */
    Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        if (h != null) {
            out.put(H, Tensor.of(h.clone(), layers, batchRows, hidden));
            if (c != null) {
                out.put(C, Tensor.of(c.clone(), layers, batchRows, hidden));
            }
        }
        return out;
    }

    /**
     * Checks a saved state ({@link #stateDict()}'s, or a single-process TruncatedBptt's) against this batch size
     * and returns what loads it: a restore checks everything before it changes anything.
     *
     * @throws IllegalArgumentException naming what does not match
     */
    Runnable checkedLoad(Map<String, Tensor> saved, String where) {
        for (String key : saved.keySet()) {
            if (!key.equals(H) && !key.equals(C)) {
                throw new IllegalArgumentException(where + ": carried state: unexpected entry '" + key
                        + "' (expected h, and c for an LSTM)");
            }
        }
        if (saved.isEmpty()) {
            return this::reset;
        }
        Tensor savedH = saved.get(H);
        Tensor savedC = saved.get(C);
        if (savedH == null) {
            throw new IllegalArgumentException(where + ": carried state: has c but no h");
        }
        int[] shape = savedH.shape();
        if (shape.length != 3 || shape[1] != batchRows) {
            throw new IllegalArgumentException(where + ": carried state h is " + Arrays.toString(shape)
                    + ", expected (layers, " + batchRows + " batch rows, hidden)");
        }
        if (savedC != null && !Arrays.equals(savedC.shape(), shape)) {
            throw new IllegalArgumentException(where + ": carried state h is " + Arrays.toString(shape) + " but c is "
                    + Arrays.toString(savedC.shape()));
        }
        float[] newH = savedH.data().clone();
        float[] newC = savedC == null ? null : savedC.data().clone();
        return () -> {
            layers = shape[0];
            hidden = shape[2];
            h = newH;
            c = newC;
        };
    }
}
