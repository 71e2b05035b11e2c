package org.lstm4j.nn.utils;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.lstm4j.tensor.Tensor;

/** Gradient clipping, PyTorch's {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}. */
public final class ClipGrad {
    private ClipGrad() {}

    /** {@link #clipGradNorm(Iterable, double, double, boolean)} with the 2-norm and no non-finite check. */
    public static Tensor clipGradNorm(Iterable<Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2.0, false);
    }

    /** {@link #clipGradNorm(Iterable, double, double, boolean)} with the 2-norm. */
    public static Tensor clipGradNorm(Iterable<Tensor> params, double maxNorm, boolean errorIfNonfinite) {
        return clipGradNorm(params, maxNorm, 2.0, errorIfNonfinite);
    }

    /**
     * Scales the gradients of {@code params} in place so that their total norm (the norm of all gradients
     * concatenated) is at most about {@code maxNorm}: with {@code coef = maxNorm / (total + 1e-6)}, every
     * gradient is multiplied by {@code coef} when it is below 1. Parameters without a gradient are skipped.
     *
     * @param normType the p of the p-norm; {@code Double.POSITIVE_INFINITY} for the max-norm
     * @param errorIfNonfinite throw instead of scaling when the total norm is NaN or infinite
     * @return the total norm before clipping, as a 0-d tensor (0 when no parameter has a gradient)
     * @throws IllegalArgumentException if maxNorm is negative or NaN, or normType is not positive
     * @throws IllegalStateException if {@code errorIfNonfinite} and the total norm is NaN or infinite
     */
    public static Tensor clipGradNorm(Iterable<Tensor> params, double maxNorm, double normType, boolean errorIfNonfinite) {
        Objects.requireNonNull(params, "params");
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("maxNorm must be >= 0, got " + maxNorm);
        }
        if (!(normType > 0)) {
            throw new IllegalArgumentException("normType must be positive (or infinity), got " + normType);
        }
        List<float[]> grads = new ArrayList<>();
        for (Tensor p : params) {
            if (p.grad() != null) {
                grads.add(p.grad().data());
            }
        }
        if (grads.isEmpty()) {
            return Tensor.scalar(0f);
        }
        // As PyTorch: the norm of the per-parameter norms, each rounded to float.
        float[] norms = new float[grads.size()];
        for (int i = 0; i < norms.length; i++) {
            norms[i] = norm(grads.get(i), normType);
        }
        float total = norm(norms, normType);
        if (errorIfNonfinite && !Float.isFinite(total)) {
            throw new IllegalStateException("The total norm of order " + normType + " for gradients is non-finite ("
                    + total + "), so it cannot be clipped. To scale the gradients by the non-finite norm anyway, "
                    + "pass errorIfNonfinite=false");
        }
        float coef = (float) maxNorm / (total + 1e-6f);
        // PyTorch multiplies by min(coef, 1); multiplying by 1 changes nothing, so skip it (NaN still scales).
        if (!(coef >= 1f)) {
            for (float[] g : grads) {
                for (int i = 0; i < g.length; i++) {
                    g[i] *= coef;
                }
            }
        }
        return Tensor.scalar(total);
    }

    /** Clamps every gradient element into {@code [-clipValue, clipValue]}: {@code clip_grad_value_}. */
    public static void clipGradValue(Iterable<Tensor> params, double clipValue) {
        Objects.requireNonNull(params, "params");
        if (!(clipValue >= 0)) {
            throw new IllegalArgumentException("clipValue must be >= 0, got " + clipValue);
        }
        float c = (float) clipValue;
        for (Tensor p : params) {
            if (p.grad() == null) {
                continue;
            }
            float[] g = p.grad().data();
            for (int i = 0; i < g.length; i++) {
                // NaN stays NaN, as torch.clamp.
                g[i] = g[i] > c ? c : g[i] < -c ? -c : g[i];
            }
        }
    }

    private static float norm(float[] x, double p) {
        if (p == Double.POSITIVE_INFINITY) {
            float max = 0f;
            for (float v : x) {
                float a = Math.abs(v);
                if (a > max || Float.isNaN(a)) {
                    max = a;
                    if (Float.isNaN(a)) {
                        break;
                    }
                }
            }
            return max;
        }
        double s = 0;
        if (p == 2.0) {
            for (float v : x) {
                s += (double) v * v;
            }
            return (float) Math.sqrt(s);
        }
        if (p == 1.0) {
            for (float v : x) {
                s += Math.abs((double) v);
            }
            return (float) s;
        }
        for (float v : x) {
            s += Math.pow(Math.abs((double) v), p);
        }
        return (float) Math.pow(s, 1.0 / p);
    }
}
