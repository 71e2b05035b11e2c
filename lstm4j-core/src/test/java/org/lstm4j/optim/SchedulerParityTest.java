package org.lstm4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.lstm4j.io.SafeTensorsFile;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.testing.Fixtures;

/**
 * {@code fixtures/optim/schedulers.safetensors}: PyTorch's lr after construction and after each of 12
 * scheduler steps, as float32 tensors and as exact doubles in the metadata.
 */
class SchedulerParityTest {
    private final SafeTensorsFile f = Fixtures.load(Fixtures.path("optim/schedulers.safetensors"));

    @Test
    void stepLR() {
        int stepSize = Integer.parseInt(f.meta("steplr.step_size"));
        double gamma = Double.parseDouble(f.meta("steplr.gamma"));
        check("steplr", o -> new StepLR(o, stepSize, gamma));
    }

    @Test
    void cosineAnnealingLR() {
        int tMax = Integer.parseInt(f.meta("cosine.T_max"));
        double etaMin = Double.parseDouble(f.meta("cosine.eta_min"));
        check("cosine", o -> new CosineAnnealingLR(o, tMax, etaMin));
    }

    private void check(String prefix, Function<Optimizer, LRScheduler> make) {
        double initialLr = Double.parseDouble(f.meta("initial_lr"));
        int epochs = Integer.parseInt(f.meta("epochs"));
        String[] exact = f.meta(prefix + ".lr").split(",");
        Tensor expected = f.get(prefix + ".lr");
        assertEquals(epochs + 1, exact.length);

        Optimizer opt = new SGD(List.of(Tensor.zeros(1).requiresGrad(true)), initialLr);
        LRScheduler scheduler = make.apply(opt);
        float[] actual = new float[epochs + 1];
        for (int e = 0; e <= epochs; e++) {
            if (e > 0) {
                opt.step();
                scheduler.step();
            }
            double lr = opt.getLr();
            assertEquals(lr, scheduler.getLastLr(), 0.0, "getLastLr at epoch " + e);
            // The chainable form reproduces PyTorch's doubles to a few ulps.
            double want = Double.parseDouble(exact[e]);
            assertEquals(want, lr, 1e-14 + 1e-12 * Math.abs(want), prefix + " lr at epoch " + e);
            actual[e] = (float) lr;
        }
        Fixtures.assertClose(prefix + ".lr", expected, Tensor.of(actual, epochs + 1));
    }
}
