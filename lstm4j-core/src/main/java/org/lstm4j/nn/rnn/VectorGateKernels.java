package org.lstm4j.nn.rnn;

import static org.lstm4j.ops.Activations.EXP_MAX;
import static org.lstm4j.ops.Activations.EXP_MIN;
import static org.lstm4j.ops.Activations.EXP_P0;
import static org.lstm4j.ops.Activations.EXP_P1;
import static org.lstm4j.ops.Activations.EXP_P2;
import static org.lstm4j.ops.Activations.EXP_P3;
import static org.lstm4j.ops.Activations.EXP_P4;
import static org.lstm4j.ops.Activations.EXP_P5;
import static org.lstm4j.ops.Activations.LN2_HI;
import static org.lstm4j.ops.Activations.LN2_LO;
import static org.lstm4j.ops.Activations.LOG2E;
import static org.lstm4j.ops.Activations.ROUND_SHIFTER;
import static org.lstm4j.ops.Activations.TANH_P0;
import static org.lstm4j.ops.Activations.TANH_P1;
import static org.lstm4j.ops.Activations.TANH_P2;
import static org.lstm4j.ops.Activations.TANH_P3;
import static org.lstm4j.ops.Activations.TANH_P4;
import static org.lstm4j.ops.Activations.TANH_SMALL;

import org.lstm4j.ops.Activations;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link GateKernels} on the Vector API. Each lane runs the operation sequence of
 * {@link org.lstm4j.ops.Activations} (same multiplies, fused multiply-adds and division; the clamp as a choice of
 * result, below), so results are bit-identical to the plain-Java kernels; the columns past the last full vector
 * use those directly.
 *
 * <p>Only loaded (reflectively, by {@link GateKernels}) when the {@code jdk.incubator.vector} module is present.
 */
