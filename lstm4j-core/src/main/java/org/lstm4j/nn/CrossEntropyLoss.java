package org.lstm4j.nn;

import java.util.Objects;
import org.lstm4j.autograd.Node;
import org.lstm4j.kernels.Parallelism;
import org.lstm4j.ops.Activations;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Shape;
import org.lstm4j.train.Loss;
import org.lstm4j.tensor.Tensor;

/**
 * Cross-entropy between logits and class indices, PyTorch's {@code nn.CrossEntropyLoss}: a numerically
 * stable log-softmax followed by the negative log-likelihood of the target class, in one fused node whose
 * gradient is {@code (softmax - target distribution) * scale}.
 *
 * <p>Shapes: logits {@code (N, C)} with targets {@code (N)}, or unbatched logits {@code (C)} with a 0-d (or
 * one-element) target. Targets equal to {@code ignoreIndex} (default -100) contribute nothing and are not
 * counted by the mean. With {@code labelSmoothing} ε the target distribution is
 * {@code (1 - ε) * one_hot + ε / C}.
 */
public final class CrossEntropyLoss implements Loss<IndexTensor> {
    /** PyTorch's default {@code ignore_index}. */
    public static final int DEFAULT_IGNORE_INDEX = -100;

    /** Batches below this many logits per thread are not split over the threads. */
    private static final int PARALLEL_MIN_ELEMENTS = 16384;

    private final Reduction reduction;
    private final int ignoreIndex;
    private final double labelSmoothing;

    /** Mean reduction, ignoreIndex -100, no label smoothing: {@code nn.CrossEntropyLoss()}. */
    public CrossEntropyLoss() {
        this(Reduction.MEAN);
    }

    public CrossEntropyLoss(Reduction reduction) {
        this(reduction, DEFAULT_IGNORE_INDEX, 0.0);
    }

    /**
     * @param ignoreIndex target value whose samples are skipped
     * @param labelSmoothing ε in [0, 1]
     */
    public CrossEntropyLoss(Reduction reduction, int ignoreIndex, double labelSmoothing) {
        this.reduction = Objects.requireNonNull(reduction, "reduction");
        if (!(labelSmoothing >= 0.0 && labelSmoothing <= 1.0)) {
            throw new IllegalArgumentException("labelSmoothing must be in [0, 1], got " + labelSmoothing);
        }
        this.ignoreIndex = ignoreIndex;
        this.labelSmoothing = labelSmoothing;
    }

    public Reduction reduction() {
        return reduction;
    }

    public int ignoreIndex() {
        return ignoreIndex;
    }

    public double labelSmoothing() {
        return labelSmoothing;
    }

    /**
     * The loss: 0-d for {@link Reduction#MEAN}/{@link Reduction#SUM} (and for unbatched input), shape
     * {@code (N)} for {@link Reduction#NONE}.
     *
     * @throws IllegalArgumentException on wrong ranks, a batch size mismatch, or a target outside [0, C)
     *     that is not the ignore index
     */
    @Override
    public Tensor forward(Tensor logits, IndexTensor target) {
        Objects.requireNonNull(logits, "logits");
        Objects.requireNonNull(target, "target");
        boolean batched = logits.dim() == 2;
        if (!batched && logits.dim() != 1) {
            throw new IllegalArgumentException("CrossEntropyLoss expects logits of shape (N, C) or (C), got "
                    + Shape.toString(logits.shape()));
        }
        int n = batched ? logits.size(0) : 1;
        int c = logits.size(-1);
        if (batched) {
            if (target.dim() != 1) {
                throw new IllegalArgumentException("CrossEntropyLoss: logits of shape " + Shape.toString(logits.shape())
                        + " need a 1-D target of shape [" + n + "], got " + Shape.toString(target.shape()));
            }
            if (target.numel() != n) {
                throw new IllegalArgumentException("CrossEntropyLoss: input batch size " + n
                        + " does not match target batch size " + target.numel() + " (logits "
                        + Shape.toString(logits.shape()) + ", target " + Shape.toString(target.shape()) + ")");
            }
        } else if (target.numel() != 1 || target.dim() > 1) {
            throw new IllegalArgumentException("CrossEntropyLoss: unbatched logits of shape "
                    + Shape.toString(logits.shape()) + " need a 0-d (or one-element) target, got "
                    + Shape.toString(target.shape()));
        }
        int[] t = target.data().clone(); // the node keeps them: later edits by the caller must not leak in
        for (int i = 0; i < n; i++) {
            if (t[i] != ignoreIndex && (t[i] < 0 || t[i] >= c)) {
                throw new IllegalArgumentException("CrossEntropyLoss: target[" + i + "] = " + t[i]
                        + " is out of bounds for " + c + " classes (expected in [0, " + c + ")"
                        + " or the ignore index " + ignoreIndex + ")");
            }
        }

        float[] x = logits.data();
        float[] probs = new float[n * c];
        double[] rowLoss = new double[n];
        int counted = 0;
        for (int i = 0; i < n; i++) {
            counted += t[i] == ignoreIndex ? 0 : 1;
        }
        // Rows are independent (each writes its own probabilities and loss), so splitting them over the threads
        // changes no bit; the reduction below adds the row losses in order.
        Parallelism.parallelFor(0, n, Math.max(1, PARALLEL_MIN_ELEMENTS / c),
                (first, end) -> softmaxRows(x, c, t, first, end, probs, rowLoss));

        Tensor out;
        if (reduction == Reduction.NONE) {
            float[] o = new float[n];
            for (int i = 0; i < n; i++) {
                o[i] = (float) rowLoss[i];
            }
            out = batched ? Tensor.of(o, n) : Tensor.of(o, new int[0]);
        } else {
            double s = 0;
            for (double v : rowLoss) {
                s += v;
            }
            // Mean over the non-ignored samples (0/0 = NaN when all are ignored, as in PyTorch).
            out = Tensor.scalar((float) (reduction == Reduction.MEAN ? s / counted : s));
        }
        if (Node.shouldRecord(logits)) {
            new CrossEntropyNode(logits, probs, t, n, c, counted, this).attach(out);
        }
        return out;
    }

