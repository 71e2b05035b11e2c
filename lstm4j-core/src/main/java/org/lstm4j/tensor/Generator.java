package org.lstm4j.tensor;

/**
 * Seeded pseudo-random source (xoshiro128** seeded through SplitMix64): the same seed gives the same
 * stream on every JVM and platform. A process-wide default, like PyTorch's, serves layer initialisation
 * and dropout; {@link #manualSeed(long)} reseeds it. {@link #getState()} and {@link #setState} save and
 * restore the exact position in the stream (PyTorch's {@code get_state}/{@code set_state}), for exact resume.
 */
public final class Generator {
    private static final Generator DEFAULT = new Generator(0x5EEDL);

    private int s0, s1, s2, s3;
    private boolean hasSpareNormal;
    private float spareNormal;

    public Generator(long seed) {
        setSeed(seed);
    }

    /**
     * A generator's complete position: the four xoshiro words and the cached second normal of Box–Muller.
     * Restoring it with {@link #setState} continues the stream exactly where it was read.
     */
    public record State(int s0, int s1, int s2, int s3, boolean hasSpareNormal, float spareNormal) {
        public State {
            if ((s0 | s1 | s2 | s3) == 0) {
                throw new IllegalArgumentException("generator state words are all zero, which xoshiro128** never reaches");
            }
        }

        /** The six words {@code [s0, s1, s2, s3, hasSpareNormal ? 1 : 0, floatToIntBits(spareNormal)]}. */
        public int[] toInts() {
            return new int[] {s0, s1, s2, s3, hasSpareNormal ? 1 : 0, Float.floatToRawIntBits(spareNormal)};
        }

        /** The inverse of {@link #toInts()}; {@code what} names the source in errors. */
        public static State fromInts(int[] words, String what) {
            if (words == null || words.length != 6) {
                throw new IllegalArgumentException(what + ": a generator state is 6 integers, got "
                        + (words == null ? "none" : words.length));
            }
            if (words[4] != 0 && words[4] != 1) {
                throw new IllegalArgumentException(what + ": generator state word 4 (has spare normal) must be 0 or 1, got " + words[4]);
            }
            if ((words[0] | words[1] | words[2] | words[3]) == 0) {
                throw new IllegalArgumentException(what + ": generator state words 0-3 are all zero, which xoshiro128** never reaches");
            }
            return new State(words[0], words[1], words[2], words[3], words[4] == 1, Float.intBitsToFloat(words[5]));
        }
    }

    /** The current position in the stream. */
    public synchronized State getState() {
        return new State(s0, s1, s2, s3, hasSpareNormal, spareNormal);
    }

    /** Moves to a position read by {@link #getState()}: the following draws repeat the ones after it. */
    public synchronized void setState(State state) {
        java.util.Objects.requireNonNull(state, "state");
        s0 = state.s0();
        s1 = state.s1();
        s2 = state.s2();
        s3 = state.s3();
        hasSpareNormal = state.hasSpareNormal();
        spareNormal = state.spareNormal();
    }

    /** The process-wide generator used where none is given. */
    public static Generator getDefault() {
        return DEFAULT;
    }

    /** Reseeds the default generator: {@code torch.manual_seed}. */
    public static void manualSeed(long seed) {
        DEFAULT.setSeed(seed);
    }

    public synchronized void setSeed(long seed) {
        long z = seed;
        long a = splitMix(z += 0x9E3779B97F4A7C15L);
        long b = splitMix(z + 0x9E3779B97F4A7C15L);
        s0 = (int) a;
        s1 = (int) (a >>> 32);
        s2 = (int) b;
        s3 = (int) (b >>> 32);
        if ((s0 | s1 | s2 | s3) == 0) {
            s0 = 1;
        }
        hasSpareNormal = false;
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public synchronized int nextInt() {
        int result = Integer.rotateLeft(s1 * 5, 7) * 9;
        int t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Integer.rotateLeft(s3, 11);
        return result;
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        return (int) (((nextInt() & 0xFFFFFFFFL) * bound) >>> 32);
    }

    /** Uniform float in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextInt() >>> 8) * 0x1.0p-24f;
    }

    /** Uniform float in [low, high). */
    public float uniform(float low, float high) {
        return low + (high - low) * nextFloat();
    }

    /** Standard normal (Box–Muller). */
    public synchronized float normal() {
        if (hasSpareNormal) {
            hasSpareNormal = false;
            return spareNormal;
        }
        double u1 = (nextFloat() + 0x1.0p-25f);
        double u2 = nextFloat();
        double r = Math.sqrt(-2.0 * Math.log(u1));
        spareNormal = (float) (r * Math.sin(2 * Math.PI * u2));
        hasSpareNormal = true;
        return (float) (r * Math.cos(2 * Math.PI * u2));
    }

    /**
     * Fills {@code out} with what {@code out.length} calls of {@link #nextFloat()} return, in order, under one
     * lock and with the state in locals (a dropout mask of millions of elements: one synchronized call each
     * cost more than the layer's matrix products).
     */
    public synchronized void fillFloats(float[] out) {
        int a = s0;
        int b = s1;
        int c = s2;
        int d = s3;
        for (int i = 0; i < out.length; i++) {
            int result = Integer.rotateLeft(b * 5, 7) * 9;
            int t = b << 9;
            c ^= a;
            d ^= b;
            b ^= c;
            a ^= d;
            c ^= t;
            d = Integer.rotateLeft(d, 11);
            out[i] = (result >>> 8) * 0x1.0p-24f;
        }
        s0 = a;
        s1 = b;
        s2 = c;
        s3 = d;
    }

    /** Fills {@code out} with U[low, high). */
    public void fillUniform(float[] out, float low, float high) {
        for (int i = 0; i < out.length; i++) {
            out[i] = uniform(low, high);
        }
    }
}
