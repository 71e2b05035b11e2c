package org.lstm4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lstm4j.tensor.Tensor;

/**
 * A backward pass frees the graph, as in PyTorch: a second one through it throws with PyTorch's advice, and
 * {@code retainGraph} keeps it for another pass whose gradients add up.
 */
class RetainGraphTest {

    private static Tensor leaf(float... values) {
        return Tensor.of(values).requiresGrad(true);
    }

    @Test
    void aSecondBackwardThroughAFreedGraphThrowsAndChangesNothing() {
        Tensor a = leaf(1f, 2f, 3f);
        Tensor b = leaf(4f, 5f, 6f);
        Tensor loss = a.mul(b).sum();
        loss.backward();
        assertArrayEquals(new float[] {4f, 5f, 6f}, a.grad().data());

        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().startsWith("Trying to backward through the graph a second time"), e.getMessage());
        assertTrue(e.getMessage().contains("retainGraph=true"), e.getMessage());
        assertTrue(e.getMessage().contains("retain_graph=True"), e.getMessage());
        // Refused before anything ran: the gradients are those of the first pass, not doubled.
        assertArrayEquals(new float[] {4f, 5f, 6f}, a.grad().data());
        assertArrayEquals(new float[] {1f, 2f, 3f}, b.grad().data());
    }

    @Test
    void aGraphSharingFreedNodesIsRefusedToo() {
        Tensor a = leaf(1f, 2f);
        Tensor hidden = a.mul(a);
        Tensor first = hidden.sum();
        Tensor second = hidden.mul(3f).sum(); // reaches the freed mul node through hidden
        first.backward();
        assertThrows(IllegalStateException.class, second::backward);
        assertArrayEquals(new float[] {2f, 4f}, a.grad().data());
    }

    @Test
    void retainedGraphBackwardsAgainAndTheGradientsAddUp() {
        Tensor a = leaf(1f, -2f, 0.5f);
        Tensor b = leaf(3f, 0.25f, -1f);
        Tensor loss = a.mul(b).sigmoid().sum();
        loss.backward(true);
        float[] once = a.grad().data().clone();
        float[] onceB = b.grad().data().clone();
        loss.backward(true);
        loss.backward(); // the last pass frees it
        for (int i = 0; i < once.length; i++) {
            assertEquals(3 * once[i], a.grad().data()[i], 1e-6f * Math.abs(once[i]));
            assertEquals(3 * onceB[i], b.grad().data()[i], 1e-6f * Math.abs(onceB[i]));
        }
        assertThrows(IllegalStateException.class, loss::backward);
    }

    @Test
    void backwardWithAGradientTakesRetainGraphToo() {
        Tensor a = leaf(1f, 2f);
        Tensor y = a.mul(a);
        Tensor seed = Tensor.of(new float[] {1f, 10f});
        y.backward(seed, true);
        y.backward(seed, false);
        assertArrayEquals(new float[] {4f, 80f}, a.grad().data());
        assertThrows(IllegalStateException.class, () -> y.backward(seed));
    }

    /** Records when its backward and its release run. */
    private static final class LoggingNode extends Node {
        final List<String> log;
        final String prefix;

        LoggingNode(Tensor input, List<String> log, String prefix) {
            super("logging", input);
            this.log = log;
            this.prefix = prefix;
        }

        @Override
        protected float[][] backward(float[][] gradOutputs) {
            log.add(prefix + "backward");
            return new float[][] {gradOutputs[0].clone()};
        }

        @Override
        protected void releaseSavedState() {
            log.add(prefix + "release");
        }
    }

    /** The identity, recorded as a {@link LoggingNode}. */
    private static Tensor throughLoggingNode(Tensor input, List<String> log, String prefix) {
        Tensor out = Tensor.of(input.data().clone(), input.shape());
        new LoggingNode(input, log, prefix).attach(out);
        return out;
    }

    @Test
    void aNodeReleasesItsSavedStateOnceRightAfterItsLastBackward() {
        List<String> log = new ArrayList<>();
        Tensor a = leaf(1f, 2f);
        Tensor loss = throughLoggingNode(a, log, "").sum();

        loss.backward(true);
        assertEquals(List.of("backward"), log, "a retained graph keeps the saved state");
        assertFalse(loss.gradFn().isReleased());

        loss.backward();
        assertEquals(List.of("backward", "backward", "release"), log);
        assertTrue(loss.gradFn().isReleased());
        assertThrows(IllegalStateException.class, loss::backward);
        assertEquals(3, log.size(), "a refused pass neither runs nor releases anything");
    }

    @Test
    void theReleaseComesBeforeTheNodesBelowItRun() {
        // Memory goes as the pass proceeds, not at its end: the upper node is released before the lower one runs.
        List<String> log = new ArrayList<>();
        Tensor a = leaf(1f);
        Tensor lower = throughLoggingNode(a, log, "lower ");
        Tensor upper = throughLoggingNode(lower, log, "upper ");
        upper.backward(Tensor.of(new float[] {1f}));
        assertEquals(List.of("upper backward", "upper release", "lower backward", "lower release"), log);
        assertArrayEquals(new float[] {1f}, a.grad().data());
    }

    @Test
    void nullArgumentsAreNamed() {
        Tensor a = leaf(1f);
        assertEquals("gradOutput", assertThrows(NullPointerException.class, () -> a.backward(null, false)).getMessage());
        assertEquals("seed", assertThrows(NullPointerException.class, () -> Engine.backward(a, null)).getMessage());
        assertEquals("root", assertThrows(NullPointerException.class, () -> Engine.backward(null, new float[1]))
                .getMessage());
        assertEquals("outputs[1]", assertThrows(NullPointerException.class,
                () -> new LoggingNode(a, new ArrayList<>(), "").attach(Tensor.zeros(1), null)).getMessage());
    }
}
