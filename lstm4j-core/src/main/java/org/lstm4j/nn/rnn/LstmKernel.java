package org.lstm4j.nn.rnn;

import static org.lstm4j.kernels.Gemm.sgemm;

import org.lstm4j.ops.Activations;
import org.lstm4j.ops.LinearAlgebra;

/**
 * Fused LSTM over a sequence, PyTorch's gate order i, f, g, o:
 * <pre>
 *   gates = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh
 *   c_t = σ(f) ⊙ c_{t-1} + σ(i) ⊙ tanh(g)
 *   h_t = σ(o) ⊙ tanh(c_t)          (then h_t = h_t W_hr^T with a projection)
 * </pre>
 */
final class LstmKernel extends SequenceKernel {
    private final float[] wIh;
    private final float[] wHh;
    private final float[] bIh;
    private final float[] bHh;
    private final float[] wHr;
    private final int gateWidth;

    private float[] x;
    /** Gate activations σ(i), σ(f), tanh(g), σ(o) per time step: (T, B, 4H). */
    private float[] gates;
    /** Hidden state fed into each time step: (T, B, P). */
    private float[] hPrev;
    /** Cell state fed into / produced by each time step: (T, B, H). */
    private float[] cPrev;
    private float[] c;
    /** σ(o) ⊙ tanh(c) before the projection, (T, B, H); only with a projection. */
    private float[] hCell;

    LstmKernel(int steps, int batch, int inputSize, int hiddenSize, int outputSize, boolean reverse, LayerWeights w) {
        super(steps, batch, inputSize, hiddenSize, outputSize, reverse);
        this.wIh = w.wIh().data();
        this.wHh = w.wHh().data();
        this.bIh = w.hasBias() ? w.bIh().data() : null;
        this.bHh = w.hasBias() ? w.bHh().data() : null;
        this.wHr = w.wHr() == null ? null : w.wHr().data();
        this.gateWidth = 4 * hiddenSize;
    }

