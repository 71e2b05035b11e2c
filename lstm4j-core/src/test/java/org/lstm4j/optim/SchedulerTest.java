package org.lstm4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lstm4j.tensor.Tensor;

/** Scheduler behaviour that needs no fixtures: closed forms, argument checks, state dict. */
class SchedulerTest {
    @Test
    void stepLRDecaysEveryStepSizeEpochs() {
        SGD sgd = sgd(1.0);
        StepLR s = new StepLR(sgd, 2);
        double[] expected = {1, 1, 0.1, 0.1, 0.01 * 1.0, 0.01};
        for (int e = 0; e < expected.length; e++) {
            if (e > 0) {
                s.step();
            }
            assertEquals(expected[e], sgd.getLr(), 1e-15, "epoch " + e);
            assertEquals(e, s.lastEpoch());
        }
    }

    @Test
    void cosineFollowsTheClosedFormThroughRestarts() {
        SGD sgd = sgd(0.5);
        CosineAnnealingLR s = new CosineAnnealingLR(sgd, 4, 0.01);
        for (int e = 0; e <= 20; e++) {
            if (e > 0) {
                s.step();
            }
            double closed = 0.01 + (0.5 - 0.01) * (1 + Math.cos(Math.PI * e / 4)) / 2;
            assertEquals(closed, s.getLastLr(), 1e-12, "epoch " + e);
        }
    }

    @Test
    void secondSchedulerStartsFromTheInitialLr() {
        SGD sgd = sgd(0.2);
        StepLR first = new StepLR(sgd, 1, 0.5);
        first.step();
        CosineAnnealingLR second = new CosineAnnealingLR(sgd, 10);
        assertEquals(0.2, second.baseLr, 0.0, "PyTorch's initial_lr, not the current lr");
    }

    @Test
    void rejectsNonPositivePeriods() {
        OptimizerTest.assertMessage(() -> new StepLR(sgd(0.1), 0), "stepSize", "0");
        OptimizerTest.assertMessage(() -> new CosineAnnealingLR(sgd(0.1), -1), "tMax", "-1");
    }

    @Test
    void stateDictResumesTheSchedule() {
        SGD a = sgd(0.1);
        CosineAnnealingLR sa = new CosineAnnealingLR(a, 5, 0.001);
        for (int e = 0; e < 3; e++) {
            sa.step();
        }
        Map<String, Tensor> optState = a.stateDict();
        Map<String, Tensor> schedState = sa.stateDict();
        for (int e = 0; e < 6; e++) {
            sa.step();
        }

        SGD b = sgd(0.1);
        b.loadStateDict(optState);
        CosineAnnealingLR sb = new CosineAnnealingLR(b, 5, 0.001);
        sb.loadStateDict(schedState);
        b.loadStateDict(optState); // the constructor's initial step rewrote the lr
        for (int e = 0; e < 6; e++) {
            sb.step();
        }
        assertEquals(sa.lastEpoch(), sb.lastEpoch());
        assertEquals(a.getLr(), b.getLr(), 0.0);
    }

    private static SGD sgd(double lr) {
        return new SGD(List.of(Tensor.zeros(1).requiresGrad(true)), lr);
    }
}
