package org.lstm4j.bench.profile;

import java.util.ArrayList;
import java.util.List;
import org.lstm4j.autograd.GradMode;
import org.lstm4j.nn.CrossEntropyLoss;
import org.lstm4j.nn.GRU;
import org.lstm4j.nn.LSTM;
import org.lstm4j.nn.Linear;
import org.lstm4j.nn.MSELoss;
import org.lstm4j.nn.RNNBase;
import org.lstm4j.nn.RecurrentOutput;
import org.lstm4j.nn.RecurrentState;
import org.lstm4j.optim.Adam;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;

/**
 * The benchmark workloads of the performance targets, each as a step that can be timed phase by phase
 * (forward, loss, backward, optimizer). Inputs are time-major (T, B, I).
 */
public final class Workloads {
    private Workloads() {}

    /** Phase names of a training step, in order. */
    public static final String[] TRAIN_PHASES = {"forward", "loss", "backward", "optimizer"};

    /** One workload: {@link #step(long[])} runs one step and adds the nanoseconds of each phase. */
    public abstract static class Workload {
        final String name;
        /** Tokens (batch × steps) per call of {@link #step}. */
        final long tokens;

        Workload(String name, long tokens) {
            this.name = name;
            this.tokens = tokens;
        }

        public String name() {
            return name;
        }

        public long tokens() {
            return tokens;
        }

        public abstract String[] phases();

        /** Runs one step; adds each phase's duration to {@code phaseNanos}. */
        public abstract void step(long[] phaseNanos);
    }

    public static List<String> names() {
        return List.of("charlm", "rows", "rows-gru", "rows-bi", "sine", "infer-large", "stream");
    }

    public static Workload create(String name) {
        Generator.manualSeed(0);
        return switch (name) {
            case "charlm" -> charlm();
            case "rows" -> rows(false, false);
            case "rows-gru" -> rows(true, false);
            case "rows-bi" -> rows(false, true);
            case "sine" -> sine();
            case "infer-large" -> inferLarge();
            case "stream" -> stream();
            default -> throw new IllegalArgumentException("unknown workload " + name + "; known: " + names());
        };
    }

    static Tensor randomTensor(Generator gen, int... shape) {
        return Tensor.uniform(-1f, 1f, gen, shape);
    }

