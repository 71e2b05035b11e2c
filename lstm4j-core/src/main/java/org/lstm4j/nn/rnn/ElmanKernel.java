package org.lstm4j.nn.rnn;

import static org.lstm4j.kernels.Gemm.sgemm;

import org.lstm4j.kernels.Gemm;
import org.lstm4j.ops.LinearAlgebra;

/** Fused plain (Elman) RNN over a sequence: {@code h' = act(W_ih x + b_ih + W_hh h + b_hh)}, act tanh or relu. */
final class ElmanKernel extends SequenceKernel {
    private final float[] wIh;
    private final float[] wHh;
    private final float[] bIh;
    private final float[] bHh;
    private final boolean relu;

    private static final int H_PREV = 0;
    private static final int D_PRE = 1;

    private float[] x;
    private float[] y;

    ElmanKernel(int steps, int batch, int inputSize, int hiddenSize, boolean reverse, LayerWeights w, boolean relu,
            LayerWorkspace workspace) {
        super(steps, batch, inputSize, hiddenSize, hiddenSize, reverse, workspace);
        this.wIh = w.wIh().data();
        this.wHh = w.wHh().data();
        this.bIh = w.hasBias() ? w.bIh().data() : null;
        this.bHh = w.hasBias() ? w.bHh().data() : null;
        this.relu = relu;
    }

    @Override
    void forward(float[] x, float[] h0, float[] c0, float[] y, float[] hN, float[] cN, boolean keep) {
        int T = steps, B = batch, H = hiddenSize;
        int rows = T * B;
        takeBuffers();
        float[] yOut = y;
        x = timeMajorInput(x);
        y = timeMajorOutput(y);
        this.x = x;
        this.y = y;
        float[] hPrev = keep ? buffers.get(H_PREV, rows * H) : null;
        fillRows(y, 0, bIh, bHh, rows, H);
        // y holds the pre-activations of all steps first, then each step's activation in place.
        sgemm(false, true, rows, H, inputSize, 1f, x, 0, inputSize, wIh, 0, inputSize, bIh == null ? 0f : 1f, y, 0, H);
        Gemm.PackedB wHhT = packWeights(true, wHh, H, H);
        float[] h = h0;
        int hOff = 0;
        for (int s = 0; s < T; s++) {
            int t = timeAt(s);
            int base = t * B * H;
            if (keep) {
                System.arraycopy(h, hOff, hPrev, base, B * H);
            }
            stepProduct(wHhT, true, B, H, H, h, hOff, wHh, 1f, y, base);
            gateKernels.elmanForward(base, base + B * H, y, relu);
            h = y;
            hOff = base;
        }
        System.arraycopy(h, hOff, hN, 0, B * H);
        publishOutput(y, yOut);
        if (!keep) {
            releaseBuffers();
            buffers = null;
        }
    }

    @Override
    float[][] backward(float[] dy, float[] dhN, float[] dcN, boolean[] wanted) {
        int T = steps, B = batch, H = hiddenSize;
        int rows = T * B;
        checkSaved();
        dy = timeMajorOutputGrad(dy);
        float[] hPrev = buffers.get(H_PREV, rows * H);
        float[] dPre = buffers.get(D_PRE, rows * H);
        float[] dh = dhN.clone();
        Gemm.PackedB wHhPacked = packWeights(false, wHh, H, H);
        for (int s = T - 1; s >= 0; s--) {
            int t = timeAt(s);
            int base = t * B * H;
            gateKernels.elmanBackward(0, B * H, base, y, dh, dy, dPre, relu);
            stepProduct(wHhPacked, false, B, H, H, dPre, base, wHh, 0f, dh, 0);
        }
        float[][] grads = new float[8][];
        if (wanted[0]) {
            grads[0] = timeMajorInputGrad();
            sgemm(false, false, rows, inputSize, H, 1f, dPre, 0, H, wIh, 0, inputSize, 0f, grads[0], 0, inputSize);
            grads[0] = publishInputGrad(grads[0]);
        }
        grads[1] = wanted[1] ? dh : null;
        if (wanted[3]) {
            grads[3] = new float[H * inputSize];
            sgemm(true, false, H, inputSize, rows, 1f, dPre, 0, H, x, 0, inputSize, 0f, grads[3], 0, inputSize);
        }
        if (wanted[4]) {
            grads[4] = new float[H * H];
            sgemm(true, false, H, H, rows, 1f, dPre, 0, H, hPrev, 0, H, 0f, grads[4], 0, H);
        }
        if (bIh != null && (wanted[5] || wanted[6])) {
            float[] dBias = LinearAlgebra.columnSums(dPre, rows, H);
            grads[5] = wanted[5] ? dBias : null;
            grads[6] = wanted[6] ? dBias.clone() : null;
        }
        releaseBuffers();
        return grads;
    }
}
