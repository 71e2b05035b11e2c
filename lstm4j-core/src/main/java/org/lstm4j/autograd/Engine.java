package org.lstm4j.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.lstm4j.tensor.Shape;
import org.lstm4j.tensor.Tensor;

/** Reverse-mode differentiation: walks the graph from a root in reverse topological order. */
public final class Engine {
    private Engine() {}

    /**
     * Accumulates d(root)/d(leaf), scaled by {@code seed}, into every leaf's {@code grad}, and frees the graph
     * (as {@code backward(root, seed, false)}).
     */
    public static void backward(Tensor root, float[] seed) {
        backward(root, seed, false);
    }

    /**
     * Accumulates d(root)/d(leaf), scaled by {@code seed}, into every leaf's {@code grad}.
     *
     * @param retainGraph keep every node's saved state so that the graph can be backwarded again (PyTorch's
     *     {@code retain_graph=True}); when false each node releases it right after its backward has run, and
     *     a later backward through any of these nodes throws
     * @throws IllegalStateException if the graph (or part of it) was already freed by an earlier backward;
     *     nothing is accumulated then
     */
    public static void backward(Tensor root, float[] seed, boolean retainGraph) {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(seed, "seed");
        if (!root.requiresGrad()) {
            throw new IllegalStateException(
                    "backward() on a tensor that does not require grad and has no grad_fn: "
                            + "was it computed under no_grad, or from tensors without requiresGrad?");
        }
        if (seed.length != root.numel()) {
            throw new IllegalArgumentException("gradient of shape with " + seed.length
                    + " elements given for a root of shape " + Shape.toString(root.shape()));
        }
        if (root.gradFn() == null) {
            root.accumulateGrad(seed.clone());
            return;
        }
        List<Node> order = topologicalOrder(root.gradFn());
        // Checked before anything runs, so that a refused pass leaves every gradient as it was.
        for (Node node : order) {
            if (node.isReleased()) {
                throw new IllegalStateException(secondBackwardMessage(node));
            }
        }
        Map<Node, float[][]> pending = new IdentityHashMap<>();
        float[][] rootGrads = new float[root.gradFn().outputShapes().length][];
        rootGrads[root.outputIndex()] = seed.clone();
        pending.put(root.gradFn(), rootGrads);

        for (Node node : order) {
            float[][] gradOutputs = pending.remove(node);
            if (gradOutputs == null) {
                // No gradient reaches it: it will not run in this pass, but the graph is freed all the same.
                if (!retainGraph) {
                    node.release();
                }
                continue;
            }
            int[][] shapes = node.outputShapes();
            for (int i = 0; i < gradOutputs.length; i++) {
                if (gradOutputs[i] == null) {
                    gradOutputs[i] = new float[Shape.numel(shapes[i])];
                }
            }
            float[][] gradInputs = node.backward(gradOutputs);
            // Released as soon as it has run: large saved activations go before the rest of the pass.
            if (!retainGraph) {
                node.release();
            }
            Tensor[] inputs = node.inputs();
            for (int i = 0; i < inputs.length; i++) {
                Tensor in = inputs[i];
                if (in == null || !in.requiresGrad() || gradInputs[i] == null) {
                    continue;
                }
                Node producer = in.gradFn();
                if (producer == null) {
                    in.accumulateGrad(gradInputs[i]);
                } else {
                    float[][] slots = pending.computeIfAbsent(producer, p -> new float[p.outputShapes().length][]);
                    int k = in.outputIndex();
                    if (slots[k] == null) {
                        slots[k] = gradInputs[i];
                    } else {
                        addInto(slots[k], gradInputs[i]);
                    }
                }
            }
        }
    }

    /** PyTorch's message for a backward through freed saved state, with the Java spelling of its advice. */
    private static String secondBackwardMessage(Node node) {
        return "Trying to backward through the graph a second time (or directly access saved tensors after they"
                + " have already been freed): " + node + " already ran in a backward pass that freed the graph."
                + " Saved intermediate values of the graph are freed when you call backward(). Specify"
                + " retainGraph=true (tensor.backward(true), PyTorch's retain_graph=True) if you need to backward"
                + " through the graph a second time.";
    }

    private static void addInto(float[] acc, float[] g) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += g[i];
        }
    }

    /** Nodes ordered so that each node comes before every node that produced one of its inputs. */
    private static List<Node> topologicalOrder(Node root) {
        List<Node> postOrder = new ArrayList<>();
        Set<Node> visited = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        visited.add(root);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Node node = (Node) frame[0];
            int next = (Integer) frame[1];
            Tensor[] inputs = node.inputs();
            boolean descended = false;
            while (next < inputs.length) {
                Tensor in = inputs[next++];
                Node child = in == null ? null : in.gradFn();
                if (child != null && visited.add(child)) {
                    frame[1] = next;
                    stack.push(new Object[] {child, 0});
                    descended = true;
                    break;
                }
            }
            if (!descended) {
                stack.pop();
                postOrder.add(node);
            }
        }
        java.util.Collections.reverse(postOrder);
        return postOrder;
    }
}
