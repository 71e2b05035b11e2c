package org.lstm4j.tensor;

import java.util.Arrays;

/** Shape arithmetic on {@code int[]} shapes: sizes, strides, broadcasting, and the error messages for them. */
public final class Shape {
    private Shape() {}

    public static int numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + toString(shape));
            }
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + toString(shape) + " has more than 2^31-1 elements");
        }
        return (int) n;
    }

    /** Row-major strides in elements. */
    public static int[] strides(int[] shape) {
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
        int[] out = requested.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("only one dimension can be -1 in reshape " + toString(requested));
                }
                infer = i;
            } else {
                known *= out[i];
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
