package org.lstm4j.ops;

/**
 * Scalar activation functions shared by the elementwise ops and the fused recurrent kernels.
 *
 * <p>{@code Math.tanh} is not an intrinsic on JDK 17 (about 45 ns a call) and {@code Math.exp} works in
 * double, so these are float approximations built from multiplies, fused multiply-adds and one division:
 * {@link #exp} is Cody–Waite range reduction with a degree-6 polynomial (about 1 ulp), {@link #sigmoid} is
 * {@code 1 / (1 + exp(-x))} (at most 3 ulp), {@link #tanh} is an odd polynomial below |x| = 0.625 and
 * {@code 1 − 2 / (exp(2|x|) + 1)} above (about 1.3 ulp, at most 1e-7 absolute). The vectorized gate kernels
 * of {@code org.lstm4j.nn.rnn} evaluate exactly the same operation sequence lane by lane, so a value is
 * bit-identical whether it went through a vector lane or this scalar code.
 */
public final class Activations {
    private Activations() {}

    // exp: x = n·ln2 + r, |r| ≤ ln2/2, e^x = 2^n · P(r). Clamped so that 2^n stays a normal float.
    public static final float EXP_MIN = -87f;
    public static final float EXP_MAX = 88f;
    public static final float LOG2E = 1.44269504088896341f;
    /** 1.5·2^23: adding it rounds to an integer held in the low mantissa bits. */
    public static final float ROUND_SHIFTER = 12582912f;
    public static final float LN2_HI = 0.693359375f;
    public static final float LN2_LO = -2.12194440e-4f;
    public static final float EXP_P0 = 1.9875691500e-4f;
    public static final float EXP_P1 = 1.3981999507e-3f;
    public static final float EXP_P2 = 8.3334519073e-3f;
    public static final float EXP_P3 = 4.1665795894e-2f;
    public static final float EXP_P4 = 1.6666665459e-1f;
    public static final float EXP_P5 = 5.0000001201e-1f;
    /** Below this |x|, tanh uses its odd polynomial. */
    public static final float TANH_SMALL = 0.625f;
    public static final float TANH_P0 = -5.70498872745e-3f;
    public static final float TANH_P1 = 2.06390887954e-2f;
    public static final float TANH_P2 = -5.37397155531e-2f;
    public static final float TANH_P3 = 1.33314422036e-1f;
    public static final float TANH_P4 = -3.33332819422e-1f;

    /** e^x in float, about 1 ulp; inputs are clamped to [−87, 88] (so never 0 or infinity; NaN stays NaN). */
    public static float exp(float x) {
        x = Math.max(EXP_MIN, Math.min(EXP_MAX, x));
        float t = Math.fma(x, LOG2E, ROUND_SHIFTER);
        float n = t - ROUND_SHIFTER;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float z = r * r;
        float p = Math.fma(r, EXP_P0, EXP_P1);
        p = Math.fma(p, r, EXP_P2);
        p = Math.fma(p, r, EXP_P3);
        p = Math.fma(p, r, EXP_P4);
        p = Math.fma(p, r, EXP_P5);
        float y = Math.fma(p, z, r) + 1f;
        // The low mantissa bits of t hold n (mod 2^9); shifted into the exponent field they give 2^n.
        float scale = Float.intBitsToFloat((Float.floatToRawIntBits(t) << 23) + (127 << 23));
        return y * scale;
    }

    /** Logistic sigmoid {@code 1 / (1 + e^-x)}: no overflow (exp is clamped), at most 3 ulp. */
    public static float sigmoid(float x) {
        return 1f / (exp(-x) + 1f);
    }

    /** Hyperbolic tangent, about 1.3 ulp; ±1 for large |x|, exact sign and −0. */
    public static float tanh(float x) {
        float ax = Math.abs(x);
        float r;
        if (ax < TANH_SMALL) {
            float z = x * x;
            float p = Math.fma(z, TANH_P0, TANH_P1);
            p = Math.fma(p, z, TANH_P2);
            p = Math.fma(p, z, TANH_P3);
            p = Math.fma(p, z, TANH_P4);
            r = Math.fma(p * z, x, x);
        } else {
            float e = exp(ax * 2f);
            r = 1f - 2f / (e + 1f);
        }
        // Both branches have x's sign already, except ±0 (the polynomial gives +0): set it for all.
        return Math.copySign(r, x);
    }
}
