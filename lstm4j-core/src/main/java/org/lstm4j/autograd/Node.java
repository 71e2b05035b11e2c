package org.lstm4j.autograd;

import java.util.Objects;
import org.lstm4j.tensor.Tensor;

/**
 * One recorded operation of the graph: it knows its inputs and maps the gradients of its outputs to the
 * gradients of its inputs. An operation may have several outputs (a recurrent layer returns the output
 * sequence and its final states); the engine hands {@link #backward} one gradient per output, zeros where
 * an output did not reach the loss.
 *
 * <p>As in PyTorch, a backward pass frees the graph it ran through: each node {@linkplain #releaseSavedState()
 * releases} what it saved for its backward as soon as that backward has run, and a second backward through it
 * fails, unless the pass was asked to retain the graph ({@link Tensor#backward(boolean)}).
 */
public abstract class Node {
    private final String name;
    private final Tensor[] inputs;
    private int[][] outputShapes = new int[0][];
    /** Set once a backward pass that does not retain the graph has run this node. */
    private boolean released;

    /**
     * @param name the operation, shown as {@code nameBackward}
     * @param inputs the operation's inputs, in the order of {@link #backward}'s result; an entry may be null
     *     (an absent optional input)
     */
    protected Node(String name, Tensor... inputs) {
        this.name = Objects.requireNonNull(name, "name");
        this.inputs = Objects.requireNonNull(inputs, "inputs");
    }

    /** True when grad mode is on and one of the tensors requires a gradient: only then is a node worth recording. */
    public static boolean shouldRecord(Tensor... tensors) {
        Objects.requireNonNull(tensors, "tensors");
        if (!GradMode.isEnabled()) {
            return false;
        }
        for (Tensor t : tensors) {
            if (t != null && t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /** Makes this node the producer of the given outputs (in order) and marks them as requiring grad. */
    public final void attach(Tensor... outputs) {
        Objects.requireNonNull(outputs, "outputs");
        for (int i = 0; i < outputs.length; i++) {
            Objects.requireNonNull(outputs[i], "outputs[" + i + "]");
        }
        outputShapes = new int[outputs.length][];
        for (int i = 0; i < outputs.length; i++) {
            outputShapes[i] = outputs[i].shape();
            outputs[i].attachGradFn(this, i);
        }
    }

    /**
     * Gradients of the inputs given those of the outputs.
     *
     * @param gradOutputs one array per output, same length as that output, never null
     * @return one array per input, of that input's length; null where {@link #needsGrad(int)} is false.
     *     The engine owns the returned arrays and may add into them.
     */
    protected abstract float[][] backward(float[][] gradOutputs);

    /**
     * Lets go of what {@link #backward} needed (saved activations, pooled buffers) once no backward pass will
     * run this node again; called at most once, after this node's last backward. Nodes whose saved state is
     * large or pooled override it; the default keeps nothing to release.
     */
    protected void releaseSavedState() {}

    /** Whether a backward pass that did not retain the graph has run this node (its saved state is gone). */
    public final boolean isReleased() {
        return released;
    }

    /** Called by the engine after this node's backward in a pass that does not retain the graph. */
    final void release() {
        if (!released) {
            released = true;
            releaseSavedState();
        }
    }

    /** Whether input {@code i} wants a gradient. */
    protected final boolean needsGrad(int i) {
        return inputs[i] != null && inputs[i].requiresGrad();
    }

    public final String name() {
        return name;
    }

    final Tensor[] inputs() {
        return inputs;
    }

    final int[][] outputShapes() {
        return outputShapes;
    }

    @Override
    public String toString() {
        return name + "Backward";
    }
}
