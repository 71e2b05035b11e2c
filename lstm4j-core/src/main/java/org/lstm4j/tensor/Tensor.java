package org.lstm4j.tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.lstm4j.autograd.Engine;
import org.lstm4j.autograd.Node;
import org.lstm4j.ops.ArgMax;
import org.lstm4j.ops.Elementwise;
import org.lstm4j.ops.LinearAlgebra;
import org.lstm4j.ops.Reductions;
import org.lstm4j.ops.ShapeOps;
import org.lstm4j.ops.Softmax;

/**
 * A dense float32 tensor: a shape and a row-major {@code float[]}, always contiguous, plus the autograd
 * fields ({@code requiresGrad}, {@code grad}, the producing {@link Node}). Operations return new tensors
 * and record themselves for {@link #backward()} when grad mode is on and an input requires grad.
 * {@link #reshape} shares storage with its source, like PyTorch's {@code view}.
 */
public final class Tensor {
    private final float[] data;
    private final int[] shape;
    private boolean requiresGrad;
    private Tensor grad;
    private Node gradFn;
    private int outputIndex;

    private Tensor(float[] data, int[] shape) {
        Objects.requireNonNull(data, "data");
        int n = Shape.numel(shape);
        if (n != data.length) {
            throw new IllegalArgumentException(
                    "shape " + Shape.toString(shape) + " needs " + n + " values, got " + data.length);
        }
        this.data = data;
        this.shape = shape.clone();
    }

    // ---------------------------------------------------------------- creation

    /** Wraps {@code data} without copying as a 1-D tensor. */
    public static Tensor of(float[] data) {
        Objects.requireNonNull(data, "data");
        return new Tensor(data, new int[] {data.length});
    }

