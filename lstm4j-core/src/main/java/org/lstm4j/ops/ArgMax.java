package org.lstm4j.ops;

import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Shape;
import org.lstm4j.tensor.Tensor;

/**
 * {@code torch.argmax}: the index of the largest value, over all elements or along one dimension. Not
 * differentiable (the result is an {@link IndexTensor}).
 *
 * <p>PyTorch's rules: among equal maxima the first index wins, and NaN counts as larger than everything, so
 * the index of the first NaN is returned when there is one. A lane of only −∞ gives 0.
 */
public final class ArgMax {
    private ArgMax() {}

    /** Index into the flattened tensor, as a 0-d IndexTensor ({@code torch.argmax(input)}). */
    public static IndexTensor argmax(Tensor input) {
        if (input.numel() == 0) {
            throw new IllegalArgumentException("argmax() of an empty tensor of shape " + Shape.toString(input.shape())
                    + ": there is no maximum; give a dimension of non-zero size");
        }
        return IndexTensor.of(new int[] {argmaxLane(input.data(), 0, 1, input.numel())}, new int[0]);
    }

    /**
     * Indices along {@code dim} (negative counts from the end), {@code torch.argmax(input, dim, keepdim)}: the
     * input's shape with {@code dim} removed, or kept with size 1.
     *
     * @throws IllegalArgumentException if {@code dim} is out of range or has size 0
     */
    public static IndexTensor argmax(Tensor input, int dim, boolean keepDim) {
        int[] shape = input.shape();
        Lanes lanes = Lanes.along(shape, dim);
        if (lanes.length() == 0) {
            throw new IllegalArgumentException("argmax(): dimension " + dim + " of shape " + Shape.toString(shape)
                    + " has size 0, so it has no maximum");
        }
        float[] x = input.data();
        int[] out = new int[lanes.count()];
        for (int lane = 0; lane < out.length; lane++) {
            out[lane] = argmaxLane(x, lanes.start(lane), lanes.stride(), lanes.length());
        }
        return IndexTensor.of(out, reducedShape(shape, lanes.dim(), keepDim));
    }

    /** The first maximal position (or first NaN) among {@code length} values from {@code start} by {@code stride}. */
    private static int argmaxLane(float[] x, int start, int stride, int length) {
        int best = 0;
        float bestValue = x[start];
        if (Float.isNaN(bestValue)) {
            return 0;
        }
        for (int l = 1, i = start + stride; l < length; l++, i += stride) {
            float v = x[i];
            if (Float.isNaN(v)) {
                return l;
            }
            if (v > bestValue) { // strictly greater: ties keep the first index
                best = l;
                bestValue = v;
            }
        }
        return best;
    }

    private static int[] reducedShape(int[] shape, int d, boolean keepDim) {
        if (shape.length == 0) {
            return shape;
        }
        if (keepDim) {
            int[] out = shape.clone();
            out[d] = 1;
            return out;
        }
        int[] out = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != d) {
                out[j++] = shape[i];
            }
        }
        return out;
    }
}
