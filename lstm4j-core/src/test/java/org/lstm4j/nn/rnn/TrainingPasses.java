package org.lstm4j.nn.rnn;

import java.util.ArrayList;
import java.util.List;
import org.lstm4j.nn.RNNBase;
import org.lstm4j.nn.RecurrentOutput;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/** Inputs and one forward/backward of a recurrent model, for tests that compare two kernel paths bit for bit. */
final class TrainingPasses {
    private TrainingPasses() {}

    /** (steps, batch, classes) rows of a single 1 among zeros, at columns drawn from {@code g}. */
    static Tensor oneHot(Generator g, int steps, int batch, int classes) {
        float[] x = new float[steps * batch * classes];
        for (int r = 0; r < steps * batch; r++) {
            x[r * classes + (int) (g.nextFloat() * classes)] = 1f;
        }
        return Tensor.of(x, steps, batch, classes);
    }

    /**
     * Output, h_n, x's gradient when x requires one, and every parameter gradient of one forward/backward of
     * {@code model} on x, with a loss that weights every output differently.
     */
    static List<float[]> outputsAndGradients(RNNBase model, Tensor x) {
        RecurrentOutput out = model.forward(x);
        Tensor weights = Tensor.randn(new Generator(7), out.output().shape());
        out.output().mul(weights).sum().add(out.hN().sum()).backward();
        List<float[]> result = new ArrayList<>();
        result.add(out.output().data().clone());
        result.add(out.hN().data().clone());
        if (x.grad() != null) {
            result.add(x.grad().data().clone());
        }
        for (Tensor p : model.parameters()) {
            result.add(p.grad().data().clone());
        }
        return result;
    }
}
