package org.lstm4j.ops;

import java.util.Arrays;
import java.util.List;
import org.lstm4j.autograd.Node;
import org.lstm4j.tensor.Shape;
import org.lstm4j.tensor.Tensor;

/** Reshaping, reordering, slicing and joining. Everything but reshape copies (tensors are always contiguous). */
public final class ShapeOps {
    private ShapeOps() {}

    public static Tensor reshape(Tensor a, int... requested) {
        int[] shape = Shape.inferReshape(requested, a.numel(), a.shape());
        Tensor result = Tensor.of(a.data(), shape);
        if (Node.shouldRecord(a)) {
            new Node("reshape", a) {
                @Override
                protected float[][] backward(float[][] g) {
                    return new float[][] {g[0]};
                }
            }.attach(result);
        }
        return result;
    }

    public static Tensor unsqueeze(Tensor a, int dim) {
        int[] s = a.shape();
        int d = Shape.dim(dim, s.length + 1);
        int[] out = new int[s.length + 1];
        for (int i = 0, j = 0; i < out.length; i++) {
            out[i] = i == d ? 1 : s[j++];
        }
        return reshape(a, out);
    }

    public static Tensor squeeze(Tensor a, int dim) {
        int[] s = a.shape();
        int d = Shape.dim(dim, s.length);
        if (s[d] != 1) {
            return a;
        }
        int[] out = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i != d) {
                out[j++] = s[i];
            }
        }
        return reshape(a, out);
    }

    public static Tensor transpose(Tensor a, int dim0, int dim1) {
        int rank = a.dim();
        int d0 = Shape.dim(dim0, rank);
        int d1 = Shape.dim(dim1, rank);
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[d0] = d1;
        perm[d1] = d0;
        return permute(a, perm);
    }

    public static Tensor permute(Tensor a, int... dims) {
        int[] s = a.shape();
        if (dims.length != s.length) {
            throw new IllegalArgumentException("permute needs " + s.length + " dimensions for shape "
                    + Shape.toString(s) + ", got " + Arrays.toString(dims));
        }
        int[] perm = new int[dims.length];
        boolean[] seen = new boolean[dims.length];
        for (int i = 0; i < dims.length; i++) {
            perm[i] = Shape.dim(dims[i], s.length);
            if (seen[perm[i]]) {
                throw new IllegalArgumentException("repeated dimension in permute " + Arrays.toString(dims));
            }
            seen[perm[i]] = true;
        }
        int[] outShape = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            outShape[i] = s[perm[i]];
        }
        int[] srcIndex = permutedIndex(s, perm);
        float[] x = a.data();
        float[] out = new float[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = x[srcIndex[i]];
        }
        Tensor result = Tensor.of(out, outShape);
        if (Node.shouldRecord(a)) {
            new Node("permute", a) {
                @Override
                protected float[][] backward(float[][] g) {
                    float[] gi = new float[x.length];
                    for (int i = 0; i < gi.length; i++) {
                        gi[srcIndex[i]] = g[0][i];
                    }
                    return new float[][] {gi};
                }
            }.attach(result);
        }
        return result;
    }

    /** For each flat index of the permuted output, the flat index of the source element. */
    private static int[] permutedIndex(int[] srcShape, int[] perm) {
        int[] srcStrides = Shape.strides(srcShape);
        int rank = srcShape.length;
        int[] outShape = new int[rank];
        int[] strides = new int[rank];
        for (int i = 0; i < rank; i++) {
            outShape[i] = srcShape[perm[i]];
            strides[i] = srcStrides[perm[i]];
        }
        int n = Shape.numel(srcShape);
        int[] map = new int[n];
        int[] counter = new int[rank];
        int offset = 0;
        for (int i = 0; i < n; i++) {
            map[i] = offset;
            for (int d = rank - 1; d >= 0; d--) {
                counter[d]++;
                offset += strides[d];
                if (counter[d] < outShape[d]) {
                    break;
                }
                offset -= strides[d] * counter[d];
                counter[d] = 0;
            }
        }
        return map;
    }

    public static Tensor select(Tensor a, int dim, int index) {
        int[] s = a.shape();
        int d = Shape.dim(dim, s.length);
        if (index < 0) {
            index += s[d];
        }
        if (index < 0 || index >= s[d]) {
            throw new IndexOutOfBoundsException("index " + index + " out of range for dimension " + d + " of size " + s[d]);
        }
        Tensor slice = narrow(a, d, index, 1);
        int[] out = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i != d) {
                out[j++] = s[i];
            }
        }
        return reshape(slice, out);
    }

    public static Tensor narrow(Tensor a, int dim, int start, int length) {
        int[] s = a.shape();
        int d = Shape.dim(dim, s.length);
        if (start < 0 || length < 0 || start + length > s[d]) {
            throw new IndexOutOfBoundsException("narrow(" + dim + ", " + start + ", " + length + ") out of range for shape " + Shape.toString(s));
        }
        int outer = 1;
        for (int i = 0; i < d; i++) {
            outer *= s[i];
        }
        int inner = 1;
        for (int i = d + 1; i < s.length; i++) {
            inner *= s[i];
        }
        int srcBlock = s[d] * inner;
        int outBlock = length * inner;
        float[] x = a.data();
        float[] out = new float[outer * outBlock];
        for (int o = 0; o < outer; o++) {
            System.arraycopy(x, o * srcBlock + start * inner, out, o * outBlock, outBlock);
        }
        int[] outShape = s.clone();
        outShape[d] = length;
        Tensor result = Tensor.of(out, outShape);
        if (Node.shouldRecord(a)) {
            final int outerF = outer;
            final int innerF = inner;
            new Node("narrow", a) {
                @Override
                protected float[][] backward(float[][] g) {
                    float[] gi = new float[x.length];
                    for (int o = 0; o < outerF; o++) {
                        System.arraycopy(g[0], o * outBlock, gi, o * srcBlock + start * innerF, outBlock);
                    }
                    return new float[][] {gi};
                }
            }.attach(result);
        }
        return result;
    }

    public static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("cat needs at least one tensor");
        }
        int[] first = tensors.get(0).shape();
        int d = Shape.dim(dim, first.length);
        long total = 0;
        for (Tensor t : tensors) {
            int[] s = t.shape();
            boolean compatible = s.length == first.length;
            for (int i = 0; compatible && i < s.length; i++) {
                compatible = i == d || s[i] == first[i];
            }
            if (!compatible) {
                throw new IllegalArgumentException("cat along dimension " + d + ": shape " + Shape.toString(s)
                        + " does not match " + Shape.toString(first) + " outside that dimension");
            }
            total += s[d];
        }
        int outer = 1;
        for (int i = 0; i < d; i++) {
            outer *= first[i];
        }
        int inner = 1;
        for (int i = d + 1; i < first.length; i++) {
            inner *= first[i];
        }
        if (total > Shape.MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException("cat along dimension " + d + " of " + tensors.size() + " tensors gives "
                    + total + " entries there, more than a Java array can hold (" + Shape.MAX_ARRAY_LENGTH + ")");
        }
        int[] resultShape = first.clone();
        resultShape[d] = (int) total;
        Shape.numel(resultShape); // refuses, naming the shape, a result larger than one array
        int outBlock = (int) total * inner;
        float[] out = new float[outer * outBlock];
        int[] offsets = new int[tensors.size()];
        int at = 0;
        for (int k = 0; k < tensors.size(); k++) {
            offsets[k] = at;
            Tensor t = tensors.get(k);
            int block = t.size(d) * inner;
            for (int o = 0; o < outer; o++) {
                System.arraycopy(t.data(), o * block, out, o * outBlock + at, block);
            }
            at += block;
        }
        int[] outShape = first.clone();
        outShape[d] = (int) total;
        Tensor result = Tensor.of(out, outShape);
        Tensor[] inputs = tensors.toArray(new Tensor[0]);
        if (Node.shouldRecord(inputs)) {
            final int outerF = outer;
            final int innerF = inner;
            new Node("cat", inputs) {
                @Override
                protected float[][] backward(float[][] g) {
                    float[][] gi = new float[inputs.length][];
                    for (int k = 0; k < inputs.length; k++) {
                        if (!needsGrad(k)) {
                            continue;
                        }
                        int block = inputs[k].size(d) * innerF;
                        gi[k] = new float[outerF * block];
                        for (int o = 0; o < outerF; o++) {
                            System.arraycopy(g[0], o * outBlock + offsets[k], gi[k], o * block, block);
                        }
                    }
                    return gi;
                }
            }.attach(result);
        }
        return result;
    }

    public static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("stack needs at least one tensor");
        }
        int[] first = tensors.get(0).shape();
        for (Tensor t : tensors) {
            if (!Arrays.equals(t.shape(), first)) {
                throw new IllegalArgumentException("stack needs equal shapes, got " + Shape.toString(first)
                        + " and " + Shape.toString(t.shape()));
            }
        }
        int d = Shape.dim(dim, first.length + 1);
        Tensor[] expanded = new Tensor[tensors.size()];
        for (int k = 0; k < expanded.length; k++) {
            expanded[k] = unsqueeze(tensors.get(k), d);
        }
        return cat(Arrays.asList(expanded), d);
    }
}
