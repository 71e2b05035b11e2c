package org.lstm4j.ops;

import org.lstm4j.autograd.Node;
import org.lstm4j.kernels.Parallelism;
import org.lstm4j.tensor.Tensor;

/**
 * {@code torch.softmax} and {@code torch.log_softmax} along one dimension, with their backward.
 *
 * <p>Both subtract the lane's maximum before exponentiating, so large logits neither overflow nor lose
 * the small probabilities: {@code softmax(x)_j = exp(x_j − m) / Σ_k exp(x_k − m)} and
 * {@code log_softmax(x)_j = x_j − m − log Σ_k exp(x_k − m)}. The exponentials are float
 * ({@link Activations#exp}, about 1 ulp, as PyTorch's vectorised float32 kernel), their sum and the
 * logarithm double. As in PyTorch, a −∞ entry gets probability 0 (log-probability −∞), and a lane holding
 * NaN or +∞, or only −∞, is NaN throughout.
 *
 * <p>Backward, with {@code y} the output and {@code g} its gradient, sums along the dimension:
 * softmax {@code g_in = y · (g − Σ g·y)}; log-softmax {@code g_in = g − softmax · Σ g}.
 */
public final class Softmax {
    private Softmax() {}

    /** Below this many elements per thread a tensor is not split over the threads. */
    private static final int PARALLEL_MIN_ELEMENTS = 16384;

    /** {@code torch.softmax(input, dim)}: exponentials along {@code dim} normalised to sum to 1. */
    public static Tensor softmax(Tensor input, int dim) {
        return apply(input, dim, false);
    }

    /** {@code torch.log_softmax(input, dim)}: the logarithm of {@link #softmax}, computed without forming it. */
    public static Tensor logSoftmax(Tensor input, int dim) {
        return apply(input, dim, true);
    }

    private static Tensor apply(Tensor input, int dim, boolean log) {
        Lanes lanes = Lanes.along(input.shape(), dim);
        float[] x = input.data();
        float[] y = new float[x.length];
        // Lanes are independent (each writes only its own elements), so the split changes no bit.
        Parallelism.parallelFor(0, lanes.count(), grain(lanes), (first, end) -> {
            for (int lane = first; lane < end; lane++) {
                forwardLane(x, y, lanes.start(lane), lanes.stride(), lanes.length(), log);
            }
        });
        Tensor result = Tensor.of(y, input.shape());
        if (Node.shouldRecord(input)) {
            new Node(log ? "log_softmax" : "softmax", input) {
                @Override
                protected float[][] backward(float[][] g) {
                    float[] gy = g[0];
                    float[] gx = new float[gy.length];
                    Parallelism.parallelFor(0, lanes.count(), grain(lanes), (first, end) -> {
                        for (int lane = first; lane < end; lane++) {
                            backwardLane(y, gy, gx, lanes.start(lane), lanes.stride(), lanes.length(), log);
                        }
                    });
                    return new float[][] {gx};
                }
            }.attach(result);
        }
        return result;
    }

    private static int grain(Lanes lanes) {
        return Math.max(1, PARALLEL_MIN_ELEMENTS / Math.max(1, lanes.length()));
    }

    private static void forwardLane(float[] x, float[] y, int start, int stride, int length, boolean log) {
        int end = start + length * stride;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = start; i < end; i += stride) {
            max = Math.max(max, x[i]); // Math.max propagates NaN, so a NaN lane stays NaN
        }
        double sum = 0;
        for (int i = start; i < end; i += stride) {
            float e = exp(x[i] - max);
            if (!log) {
                y[i] = e;
            }
            sum += e;
        }
        if (log) {
            double shift = max + Math.log(sum);
            for (int i = start; i < end; i += stride) {
                y[i] = (float) (x[i] - shift);
            }
        } else {
            double inverse = 1.0 / sum;
            for (int i = start; i < end; i += stride) {
                y[i] = (float) (y[i] * inverse);
            }
        }
    }

    private static void backwardLane(float[] y, float[] gy, float[] gx, int start, int stride, int length, boolean log) {
        int end = start + length * stride;
        double sum = 0;
        for (int i = start; i < end; i += stride) {
            sum += log ? gy[i] : (double) gy[i] * y[i];
        }
        for (int i = start; i < end; i += stride) {
            gx[i] = log ? (float) (gy[i] - exp(y[i]) * sum) : (float) (y[i] * (gy[i] - sum));
        }
    }

    /** e^d for d ≤ 0 (or NaN): 0 below {@link Activations#EXP_MIN}, where the fast exp would clamp instead. */
    private static float exp(float d) {
        return d < Activations.EXP_MIN ? 0f : Activations.exp(d);
    }
}
