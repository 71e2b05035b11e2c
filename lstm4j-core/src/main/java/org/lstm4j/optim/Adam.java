package org.lstm4j.optim;

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
public final class Adam extends AbstractAdam {

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
        super(params, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize, false);
    }

    /** A builder starting from PyTorch's defaults. */
    public static Builder<Adam> builder(Iterable<Tensor> params) {
        return new Builder<>(Adam::new, params, 0);
    }
}
