package org.lstm4j.nn.rnn;

import static org.lstm4j.kernels.Gemm.sgemm;

import org.lstm4j.ops.Activations;
import org.lstm4j.ops.LinearAlgebra;

/**
 * Fused GRU over a sequence, PyTorch's gate order r, z, n with {@code b_hn} inside the reset product:
 * <pre>
 *   r = σ(W_ir x + b_ir + W_hr h + b_hr)     z = σ(W_iz x + b_iz + W_hz h + b_hz)
 *   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
 *   h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * The input and recurrent projections are kept apart because the n gate needs {@code W_hn h + b_hn} alone.
 */
final class GruKernel extends SequenceKernel {
    private final float[] wIh;
    private final float[] wHh;
    private final float[] bIh;
    private final float[] bHh;
    private final int gateWidth;

    private float[] x;
    /** Input projections, then overwritten by the activations r, z, n: (T, B, 3H). */
    private float[] gates;
    /** Recurrent projections W_h· h + b_h· per time step: (T, B, 3H); the n block is needed in backward. */
    private float[] hiddenProj;
    private float[] hPrev;

    GruKernel(int steps, int batch, int inputSize, int hiddenSize, boolean reverse, LayerWeights w) {
        super(steps, batch, inputSize, hiddenSize, hiddenSize, reverse);
        this.wIh = w.wIh().data();
        this.wHh = w.wHh().data();
        this.bIh = w.hasBias() ? w.bIh().data() : null;
        this.bHh = w.hasBias() ? w.bHh().data() : null;
        this.gateWidth = 3 * hiddenSize;
    }

    @Override
    void forward(float[] x, float[] h0, float[] c0, float[] y, float[] hN, float[] cN) {
        this.x = x;
        int T = steps, B = batch, H = hiddenSize, G = gateWidth;
        int rows = T * B;
        gates = new float[rows * G];
        hiddenProj = new float[rows * G];
        hPrev = new float[rows * H];
        fillRows(gates, bIh, rows, G);
        sgemm(false, true, rows, G, inputSize, 1f, x, 0, inputSize, wIh, 0, inputSize, bIh == null ? 0f : 1f, gates, 0, G);

        float[] h = h0;
        int hOff = 0;
        for (int s = 0; s < T; s++) {
            int t = timeAt(s);
            int gBase = t * B * G;
            System.arraycopy(h, hOff, hPrev, t * B * H, B * H);
            fillRows(hiddenProj, gBase, bHh, B, G);
            sgemm(false, true, B, G, H, 1f, h, hOff, H, wHh, 0, H, bHh == null ? 0f : 1f, hiddenProj, gBase, G);
            for (int b = 0; b < B; b++) {
                int gRow = gBase + b * G;
                int hRow = t * B * H + b * H;
                for (int j = 0; j < H; j++) {
                    float r = Activations.sigmoid(gates[gRow + j] + hiddenProj[gRow + j]);
                    float z = Activations.sigmoid(gates[gRow + H + j] + hiddenProj[gRow + H + j]);
                    float n = Activations.tanh(gates[gRow + 2 * H + j] + r * hiddenProj[gRow + 2 * H + j]);
                    gates[gRow + j] = r;
                    gates[gRow + H + j] = z;
                    gates[gRow + 2 * H + j] = n;
                    y[hRow + j] = (1f - z) * n + z * hPrev[hRow + j];
                }
            }
            h = y;
            hOff = t * B * H;
        }
        System.arraycopy(h, hOff, hN, 0, B * H);
    }

    @Override
    float[][] backward(float[] dy, float[] dhN, float[] dcN, boolean[] wanted) {
        int T = steps, B = batch, H = hiddenSize, G = gateWidth;
        int rows = T * B;
        float[] dInputProj = new float[rows * G];
        float[] dHiddenProj = new float[rows * G];
        float[] dh = dhN.clone();
        for (int s = T - 1; s >= 0; s--) {
            int t = timeAt(s);
            int gBase = t * B * G;
            for (int b = 0; b < B; b++) {
                int gRow = gBase + b * G;
                int hRow = t * B * H + b * H;
                for (int j = 0; j < H; j++) {
                    float dhj = dh[b * H + j] + dy[hRow + j];
                    float r = gates[gRow + j];
                    float z = gates[gRow + H + j];
                    float n = gates[gRow + 2 * H + j];
                    float dnPre = dhj * (1f - z) * (1f - n * n);
                    float dzPre = dhj * (hPrev[hRow + j] - n) * z * (1f - z);
                    float drPre = dnPre * hiddenProj[gRow + 2 * H + j] * r * (1f - r);
                    dInputProj[gRow + j] = drPre;
                    dInputProj[gRow + H + j] = dzPre;
                    dInputProj[gRow + 2 * H + j] = dnPre;
                    dHiddenProj[gRow + j] = drPre;
                    dHiddenProj[gRow + H + j] = dzPre;
                    dHiddenProj[gRow + 2 * H + j] = dnPre * r;
                    dh[b * H + j] = dhj * z;
                }
            }
            sgemm(false, false, B, H, G, 1f, dHiddenProj, gBase, G, wHh, 0, H, 1f, dh, 0, H);
        }

        float[][] grads = new float[8][];
        if (wanted[0]) {
            grads[0] = new float[rows * inputSize];
            sgemm(false, false, rows, inputSize, G, 1f, dInputProj, 0, G, wIh, 0, inputSize, 0f, grads[0], 0, inputSize);
        }
        grads[1] = wanted[1] ? dh : null;
        if (wanted[3]) {
            grads[3] = new float[G * inputSize];
            sgemm(true, false, G, inputSize, rows, 1f, dInputProj, 0, G, x, 0, inputSize, 0f, grads[3], 0, inputSize);
        }
        if (wanted[4]) {
            grads[4] = new float[G * H];
            sgemm(true, false, G, H, rows, 1f, dHiddenProj, 0, G, hPrev, 0, H, 0f, grads[4], 0, H);
        }
        if (bIh != null) {
            grads[5] = wanted[5] ? LinearAlgebra.columnSums(dInputProj, rows, G) : null;
            grads[6] = wanted[6] ? LinearAlgebra.columnSums(dHiddenProj, rows, G) : null;
        }
        return grads;
    }

    private static void fillRows(float[] target, float[] rowValues, int rows, int width) {
        fillRows(target, 0, rowValues, rows, width);
    }

    /** Copies {@code rowValues} into each of {@code rows} rows starting at {@code offset} (no-op when null). */
    private static void fillRows(float[] target, int offset, float[] rowValues, int rows, int width) {
        if (rowValues == null) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(rowValues, 0, target, offset + r * width, width);
        }
    }
}
