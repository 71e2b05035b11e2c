package org.lstm4j.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lstm4j.tensor.Tensor;

/**
 * RMSprop, PyTorch's {@code torch.optim.RMSprop}: defaults lr 1e-2, alpha 0.99, eps 1e-8, weightDecay 0,
 * momentum 0, centered false. The update follows PyTorch 1.13's single-tensor implementation:
 *
 * <pre>
 * g = maximize ? -grad : grad
 * g = g + weight_decay * p                          (if weight_decay != 0)
 * square_avg = square_avg * alpha + (1 - alpha) * g * g
 * grad_avg = grad_avg * alpha + (1 - alpha) * g     (centered)
 * avg = sqrt(square_avg - grad_avg^2) + eps         (centered; else sqrt(square_avg) + eps)
 * buf = buf * momentum + g / avg; p = p - lr * buf  (momentum > 0)
 * p = p + (-lr * g) / avg                           (otherwise)
 * </pre>
 */
public final class RMSprop extends Optimizer {
    private static final String SQUARE_AVG = "square_avg";
    private static final String MOMENTUM_BUFFER = "momentum_buffer";
    private static final String GRAD_AVG = "grad_avg";

    private double alpha;
    private double eps;
    private double weightDecay;
    private double momentum;
    private boolean centered;
    private boolean maximize;

    /** All of PyTorch's defaults. */
    public RMSprop(Iterable<Tensor> params) {
        this(params, 1e-2);
    }

    public RMSprop(Iterable<Tensor> params, double lr) {
        this(params, lr, 0.99, 1e-8, 0, 0, false);
    }

    /**
     * @throws IllegalArgumentException if lr, eps, weightDecay or momentum is negative or not finite in float32,
     *     or alpha is outside [0, 1] (PyTorch allows alpha > 1, which makes square_avg negative and the update
     *     NaN at the first step)
     */
    public RMSprop(Iterable<Tensor> params, double lr, double alpha, double eps, double weightDecay, double momentum,
            boolean centered) {
        this(params, lr, alpha, eps, weightDecay, momentum, centered, false);
    }

    /** As above; {@code maximize} ascends the objective (the gradient is negated first). */
    public RMSprop(Iterable<Tensor> params, double lr, double alpha, double eps, double weightDecay, double momentum,
            boolean centered, boolean maximize) {
        super(params, lr);
        validate(ValueSource.ARGUMENT, alpha, eps, weightDecay, momentum);
        this.alpha = alpha;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.momentum = momentum;
        this.centered = centered;
        this.maximize = maximize;
    }

    /** A builder starting from PyTorch's defaults. */
    public static Builder builder(Iterable<Tensor> params) {
        return new Builder(params);
    }

    private static void validate(ValueSource source, double alpha, double eps, double weightDecay, double momentum) {
        checkHyperparameter(source, "eps", "epsilon value", Range.NON_NEGATIVE, eps);
        checkHyperparameter(source, "momentum", "momentum value", Range.NON_NEGATIVE, momentum);
        checkHyperparameter(source, "weight_decay", "weight_decay value", Range.NON_NEGATIVE, weightDecay);
        checkHyperparameter(source, "alpha", "alpha value", Range.UNIT_INTERVAL, alpha);
    }

    public double alpha() {
        return alpha;
    }

    public double eps() {
        return eps;
    }

    public double weightDecay() {
        return weightDecay;
    }

    public double momentum() {
        return momentum;
    }

    public boolean centered() {
        return centered;
    }

    public boolean maximize() {
        return maximize;
    }

    @Override
    protected void update(float[] p, float[] g, ParamState state) {
        int n = p.length;
        float[] squareAvg = state.zeros(SQUARE_AVG, n);
        float[] gradAvg = centered ? state.zeros(GRAD_AVG, n) : null;
        float[] buf = momentum > 0 ? state.zeros(MOMENTUM_BUFFER, n) : null;
        float a = (float) alpha;
        float oneMinusA = (float) (1 - alpha);
        float epsF = (float) eps;
        float wd = (float) weightDecay;
        float mom = (float) momentum;
        float negLr = (float) -getLr();
        for (int i = 0; i < n; i++) {
            float gi = maximize ? -g[i] : g[i];
            if (weightDecay != 0) {
                gi = gi + wd * p[i];
            }
            squareAvg[i] = squareAvg[i] * a + oneMinusA * gi * gi;
            float avg;
            if (gradAvg != null) {
                gradAvg[i] = gradAvg[i] * a + oneMinusA * gi;
                avg = (float) Math.sqrt(squareAvg[i] + -1f * gradAvg[i] * gradAvg[i]);
            } else {
                avg = (float) Math.sqrt(squareAvg[i]);
            }
            avg = avg + epsF;
            if (buf != null) {
                buf[i] = buf[i] * mom + gi / avg;
                p[i] = p[i] + negLr * buf[i];
            } else {
                p[i] = p[i] + negLr * gi / avg;
            }
        }
    }

