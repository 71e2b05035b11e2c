package org.lstm4j.ops;

import org.lstm4j.autograd.Node;
import org.lstm4j.kernels.Gemm;
import org.lstm4j.tensor.Shape;
import org.lstm4j.tensor.Tensor;

/** Matrix products on the GEMM kernel: {@code matmul} and the fused affine map of {@code Linear}. */
public final class LinearAlgebra {
    private LinearAlgebra() {}

    /** (..., k) × (k, n) → (..., n); leading dimensions of the left operand are flattened into rows. */
    public static Tensor matmul(Tensor a, Tensor b) {
        if (b.dim() != 2 || a.dim() < 1) {
            throw new IllegalArgumentException("matmul supports (..., k) x (k, n); got " + Shape.toString(a.shape())
                    + " x " + Shape.toString(b.shape()));
        }
        int k = a.size(-1);
        if (b.size(0) != k) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + Shape.toString(a.shape())
                    + " x " + Shape.toString(b.shape()) + " (" + k + " vs " + b.size(0) + ")");
        }
        int n = b.size(1);
        int m = a.numel() / Math.max(1, k);
        float[] out = new float[Shape.arrayLength("matmul output", new String[] {"M", "N"}, new int[] {m, n},
                "split the input into smaller batches")];
        Gemm.sgemm(false, false, m, n, k, 1f, a.data(), 0, k, b.data(), 0, n, 0f, out, 0, n);
        int[] outShape = a.shape();
        outShape[outShape.length - 1] = n;
        Tensor result = Tensor.of(out, outShape);
        if (Node.shouldRecord(a, b)) {
            new Node("matmul", a, b) {
                @Override
                protected float[][] backward(float[][] g) {
                    float[] ga = null;
                    float[] gb = null;
                    if (needsGrad(0)) {
                        ga = new float[m * k];
                        Gemm.sgemm(false, true, m, k, n, 1f, g[0], 0, n, b.data(), 0, n, 0f, ga, 0, k);
                    }
                    if (needsGrad(1)) {
                        gb = new float[k * n];
                        Gemm.sgemm(true, false, k, n, m, 1f, a.data(), 0, k, g[0], 0, n, 0f, gb, 0, n);
                    }
                    return new float[][] {ga, gb};
                }
            }.attach(result);
        }
        return result;
    }

    /**
     * {@code y = x · W^T + b} over the last dimension (PyTorch's {@code F.linear}): x (..., in), W (out, in),
     * b (out) or null. One GEMM forward; backward is two GEMMs and a column sum.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        int in = weight.size(1);
        int outF = weight.size(0);
        if (x.dim() < 1 || x.size(-1) != in) {
            throw new IllegalArgumentException("linear: expected input with last dimension " + in + " (in_features), got shape "
                    + Shape.toString(x.shape()));
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != outF)) {
            throw new IllegalArgumentException("linear: bias of shape " + Shape.toString(bias.shape()) + " for " + outF + " outputs");
        }
        int m = x.numel() / Math.max(1, in);
        float[] out = new float[Shape.arrayLength("linear output", new String[] {"N", "out_features"}, new int[] {m, outF},
                "split the input into smaller batches")];
        Gemm.sgemmAddingRowBias(false, true, m, outF, in, x.data(), 0, in, weight.data(), 0, in,
                bias == null ? null : bias.data(), out, 0, outF);
        int[] outShape = x.shape();
        outShape[outShape.length - 1] = outF;
        Tensor result = Tensor.of(out, outShape);
        if (Node.shouldRecord(x, weight, bias)) {
            new Node("linear", x, weight, bias) {
                @Override
                protected float[][] backward(float[][] g) {
                    float[] go = g[0];
                    float[] gx = null;
                    float[] gw = null;
                    float[] gb = null;
                    if (needsGrad(0)) {
                        gx = new float[m * in];
                        Gemm.sgemm(false, false, m, in, outF, 1f, go, 0, outF, weight.data(), 0, in, 0f, gx, 0, in);
                    }
                    if (needsGrad(1)) {
                        gw = new float[outF * in];
                        Gemm.sgemm(true, false, outF, in, m, 1f, go, 0, outF, x.data(), 0, in, 0f, gw, 0, in);
                    }
                    if (bias != null && needsGrad(2)) {
                        gb = columnSums(go, m, outF);
                    }
                    return new float[][] {gx, gw, gb};
                }
            }.attach(result);
        }
        return result;
    }

    /** Sums of each column of a row-major rows×cols matrix (a bias gradient). */
    public static float[] columnSums(float[] matrix, int rows, int cols) {
        float[] sums = new float[cols];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                sums[c] += matrix[base + c];
            }
        }
        return sums;
    }
}
