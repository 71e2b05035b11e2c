package org.lstm4j.ops;

import java.util.Arrays;
import org.lstm4j.autograd.Node;
import org.lstm4j.tensor.Shape;
import org.lstm4j.tensor.Tensor;

/** Sums and means, over everything or along one dimension. Sums accumulate in double for accuracy. */
public final class Reductions {
    private Reductions() {}

    public static Tensor sum(Tensor a) {
        return all(a, 1f, "sum");
    }

    public static Tensor mean(Tensor a) {
        return all(a, 1f / a.numel(), "mean");
    }

    private static Tensor all(Tensor a, float scale, String name) {
        float[] x = a.data();
        double s = 0;
        for (float v : x) {
            s += v;
        }
        Tensor result = Tensor.scalar((float) (s * scale));
        if (Node.shouldRecord(a)) {
            new Node(name, a) {
                @Override
                protected float[][] backward(float[][] g) {
                    float[] gi = new float[x.length];
                    Arrays.fill(gi, g[0][0] * scale);
                    return new float[][] {gi};
                }
            }.attach(result);
        }
        return result;
    }

    public static Tensor sum(Tensor a, int dim, boolean keepDim) {
        return along(a, dim, keepDim, false);
    }

    public static Tensor mean(Tensor a, int dim, boolean keepDim) {
        return along(a, dim, keepDim, true);
    }

    private static Tensor along(Tensor a, int dim, boolean keepDim, boolean mean) {
        int[] shape = a.shape();
        int d = Shape.dim(dim, shape.length);
        int outer = 1;
        for (int i = 0; i < d; i++) {
            outer *= shape[i];
        }
        int len = shape[d];
        int inner = a.numel() / Math.max(1, outer * len);
        float scale = mean ? 1f / len : 1f;
        float[] x = a.data();
        float[] out = new float[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                double s = 0;
                for (int l = 0; l < len; l++) {
                    s += x[(o * len + l) * inner + in];
                }
                out[o * inner + in] = (float) (s * scale);
            }
        }
        int[] outShape;
        if (keepDim) {
            outShape = shape.clone();
            outShape[d] = 1;
        } else {
            outShape = new int[shape.length - 1];
            for (int i = 0, j = 0; i < shape.length; i++) {
                if (i != d) {
                    outShape[j++] = shape[i];
                }
            }
        }
        Tensor result = Tensor.of(out, outShape);
        if (Node.shouldRecord(a)) {
            final int outerF = outer;
            final int innerF = inner;
            new Node(mean ? "mean" : "sum", a) {
                @Override
                protected float[][] backward(float[][] g) {
                    float[] go = g[0];
                    float[] gi = new float[x.length];
                    for (int o = 0; o < outerF; o++) {
                        for (int l = 0; l < len; l++) {
                            for (int in = 0; in < innerF; in++) {
                                gi[(o * len + l) * innerF + in] = go[o * innerF + in] * scale;
                            }
                        }
                    }
                    return new float[][] {gi};
                }
            }.attach(result);
        }
        return result;
    }
}