    /**
     * Rows [first, end): the softmax probabilities into {@code probs} and the (smoothed) negative
     * log-likelihood of the target into {@code rowLoss} (left 0 for ignored rows).
     */
    private void softmaxRows(float[] x, int c, int[] t, int first, int end, float[] probs, double[] rowLoss) {
        double eps = labelSmoothing;
        for (int i = first; i < end; i++) {
            int base = i * c;
            // log_softmax(x)_j = x_j - max - log(sum_k exp(x_k - max)): no overflow for large logits.
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, x[base + j]);
            }
            // One float exp per element (about 1 ulp, as PyTorch's float32 softmax), summed in double: two
            // double Math.exp calls per element took 11.5 ms of charlm's 260 ms step.
            double sumExp = 0;
            for (int j = 0; j < c; j++) {
                float d = x[base + j] - max;
                // Below e^-87 (and for -inf, masked logits) the probability is 0, as in PyTorch; exp clamps there.
                float e = d < Activations.EXP_MIN ? 0f : Activations.exp(d);
                probs[base + j] = e;
                sumExp += e;
            }
            double logSum = Math.log(sumExp);
            double inverse = 1.0 / sumExp;
            for (int j = 0; j < c; j++) {
                probs[base + j] = (float) (probs[base + j] * inverse);
            }
            if (t[i] == ignoreIndex) {
                continue;
            }
            double nll = -((double) x[base + t[i]] - max - logSum);
            double loss = nll;
            if (eps != 0) {
                double sumLogP = 0;
                for (int j = 0; j < c; j++) {
                    sumLogP += (double) x[base + j] - max - logSum;
                }
                loss = (1 - eps) * nll - eps / c * sumLogP;
            }
            rowLoss[i] = loss;
        }
    }

    /** d loss / d x_ij = scale_i * (softmax_ij - q_ij), q the (smoothed) one-hot target; 0 for ignored rows. */
    private static final class CrossEntropyNode extends Node {
        /** The softmax of the logits (N·C), saved for backward; null once the graph is freed. */
        private float[] probs;
        private int[] target;
        private final int n;
        private final int c;
        private final int counted;
        private final Reduction reduction;
        private final int ignoreIndex;
        private final double labelSmoothing;

        CrossEntropyNode(Tensor logits, float[] probs, int[] target, int n, int c, int counted, CrossEntropyLoss loss) {
            super("CrossEntropyLoss", logits);
            this.probs = probs;
            this.target = target;
            this.n = n;
            this.c = c;
            this.counted = counted;
            this.reduction = loss.reduction;
            this.ignoreIndex = loss.ignoreIndex;
            this.labelSmoothing = loss.labelSmoothing;
        }

        @Override
        protected float[][] backward(float[][] gradOutputs) {
            float[] g = gradOutputs[0];
            float[] gx = new float[n * c];
            float off = (float) (labelSmoothing / c); // smoothed mass of every class
            float on = (float) (1 - labelSmoothing); // extra mass of the target class
            for (int i = 0; i < n; i++) {
                if (target[i] == ignoreIndex) {
                    continue;
                }
                float scale;
                if (reduction == Reduction.NONE) {
                    scale = g[i];
                } else if (reduction == Reduction.MEAN) {
                    scale = g[0] / counted;
                } else {
                    scale = g[0];
                }
                int base = i * c;
                for (int j = 0; j < c; j++) {
                    float q = (j == target[i] ? on : 0f) + off;
                    gx[base + j] = (probs[base + j] - q) * scale;
                }
            }
            return new float[][] {gx};
        }

        @Override
        protected void releaseSavedState() {
            probs = null;
            target = null;
        }
    }
}
