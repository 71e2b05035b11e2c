package org.lstm4j.tensor;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

/** Shape arithmetic on {@code int[]} shapes: sizes, strides, broadcasting, and the error messages for them. */
public final class Shape {
    /**
     * The longest Java array to count on: {@code Integer.MAX_VALUE - 8}, as the JDK's own collections assume
     * (some JVMs reserve header words in an array). A tensor's values are one {@code float[]}, so no tensor or
     * buffer holds more elements than this.
     */
    public static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private Shape() {}

    /**
     * The number of elements of a tensor of this shape.
     *
     * @throws IllegalArgumentException for a negative dimension, or when the product exceeds
     *     {@link #MAX_ARRAY_LENGTH}: checked in long arithmetic (no wrap-around), before anything is allocated
     */
    public static int numel(int[] shape) {
        Objects.requireNonNull(shape, "shape");
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + toString(shape));
            }
        }
        long n = product(shape);
        if (n > MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException("shape " + toString(shape) + " has " + exactProduct(shape)
                    + " elements, more than a tensor can hold: its values are one Java float array, of at most "
                    + MAX_ARRAY_LENGTH + " (Integer.MAX_VALUE - 8) elements");
        }
        return (int) n;
    }

    /**
     * The product of {@code dims} (all non-negative) as the length of one array, for a buffer whose size is the
     * product of several dimensions (a workspace of T·B·4H gate values, say).
     *
     * @param what the buffer, for the message, e.g. "LSTM gate buffer"
     * @param names the dimensions' names, e.g. {"T", "B", "4H"}, one per entry of {@code dims}
     * @param advice what to do instead, ending the message
     * @throws IllegalArgumentException when the product exceeds {@link #MAX_ARRAY_LENGTH}, naming the
     *     dimensions and their values, the element count, the limit and the advice
     */
    public static int arrayLength(String what, String[] names, int[] dims, String advice) {
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(dims, "dims");
        if (names.length != dims.length) {
            throw new IllegalArgumentException(names.length + " names for " + dims.length + " dimensions");
        }
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension " + d + " for " + what);
            }
        }
        long n = product(dims);
        if (n <= MAX_ARRAY_LENGTH) {
            return (int) n;
        }
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            values.append(i > 0 ? "·" : "").append(dims[i]);
        }
        throw new IllegalArgumentException(what + " of " + String.join("·", names) + " = " + values + " = "
                + exactProduct(dims) + " elements is more than a Java array can hold (" + MAX_ARRAY_LENGTH
                + " = Integer.MAX_VALUE - 8): " + advice);
    }

    /**
     * The product of non-negative dimensions, exact up to {@link #MAX_ARRAY_LENGTH} and some value above it
     * beyond that: multiplication stops once past the limit (a zero dimension still gives 0), so nothing wraps.
     */
    private static long product(int[] dims) {
        for (int d : dims) {
            if (d == 0) {
                return 0;
            }
        }
        long n = 1;
        for (int d : dims) {
            n *= d; // at most (2^31 - 9)·(2^31 - 1) < 2^63: no overflow before the check below stops it
            if (n > MAX_ARRAY_LENGTH) {
                return n;
            }
        }
        return n;
    }

    /** The exact product, for messages (it may exceed a long: 65536^4 does). */
    private static BigInteger exactProduct(int[] dims) {
        BigInteger n = BigInteger.ONE;
        for (int d : dims) {
            n = n.multiply(BigInteger.valueOf(d));
        }
        return n;
    }

    /** Row-major strides in elements. */
    public static int[] strides(int[] shape) {
        Objects.requireNonNull(shape, "shape");
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    public static String toString(int[] shape) {
        return Arrays.toString(shape);
    }

    /** Resolves a possibly negative dimension index against a rank, PyTorch style. */
    public static int dim(int dim, int rank) {
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank) {
            throw new IllegalArgumentException(
                    "dimension " + dim + " out of range for a tensor of rank " + rank + " (expected in [" + (-rank) + ", " + (rank - 1) + "])");
        }
        return d;
    }

    /** NumPy/PyTorch broadcast of two shapes, or an error naming both. */
    public static int[] broadcast(int[] a, int[] b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + toString(a) + " and " + toString(b)
                        + " cannot be broadcast: dimension " + i + " is " + da + " vs " + db);
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /**
     * Strides for reading a tensor of shape {@code src} as if it had the (broadcast) shape {@code target}:
     * 0 on broadcast dimensions.
     */
    public static int[] broadcastStrides(int[] src, int[] target) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(target, "target");
        int[] s = strides(src);
        int[] out = new int[target.length];
        int offset = target.length - src.length;
        for (int i = 0; i < target.length; i++) {
            int j = i - offset;
            out[i] = j < 0 || src[j] == 1 ? 0 : s[j];
        }
        return out;
    }

    /** Resolves one {@code -1} in a requested shape against a number of elements. */
    public static int[] inferReshape(int[] requested, int numel, int[] from) {
        Objects.requireNonNull(requested, "requested");
        int[] out = requested.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("only one dimension can be -1 in reshape " + toString(requested));
                }
                infer = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException("invalid shape dimension " + out[i] + " in reshape " + toString(requested));
            } else {
                // Saturated just past any int: a product that large cannot divide numel, and never wraps.
                known = Math.min(known * out[i], (long) Integer.MAX_VALUE + 1);
            }
        }
        if (infer >= 0 && known != 0 && numel % known == 0) {
            out[infer] = (int) (numel / known);
        }
        if (infer >= 0 && out[infer] == -1 || numel(out) != numel) {
            throw new IllegalArgumentException("cannot reshape a tensor of shape " + toString(from) + " (" + numel
                    + " elements) to " + toString(requested));
        }
        return out;
    }
}
