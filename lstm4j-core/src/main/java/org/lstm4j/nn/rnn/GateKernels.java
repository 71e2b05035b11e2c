package org.lstm4j.nn.rnn;

import org.lstm4j.kernels.VectorCompiler;
import org.lstm4j.ops.Activations;

/**
 * The elementwise gate passes of the recurrent kernels, for the batch rows {@code [r0, r1)} of one time step.
 * This class is the plain-Java implementation; {@code VectorGateKernels} runs the same arithmetic on the
 * Vector API (same operation sequence per element, so both give bit-identical results) and is used when the
 * {@code jdk.incubator.vector} module is present, the system property {@code lstm4j.gates.vector} is not
 * {@code false} and the JVM compiles the vector lane operations ({@link VectorCompiler#compilesLaneOperations()}).
 *
 * <p>Every element depends only on its own inputs, so splitting the rows among threads never changes a bit.
 * Row r of a (rows, G·H) gate block starts at {@code off + r*G*H}; of a (rows, H) state block at
 * {@code off + r*H}.
 */
class GateKernels {
    static final String VECTOR_PROPERTY = "lstm4j.gates.vector";

    private static final GateKernels SCALAR = new GateKernels();
    private static final GateKernels VECTOR = loadVector();
    private static final GateKernels PREFERRED = choosePreferred();

    static GateKernels preferred() {
        return PREFERRED;
    }

    static GateKernels scalar() {
        return SCALAR;
    }

    /** The Vector API implementation, or null when the module is absent. */
    static GateKernels vector() {
        return VECTOR;
    }

    /**
     * The vector kernels unless the property turns them off or this JVM would box their masks and lane casts
     * (Java 17 on SVE, {@link VectorCompiler}): plain Java is several times faster than boxed vectors, and a
     * warning (logged once, here) says how to get the vector kernels back.
     */
    private static GateKernels choosePreferred() {
        if (VECTOR == null || "false".equalsIgnoreCase(System.getProperty(VECTOR_PROPERTY))) {
            return SCALAR;
        }
        if (!VectorCompiler.compilesLaneOperations()) {
            System.getLogger(GateKernels.class.getName()).log(System.Logger.Level.WARNING, VectorCompiler.sveAdvice());
            return SCALAR;
        }
        return VECTOR;
    }

