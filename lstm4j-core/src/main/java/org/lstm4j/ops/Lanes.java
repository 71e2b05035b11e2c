package org.lstm4j.ops;

import org.lstm4j.tensor.Shape;

/**
 * A row-major tensor seen along one dimension: {@code outer · inner} lanes of {@code length} elements each,
 * element {@code l} of lane {@code (o, i)} at {@code (o · length + l) · inner + i}. Ops that work along a
 * dimension (softmax, argmax) loop over lanes with this arithmetic.
 *
 * <p>A 0-d tensor counts as one lane of length 1 along dimension 0 or -1, as PyTorch wraps dimensions of
 * scalars.
 */
record Lanes(int dim, int outer, int length, int inner) {
    static Lanes along(int[] shape, int dim) {
        if (shape.length == 0) {
            Shape.dim(dim, 1); // only 0 and -1 are valid for a scalar
            return new Lanes(0, 1, 1, 1);
        }
        int d = Shape.dim(dim, shape.length);
        int outer = 1;
        for (int i = 0; i < d; i++) {
            outer *= shape[i];
        }
        int inner = 1;
        for (int i = d + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        return new Lanes(d, outer, shape[d], inner);
    }

    int count() {
        return outer * inner;
    }

    /** Flat index of element 0 of lane {@code lane} (lanes numbered {@code o · inner + i}). */
    int start(int lane) {
        return (lane / inner) * length * inner + lane % inner;
    }

    /** Distance between consecutive elements of a lane. */
    int stride() {
        return inner;
    }
}
