package org.lstm4j.optim;

import java.util.List;
import java.util.Map;
import org.lstm4j.tensor.Tensor;

/**
 * Stochastic gradient descent with optional momentum, dampening, L2 weight decay and Nesterov momentum:
 * PyTorch's {@code torch.optim.SGD}, same update order (1.13, single-tensor):
 *
 * <pre>
 * g = maximize ? -grad : grad
 * g = g + weight_decay * p                          (if weight_decay != 0)
 * buf = g on the first step, else momentum * buf + (1 - dampening) * g   (if momentum != 0)
 * g = nesterov ? g + momentum * buf : buf           (if momentum != 0)
 * p = p - lr * g
 * </pre>
 *
 * <pre>{@code
 * SGD plain = new SGD(params, 0.1);
 * SGD nesterov = SGD.builder(params, 0.1).momentum(0.9).nesterov(true).weightDecay(1e-2).build();
 * }</pre>
 */
public final class SGD extends Optimizer {
    private static final String MOMENTUM_BUFFER = "momentum_buffer";

    private double momentum;
    private double dampening;
    private double weightDecay;
    private boolean nesterov;
    private boolean maximize;

    /** Plain SGD: no momentum, no weight decay. */
    public SGD(Iterable<Tensor> params, double lr) {
        this(params, lr, 0, 0, 0, false);
    }

    /**
     * @throws IllegalArgumentException if lr, momentum, dampening or weightDecay is negative or not finite in
     *     float32, or nesterov is requested without a positive momentum and zero dampening
     */
    public SGD(Iterable<Tensor> params, double lr, double momentum, double dampening, double weightDecay,
            boolean nesterov) {
        this(params, lr, momentum, dampening, weightDecay, nesterov, false);
    }

    /** As above; {@code maximize} ascends the objective (the gradient is negated first). */
    public SGD(Iterable<Tensor> params, double lr, double momentum, double dampening, double weightDecay,
            boolean nesterov, boolean maximize) {
        super(params, lr);
        validate(ValueSource.ARGUMENT, momentum, dampening, weightDecay, nesterov);
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        this.maximize = maximize;
    }

    /** A builder with PyTorch's defaults: momentum 0, dampening 0, weightDecay 0, nesterov false. */
    public static Builder builder(Iterable<Tensor> params, double lr) {
        return new Builder(params, lr);
    }

    private static void validate(ValueSource source, double momentum, double dampening, double weightDecay,
            boolean nesterov) {
        checkHyperparameter(source, "momentum", "momentum value", Range.NON_NEGATIVE, momentum);
        checkHyperparameter(source, "dampening", "dampening value", Range.NON_NEGATIVE, dampening);
        checkHyperparameter(source, "weight_decay", "weight_decay value", Range.NON_NEGATIVE, weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            String where = source == ValueSource.STATE_DICT
                    ? "state dict entries '" + groupKey("nesterov") + "', '" + groupKey("momentum") + "', '"
                            + groupKey("dampening") + "': "
                    : "";
            throw new IllegalArgumentException(where + "Nesterov momentum requires a momentum > 0 and zero dampening"
                    + " (got momentum " + momentum + ", dampening " + dampening + ")");
        }
    }

    public double momentum() {
        return momentum;
    }

    public double dampening() {
        return dampening;
    }

    public double weightDecay() {
        return weightDecay;
    }

    public boolean nesterov() {
        return nesterov;
    }

    public boolean maximize() {
        return maximize;
    }

    @Override
    protected void update(float[] p, float[] g, ParamState state) {
        float wd = (float) weightDecay;
        float mom = (float) momentum;
        float oneMinusDampening = (float) (1 - dampening);
        float negLr = (float) -getLr();
        float[] buf = null;
        boolean first = false;
        if (momentum != 0) {
            buf = state.buffer(MOMENTUM_BUFFER);
            if (buf == null) {
                // PyTorch starts the buffer at the (decayed) gradient itself, without dampening.
                buf = new float[p.length];
                state.put(MOMENTUM_BUFFER, buf);
                first = true;
            }
        }
        for (int i = 0; i < p.length; i++) {
            float d = maximize ? -g[i] : g[i];
            if (weightDecay != 0) {
                d = d + wd * p[i];
            }
            if (buf != null) {
                float b = first ? d : buf[i] * mom + oneMinusDampening * d;
                buf[i] = b;
                d = nesterov ? d + mom * b : b;
            }
            p[i] = p[i] + negLr * d;
        }
    }

    @Override
    protected boolean countsSteps() {
        return false;
    }

    @Override
    protected List<String> hyperparametersDecidingBuffers() {
        return List.of("momentum");
    }

    @Override
    protected List<String> bufferNames() {
        return momentum != 0 ? List.of(MOMENTUM_BUFFER) : List.of();
    }

    @Override
    protected void putHyperparameters(Map<String, Double> out) {
        out.put("momentum", momentum);
        out.put("dampening", dampening);
        out.put("weight_decay", weightDecay);
        out.put("nesterov", nesterov ? 1.0 : 0.0);
        out.put("maximize", maximize ? 1.0 : 0.0);
    }

    @Override
    protected void applyHyperparameters(Map<String, Double> values) {
        double m = require(values, "momentum");
        double d = require(values, "dampening");
        double wd = require(values, "weight_decay");
        boolean n = requireBoolean(values, "nesterov");
        boolean max = requireBoolean(values, "maximize");
        validate(ValueSource.STATE_DICT, m, d, wd, n);
        momentum = m;
        dampening = d;
        weightDecay = wd;
        nesterov = n;
        maximize = max;
    }

    /** Builder for {@link SGD}; unset options keep PyTorch's defaults. */
    public static final class Builder {
        private final Iterable<Tensor> params;
        private final double lr;
        private double momentum;
        private double dampening;
        private double weightDecay;
        private boolean nesterov;
        private boolean maximize;

        private Builder(Iterable<Tensor> params, double lr) {
            this.params = params;
            this.lr = lr;
        }

        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        public Builder dampening(double dampening) {
            this.dampening = dampening;
            return this;
        }

        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Builder nesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        public Builder maximize(boolean maximize) {
            this.maximize = maximize;
            return this;
        }

        public SGD build() {
            return new SGD(params, lr, momentum, dampening, weightDecay, nesterov, maximize);
        }
    }
}
