package org.lstm4j.tensor;

/**
 * Integer tensor for class indices and token ids (PyTorch's {@code LongTensor} role); never differentiated.
 */
public final class IndexTensor {
    private final int[] data;
    private final int[] shape;

    private IndexTensor(int[] data, int[] shape) {
        if (Shape.numel(shape) != data.length) {
            throw new IllegalArgumentException("shape " + Shape.toString(shape) + " needs " + Shape.numel(shape)
                    + " indices, got " + data.length);
        }
        this.data = data;
        this.shape = shape.clone();
    }

    /** Wraps {@code data} (not copied) as a 1-D tensor. */
    public static IndexTensor of(int[] data) {
        return new IndexTensor(data, new int[] {data.length});
    }

    /** Wraps {@code data} (not copied); the shape is taken as given (an empty shape is 0-d, one index). */
    public static IndexTensor of(int[] data, int... shape) {
        return new IndexTensor(data, shape);
    }

    public int[] data() {
        return data;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int dim() {
        return shape.length;
    }

    public int numel() {
        return data.length;
    }

    @Override
    public String toString() {
        return "IndexTensor" + Shape.toString(shape);
    }
}