final class VectorGateKernels extends GateKernels {
    private static final VectorSpecies<Float> SPECIES = org.lstm4j.kernels.VectorWidth.FLOATS;
    private static final int LANES = SPECIES.length();
    /** Same shape as SPECIES; reinterpreting through a constant species keeps C2's intrinsics on. */
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, SPECIES.vectorShape());
    private static final int SIGN_BIT = 0x80000000;

    @Override
    int vectorEnd(int h) {
        return SPECIES.loopBound(h);
    }

    // The transcendental loops below spell out exp/sigmoid/tanh inline (one per loop) instead of calling
    // vector helpers: a helper that C2 does not inline (its heuristics depend on when profiles were taken)
    // boxes every vector and runs ten times slower.
    //
    // The exp argument's clamp to [EXP_MIN, EXP_MAX] is applied to the result instead: the lanes past a bound
    // are compared at the start and take, at the end, the value the clamped argument gives (a constant), while
    // exp runs on the argument unclamped (garbage or NaN in those lanes, then blended away). Lanes within the
    // bounds do exactly the operations they did, so every bit is the same as Activations', NaN included. The
    // compare-and-blend before exp sat at the head of each lane's long dependency chain (on Java 17 a mask goes
    // through a vector and back), which bounds how many iterations the CPU overlaps: alone on Zen 5 at 512 bits
    // σ took 18.7 instead of 22.1 cycles a vector and tanh 23.9 instead of 33.9; infer-large, charlm and
    // rows-gru about 1% faster (bench/README, stop 25).
    /** σ where exp's argument −x is past a bound: σ at the bound itself. */
    private static final float SIGMOID_EX_ABOVE_MAX = Activations.sigmoid(-EXP_MAX);
    private static final float SIGMOID_EX_BELOW_MIN = Activations.sigmoid(-EXP_MIN);
    /** tanh's exp argument 2|x| is never below EXP_MIN, so only the upper bound applies there (|x| = 44). */
    private static final float TANH_EX_ABOVE_MAX = Activations.tanh(EXP_MAX / 2f);

    /** {@code a = σ(a)} over [off, off + n). */
    private static void sigmoidRange(float[] a, int off, int n) {
        int bound = SPECIES.loopBound(n);
        int j = 0;
        for (; j < bound; j += LANES) {
            FloatVector x = FloatVector.fromArray(SPECIES, a, off + j);
            FloatVector ex = x.neg();
            VectorMask<Float> high = ex.compare(VectorOperators.GT, EXP_MAX);
            VectorMask<Float> low = ex.compare(VectorOperators.LT, EXP_MIN);
            FloatVector et = ex.fma(FloatVector.broadcast(SPECIES, LOG2E), FloatVector.broadcast(SPECIES, ROUND_SHIFTER));
            FloatVector en = et.sub(ROUND_SHIFTER);
            FloatVector er = en.fma(FloatVector.broadcast(SPECIES, -LN2_HI), ex);
            er = en.fma(FloatVector.broadcast(SPECIES, -LN2_LO), er);
            FloatVector ez = er.mul(er);
            FloatVector ep = er.fma(FloatVector.broadcast(SPECIES, EXP_P0), FloatVector.broadcast(SPECIES, EXP_P1));
            ep = ep.fma(er, FloatVector.broadcast(SPECIES, EXP_P2));
            ep = ep.fma(er, FloatVector.broadcast(SPECIES, EXP_P3));
            ep = ep.fma(er, FloatVector.broadcast(SPECIES, EXP_P4));
            ep = ep.fma(er, FloatVector.broadcast(SPECIES, EXP_P5));
            IntVector ebits = (IntVector) et.reinterpretShape(INTS, 0);
            FloatVector e = ep.fma(ez, er).add(1f).mul((FloatVector) ebits.lanewise(VectorOperators.LSHL, 23)
                    .add(127 << 23).reinterpretShape(SPECIES, 0));
            FloatVector.broadcast(SPECIES, 1f).div(e.add(1f))
                    .blend(FloatVector.broadcast(SPECIES, SIGMOID_EX_ABOVE_MAX), high)
                    .blend(FloatVector.broadcast(SPECIES, SIGMOID_EX_BELOW_MIN), low).intoArray(a, off + j);
        }
        for (; j < n; j++) {
            a[off + j] = Activations.sigmoid(a[off + j]);
        }
    }

    /** {@code a = σ(a + b)} over n elements. */
    private static void sigmoidSumRange(float[] a, int aOff, float[] b, int bOff, int n) {
        int bound = SPECIES.loopBound(n);
        int j = 0;
        for (; j < bound; j += LANES) {
            FloatVector x = FloatVector.fromArray(SPECIES, a, aOff + j).add(FloatVector.fromArray(SPECIES, b, bOff + j));
            FloatVector ex = x.neg();
            VectorMask<Float> high = ex.compare(VectorOperators.GT, EXP_MAX);
            VectorMask<Float> low = ex.compare(VectorOperators.LT, EXP_MIN);
            FloatVector et = ex.fma(FloatVector.broadcast(SPECIES, LOG2E), FloatVector.broadcast(SPECIES, ROUND_SHIFTER));
            FloatVector en = et.sub(ROUND_SHIFTER);
            FloatVector er = en.fma(FloatVector.broadcast(SPECIES, -LN2_HI), ex);
            er = en.fma(FloatVector.broadcast(SPECIES, -LN2_LO), er);
            FloatVector ez = er.mul(er);
            FloatVector ep = er.fma(FloatVector.broadcast(SPECIES, EXP_P0), FloatVector.broadcast(SPECIES, EXP_P1));
            ep = ep.fma(er, FloatVector.broadcast(SPECIES, EXP_P2));
            ep = ep.fma(er, FloatVector.broadcast(SPECIES, EXP_P3));
            ep = ep.fma(er, FloatVector.broadcast(SPECIES, EXP_P4));
            ep = ep.fma(er, FloatVector.broadcast(SPECIES, EXP_P5));
            IntVector ebits = (IntVector) et.reinterpretShape(INTS, 0);
            FloatVector e = ep.fma(ez, er).add(1f).mul((FloatVector) ebits.lanewise(VectorOperators.LSHL, 23)
                    .add(127 << 23).reinterpretShape(SPECIES, 0));
            FloatVector.broadcast(SPECIES, 1f).div(e.add(1f))
                    .blend(FloatVector.broadcast(SPECIES, SIGMOID_EX_ABOVE_MAX), high)
                    .blend(FloatVector.broadcast(SPECIES, SIGMOID_EX_BELOW_MIN), low).intoArray(a, aOff + j);
        }
        for (; j < n; j++) {
            a[aOff + j] = Activations.sigmoid(a[aOff + j] + b[bOff + j]);
        }
    }

    /** {@code dst = tanh(src)} over n elements (dst may be src). */
    private static void tanhRange(float[] src, int sOff, float[] dst, int dOff, int n) {
        int bound = SPECIES.loopBound(n);
        int j = 0;
        for (; j < bound; j += LANES) {
            FloatVector x = FloatVector.fromArray(SPECIES, src, sOff + j);
            FloatVector ax = x.abs();
            FloatVector z = x.mul(x);
            FloatVector p = z.fma(FloatVector.broadcast(SPECIES, TANH_P0), FloatVector.broadcast(SPECIES, TANH_P1));
            p = p.fma(z, FloatVector.broadcast(SPECIES, TANH_P2));
            p = p.fma(z, FloatVector.broadcast(SPECIES, TANH_P3));
            p = p.fma(z, FloatVector.broadcast(SPECIES, TANH_P4));
            FloatVector small = p.mul(z).fma(x, x);
            FloatVector ex = ax.mul(2f);
            VectorMask<Float> high = ex.compare(VectorOperators.GT, EXP_MAX);
            FloatVector et = ex.fma(FloatVector.broadcast(SPECIES, LOG2E), FloatVector.broadcast(SPECIES, ROUND_SHIFTER));
            FloatVector en = et.sub(ROUND_SHIFTER);
            FloatVector er = en.fma(FloatVector.broadcast(SPECIES, -LN2_HI), ex);
            er = en.fma(FloatVector.broadcast(SPECIES, -LN2_LO), er);
            FloatVector ez = er.mul(er);
            FloatVector ep = er.fma(FloatVector.broadcast(SPECIES, EXP_P0), FloatVector.broadcast(SPECIES, EXP_P1));
            ep = ep.fma(er, FloatVector.broadcast(SPECIES, EXP_P2));
            ep = ep.fma(er, FloatVector.broadcast(SPECIES, EXP_P3));
            ep = ep.fma(er, FloatVector.broadcast(SPECIES, EXP_P4));
            ep = ep.fma(er, FloatVector.broadcast(SPECIES, EXP_P5));
            IntVector ebits = (IntVector) et.reinterpretShape(INTS, 0);
            FloatVector e = ep.fma(ez, er).add(1f).mul((FloatVector) ebits.lanewise(VectorOperators.LSHL, 23)
                    .add(127 << 23).reinterpretShape(SPECIES, 0));
            FloatVector y = FloatVector.broadcast(SPECIES, 1f).sub(FloatVector.broadcast(SPECIES, 2f).div(e.add(1f)))
                    .blend(FloatVector.broadcast(SPECIES, TANH_EX_ABOVE_MAX), high);
            VectorMask<Float> isSmall = ax.lt(TANH_SMALL);
            FloatVector r = y.blend(small, isSmall);
            IntVector sign = ((IntVector) x.reinterpretShape(INTS, 0)).lanewise(VectorOperators.AND, SIGN_BIT);
            ((FloatVector) ((IntVector) r.reinterpretShape(INTS, 0)).lanewise(VectorOperators.OR, sign)
                    .reinterpretShape(SPECIES, 0))
                    .intoArray(dst, dOff + j);
        }
        for (; j < n; j++) {
            dst[dOff + j] = Activations.tanh(src[sOff + j]);
        }
    }

    @Override
    void addTo(float[] dst, int dOff, float[] src, int sOff, int n) {
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, dst, dOff + i).add(FloatVector.fromArray(SPECIES, src, sOff + i))
                    .intoArray(dst, dOff + i);
        }
        for (; i < n; i++) {
            dst[dOff + i] += src[sOff + i];
        }
    }

    /** The LSTM step on the hidden units [j0, j1) of each row. */
    @Override
    void lstmForwardUnits(int r0, int r1, int h, int j0, int j1, float[] gates, int gOff, float[] recurrent,
            int rOff, float[] cIn, int cInOff, float[] cOut, int cOutOff, float[] hOut, int hOutOff, int hOutStride) {
        int n = j1 - j0;
        int bound = SPECIES.loopBound(n);
        for (int row = r0; row < r1; row++) {
            int g = gOff + row * 4 * h + j0;
            int ci = cInOff + row * h + j0;
            int co = cOutOff + row * h + j0;
            int ho = hOutOff + row * hOutStride + j0;
            // Block by block, with the same per-element arithmetic as the one-loop scalar kernel.
            if (recurrent == null) {
                if (n == h) {
                    sigmoidRange(gates, g, 2 * h);
                } else {
                    sigmoidRange(gates, g, n);
                    sigmoidRange(gates, g + h, n);
                }
                tanhRange(gates, g + 2 * h, gates, g + 2 * h, n);
                sigmoidRange(gates, g + 3 * h, n);
            } else {
                int rr = rOff + row * 4 * h + j0;
                if (n == h) {
                    sigmoidSumRange(gates, g, recurrent, rr, 2 * h);
                } else {
                    sigmoidSumRange(gates, g, recurrent, rr, n);
                    sigmoidSumRange(gates, g + h, recurrent, rr + h, n);
                }
                addTo(gates, g + 2 * h, recurrent, rr + 2 * h, n);
                tanhRange(gates, g + 2 * h, gates, g + 2 * h, n);
                sigmoidSumRange(gates, g + 3 * h, recurrent, rr + 3 * h, n);
            }
            int j = 0;
            for (; j < bound; j += LANES) {
                FloatVector i = FloatVector.fromArray(SPECIES, gates, g + j);
                FloatVector f = FloatVector.fromArray(SPECIES, gates, g + h + j);
                FloatVector gg = FloatVector.fromArray(SPECIES, gates, g + 2 * h + j);
                f.mul(FloatVector.fromArray(SPECIES, cIn, ci + j)).add(i.mul(gg)).intoArray(cOut, co + j);
            }
            for (; j < n; j++) {
                cOut[co + j] = gates[g + h + j] * cIn[ci + j] + gates[g + j] * gates[g + 2 * h + j];
            }
            tanhRange(cOut, co, hOut, ho, n);
            j = 0;
            for (; j < bound; j += LANES) {
                FloatVector.fromArray(SPECIES, gates, g + 3 * h + j).mul(FloatVector.fromArray(SPECIES, hOut, ho + j))
                        .intoArray(hOut, ho + j);
            }
            for (; j < n; j++) {
                hOut[ho + j] = gates[g + 3 * h + j] * hOut[ho + j];
            }
        }
    }

    @Override
    void lstmBackward(int r0, int r1, int h, float[] gates, int gOff, float[] cPrev, int cPrevOff,
            float[] c, int cOff, float[] dh, int dhOff, float[] dc, int dcOff, float[] dGates, int dgOff) {
        int bound = SPECIES.loopBound(h);
        for (int row = r0; row < r1; row++) {
            int g = gOff + row * 4 * h;
            int cp = cPrevOff + row * h;
            int cc = cOff + row * h;
            int dhi = dhOff + row * h;
            int dci = dcOff + row * h;
            int dg = dgOff + row * 4 * h;
            // tanh(c) goes to the o block of dGates first; each element is read there before it is overwritten.
            int tcOff = dg + 3 * h;
            tanhRange(c, cc, dGates, tcOff, h);
            int j = 0;
            for (; j < bound; j += LANES) {
                FloatVector i = FloatVector.fromArray(SPECIES, gates, g + j);
                FloatVector f = FloatVector.fromArray(SPECIES, gates, g + h + j);
                FloatVector gg = FloatVector.fromArray(SPECIES, gates, g + 2 * h + j);
                FloatVector o = FloatVector.fromArray(SPECIES, gates, g + 3 * h + j);
                FloatVector one = FloatVector.broadcast(SPECIES, 1f);
                FloatVector tc = FloatVector.fromArray(SPECIES, dGates, tcOff + j);
                FloatVector dhj = FloatVector.fromArray(SPECIES, dh, dhi + j);
                FloatVector dcj = FloatVector.fromArray(SPECIES, dc, dci + j)
                        .add(dhj.mul(o).mul(one.sub(tc.mul(tc))));
                FloatVector dO = dhj.mul(tc);
                dcj.mul(gg).mul(i).mul(one.sub(i)).intoArray(dGates, dg + j);
                dcj.mul(FloatVector.fromArray(SPECIES, cPrev, cp + j)).mul(f).mul(one.sub(f))
                        .intoArray(dGates, dg + h + j);
                dcj.mul(i).mul(one.sub(gg.mul(gg))).intoArray(dGates, dg + 2 * h + j);
                dO.mul(o).mul(one.sub(o)).intoArray(dGates, dg + 3 * h + j);
                dcj.mul(f).intoArray(dc, dci + j);
            }
            // The tail's tanh(c) is tanhRange's scalar tail, Activations.tanh: the scalar kernel does the same.
            lstmBackwardScalar(j, h, h, gates, g, cPrev, cp, c, cc, dh, dhi, dc, dci, dGates, dg);
        }
    }

    @Override
    void gruForward(int r0, int r1, int h, float[] gates, int gOff, float[] hp, int hpOff, float[] hPrev,
            int hPrevOff, float[] y, int yOff) {
        int bound = SPECIES.loopBound(h);
        for (int row = r0; row < r1; row++) {
            int g = gOff + row * 3 * h;
            int p = hpOff + row * 3 * h;
            int hi = hPrevOff + row * h;
            int yi = yOff + row * h;
            sigmoidSumRange(gates, g, hp, p, 2 * h);
            int j = 0;
            for (; j < bound; j += LANES) {
                FloatVector r = FloatVector.fromArray(SPECIES, gates, g + j);
                FloatVector.fromArray(SPECIES, gates, g + 2 * h + j)
                        .add(r.mul(FloatVector.fromArray(SPECIES, hp, p + 2 * h + j))).intoArray(gates, g + 2 * h + j);
            }
            for (; j < h; j++) {
                gates[g + 2 * h + j] = gates[g + 2 * h + j] + gates[g + j] * hp[p + 2 * h + j];
            }
            tanhRange(gates, g + 2 * h, gates, g + 2 * h, h);
            j = 0;
            for (; j < bound; j += LANES) {
                FloatVector z = FloatVector.fromArray(SPECIES, gates, g + h + j);
                FloatVector n = FloatVector.fromArray(SPECIES, gates, g + 2 * h + j);
                FloatVector one = FloatVector.broadcast(SPECIES, 1f);
                one.sub(z).mul(n).add(z.mul(FloatVector.fromArray(SPECIES, hPrev, hi + j))).intoArray(y, yi + j);
            }
            for (; j < h; j++) {
                float z = gates[g + h + j];
                float n = gates[g + 2 * h + j];
                y[yi + j] = (1f - z) * n + z * hPrev[hi + j];
            }
        }
    }

    @Override
    void gruBackward(int r0, int r1, int h, float[] gates, float[] hp, int gOff, float[] hPrev, int hOff,
            float[] dh, int dhOff, float[] dy, float[] dIn, float[] dHid) {
        int bound = SPECIES.loopBound(h);
        for (int row = r0; row < r1; row++) {
            int g = gOff + row * 3 * h;
            int hi = hOff + row * h;
            int dhi = dhOff + row * h;
            for (int j = 0; j < bound; j += LANES) {
                FloatVector one = FloatVector.broadcast(SPECIES, 1f);
                FloatVector dhj = FloatVector.fromArray(SPECIES, dh, dhi + j)
                        .add(FloatVector.fromArray(SPECIES, dy, hi + j));
                FloatVector r = FloatVector.fromArray(SPECIES, gates, g + j);
                FloatVector z = FloatVector.fromArray(SPECIES, gates, g + h + j);
                FloatVector n = FloatVector.fromArray(SPECIES, gates, g + 2 * h + j);
                FloatVector dnPre = dhj.mul(one.sub(z)).mul(one.sub(n.mul(n)));
                FloatVector dzPre = dhj.mul(FloatVector.fromArray(SPECIES, hPrev, hi + j).sub(n)).mul(z)
                        .mul(one.sub(z));
                FloatVector drPre = dnPre.mul(FloatVector.fromArray(SPECIES, hp, g + 2 * h + j)).mul(r)
                        .mul(one.sub(r));
                drPre.intoArray(dIn, g + j);
                dzPre.intoArray(dIn, g + h + j);
                dnPre.intoArray(dIn, g + 2 * h + j);
                drPre.intoArray(dHid, g + j);
                dzPre.intoArray(dHid, g + h + j);
                dnPre.mul(r).intoArray(dHid, g + 2 * h + j);
                dhj.mul(z).intoArray(dh, dhi + j);
            }
            if (bound < h) {
                gruBackwardScalar(bound, h, h, gates, hp, g, hPrev, hi, dh, dhi, dy, dIn, dHid);
            }
        }
    }

    @Override
    void elmanForward(int k0, int k1, float[] a, boolean relu) {
        if (!relu) {
            tanhRange(a, k0, a, k0, k1 - k0);
            return;
        }
        int k = k0;
        int bound = k0 + SPECIES.loopBound(k1 - k0);
        for (; k < bound; k += LANES) {
            FloatVector.fromArray(SPECIES, a, k).max(0f).intoArray(a, k);
        }
        elmanForwardScalar(k, k1, a, relu);
    }

    @Override
    void elmanBackward(int k0, int k1, int base, float[] y, float[] dh, float[] dy, float[] dPre, boolean relu) {
        int k = k0;
        int bound = k0 + SPECIES.loopBound(k1 - k0);
        for (; k < bound; k += LANES) {
            FloatVector out = FloatVector.fromArray(SPECIES, y, base + k);
            FloatVector dOut = FloatVector.fromArray(SPECIES, dh, k).add(FloatVector.fromArray(SPECIES, dy, base + k));
            FloatVector d;
            if (relu) {
                d = FloatVector.zero(SPECIES).blend(dOut, out.compare(VectorOperators.GT, 0f));
            } else {
                d = dOut.mul(FloatVector.broadcast(SPECIES, 1f).sub(out.mul(out)));
            }
            d.intoArray(dPre, base + k);
        }
        elmanBackwardScalar(k, k1, base, y, dh, dy, dPre, relu);
    }
}
