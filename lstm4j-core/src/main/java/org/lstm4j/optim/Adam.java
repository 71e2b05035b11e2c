package org.lstm4j.optim;

import java.util.List;
import java.util.Map;
import org.lstm4j.tensor.Tensor;

/**
 * Adam, PyTorch's {@code torch.optim.Adam}: defaults lr 1e-3, betas (0.9, 0.999), eps 1e-8, weightDecay 0
 * (L2, added to the gradient), amsgrad false. The update follows PyTorch 1.13's single-tensor
 * implementation step by step, so results agree to float32 rounding:
 *
 * <pre>
 * g = maximize ? -grad : grad
 * g = g + weight_decay * p                          (Adam only, if weight_decay != 0)
 * p = p * (1 - lr * weight_decay)                   (AdamW only)
 * m = m * beta1 + (1 - beta1) * g
 * v = v * beta2 + (1 - beta2) * g * g
 * v_max = max(v_max, v)                             (amsgrad; used instead of v below)
 * denom = sqrt(v) / sqrt(1 - beta2^t) + eps
 * p = p + (-lr / (1 - beta1^t)) * m / denom
 * </pre>
 *
 * <pre>{@code
 * Adam adam = new Adam(params);                       // all defaults
 * Adam tuned = Adam.builder(params).lr(3e-4).betas(0.9, 0.98).amsgrad(true).build();
 * }</pre>
 */
public final class Adam extends Optimizer {
    private double beta1;
    private double beta2;
    private double eps;
    private double weightDecay;
    private boolean amsgrad;
    private boolean maximize;

    /** All of PyTorch's defaults. */
    public Adam(Iterable<Tensor> params) {
        this(params, 1e-3);
    }

    public Adam(Iterable<Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0, false);
    }

    /** @throws IllegalArgumentException if lr, eps or weightDecay is negative or a beta is outside [0, 1) */
    public Adam(Iterable<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay,
            boolean amsgrad) {
        this(params, lr, beta1, beta2, eps, weightDecay, amsgrad, false);
    }

    /** As above; {@code maximize} ascends the objective (the gradient is negated first). */
    public Adam(Iterable<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay,
            boolean amsgrad, boolean maximize) {
        super(params, lr);
        validate(beta1, beta2, eps, weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.amsgrad = amsgrad;
        this.maximize = maximize;
    }

    /** A builder starting from PyTorch's defaults. */
    public static Builder builder(Iterable<Tensor> params) {
        return new Builder(params);
    }

    static void validate(double beta1, double beta2, double eps, double weightDecay) {
        checkNonNegative("epsilon value", eps);
        checkBeta(0, beta1);
        checkBeta(1, beta2);
        checkNonNegative("weight_decay value", weightDecay);
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double eps() {
        return eps;
    }

    public double weightDecay() {
        return weightDecay;
    }

    public boolean amsgrad() {
        return amsgrad;
    }

    public boolean maximize() {
        return maximize;
    }

    @Override
    protected void update(float[] p, float[] g, ParamState state) {
        AdamUpdate.apply(p, g, state, getLr(), beta1, beta2, eps, weightDecay, amsgrad, maximize, false);
    }

    @Override
    protected boolean countsSteps() {
        return true;
    }

    @Override
    protected List<String> bufferNames() {
        return AdamUpdate.bufferNames(amsgrad);
    }

    @Override
    protected void putHyperparameters(Map<String, Double> out) {
        out.put("betas.0", beta1);
        out.put("betas.1", beta2);
        out.put("eps", eps);
        out.put("weight_decay", weightDecay);
        out.put("amsgrad", amsgrad ? 1.0 : 0.0);
        out.put("maximize", maximize ? 1.0 : 0.0);
    }

    @Override
    protected void applyHyperparameters(Map<String, Double> values) {
        double b1 = require(values, "betas.0");
        double b2 = require(values, "betas.1");
        double e = require(values, "eps");
        double wd = require(values, "weight_decay");
        validate(b1, b2, e, wd);
        beta1 = b1;
        beta2 = b2;
        eps = e;
        weightDecay = wd;
        amsgrad = require(values, "amsgrad") != 0;
        maximize = require(values, "maximize") != 0;
    }

    /** Builder for {@link Adam}; unset options keep PyTorch's defaults. */
    public static final class Builder {
        private final Iterable<Tensor> params;
        private double lr = 1e-3;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double weightDecay = 0;
        private boolean amsgrad;
        private boolean maximize;

        private Builder(Iterable<Tensor> params) {
            this.params = params;
        }

        public Builder lr(double lr) {
            this.lr = lr;
            return this;
        }

        public Builder betas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
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

        public Builder amsgrad(boolean amsgrad) {
            this.amsgrad = amsgrad;
            return this;
        }

        public Builder maximize(boolean maximize) {
            this.maximize = maximize;
            return this;
        }

        public Adam build() {
            return new Adam(params, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
        }
    }
}
