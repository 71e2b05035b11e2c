package org.lstm4j.nn.rnn;

import org.lstm4j.kernels.Gemm;

/** Fused plain (Elman) RNN over a sequence: {@code h' = act(W_ih x + b_ih + W_hh h + b_hh)}, act tanh or relu. */
final class ElmanKernel extends SequenceKernel {
    private final boolean relu;

    private static final int H_PREV = 0;
    private static final int D_PRE = 1;

    private float[] y;

    ElmanKernel(int steps, int batch, int inputSize, int hiddenSize, boolean reverse, LayerWeights w, boolean relu,
            LayerWorkspace workspace) {
        super(steps, batch, inputSize, hiddenSize, hiddenSize, reverse, w, workspace);
        this.relu = relu;
    }

    @Override
    void forward(float[] x, float[] h0, float[] c0, float[] y, float[] hN, float[] cN, boolean keep) {
        int T = steps, B = batch, H = hiddenSize;
        int rows = T * B;
        takeBuffers();
        float[] yOut = y;
        y = timeMajorOutput(y);
        this.y = y;
        float[] hPrev = keep ? buffers.get(H_PREV, rows * H) : null;
        // y holds the pre-activations of all steps first, then each step's activation in place.
        projectInputs(x, y, H, true);
        Gemm.PackedB wHhT = packWeights(true, wHh, H, H);
        float[] h = h0;
        int hOff = h0Off;
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
        System.arraycopy(h, hOff, hN, hNOff, B * H);
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
        projectionGradients(wanted, dPre, dPre, H, hPrev, grads);
        grads[1] = wanted[1] ? dh : null;
        releaseBuffers();
        return grads;
    }
}