    @Override
    void forward(float[] x, float[] h0, float[] c0, float[] y, float[] hN, float[] cN) {
        this.x = x;
        int T = steps, B = batch, H = hiddenSize, P = outputSize, G = gateWidth;
        int rows = T * B;
        gates = new float[rows * G];
        hPrev = new float[rows * P];
        cPrev = new float[rows * H];
        c = new float[rows * H];
        hCell = wHr == null ? null : new float[rows * H];

        if (bIh != null) {
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < G; j++) {
                    gates[r * G + j] = bIh[j] + bHh[j];
                }
            }
        }
        sgemm(false, true, rows, G, inputSize, 1f, x, 0, inputSize, wIh, 0, inputSize, bIh == null ? 0f : 1f, gates, 0, G);

        float[] h = h0;
        int hOff = 0;
        float[] cIn = c0;
        int cOff = 0;
        for (int s = 0; s < T; s++) {
            int t = timeAt(s);
            System.arraycopy(h, hOff, hPrev, t * B * P, B * P);
            System.arraycopy(cIn, cOff, cPrev, t * B * H, B * H);
            int gBase = t * B * G;
            sgemm(false, true, B, G, P, 1f, h, hOff, P, wHh, 0, P, 1f, gates, gBase, G);
            float[] hTarget = hCell == null ? y : hCell;
            int hTargetBase = t * B * H;
            for (int b = 0; b < B; b++) {
                int gRow = gBase + b * G;
                int cRow = t * B * H + b * H;
                for (int j = 0; j < H; j++) {
                    float i = Activations.sigmoid(gates[gRow + j]);
                    float f = Activations.sigmoid(gates[gRow + H + j]);
                    float g = Activations.tanh(gates[gRow + 2 * H + j]);
                    float o = Activations.sigmoid(gates[gRow + 3 * H + j]);
                    gates[gRow + j] = i;
                    gates[gRow + H + j] = f;
                    gates[gRow + 2 * H + j] = g;
                    gates[gRow + 3 * H + j] = o;
                    float cNew = f * cPrev[cRow + j] + i * g;
                    c[cRow + j] = cNew;
                    hTarget[hTargetBase + b * H + j] = o * Activations.tanh(cNew);
                }
            }
            if (hCell != null) {
                sgemm(false, true, B, P, H, 1f, hCell, t * B * H, H, wHr, 0, H, 0f, y, t * B * P, P);
            }
            h = y;
            hOff = t * B * P;
            cIn = c;
            cOff = t * B * H;
        }
        System.arraycopy(h, hOff, hN, 0, B * P);
        System.arraycopy(cIn, cOff, cN, 0, B * H);
    }

    @Override
    float[][] backward(float[] dy, float[] dhN, float[] dcN, boolean[] wanted) {
        int T = steps, B = batch, H = hiddenSize, P = outputSize, G = gateWidth;
        int rows = T * B;
        float[] dGates = new float[rows * G];
        float[] dh = dhN.clone();
        float[] dc = dcN.clone();
        float[] dhAll = wHr == null ? null : new float[rows * P];
        float[] dhCell = wHr == null ? dh : new float[B * H];

        for (int s = T - 1; s >= 0; s--) {
            int t = timeAt(s);
            int yBase = t * B * P;
            for (int k = 0; k < B * P; k++) {
                dh[k] += dy[yBase + k];
            }
            if (wHr != null) {
                System.arraycopy(dh, 0, dhAll, yBase, B * P);
                sgemm(false, false, B, H, P, 1f, dh, 0, P, wHr, 0, H, 0f, dhCell, 0, H);
            }
            int gBase = t * B * G;
            for (int b = 0; b < B; b++) {
                int gRow = gBase + b * G;
                int cRow = t * B * H + b * H;
                for (int j = 0; j < H; j++) {
                    float i = gates[gRow + j];
                    float f = gates[gRow + H + j];
                    float g = gates[gRow + 2 * H + j];
                    float o = gates[gRow + 3 * H + j];
                    float tc = Activations.tanh(c[cRow + j]);
                    float dhj = dhCell[b * H + j];
                    float dcj = dc[b * H + j] + dhj * o * (1f - tc * tc);
                    float dO = dhj * tc;
                    dGates[gRow + j] = dcj * g * i * (1f - i);
                    dGates[gRow + H + j] = dcj * cPrev[cRow + j] * f * (1f - f);
                    dGates[gRow + 2 * H + j] = dcj * i * (1f - g * g);
                    dGates[gRow + 3 * H + j] = dO * o * (1f - o);
                    dc[b * H + j] = dcj * f;
                }
            }
            sgemm(false, false, B, P, G, 1f, dGates, gBase, G, wHh, 0, P, 0f, dh, 0, P);
        }

        float[][] grads = new float[8][];
        if (wanted[0]) {
            grads[0] = new float[rows * inputSize];
            sgemm(false, false, rows, inputSize, G, 1f, dGates, 0, G, wIh, 0, inputSize, 0f, grads[0], 0, inputSize);
        }
        grads[1] = wanted[1] ? dh : null;
        grads[2] = wanted[2] ? dc : null;
        if (wanted[3]) {
            grads[3] = new float[G * inputSize];
            sgemm(true, false, G, inputSize, rows, 1f, dGates, 0, G, x, 0, inputSize, 0f, grads[3], 0, inputSize);
        }
        if (wanted[4]) {
            grads[4] = new float[G * P];
            sgemm(true, false, G, P, rows, 1f, dGates, 0, G, hPrev, 0, P, 0f, grads[4], 0, P);
        }
        if (bIh != null && (wanted[5] || wanted[6])) {
            float[] dBias = LinearAlgebra.columnSums(dGates, rows, G);
            grads[5] = wanted[5] ? dBias : null;
            grads[6] = wanted[6] ? dBias.clone() : null;
        }
        if (wHr != null && wanted[7]) {
            grads[7] = new float[P * H];
            sgemm(true, false, P, H, rows, 1f, dhAll, 0, P, hCell, 0, H, 0f, grads[7], 0, H);
        }
        return grads;
    }
}