    private static Workload charlm() {
        int vocab = 65, hidden = 256, batch = 64, steps = 100;
        LSTM lstm = LSTM.builder(vocab, hidden).numLayers(2).build();
        Linear head = new Linear(hidden, vocab);
        List<Tensor> params = new ArrayList<>(lstm.parameters());
        params.addAll(head.parameters());
        Adam adam = new Adam(params, 2e-3);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        Generator gen = new Generator(1);
        int[] tokens = new int[(steps + 1) * batch];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (int) gen.nextInt(vocab);
        }
        float[] oneHot = new float[steps * batch * vocab];
        for (int i = 0; i < steps * batch; i++) {
            oneHot[i * vocab + tokens[i]] = 1f;
        }
        int[] targets = new int[steps * batch];
        System.arraycopy(tokens, batch, targets, 0, steps * batch);
        Tensor x = Tensor.of(oneHot, steps, batch, vocab);
        IndexTensor y = IndexTensor.of(targets, steps * batch);
        return new TrainWorkload("charlm", (long) batch * steps, adam) {
            @Override
            Tensor forward() {
                RecurrentOutput out = lstm.forward(x);
                return head.forward(out.output().reshape(steps * batch, hidden));
            }

            @Override
            Tensor loss(Tensor prediction) {
                return ce.forward(prediction, y);
            }
        };
    }

    private static Workload rows(boolean gru, boolean bidirectional) {
        int input = 28, hidden = 128, batch = 100, steps = 28, classes = 10;
        RNNBase rnn = gru
                ? GRU.builder(input, hidden).numLayers(2).bidirectional(bidirectional).build()
                : LSTM.builder(input, hidden).numLayers(2).bidirectional(bidirectional).build();
        int features = hidden * (bidirectional ? 2 : 1);
        Linear head = new Linear(features, classes);
        List<Tensor> params = new ArrayList<>(rnn.parameters());
        params.addAll(head.parameters());
        Adam adam = new Adam(params, 1e-3);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        Generator gen = new Generator(2);
        Tensor x = randomTensor(gen, steps, batch, input);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = i % classes;
        }
        IndexTensor y = IndexTensor.of(labels, batch);
        String name = gru ? "rows-gru" : bidirectional ? "rows-bi" : "rows";
        return new TrainWorkload(name, (long) batch * steps, adam) {
            @Override
            Tensor forward() {
                Tensor out = rnn.forward(x).output();
                return head.forward(out.select(0, steps - 1));
            }

            @Override
            Tensor loss(Tensor prediction) {
                return ce.forward(prediction, y);
            }
        };
    }

    private static Workload sine() {
        int steps = 20;
        LSTM lstm = new LSTM(1, 32);
        Linear head = new Linear(32, 1);
        List<Tensor> params = new ArrayList<>(lstm.parameters());
        params.addAll(head.parameters());
        Adam adam = new Adam(params, 1e-2);
        MSELoss mse = new MSELoss();
        float[] in = new float[steps];
        float[] target = new float[steps];
        for (int t = 0; t < steps; t++) {
            in[t] = (float) Math.sin(0.1 * t);
            target[t] = (float) Math.cos(0.1 * t);
        }
        Tensor x = Tensor.of(in, steps, 1, 1);
        Tensor y = Tensor.of(target, steps, 1, 1);
        return new TrainWorkload("sine", steps, adam) {
            private RecurrentState state;

            @Override
            Tensor forward() {
                RecurrentOutput out = lstm.forward(x, state);
                state = out.state().detach();
                return head.forward(out.output());
            }

            @Override
            Tensor loss(Tensor prediction) {
                return mse.forward(prediction, y);
            }
        };
    }

    private static Workload inferLarge() {
        int input = 256, hidden = 512, batch = 32, steps = 200;
        LSTM lstm = new LSTM(input, hidden);
        Tensor x = randomTensor(new Generator(3), steps, batch, input);
        return new Workload("infer-large", (long) batch * steps) {
            @Override
            public String[] phases() {
                return new String[] {"forward"};
            }

            @Override
            public void step(long[] phaseNanos) {
                long t0 = System.nanoTime();
                try (GradMode.Guard g = GradMode.noGrad()) {
                    lstm.forward(x);
                }
                phaseNanos[0] += System.nanoTime() - t0;
            }
        };
    }

    private static Workload stream() {
        int input = 65, hidden = 256;
        LSTM lstm = LSTM.builder(input, hidden).numLayers(2).build();
        Generator gen = new Generator(4);
        Tensor[] xs = new Tensor[64];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = randomTensor(gen, 1, 1, input);
        }
        return new Workload("stream", 1) {
            private RecurrentState state;
            private int next;

            @Override
            public String[] phases() {
                return new String[] {"forward"};
            }

            @Override
            public void step(long[] phaseNanos) {
                long t0 = System.nanoTime();
                try (GradMode.Guard g = GradMode.noGrad()) {
                    RecurrentOutput out = lstm.forward(xs[next++ & 63], state);
                    state = out.state();
                }
                phaseNanos[0] += System.nanoTime() - t0;
            }
        };
    }

    /** forward → loss → backward → Adam step → zero grad. */
    abstract static class TrainWorkload extends Workload {
        private final Adam adam;

        TrainWorkload(String name, long tokens, Adam adam) {
            super(name, tokens);
            this.adam = adam;
        }

        abstract Tensor forward();

        abstract Tensor loss(Tensor prediction);

        @Override
        public String[] phases() {
            return TRAIN_PHASES;
        }

        @Override
        public void step(long[] phaseNanos) {
            long t0 = System.nanoTime();
            Tensor prediction = forward();
            long t1 = System.nanoTime();
            Tensor loss = loss(prediction);
            long t2 = System.nanoTime();
            loss.backward();
            long t3 = System.nanoTime();
            adam.step();
            adam.zeroGrad();
            long t4 = System.nanoTime();
            phaseNanos[0] += t1 - t0;
            phaseNanos[1] += t2 - t1;
            phaseNanos[2] += t3 - t2;
            phaseNanos[3] += t4 - t3;
        }
    }
}
