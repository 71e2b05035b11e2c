package org.lstm4j.workloads;

import java.util.ArrayList;
import java.util.List;
import org.lstm4j.autograd.GradMode;
import org.lstm4j.nn.CrossEntropyLoss;
import org.lstm4j.nn.GRU;
import org.lstm4j.nn.LSTM;
import org.lstm4j.nn.LSTMStream;
import org.lstm4j.nn.Linear;
import org.lstm4j.nn.MSELoss;
import org.lstm4j.nn.RNN;
import org.lstm4j.nn.RNNBase;
import org.lstm4j.nn.RNNOptions;
import org.lstm4j.nn.RecurrentInference;
import org.lstm4j.nn.RecurrentOutput;
import org.lstm4j.nn.RecurrentState;
import org.lstm4j.optim.Adam;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;

/**
 * Builds the model, data and optimizer of a {@link WorkloadSpec} and returns its step. The data is generated
 * once (seeded) and reused by every step: the benchmark measures the model, not a data loader.
 */
public final class WorkloadModels {
    /** Adam's learning rate in training steps; small, so that repeated steps on one batch stay finite. */
    static final double LEARNING_RATE = 1e-3;

    private WorkloadModels() {}

    /** A ready-to-run step of the workload; the weights are drawn from {@code seed}. */
    public static BenchStep create(WorkloadSpec spec, long seed) {
        Generator.manualSeed(seed);
        RNNBase rnn = recurrent(spec);
        Generator data = new Generator(seed + 1);
        return switch (spec.mode()) {
            case TRAIN -> trainStep(spec, rnn, data);
            case INFER -> spec.seq() == 1 ? streamStep(spec, rnn, data) : inferStep(spec, rnn, data);
        };
    }

    private static RNNBase recurrent(WorkloadSpec spec) {
        RNNOptions.Builder<? extends RNNBase> builder = switch (spec.cell()) {
            case LSTM -> LSTM.builder(spec.inputSize(), spec.hiddenSize());
            case GRU -> GRU.builder(spec.inputSize(), spec.hiddenSize());
            case RNN -> RNN.builder(spec.inputSize(), spec.hiddenSize());
        };
        return builder.numLayers(spec.numLayers()).bidirectional(spec.bidirectional()).batchFirst(true).build();
    }

    private static BenchStep trainStep(WorkloadSpec spec, RNNBase rnn, Generator data) {
        int width = spec.hiddenSize() * spec.directions();
        Linear head = new Linear(width, spec.headOut());
        List<Tensor> params = new ArrayList<>(rnn.parameters());
        params.addAll(head.parameters());
        Adam optimizer = new Adam(params, LEARNING_RATE);
        int b = spec.batch();
        int t = spec.seq();

        if (spec.loss() == WorkloadSpec.Loss.MSE) {
            // The sine task: sin(t) in, cos(t) out, state carried (detached) from window to window.
            float[] xs = new float[b * t];
            float[] ys = new float[b * t];
            for (int i = 0; i < xs.length; i++) {
                double time = i * Math.PI / t;
                xs[i] = (float) Math.sin(time);
                ys[i] = (float) Math.cos(time);
            }
            Tensor x = Tensor.of(xs, b, t, spec.inputSize());
            Tensor y = Tensor.of(ys, b, t, spec.headOut());
            MSELoss mse = new MSELoss();
            RecurrentState[] state = {null};
            return () -> {
                RecurrentOutput out = rnn.forward(x, state[0]);
                Tensor loss = mse.forward(head.forward(out.output()), y);
                optimizer.zeroGrad();
                loss.backward();
                optimizer.step();
                state[0] = out.state().detach();
            };
        }

        Tensor x = spec.head() == WorkloadSpec.Head.EVERY_STEP ? oneHot(data, b * t, spec.inputSize(), b, t)
                : Tensor.uniform(-1f, 1f, data, b, t, spec.inputSize());
        int rows = spec.head() == WorkloadSpec.Head.EVERY_STEP ? b * t : b;
        IndexTensor target = randomClasses(data, rows, spec.headOut());
        CrossEntropyLoss crossEntropy = new CrossEntropyLoss();
        boolean everyStep = spec.head() == WorkloadSpec.Head.EVERY_STEP;
        return () -> {
            Tensor output = rnn.forward(x).output(); // (B, T, H·D)
            Tensor features = everyStep ? output.reshape(b * t, width) : output.select(1, t - 1);
            Tensor loss = crossEntropy.forward(head.forward(features), target);
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
        };
    }

    /**
     * A batch of whole sequences per call through the serving API for sequences ({@link RecurrentInference}:
     * weights packed once, as ONNX Runtime packs them at session creation); it computes what
     * {@code rnn.forward(x)} computes in eval mode without grad, bit for bit.
     */
    private static BenchStep inferStep(WorkloadSpec spec, RNNBase rnn, Generator data) {
        Tensor x = Tensor.uniform(-1f, 1f, data, spec.batch(), spec.seq(), spec.inputSize());
        RecurrentInference inference = rnn.inference();
        return () -> inference.forward(x);
    }

    /**
     * One time step per call, the state carried: the latency of online inference, through the serving API
     * ({@link LSTMStream}, weights packed once, as ONNX Runtime packs them at session creation; its
     * {@code step(float[], float[])}, which allocates nothing).
     */
    private static BenchStep streamStep(WorkloadSpec spec, RNNBase rnn, Generator data) {
        rnn.eval();
        Tensor x = Tensor.uniform(-1f, 1f, data, spec.batch(), 1, spec.inputSize());
        if (rnn instanceof LSTM lstm) {
            // The allocation-free form of the serving API (step(Tensor) returns a new tensor each call).
            LSTMStream stream = lstm.stream();
            float[] input = x.data();
            float[] output = new float[lstm.hiddenSize()];
            return () -> stream.step(input, output);
        }
        RecurrentState[] state = {null};
        return () -> {
            try (GradMode.Guard g = GradMode.noGrad()) {
                state[0] = rnn.forward(x, state[0]).state();
            }
        };
    }

    /** Random token ids as one-hot rows, shape (b, t, classes). */
    private static Tensor oneHot(Generator data, int rows, int classes, int b, int t) {
        float[] x = new float[rows * classes];
        for (int r = 0; r < rows; r++) {
            x[r * classes + data.nextInt(classes)] = 1f;
        }
        return Tensor.of(x, b, t, classes);
    }

    private static IndexTensor randomClasses(Generator data, int n, int classes) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = data.nextInt(classes);
        }
        return IndexTensor.of(ids, n);
    }
}