    private static GateKernels loadVector() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return null;
        }
        // A malformed -Dlstm4j.vector.bits fails here, loudly, rather than as a silent fall-back to plain Java.
        org.lstm4j.kernels.KernelInfo.forcedVectorBits();
        try {
            // Reflection keeps VectorGateKernels (and the incubator classes) unloaded when the module is absent.
            return (GateKernels) Class.forName("org.lstm4j.nn.rnn.VectorGateKernels")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    /** Columns [0, vectorEnd) of a row are done by the vector loop; the scalar methods do the rest. */
    int vectorEnd(int h) {
        return 0;
    }

    /**
     * {@code dst[dOff + i] += src[sOff + i]} for i in [0, n): the per-step accumulations of the backward loops
     * (output gradients into dh, gate gradients into the bias sums). C2 does not vectorize this loop on its
     * own (the two arrays may be one), which leaves it at about 0.4–0.6 ns per element.
     */
    void addTo(float[] dst, int dOff, float[] src, int sOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dOff + i] += src[sOff + i];
        }
    }

    // ------------------------------------------------------------------ LSTM

    /**
     * LSTM step: gates (pre-activations i, f, g, o) are replaced by σ(i), σ(f), tanh(g), σ(o);
     * {@code c = σ(f)·cIn + σ(i)·tanh(g)}, {@code h = σ(o)·tanh(c)}. Row r of h is written at
     * {@code hOutOff + r*hOutStride}: a batch-first output (B, T, H) takes its step's rows in place, T·H apart.
     *
     * @param recurrent null when the gates hold the whole pre-activations; else the step's recurrent products
     *     h·W_hhᵀ in the same row layout from {@code rOff}, which the pass adds to the gates (input projection
     *     plus biases) first: {@code gates + recurrent}, the bits of a product that had added them onto the
     *     gates itself (float addition commutes)
     */
    void lstmForward(int r0, int r1, int h, float[] gates, int gOff, float[] recurrent, int rOff, float[] cIn,
            int cInOff, float[] cOut, int cOutOff, float[] hOut, int hOutOff, int hOutStride) {
        lstmForwardUnits(r0, r1, h, 0, h, gates, gOff, recurrent, rOff, cIn, cInOff, cOut, cOutOff, hOut, hOutOff,
                hOutStride);
    }

    /** {@link #lstmForward} on the hidden units [j0, j1) only, for a step split over the threads by units. */
    void lstmForwardUnits(int r0, int r1, int h, int j0, int j1, float[] gates, int gOff, float[] recurrent,
            int rOff, float[] cIn, int cInOff, float[] cOut, int cOutOff, float[] hOut, int hOutOff, int hOutStride) {
        for (int r = r0; r < r1; r++) {
            lstmForwardScalar(j0, j1, h, gates, gOff + r * 4 * h, recurrent, rOff + r * 4 * h, cIn, cInOff + r * h,
                    cOut, cOutOff + r * h, hOut, hOutOff + r * hOutStride);
        }
    }

    static void lstmForwardScalar(int j0, int j1, int h, float[] gates, int g, float[] recurrent, int rr, float[] cIn,
            int ci, float[] cOut, int co, float[] hOut, int ho) {
        for (int j = j0; j < j1; j++) {
            float pi = gates[g + j];
            float pf = gates[g + h + j];
            float pg = gates[g + 2 * h + j];
            float po = gates[g + 3 * h + j];
            if (recurrent != null) {
                pi += recurrent[rr + j];
                pf += recurrent[rr + h + j];
                pg += recurrent[rr + 2 * h + j];
                po += recurrent[rr + 3 * h + j];
            }
            float i = Activations.sigmoid(pi);
            float f = Activations.sigmoid(pf);
            float gg = Activations.tanh(pg);
            float o = Activations.sigmoid(po);
            gates[g + j] = i;
            gates[g + h + j] = f;
            gates[g + 2 * h + j] = gg;
            gates[g + 3 * h + j] = o;
            float c = f * cIn[ci + j] + i * gg;
            cOut[co + j] = c;
            hOut[ho + j] = o * Activations.tanh(c);
        }
    }

    /**
     * LSTM step backward from the activations: dh is d(loss)/dh_t (σ(o)·tanh(c) before any projection), dc
     * the carried d(loss)/dc_t on entry and d(loss)/dc_{t-1} on return; writes the pre-activation gradients.
     */
    void lstmBackward(int r0, int r1, int h, float[] gates, int gOff, float[] cPrev, int cPrevOff,
            float[] c, int cOff, float[] dh, int dhOff, float[] dc, int dcOff, float[] dGates, int dgOff) {
        for (int r = r0; r < r1; r++) {
            lstmBackwardScalar(0, h, h, gates, gOff + r * 4 * h, cPrev, cPrevOff + r * h, c, cOff + r * h,
                    dh, dhOff + r * h, dc, dcOff + r * h, dGates, dgOff + r * 4 * h);
        }
    }

    static void lstmBackwardScalar(int j0, int j1, int h, float[] gates, int g, float[] cPrev, int cp,
            float[] c, int cc, float[] dh, int dhi, float[] dc, int dci, float[] dGates, int dg) {
        for (int j = j0; j < j1; j++) {
            float i = gates[g + j];
            float f = gates[g + h + j];
            float gg = gates[g + 2 * h + j];
            float o = gates[g + 3 * h + j];
            float tc = Activations.tanh(c[cc + j]);
            float dhj = dh[dhi + j];
            float dcj = dc[dci + j] + dhj * o * (1f - tc * tc);
            float dO = dhj * tc;
            dGates[dg + j] = dcj * gg * i * (1f - i);
            dGates[dg + h + j] = dcj * cPrev[cp + j] * f * (1f - f);
            dGates[dg + 2 * h + j] = dcj * i * (1f - gg * gg);
            dGates[dg + 3 * h + j] = dO * o * (1f - o);
            dc[dci + j] = dcj * f;
        }
    }

    // ------------------------------------------------------------------ GRU

    /**
     * GRU step: gates hold the input projections (r, z, n blocks), hp the recurrent ones (with b_h·); gates
     * become r, z, n and {@code y = (1 − z)·n + z·hPrev}.
     */
    void gruForward(int r0, int r1, int h, float[] gates, int gOff, float[] hp, int hpOff, float[] hPrev,
            int hPrevOff, float[] y, int yOff) {
        for (int r = r0; r < r1; r++) {
            gruForwardScalar(0, h, h, gates, gOff + r * 3 * h, hp, hpOff + r * 3 * h, hPrev, hPrevOff + r * h,
                    y, yOff + r * h);
        }
    }

    static void gruForwardScalar(int j0, int j1, int h, float[] gates, int g, float[] hp, int p, float[] hPrev,
            int hi, float[] y, int yi) {
        for (int j = j0; j < j1; j++) {
            float r = Activations.sigmoid(gates[g + j] + hp[p + j]);
            float z = Activations.sigmoid(gates[g + h + j] + hp[p + h + j]);
            float n = Activations.tanh(gates[g + 2 * h + j] + r * hp[p + 2 * h + j]);
            gates[g + j] = r;
            gates[g + h + j] = z;
            gates[g + 2 * h + j] = n;
            y[yi + j] = (1f - z) * n + z * hPrev[hi + j];
        }
    }

    /**
     * GRU step backward: dh (rows of H from dhOff) is the carried gradient, replaced by its part through
     * {@code z·hPrev}; dy is the output gradient at this step. Writes the input- and hidden-projection
     * gradients.
     */
    void gruBackward(int r0, int r1, int h, float[] gates, float[] hp, int gOff, float[] hPrev, int hOff,
            float[] dh, int dhOff, float[] dy, float[] dIn, float[] dHid) {
        for (int r = r0; r < r1; r++) {
            gruBackwardScalar(0, h, h, gates, hp, gOff + r * 3 * h, hPrev, hOff + r * h, dh, dhOff + r * h, dy,
                    dIn, dHid);
        }
    }

    static void gruBackwardScalar(int j0, int j1, int h, float[] gates, float[] hp, int g, float[] hPrev, int hi,
            float[] dh, int dhi, float[] dy, float[] dIn, float[] dHid) {
        for (int j = j0; j < j1; j++) {
            float dhj = dh[dhi + j] + dy[hi + j];
            float r = gates[g + j];
            float z = gates[g + h + j];
            float n = gates[g + 2 * h + j];
            float dnPre = dhj * (1f - z) * (1f - n * n);
            float dzPre = dhj * (hPrev[hi + j] - n) * z * (1f - z);
            float drPre = dnPre * hp[g + 2 * h + j] * r * (1f - r);
            dIn[g + j] = drPre;
            dIn[g + h + j] = dzPre;
            dIn[g + 2 * h + j] = dnPre;
            dHid[g + j] = drPre;
            dHid[g + h + j] = dzPre;
            dHid[g + 2 * h + j] = dnPre * r;
            dh[dhi + j] = dhj * z;
        }
    }

    // ------------------------------------------------------------------ Elman

    /** {@code a[k] = tanh(a[k])} (or relu) for k in [k0, k1). */
    void elmanForward(int k0, int k1, float[] a, boolean relu) {
        elmanForwardScalar(k0, k1, a, relu);
    }

    static void elmanForwardScalar(int k0, int k1, float[] a, boolean relu) {
        for (int k = k0; k < k1; k++) {
            a[k] = relu ? Math.max(a[k], 0f) : Activations.tanh(a[k]);
        }
    }

    /**
     * {@code dPre[base+k] = act'(y[base+k]) · (dh[k] + dy[base+k])} for k in [k0, k1).
     */
    void elmanBackward(int k0, int k1, int base, float[] y, float[] dh, float[] dy, float[] dPre, boolean relu) {
        elmanBackwardScalar(k0, k1, base, y, dh, dy, dPre, relu);
    }

    static void elmanBackwardScalar(int k0, int k1, int base, float[] y, float[] dh, float[] dy, float[] dPre,
            boolean relu) {
        for (int k = k0; k < k1; k++) {
            float out = y[base + k];
            float dOut = dh[k] + dy[base + k];
            dPre[base + k] = relu ? (out > 0f ? dOut : 0f) : dOut * (1f - out * out);
        }
    }
}
