package org.lstm4j.cli.sine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.lstm4j.train.NonFiniteLossException;
import org.lstm4j.cli.train.StepListener;
import org.lstm4j.nn.Linear;
import org.lstm4j.nn.MSELoss;
import org.lstm4j.nn.RNNBase;
import org.lstm4j.nn.RecurrentOutput;
import org.lstm4j.nn.RecurrentState;
import org.lstm4j.optim.Adam;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/**
 * The classic PyTorch tutorial task: a recurrent layer reads sin(t) and a linear head predicts cos(t).
 *
 * <p>Step k trains on the window t_j = kπ + jπ/20, j = 0..19 (shape (20, 1, 1): sequence, batch,
 * feature), carrying the recurrent state, detached, from one window to the next — truncated
 * backpropagation through time over a continuous signal. Pure logic: no printing, no files.
 */
public final class SineTask {
    /** Points per window: π is split into this many steps, the endpoint excluded. */
    public static final int WINDOW = 20;

    private SineTask() {}

    /**
     * Trains a fresh model and returns the loss curve and the last window's prediction.
     *
     * @throws NonFiniteLossException as soon as a step's loss is NaN or infinite
     */
    public static SineResult train(SineConfig config, StepListener listener) {
        // Seed first: layer construction draws its initial weights from the default generator.
        Generator.manualSeed(config.seed());
        RNNBase rnn = config.cellType().create(1, config.hidden());
        Linear head = new Linear(config.hidden(), 1);
        List<Tensor> params = new ArrayList<>(rnn.parameters());
        params.addAll(head.parameters());
        Adam optimizer = new Adam(params, config.lr());
        MSELoss mse = new MSELoss();

        int steps = config.steps();
        float[] losses = new float[steps];
        float[] t = null;
        float[] target = null;
        float[] prediction = null;
        RecurrentState state = null; // zeros on the first window
        for (int k = 0; k < steps; k++) {
            double[] window = window(k);
            t = map(window, v -> v);
            Tensor x = Tensor.of(map(window, Math::sin), WINDOW, 1, 1);
            Tensor y = Tensor.of(map(window, Math::cos), WINDOW, 1, 1);

            RecurrentOutput out = rnn.forward(x, state);
            Tensor pred = head.forward(out.output());
            Tensor loss = mse.forward(pred, y);
            float lossValue = loss.item();
            if (!Float.isFinite(lossValue)) {
                throw new NonFiniteLossException(k + 1, lossValue, config.lr());
            }
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            // Carry the state but cut the graph: the next window must not backpropagate into this one.
            state = out.state().detach();

            losses[k] = lossValue;
            target = y.data();
            prediction = pred.data().clone();
            listener.onStep(k + 1, steps, lossValue);
        }
        return new SineResult(losses, t, target, prediction, losses[steps - 1]);
    }

    /**
     * t_j = kπ + jπ/20 for j = 0..19, like {@code np.linspace(kπ, (k+1)π, 20, endpoint=False)}: kept in
     * double (sin and cos too, as NumPy does) and rounded to float only for the tensors.
     */
    static double[] window(int k) {
        double[] t = new double[WINDOW];
        double start = k * Math.PI;
        double step = Math.PI / WINDOW;
        for (int j = 0; j < WINDOW; j++) {
            t[j] = start + j * step;
        }
        return t;
    }

    private static float[] map(double[] t, DoubleUnaryOperator f) {
        float[] out = new float[t.length];
        for (int j = 0; j < t.length; j++) {
            out[j] = (float) f.applyAsDouble(t[j]);
        }
        return out;
    }
}