    /** Wraps {@code data} without copying; the shape is taken as given (an empty shape is 0-d). */
    public static Tensor of(float[] data, int... shape) {
        return new Tensor(data, shape);
    }

    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, new int[0]);
    }

    public static Tensor zeros(int... shape) {
        return new Tensor(new float[Shape.numel(shape)], shape);
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        float[] d = new float[Shape.numel(shape)];
        Arrays.fill(d, value);
        return new Tensor(d, shape);
    }

    /** U[low, high) from the given generator. */
    public static Tensor uniform(float low, float high, Generator gen, int... shape) {
        Objects.requireNonNull(gen, "gen");
        float[] d = new float[Shape.numel(shape)];
        gen.fillUniform(d, low, high);
        return new Tensor(d, shape);
    }

    /** U[0, 1) from the default generator. */
    public static Tensor rand(int... shape) {
        return uniform(0f, 1f, Generator.getDefault(), shape);
    }

    /** N(0, 1) from the given generator. */
    public static Tensor randn(Generator gen, int... shape) {
        Objects.requireNonNull(gen, "gen");
        float[] d = new float[Shape.numel(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = gen.normal();
        }
        return new Tensor(d, shape);
    }

    public static Tensor randn(int... shape) {
        return randn(Generator.getDefault(), shape);
    }

    // ---------------------------------------------------------------- storage and shape

    /** The live row-major storage: writes are seen by this tensor (and by views sharing it). */
    public float[] data() {
        return data;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int dim() {
        return shape.length;
    }

    /** Size of dimension {@code d}; negative counts from the end. */
    public int size(int d) {
        return shape[Shape.dim(d, shape.length)];
    }

    public int numel() {
        return data.length;
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (data.length != 1) {
            throw new IllegalStateException("item() needs a tensor with one element, got shape " + Shape.toString(shape));
        }
        return data[0];
    }

    public float get(int... index) {
        return data[flatIndex(index)];
    }

    public void set(float value, int... index) {
        data[flatIndex(index)] = value;
    }

    private int flatIndex(int[] index) {
        Objects.requireNonNull(index, "index");
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index of rank " + index.length + " for a tensor of shape " + Shape.toString(shape));
        }
        int flat = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of bounds for shape " + Shape.toString(shape));
            }
            flat = flat * shape[i] + index[i];
        }
        return flat;
    }

    /** A deep copy with no autograd history. */
    public Tensor copy() {
        return new Tensor(data.clone(), shape);
    }

    // ---------------------------------------------------------------- autograd

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf as needing a gradient; returns this. */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null && !value) {
            throw new IllegalStateException("cannot clear requiresGrad on a non-leaf tensor; use detach()");
        }
        this.requiresGrad = value;
        return this;
    }

    /** The accumulated gradient of a leaf, or null before any backward pass reached it. */
    public Tensor grad() {
        return grad;
    }

    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("grad of shape " + Shape.toString(g.shape) + " for a tensor of shape " + Shape.toString(shape));
        }
        this.grad = g;
    }

    /** The operation that produced this tensor, or null for a leaf. */
    public Node gradFn() {
        return gradFn;
    }

    /** Which output of {@link #gradFn()} this tensor is. */
    public int outputIndex() {
        return outputIndex;
    }

    public boolean isLeaf() {
        return gradFn == null;
    }

    /** Internal: called by {@link Node#attach}. */
    public void attachGradFn(Node node, int index) {
        Objects.requireNonNull(node, "node");
        this.gradFn = node;
        this.outputIndex = index;
        this.requiresGrad = true;
    }

    /** Internal: the engine adds a leaf's gradient here (the array may be adopted). */
    public void accumulateGrad(float[] g) {
        Objects.requireNonNull(g, "g");
        if (grad == null) {
            grad = new Tensor(g, shape);
        } else {
            float[] acc = grad.data;
            for (int i = 0; i < acc.length; i++) {
                acc[i] += g[i];
            }
        }
    }

    /**
     * Backpropagates from a one-element tensor (a loss) and frees the graph: a second backward through it
     * throws (use {@link #backward(boolean)} to keep it).
     */
    public void backward() {
        backward(false);
    }

    /**
     * Backpropagates from a one-element tensor (a loss), as PyTorch's {@code loss.backward(retain_graph=...)}.
     *
     * @param retainGraph keep the graph's saved state so that it can be backwarded again (the gradients then
     *     add up); false frees it as the pass goes
     * @throws IllegalStateException if this tensor has more than one element, does not require grad, or its
     *     graph was freed by an earlier backward
     */
    public void backward(boolean retainGraph) {
        if (data.length != 1) {
            throw new IllegalStateException("backward() without a gradient needs a one-element tensor, got shape "
                    + Shape.toString(shape) + "; pass the gradient of the output");
        }
        Engine.backward(this, new float[] {1f}, retainGraph);
    }

    /** Backpropagates with d(loss)/d(this) = {@code gradOutput} and frees the graph. */
    public void backward(Tensor gradOutput) {
        backward(gradOutput, false);
    }

    /**
     * Backpropagates with d(loss)/d(this) = {@code gradOutput}, keeping the graph when {@code retainGraph}
     * (PyTorch's {@code t.backward(gradient, retain_graph=...)}).
     */
    public void backward(Tensor gradOutput, boolean retainGraph) {
        Objects.requireNonNull(gradOutput, "gradOutput");
        if (!Arrays.equals(gradOutput.shape, shape)) {
            throw new IllegalArgumentException("gradient of shape " + Shape.toString(gradOutput.shape)
                    + " for an output of shape " + Shape.toString(shape));
        }
        Engine.backward(this, gradOutput.data, retainGraph);
    }

    /** Same storage, cut from the graph: a leaf that does not require grad. */
    public Tensor detach() {
        return new Tensor(data, shape);
    }

    // ---------------------------------------------------------------- elementwise

    public Tensor add(Tensor other) {
        Objects.requireNonNull(other, "other");
        return Elementwise.add(this, other);
    }

    public Tensor sub(Tensor other) {
        Objects.requireNonNull(other, "other");
        return Elementwise.sub(this, other);
    }

    public Tensor mul(Tensor other) {
        Objects.requireNonNull(other, "other");
        return Elementwise.mul(this, other);
    }

    public Tensor div(Tensor other) {
        Objects.requireNonNull(other, "other");
        return Elementwise.div(this, other);
    }

    public Tensor add(float value) {
        return Elementwise.addScalar(this, value);
    }

    public Tensor mul(float value) {
        return Elementwise.mulScalar(this, value);
    }

    public Tensor neg() {
        return Elementwise.mulScalar(this, -1f);
    }

    public Tensor pow(float exponent) {
        return Elementwise.pow(this, exponent);
    }

    public Tensor sigmoid() {
        return Elementwise.sigmoid(this);
    }

    public Tensor tanh() {
        return Elementwise.tanh(this);
    }

    public Tensor relu() {
        return Elementwise.relu(this);
    }

    public Tensor exp() {
        return Elementwise.exp(this);
    }

    public Tensor log() {
        return Elementwise.log(this);
    }

    // ---------------------------------------------------------------- reductions

    public Tensor sum() {
        return Reductions.sum(this);
    }

    public Tensor mean() {
        return Reductions.mean(this);
    }

    public Tensor sum(int dim, boolean keepDim) {
        return Reductions.sum(this, dim, keepDim);
    }

    public Tensor mean(int dim, boolean keepDim) {
        return Reductions.mean(this, dim, keepDim);
    }

    /**
     * The index of the largest element of the flattened tensor, 0-d ({@code torch.argmax(t)}). Ties give the
     * first index; NaN counts as the largest value (the first NaN's index is returned).
     */
    public IndexTensor argmax() {
        return ArgMax.argmax(this);
    }

    /**
     * Indices of the largest values along {@code dim} (negative counts from the end), that dimension removed
     * ({@code torch.argmax(t, dim)}); same tie and NaN rules as {@link #argmax()}.
     */
    public IndexTensor argmax(int dim) {
        return ArgMax.argmax(this, dim, false);
    }

    /** {@link #argmax(int)}, keeping {@code dim} with size 1 when {@code keepDim} ({@code torch.argmax(t, dim, keepdim)}). */
    public IndexTensor argmax(int dim, boolean keepDim) {
        return ArgMax.argmax(this, dim, keepDim);
    }

    // ---------------------------------------------------------------- softmax

    /**
     * {@code torch.softmax(t, dim)}: along {@code dim} (negative counts from the end), exponentials normalised
     * to sum to 1; stable for large values (the maximum is subtracted first). Differentiable.
     */
    public Tensor softmax(int dim) {
        return Softmax.softmax(this, dim);
    }

    /**
     * {@code torch.log_softmax(t, dim)}: {@code x − max − log Σ exp(x − max)} along {@code dim}, more accurate
     * than {@code softmax(dim).log()} for very negative log-probabilities. Differentiable.
     */
    public Tensor logSoftmax(int dim) {
        return Softmax.logSoftmax(this, dim);
    }

    // ---------------------------------------------------------------- linear algebra

    /** Matrix product: 2-D × 2-D, or N-D × 2-D over the last dimension. */
    public Tensor matmul(Tensor other) {
        Objects.requireNonNull(other, "other");
        return LinearAlgebra.matmul(this, other);
    }

    // ---------------------------------------------------------------- shape

    /** Same storage, new shape; one dimension may be -1. */
    public Tensor reshape(int... newShape) {
        Objects.requireNonNull(newShape, "newShape");
        return ShapeOps.reshape(this, newShape);
    }

    public Tensor view(int... newShape) {
        Objects.requireNonNull(newShape, "newShape");
        return reshape(newShape);
    }

    public Tensor transpose(int dim0, int dim1) {
        return ShapeOps.transpose(this, dim0, dim1);
    }

    public Tensor permute(int... dims) {
        Objects.requireNonNull(dims, "dims");
        return ShapeOps.permute(this, dims);
    }

    public Tensor unsqueeze(int dim) {
        return ShapeOps.unsqueeze(this, dim);
    }

    public Tensor squeeze(int dim) {
        return ShapeOps.squeeze(this, dim);
    }

    /** The slice at {@code index} along {@code dim}, that dimension removed. */
    public Tensor select(int dim, int index) {
        return ShapeOps.select(this, dim, index);
    }

    /** {@code length} entries from {@code start} along {@code dim}. */
    public Tensor narrow(int dim, int start, int length) {
        return ShapeOps.narrow(this, dim, start, length);
    }

    public static Tensor cat(List<Tensor> tensors, int dim) {
        requireNoNulls(tensors);
        return ShapeOps.cat(tensors, dim);
    }

    public static Tensor stack(List<Tensor> tensors, int dim) {
        requireNoNulls(tensors);
        return ShapeOps.stack(tensors, dim);
    }

    /** The list and each of its tensors non-null, else an NPE naming the first null ("tensors[2]"). */
    private static void requireNoNulls(List<Tensor> tensors) {
        Objects.requireNonNull(tensors, "tensors");
        for (int i = 0; i < tensors.size(); i++) {
            if (tensors.get(i) == null) {
                throw new NullPointerException("tensors[" + i + "]");
            }
        }
    }

    // ---------------------------------------------------------------- misc

    public boolean allClose(Tensor other, float atol, float rtol) {
        Objects.requireNonNull(other, "other");
        if (!Arrays.equals(shape, other.shape)) {
            return false;
        }
        for (int i = 0; i < data.length; i++) {
            if (!(Math.abs(data[i] - other.data[i]) <= atol + rtol * Math.abs(other.data[i]))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("tensor(shape=").append(Shape.toString(shape));
        sb.append(", data=[");
        int n = Math.min(data.length, 8);
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? ", " : "").append(data[i]);
        }
        if (data.length > n) {
            sb.append(", ...");
        }
        sb.append(']');
        if (gradFn != null) {
            sb.append(", grad_fn=").append(gradFn);
        } else if (requiresGrad) {
            sb.append(", requires_grad=true");
        }
        return sb.append(')').toString();
    }
}
