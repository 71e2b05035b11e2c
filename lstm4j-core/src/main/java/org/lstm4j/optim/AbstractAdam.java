package org.lstm4j.optim;

import java.util.List;
import java.util.Map;
import org.lstm4j.tensor.Tensor;

/**
 * What {@link Adam} and {@link AdamW} share: hyperparameters, their state-dict form, and PyTorch 1.13's
 * single-tensor update (see {@link Adam} for the formula); they differ only in how weight decay is applied
 * and in its default.
 */
public abstract class AbstractAdam extends Optimizer {
    private double beta1;
    private double beta2;
    private double eps;
    private double weightDecay;
    private boolean amsgrad;
    private boolean maximize;
    private final boolean decoupledWeightDecay;

    /**
     * @throws IllegalArgumentException if lr, eps or weightDecay is negative or not finite in float32, or a beta
     *     is outside [0, 1)
     */
    AbstractAdam(Iterable<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay,
            boolean amsgrad, boolean maximize, boolean decoupledWeightDecay) {
        super(params, lr);
        validate(ValueSource.ARGUMENT, beta1, beta2, eps, weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.amsgrad = amsgrad;
        this.maximize = maximize;
        this.decoupledWeightDecay = decoupledWeightDecay;
    }

    private static void validate(ValueSource source, double beta1, double beta2, double eps, double weightDecay) {
        checkHyperparameter(source, "eps", "epsilon value", Range.NON_NEGATIVE, eps);
        checkHyperparameter(source, "betas.0", "beta parameter at index 0", Range.UNIT_INTERVAL_OPEN, beta1);
        checkHyperparameter(source, "betas.1", "beta parameter at index 1", Range.UNIT_INTERVAL_OPEN, beta2);
        checkHyperparameter(source, "weight_decay", "weight_decay value", Range.NON_NEGATIVE, weightDecay);
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
        AdamUpdate.apply(p, g, state, getLr(), beta1, beta2, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay);
    }

    @Override
    protected boolean countsSteps() {
        return true;
    }

    @Override
    protected List<String> hyperparametersDecidingBuffers() {
        return List.of("amsgrad");
    }

    @Override
    protected List<String> bufferNames() {
        return AdamUpdate.bufferNames(amsgrad);
    }

    @Override
    protected boolean averagesSquares(String bufferName) {
        return bufferName.equals(AdamUpdate.EXP_AVG_SQ) || bufferName.equals(AdamUpdate.MAX_EXP_AVG_SQ);
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
        validate(ValueSource.STATE_DICT, b1, b2, e, wd);
        boolean ams = requireBoolean(values, "amsgrad");
        boolean max = requireBoolean(values, "maximize");
        beta1 = b1;
        beta2 = b2;
        eps = e;
        weightDecay = wd;
        amsgrad = ams;
        maximize = max;
    }

    /** Builder for Adam and AdamW; unset options keep PyTorch's defaults for the optimizer being built. */
    public static final class Builder<O extends AbstractAdam> {
        /** The full constructor of the optimizer being built. */
        @FunctionalInterface
        interface Factory<O> {
            O create(Iterable<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay,
                    boolean amsgrad, boolean maximize);
        }

        private final Factory<O> factory;
        private final Iterable<Tensor> params;
        private double lr = 1e-3;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double weightDecay;
        private boolean amsgrad;
        private boolean maximize;

        Builder(Factory<O> factory, Iterable<Tensor> params, double defaultWeightDecay) {
            this.factory = factory;
            this.params = params;
            this.weightDecay = defaultWeightDecay;
        }

        public Builder<O> lr(double lr) {
            this.lr = lr;
            return this;
        }

        public Builder<O> betas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        public Builder<O> eps(double eps) {
            this.eps = eps;
            return this;
        }

        public Builder<O> weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Builder<O> amsgrad(boolean amsgrad) {
            this.amsgrad = amsgrad;
            return this;
        }

        public Builder<O> maximize(boolean maximize) {
            this.maximize = maximize;
            return this;
        }

        public O build() {
            return factory.create(params, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
        }
    }
}
