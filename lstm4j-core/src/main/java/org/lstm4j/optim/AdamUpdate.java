package org.lstm4j.optim;

import java.util.List;

/**
 * The Adam/AdamW update of one parameter, in PyTorch 1.13's single-tensor order, float32 arithmetic with
 * the scalar factors computed in double and rounded once (as PyTorch passes Python floats to its kernels):
 *
 * <pre>
 * p *= 1 - lr * weight_decay                        (AdamW)
 * g = maximize ? -grad : grad
 * g = g + weight_decay * p                          (Adam, if weight_decay != 0)
 * m = m * beta1 + (1 - beta1) * g
 * v = v * beta2 + (1 - beta2) * g * g
 * v_max = max(v_max, v)                             (amsgrad; used instead of v below)
 * denom = sqrt(v) / sqrt(1 - beta2^t) + eps
 * p = p + (-lr / (1 - beta1^t)) * m / denom
 * </pre>
 */
final class AdamUpdate {
    static final String EXP_AVG = "exp_avg";
    static final String EXP_AVG_SQ = "exp_avg_sq";
    static final String MAX_EXP_AVG_SQ = "max_exp_avg_sq";

    private AdamUpdate() {}

    static List<String> bufferNames(boolean amsgrad) {
        return amsgrad ? List.of(EXP_AVG, EXP_AVG_SQ, MAX_EXP_AVG_SQ) : List.of(EXP_AVG, EXP_AVG_SQ);
    }

    static void apply(float[] p, float[] g, Optimizer.ParamState state, double lr, double beta1, double beta2,
            double eps, double weightDecay, boolean amsgrad, boolean maximize, boolean decoupled) {
        int n = p.length;
        float[] m = state.zeros(EXP_AVG, n);
        float[] v = state.zeros(EXP_AVG_SQ, n);
        float[] vMax = amsgrad ? state.zeros(MAX_EXP_AVG_SQ, n) : null;

        long step = state.step();
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        float negStepSize = (float) -(lr / biasCorrection1);
        float bc2Sqrt = (float) Math.sqrt(biasCorrection2);
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float oneMinusB1 = (float) (1 - beta1);
        float oneMinusB2 = (float) (1 - beta2);
        float epsF = (float) eps;
        float wd = (float) weightDecay;
        float decay = (float) (1 - lr * weightDecay);
        boolean coupledDecay = !decoupled && weightDecay != 0;

        for (int i = 0; i < n; i++) {
            if (decoupled) {
                p[i] = p[i] * decay;
            }
            float gi = maximize ? -g[i] : g[i];
            if (coupledDecay) {
                gi = gi + wd * p[i];
            }
            m[i] = m[i] * b1 + oneMinusB1 * gi;
            v[i] = v[i] * b2 + oneMinusB2 * gi * gi;
            float second = v[i];
            if (vMax != null) {
                vMax[i] = Math.max(vMax[i], v[i]);
                second = vMax[i];
            }
            float denom = (float) Math.sqrt(second) / bc2Sqrt + epsF;
            p[i] = p[i] + negStepSize * m[i] / denom;
        }
    }
}