    @Override
    protected boolean countsSteps() {
        return true;
    }

    @Override
    protected List<String> hyperparametersDecidingBuffers() {
        return List.of("momentum", "centered");
    }

    @Override
    protected List<String> bufferNames() {
        List<String> names = new ArrayList<>(List.of(SQUARE_AVG));
        if (momentum > 0) {
            names.add(MOMENTUM_BUFFER);
        }
        if (centered) {
            names.add(GRAD_AVG);
        }
        return names;
    }

    @Override
    protected boolean averagesSquares(String bufferName) {
        return bufferName.equals(SQUARE_AVG);
    }

    /**
     * Centered: the update takes {@code sqrt(square_avg - grad_avg²)}, an estimate of the gradient's variance,
     * so {@code grad_avg²} may exceed {@code square_avg} only by the drift float32 rounding accumulates, about
     * ulp(1)/(1 - alpha) relatively (measured); the check allows 16 times that. Beyond it the next step would be
     * NaN.
     */
    @Override
    protected void checkLoadedState(int index, ParamState state) {
        if (!centered || alpha == 1) {
            return; // with alpha 1 the averages never change: no drift bound to check against
        }
        float[] squareAvg = state.buffer(SQUARE_AVG);
        float[] gradAvg = state.buffer(GRAD_AVG);
        double slack = 16 * Math.ulp(1f) / (1 - alpha);
        for (int k = 0; k < gradAvg.length; k++) {
            double squared = (double) gradAvg[k] * gradAvg[k];
            if (squared > squareAvg[k] * (1 + slack) + Float.MIN_NORMAL) {
                int[] shape = params().get(index).shape();
                throw new IllegalArgumentException("state dict entry '" + stateKey(index, GRAD_AVG) + "' should have"
                        + " its square within float rounding of '" + stateKey(index, SQUARE_AVG) + "' (centered RMSprop"
                        + " takes the square root of their difference), got " + gradAvg[k] + " against " + squareAvg[k]
                        + " at index " + multiIndex(k, shape));
            }
        }
    }

    @Override
    protected void putHyperparameters(Map<String, Double> out) {
        out.put("alpha", alpha);
        out.put("eps", eps);
        out.put("weight_decay", weightDecay);
        out.put("momentum", momentum);
        out.put("centered", centered ? 1.0 : 0.0);
        out.put("maximize", maximize ? 1.0 : 0.0);
    }

    @Override
    protected void applyHyperparameters(Map<String, Double> values) {
        double a = require(values, "alpha");
        double e = require(values, "eps");
        double wd = require(values, "weight_decay");
        double m = require(values, "momentum");
        validate(ValueSource.STATE_DICT, a, e, wd, m);
        boolean c = requireBoolean(values, "centered");
        boolean max = requireBoolean(values, "maximize");
        alpha = a;
        eps = e;
        weightDecay = wd;
        momentum = m;
        centered = c;
        maximize = max;
    }

    /** Builder for {@link RMSprop}; unset options keep PyTorch's defaults. */
    public static final class Builder {
        private final Iterable<Tensor> params;
        private double lr = 1e-2;
        private double alpha = 0.99;
        private double eps = 1e-8;
        private double weightDecay;
        private double momentum;
        private boolean centered;
        private boolean maximize;

        private Builder(Iterable<Tensor> params) {
            this.params = params;
        }

        public Builder lr(double lr) {
            this.lr = lr;
            return this;
        }

        public Builder alpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        public Builder centered(boolean centered) {
            this.centered = centered;
            return this;
        }

        public Builder maximize(boolean maximize) {
            this.maximize = maximize;
            return this;
        }

        public RMSprop build() {
            return new RMSprop(params, lr, alpha, eps, weightDecay, momentum, centered, maximize);
        }
    }
}
