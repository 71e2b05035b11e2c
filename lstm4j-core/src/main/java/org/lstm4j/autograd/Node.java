package org.lstm4j.autograd;

import org.lstm4j.tensor.Tensor;

/**
 * One recorded operation of the graph: it knows its inputs and maps the gradients of its outputs to the
 * gradients of its inputs. An operation may have several outputs (a recurrent layer returns the output
 * sequence and its final states); the engine hands {@link #backward} one gradient per output, zeros where
 * an output did not reach the loss.
 */
public abstract class Node {
    private final String name;
    private final Tensor[] inputs;
    private int[][] outputShapes = new int[0][];

    protected Node(String name, Tensor... inputs) {
        this.name = name;
        this.inputs = inputs;
    }

    /** True when grad mode is on and one of the tensors requires a gradient: only then is a node worth recording. */
    public static boolean shouldRecord(Tensor... tensors) {
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
