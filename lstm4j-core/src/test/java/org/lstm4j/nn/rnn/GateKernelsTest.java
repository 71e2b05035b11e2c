package org.lstm4j.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Vector API gate kernels give exactly the bits of the plain-Java ones (including the column tails). */
@org.junit.jupiter.api.Tag("vector-widths")
class GateKernelsTest {

    private static float[] random(Random r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * scale);
        }
        return a;
    }

    private static GateKernels vectorOrSkip() {
        GateKernels v = GateKernels.vector();
        assumeTrue(v != null, "jdk.incubator.vector not present");
        return v;
    }

    private record LstmForward(float[] gates, float[] c) {}

    /** Runs the LSTM forward pass on both kernels, asserts equal bits, and returns the scalar kernel's results. */
    private static LstmForward lstmForwardMatches(GateKernels s, GateKernels v, int rows, int h, float[] gates,
            float[] cIn) {
        float[] g1 = gates.clone(), g2 = gates.clone();
        float[] c1 = new float[rows * h], c2 = new float[rows * h];
        float[] h1 = new float[rows * h], h2 = new float[rows * h];
        s.lstmForward(0, rows, h, g1, 0, null, 0, cIn, 0, c1, 0, h1, 0, h);
        v.lstmForward(0, rows, h, g2, 0, null, 0, cIn, 0, c2, 0, h2, 0, h);
        assertArrayEquals(g1, g2);
        assertArrayEquals(c1, c2);
        assertArrayEquals(h1, h2);
        return new LstmForward(g1, c1);
    }

    /** Runs the GRU forward pass on both kernels, asserts equal bits, and returns the scalar kernel's gates. */
    private static float[] gruForwardMatches(GateKernels s, GateKernels v, int rows, int h, float[] gates, float[] hp,
            float[] hPrev) {
        float[] g1 = gates.clone(), g2 = gates.clone();
        float[] y1 = new float[rows * h], y2 = new float[rows * h];
        s.gruForward(0, rows, h, g1, 0, hp, 0, hPrev, 0, y1, 0);
        v.gruForward(0, rows, h, g2, 0, hp, 0, hPrev, 0, y2, 0);
        assertArrayEquals(g1, g2);
        assertArrayEquals(y1, y2);
        return g1;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 13, 32, 37})
    void lstmMatchesScalarBitForBit(int h) {
        GateKernels v = vectorOrSkip();
        GateKernels s = GateKernels.scalar();
        Random r = new Random(h);
        int rows = 3;
        float[] cIn = random(r, rows * h, 2f);
        LstmForward forward = lstmForwardMatches(s, v, rows, h, random(r, rows * 4 * h, 4f), cIn);
        float[] g1 = forward.gates();
        float[] c1 = forward.c();

        float[] dh = random(r, rows * h, 1f);
        float[] dc = random(r, rows * h, 1f);
        float[] dc1 = dc.clone(), dc2 = dc.clone();
        float[] dg1 = new float[rows * 4 * h], dg2 = new float[rows * 4 * h];
        s.lstmBackward(0, rows, h, g1, 0, cIn, 0, c1, 0, dh, 0, dc1, 0, dg1, 0);
        v.lstmBackward(0, rows, h, g1, 0, cIn, 0, c1, 0, dh, 0, dc2, 0, dg2, 0);
        assertArrayEquals(dg1, dg2);
        assertArrayEquals(dc1, dc2);
    }

    /**
     * With the step's recurrent products given apart, each kernel computes what it computes on gates that hold
     * gates + products already (the bits of a product that added itself onto the gates), on every unit range,
     * with the products' rows at their own offset; the products are only read.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 8, 13, 32, 37})
    void lstmAddsTheRecurrentProductsAsPreSummedGates(int h) {
        Random r = new Random(100 + h);
        int rows = 3;
        float[] gates = random(r, rows * 4 * h, 4f);
        float[] cIn = random(r, rows * h, 2f);
        int sumsOff = 5;
        float[] sums = new float[sumsOff + rows * 4 * h];
        System.arraycopy(random(r, rows * 4 * h, 4f), 0, sums, sumsOff, rows * 4 * h);
        float[] sumsBefore = sums.clone();
        GateKernels v = GateKernels.vector();
        int[][] unitRanges = {{0, h}, {0, h / 2}, {h / 2, h}};
        for (GateKernels kernels : v == null ? new GateKernels[] {GateKernels.scalar()}
                : new GateKernels[] {GateKernels.scalar(), v}) {
            for (int[] units : unitRanges) {
                // The pass's units of each gate block summed; the other units must stay as they are.
                float[] preSummed = gates.clone();
                for (int row = 0; row < rows; row++) {
                    for (int block = 0; block < 4; block++) {
                        for (int j = units[0]; j < units[1]; j++) {
                            int i = row * 4 * h + block * h + j;
                            preSummed[i] = gates[i] + sums[sumsOff + i];
                        }
                    }
                }
                float[] g1 = preSummed.clone(), g2 = gates.clone();
                float[] c1 = new float[rows * h], c2 = new float[rows * h];
                float[] h1 = new float[rows * h], h2 = new float[rows * h];
                kernels.lstmForwardUnits(0, rows, h, units[0], units[1], g1, 0, null, 0, cIn, 0, c1, 0, h1, 0, h);
                kernels.lstmForwardUnits(0, rows, h, units[0], units[1], g2, 0, sums, sumsOff, cIn, 0, c2, 0, h2, 0,
                        h);
                String where = kernels.getClass().getSimpleName() + " units " + Arrays.toString(units);
                assertArrayEquals(g1, g2, where);
                assertArrayEquals(c1, c2, where);
                assertArrayEquals(h1, h2, where);
                assertArrayEquals(sumsBefore, sums, where);
            }
        }
    }

    /** h written with a row stride (a batch-first y's step rows) gets the contiguous rows, and nothing between. */
    @ParameterizedTest
    @ValueSource(ints = {1, 13, 32, 37})
    void lstmWritesStridedRowsInPlace(int h) {
        Random r = new Random(h);
        int rows = 3;
        int stride = 2 * h + 5;
        float[] gates = random(r, rows * 4 * h, 4f);
        float[] cIn = random(r, rows * h, 2f);
        float[] contiguous = new float[rows * h];
        GateKernels.scalar().lstmForward(0, rows, h, gates.clone(), 0, null, 0, cIn, 0, new float[rows * h], 0,
                contiguous, 0, h);
        GateKernels v = GateKernels.vector();
        for (GateKernels kernels : v == null ? new GateKernels[] {GateKernels.scalar()}
                : new GateKernels[] {GateKernels.scalar(), v}) {
            float[] strided = new float[1 + rows * stride];
            Arrays.fill(strided, -7f);
            kernels.lstmForward(0, rows, h, gates.clone(), 0, null, 0, cIn, 0, new float[rows * h], 0, strided, 1,
                    stride);
            float[] expected = new float[strided.length];
            Arrays.fill(expected, -7f);
            for (int row = 0; row < rows; row++) {
                System.arraycopy(contiguous, row * h, expected, 1 + row * stride, h);
            }
            assertArrayEquals(expected, strided);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 13, 32, 37})
    void gruMatchesScalarBitForBit(int h) {
        GateKernels v = vectorOrSkip();
        GateKernels s = GateKernels.scalar();
        Random r = new Random(100 + h);
        int rows = 3;
        float[] hp = random(r, rows * 3 * h, 3f);
        float[] hPrev = random(r, rows * h, 1f);
        float[] g1 = gruForwardMatches(s, v, rows, h, random(r, rows * 3 * h, 3f), hp, hPrev);

        float[] dh = random(r, rows * h, 1f);
        float[] dy = random(r, rows * h, 1f);
        float[] dh1 = dh.clone(), dh2 = dh.clone();
        float[] di1 = new float[rows * 3 * h], di2 = new float[rows * 3 * h];
        float[] dd1 = new float[rows * 3 * h], dd2 = new float[rows * 3 * h];
        s.gruBackward(0, rows, h, g1, hp, 0, hPrev, 0, dh1, 0, dy, di1, dd1);
        v.gruBackward(0, rows, h, g1, hp, 0, hPrev, 0, dh2, 0, dy, di2, dd2);
        assertArrayEquals(di1, di2);
        assertArrayEquals(dd1, dd2);
        assertArrayEquals(dh1, dh2);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 13, 32, 37})
    void elmanMatchesScalarBitForBit(int n) {
        GateKernels v = vectorOrSkip();
        GateKernels s = GateKernels.scalar();
        Random r = new Random(200 + n);
        for (boolean relu : new boolean[] {false, true}) {
            float[] a = random(r, n + 5, 3f);
            float[] a1 = a.clone(), a2 = a.clone();
            s.elmanForward(5, n + 5, a1, relu);
            v.elmanForward(5, n + 5, a2, relu);
            assertArrayEquals(a1, a2);
            float[] dh = random(r, n, 1f);
            float[] dy = random(r, n + 5, 1f);
            float[] d1 = new float[n + 5], d2 = new float[n + 5];
            s.elmanBackward(0, n, 5, a1, dh, dy, d1, relu);
            v.elmanBackward(0, n, 5, a1, dh, dy, d2, relu);
            assertArrayEquals(d1, d2);
        }
    }

    /** Values at and past the exp clamp bounds (±88/-87, and half of them for tanh's 2x), zeros, infinities, NaN. */
    private static final float[] EDGES = {0f, -0f, 43.9f, 44f, 44.1f, -43.4f, -43.5f, -43.6f, 87.9f, 88f, 88.1f,
        -86.9f, -87f, -87.1f, 100f, -100f, 1e30f, -1e30f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 0.625f, -0.625f, 0.6249999f};

    private static float[] withEdges(Random r, int n, float scale) {
        float[] a = random(r, n, scale);
        for (int i = 0; i < n; i++) {
            if (r.nextInt(3) == 0) {
                a[i] = EDGES[r.nextInt(EDGES.length)];
            }
        }
        return a;
    }

    /** Catches a vector clamp or blend that differs from Math.min/max or the scalar branches on edge values. */
    @ParameterizedTest
    @ValueSource(ints = {8, 37, 64})
    void gatesMatchScalarBitForBitOnEdgeValues(int h) {
        GateKernels v = vectorOrSkip();
        GateKernels s = GateKernels.scalar();
        Random r = new Random(300 + h);
        int rows = 4;
        lstmForwardMatches(s, v, rows, h, withEdges(r, rows * 4 * h, 50f), withEdges(r, rows * h, 50f));
        gruForwardMatches(s, v, rows, h, withEdges(r, rows * 3 * h, 50f), withEdges(r, rows * 3 * h, 50f),
                withEdges(r, rows * h, 50f));

        float[] e1 = withEdges(r, h + 3, 50f), e2 = e1.clone();
        s.elmanForward(3, h + 3, e1, false);
        v.elmanForward(3, h + 3, e2, false);
        assertArrayEquals(e1, e2);
    }

    /** addTo adds element by element from the given offsets, the vector body and the tail alike. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 8, 9, 37, 64})
    void addToAddsEveryElementOnce(int n) {
        Random r = new Random(400 + n);
        float[] src = random(r, n + 5, 1f);
        float[] dst = random(r, n + 3, 1f);
        float[] expected = dst.clone();
        for (int i = 0; i < n; i++) {
            expected[3 + i] += src[5 + i];
        }
        for (GateKernels kernels : new GateKernels[] {GateKernels.scalar(), GateKernels.preferred()}) {
            float[] actual = dst.clone();
            kernels.addTo(actual, 3, src, 5, n);
            assertArrayEquals(expected, actual);
        }
    }
}
