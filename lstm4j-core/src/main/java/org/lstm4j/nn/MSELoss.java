package org.lstm4j.nn;

import java.util.Arrays;
import java.util.Objects;
import org.lstm4j.autograd.Node;
import org.lstm4j.tensor.Shape;
import org.lstm4j.train.Loss;
import org.lstm4j.tensor.Tensor;

/**
 * Mean squared error, PyTorch's {@code nn.MSELoss}: {@code (input - target)^2}, reduced by the
 * {@link Reduction} (mean by default). Unlike PyTorch, shapes must match exactly: a silent broadcast
 * (say {@code [N, 1]} against {@code [N]}) is almost always a bug, so it is an error here.
 *
 * <p>The forward pass and its gradient are one fused node; the target receives a gradient too when it
 * requires one.
 */
public final class MSELoss implements Loss<Tensor> {
    private final Reduction reduction;

    /** Mean reduction, as {@code nn.MSELoss()}. */
    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        this.reduction = Objects.requireNonNull(reduction, "reduction");
    }

    public Reduction reduction() {
        return reduction;
    }

    /**
     * The loss: a 0-d tensor for {@link Reduction#MEAN}/{@link Reduction#SUM}, a tensor of the input's shape
     * for {@link Reduction#NONE}.
     *
     * @throws IllegalArgumentException if the shapes differ
     */
    @Override
    public Tensor forward(Tensor input, Tensor target) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(target, "target");
        int[] shape = input.shape();
        if (!Arrays.equals(shape, target.shape())) {
            throw new IllegalArgumentException("MSELoss: input shape " + Shape.toString(shape)
                    + " and target shape " + Shape.toString(target.shape())
                    + " must match exactly (no broadcasting); reshape one of them");
        }
        float[] x = input.data();
        float[] t = target.data();
        int n = x.length;
        Tensor out;
        if (reduction == Reduction.NONE) {
            float[] o = new float[n];
            for (int i = 0; i < n; i++) {
                float d = x[i] - t[i];
                o[i] = d * d;
            }
            out = Tensor.of(o, shape);
        } else {
            // Accumulate in double: one rounding at the end instead of n.
            double s = 0;
            for (int i = 0; i < n; i++) {
                float d = x[i] - t[i];
                s += d * d;
            }
            out = Tensor.scalar((float) (reduction == Reduction.MEAN ? s / n : s));
        }
        if (Node.shouldRecord(input, target)) {
            new MseNode(input, target, reduction).attach(out);
        }
        return out;
    }

    /** d/dx = norm * (x - t) * g with norm = 2/N (mean) or 2 (sum, none), as PyTorch's mse_loss_backward. */
    private static final class MseNode extends Node {
        private final float[] x;
        private final float[] t;
        private final Reduction reduction;

        MseNode(Tensor input, Tensor target, Reduction reduction) {
            super("MseLoss", input, target);
            this.x = input.data();
            this.t = target.data();
            this.reduction = reduction;
        }

        @Override
        protected float[][] backward(float[][] gradOutputs) {
            float[] g = gradOutputs[0];
            int n = x.length;
            float norm = reduction == Reduction.MEAN ? (float) (2.0 / n) : 2f;
            boolean perElement = reduction == Reduction.NONE;
            float[] gx = new float[n];
            for (int i = 0; i < n; i++) {
                gx[i] = norm * (x[i] - t[i]) * (perElement ? g[i] : g[0]);
            }
            float[] gt = null;
            if (needsGrad(1)) {
                gt = new float[n];
                for (int i = 0; i < n; i++) {
                    gt[i] = -gx[i];
                }
            }
            return new float[][] {needsGrad(0) ? gx : null, gt};
        }
    }
}
