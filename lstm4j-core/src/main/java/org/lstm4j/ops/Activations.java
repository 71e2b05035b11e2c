package org.lstm4j.ops;

/** Scalar activation functions shared by the elementwise ops and the fused recurrent kernels. */
public final class Activations {
    private Activations() {}

    /** Logistic sigmoid, computed on the side that cannot overflow. */
    public static float sigmoid(float x) {
        if (x >= 0f) {
            return (float) (1.0 / (1.0 + Math.exp(-x)));
        }
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }

    public static float tanh(float x) {
        return (float) Math.tanh(x);
    }
}
