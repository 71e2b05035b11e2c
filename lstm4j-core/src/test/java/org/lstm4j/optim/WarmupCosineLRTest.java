package org.lstm4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lstm4j.tensor.Tensor;

class WarmupCosineLRTest {
    private static SGD sgd(double lr) {
        return new SGD(List.of(Tensor.zeros(1).requiresGrad(true)), lr);
    }

    /** lr at step t of a warm-up of 10 steps to 0.1, then cosine down to 0.001 at step 110. */
    private static double closedForm(int t) {
        if (t < 10) {
            return 0.1 * t / 10;
        }
        double progress = Math.min(1.0, (t - 10) / 100.0);
        return 0.001 + (0.1 - 0.001) * (1 + Math.cos(Math.PI * progress)) / 2;
    }

    @Test
    void landmarksOfTheSchedule() {
        SGD sgd = sgd(0.1);
        WarmupCosineLR s = new WarmupCosineLR(sgd, 10, 110, 0.001);
        assertEquals(10, s.warmupSteps());
        assertEquals(110, s.totalSteps());
        double[] lr = new double[201];
        lr[0] = sgd.getLr();
        for (int t = 1; t <= 200; t++) {
            s.step();
            assertEquals(t, s.lastEpoch());
            assertEquals(sgd.getLr(), s.getLastLr(), 0.0);
            lr[t] = sgd.getLr();
        }
        assertEquals(0.0, lr[0], 0.0, "the warm-up starts from 0");
        assertEquals(0.01, lr[1], 1e-15);
        assertEquals(0.04, lr[4], 1e-15);
        assertEquals(0.09, lr[9], 1e-15);
        assertEquals(0.1, lr[10], 1e-15, "the peak is the optimizer's lr");
        assertEquals(0.001 + 0.099 * (1 + Math.sqrt(0.5)) / 2, lr[35], 1e-15, "a quarter of the way down");
        assertEquals(0.0505, lr[60], 1e-15, "half-way: the mean of peak and floor");
        assertEquals(0.001, lr[110], 1e-15, "the end: etaMin");
        assertEquals(0.001, lr[111], 0.0, "past the end it stays at etaMin (no restart)");
        assertEquals(0.001, lr[200], 0.0);
        for (int t = 0; t <= 200; t++) {
            assertEquals(closedForm(t), lr[t], 1e-15, "step " + t);
            if (t > 0 && t <= 10) {
                assertTrue(lr[t] > lr[t - 1], "rises during the warm-up at " + t);
            } else if (t > 10 && t <= 110) {
                assertTrue(lr[t] < lr[t - 1], "falls after the peak at " + t);
            }
        }
    }

    @Test
    void noWarmUpStartsAtThePeak() {
        SGD sgd = sgd(0.5);
        WarmupCosineLR s = new WarmupCosineLR(sgd, 0, 4, 0.0);
        double[] expected = {0.5, 0.5 * (1 + Math.cos(Math.PI / 4)) / 2, 0.25, 0.5 * (1 + Math.cos(3 * Math.PI / 4)) / 2, 0.0};
        for (int t = 0; t < expected.length; t++) {
            if (t > 0) {
                s.step();
            }
            assertEquals(expected[t], sgd.getLr(), 1e-15, "step " + t);
        }
    }

    @Test
    void stateDictResumesTheSameSequence() {
        SGD a = sgd(0.1);
        WarmupCosineLR sa = new WarmupCosineLR(a, 10, 110, 0.001);
        for (int t = 0; t < 7; t++) { // inside the warm-up
            sa.step();
        }
        Map<String, Tensor> optimizerState = a.stateDict();
        Map<String, Tensor> schedulerState = sa.stateDict();
        double lrAtSave = a.getLr();

        // A new process: optimizer and scheduler rebuilt (the constructor sets the step-0 lr), then restored in
        // the Trainer's order.
        SGD b = sgd(0.1);
        WarmupCosineLR sb = new WarmupCosineLR(b, 10, 110, 0.001);
        assertEquals(0.0, b.getLr(), 0.0);
        b.loadStateDict(optimizerState);
        sb.loadStateDict(schedulerState);
        assertEquals(lrAtSave, b.getLr(), 0.0);
        assertEquals(7, sb.lastEpoch());
        assertEquals(sa.getLastLr(), sb.getLastLr(), 0.0);
        for (int t = 8; t <= 130; t++) {
            sa.step();
            sb.step();
            assertEquals(a.getLr(), b.getLr(), 0.0, "step " + t);
            assertEquals(closedForm(t), b.getLr(), 1e-15, "step " + t);
        }
    }

    @Test
    void badArgumentsAreRefused() {
        OptimizerTest.assertMessage(() -> new WarmupCosineLR(sgd(0.1), -1, 10, 0), "warmupSteps=-1");
        OptimizerTest.assertMessage(() -> new WarmupCosineLR(sgd(0.1), 10, 10, 0), "warmupSteps=10", "totalSteps=10");
        OptimizerTest.assertMessage(() -> new WarmupCosineLR(sgd(0.1), 5, 3, 0), "0 <= warmupSteps < totalSteps");
        OptimizerTest.assertMessage(() -> new WarmupCosineLR(sgd(0.1), 0, 10, 0.2), "etaMin", "0.1", "0.2");
        OptimizerTest.assertMessage(() -> new WarmupCosineLR(sgd(0.1), 0, 10, -1e-3), "etaMin", "-0.001");
        OptimizerTest.assertMessage(() -> new WarmupCosineLR(sgd(0.1), 0, 10, Double.NaN), "etaMin", "NaN");
        // The floor may equal the peak: a constant schedule after the warm-up.
        WarmupCosineLR flat = new WarmupCosineLR(sgd(0.1), 2, 10, 0.1);
        for (int t = 0; t < 5; t++) {
            flat.step();
        }
        assertEquals(0.1, flat.getLastLr(), 0.0);
    }
}
