package org.lstm4j.bench;

import java.util.concurrent.TimeUnit;
import org.lstm4j.autograd.GradMode;
import org.lstm4j.kernels.Parallelism;
import org.lstm4j.nn.GRU;
import org.lstm4j.nn.LSTM;
import org.lstm4j.nn.LSTMStream;
import org.lstm4j.nn.RNNBase;
import org.lstm4j.nn.RecurrentOutput;
import org.lstm4j.nn.RecurrentState;
import org.lstm4j.ops.Activations;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The fused recurrent layers at the shapes of the performance targets: one LSTM/GRU layer forward without
 * grad, forward + backward (loss = sum of the outputs), the per-time-step streaming call of a 2-layer LSTM
 * (through forward with the state carried, and through the serving API {@code LSTM.stream()}),
 * and the scalar activations against {@code Math}. Run:
 * {@code java -jar lstm4j-bench/target/benchmarks.jar Recurrent}.
 *
 * <p>Shapes ("cell:T×B×I→H"): charlm's second layer (LSTM 100×64×256→256), rows (LSTM/GRU 28×100×28→128),
 * infer-large (LSTM 200×32×256→512).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 7, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class RecurrentBenchmark {

    @Param({"lstm:100x64x256-256", "lstm:28x100x28-128", "gru:28x100x28-128", "lstm:200x32x256-512"})
    public String layer;

    @Param({"2"})
    public int threads;

    private RNNBase model;
    private Tensor x;

    @Setup
    public void setup() {
        Parallelism.setThreads(threads);
        String[] parts = layer.split("[:x\\-]");
        int steps = Integer.parseInt(parts[1]);
        int batch = Integer.parseInt(parts[2]);
        int input = Integer.parseInt(parts[3]);
        int hidden = Integer.parseInt(parts[4]);
        Generator.manualSeed(1);
        model = parts[0].equals("gru") ? new GRU(input, hidden) : new LSTM(input, hidden);
        x = Tensor.randn(new Generator(2), steps, batch, input);
    }

    @Benchmark
    public Tensor forwardNoGrad() {
        try (GradMode.Guard g = GradMode.noGrad()) {
            return model.forward(x).output();
        }
    }

    @Benchmark
    public void forwardBackward() {
        model.zeroGrad();
        model.forward(x).output().sum().backward();
    }

    /** One time step of a 2-layer LSTM 65→256 per call, state carried, no grad (the "stream" target). */
    @State(Scope.Benchmark)
    public static class Stream {
        @Param({"1", "2"})
        public int threads;

        LSTM lstm;
        LSTMStream serving;
        Tensor[] inputs = new Tensor[16];
        float[] output = new float[256];
        RecurrentState state;
        int next;

        @Setup
        public void setup() {
            Parallelism.setThreads(threads);
            Generator.manualSeed(3);
            lstm = LSTM.builder(65, 256).numLayers(2).build();
            serving = lstm.stream();
            Generator gen = new Generator(4);
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = Tensor.randn(gen, 1, 1, 65);
            }
        }
    }

    /** The same step through the serving API (LSTM.stream(): packed weight snapshot, nothing allocated). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float[] streamStepServing(Stream s) {
        s.serving.step(s.inputs[s.next++ & 15].data(), s.output);
        return s.output;
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Tensor streamStep(Stream s) {
        try (GradMode.Guard g = GradMode.noGrad()) {
            RecurrentOutput out = s.lstm.forward(s.inputs[s.next++ & 15], s.state);
            s.state = out.state();
            return out.output();
        }
    }

    /** 64 Ki activations per call (the gate count of one charlm step): the approximations against Math. */
    @State(Scope.Benchmark)
    public static class Values {
        float[] xs = new float[1 << 16];

        @Setup
        public void setup() {
            for (int i = 0; i < xs.length; i++) {
                xs[i] = (i - xs.length / 2) * 2e-4f;
            }
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void tanhActivations(Values v, Blackhole bh) {
        float s = 0;
        for (float x : v.xs) {
            s += Activations.tanh(x);
        }
        bh.consume(s);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void tanhMath(Values v, Blackhole bh) {
        float s = 0;
        for (float x : v.xs) {
            s += (float) Math.tanh(x);
        }
        bh.consume(s);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void sigmoidActivations(Values v, Blackhole bh) {
        float s = 0;
        for (float x : v.xs) {
            s += Activations.sigmoid(x);
        }
        bh.consume(s);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void sigmoidMathExp(Values v, Blackhole bh) {
        float s = 0;
        for (float x : v.xs) {
            s += (float) (1.0 / (1.0 + Math.exp(-x)));
        }
        bh.consume(s);
    }
}
