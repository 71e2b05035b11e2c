package org.lstm4j.bench.ort;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.lstm4j.workloads.TimingLoop;
import org.lstm4j.workloads.TimingPlan;

/**
 * ONNX Runtime peer of {@code lstm4j bench} for the two inference workloads, run by {@code bench/compare} on
 * models that {@code bench/pytorch_bench.py --export-onnx DIR} wrote.
 *
 * <p>Usage: {@code java -cp lstm4j-bench/target/benchmarks.jar org.lstm4j.bench.ort.OrtBench
 * --workload infer-large|stream --model FILE [--threads N] [--json] [--quick] [--warmup S] [--repeat N]
 * [--rep-time S]}. Intra-op threads default to the number of cores. {@code infer-large} feeds x (32, 200, 256);
 * {@code stream} feeds x (1, 1, 65) with the state (h, c) of the previous call, its outputs passed back as
 * inputs without copying. Prints the JSON line format of {@code lstm4j bench --json}, with
 * {@code "impl":"onnxruntime"} and no allocation figures.
 */
public final class OrtBench {
    private OrtBench() {}

    /** The shapes of one workload, and its flops: 2·4H·(I+H)·B·T per layer (LSTM, one direction). */
    private record Workload(String name, int input, int hidden, int layers, int batch, int seq) {
        long flopsPerStep() {
            long total = 0;
            for (int layer = 0; layer < layers; layer++) {
                int in = layer == 0 ? input : hidden;
                total += 2L * 4 * hidden * (in + hidden) * batch * seq;
            }
            return total;
        }
    }

    private static final Map<String, Workload> WORKLOADS = Map.of(
            "infer-large", new Workload("infer-large", 256, 512, 1, 32, 200),
            "stream", new Workload("stream", 65, 256, 2, 1, 1));

    /** One unit of timed work. */
    private interface Step {
        void run() throws OrtException;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        Workload workload = WORKLOADS.get(opts.getOrDefault("--workload", ""));
        String model = opts.get("--model");
        if (workload == null || model == null) {
            System.err.println("usage: OrtBench --workload infer-large|stream --model FILE [--threads N] [--json]"
                    + " [--quick] [--warmup S] [--repeat N] [--rep-time S]");
            System.exit(2);
        }
        boolean quick = opts.containsKey("--quick");
        int threads = Integer.parseInt(opts.getOrDefault("--threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
        TimingPlan plan = quick ? TimingPlan.QUICK : TimingPlan.DEFAULT;
        double warmup = Double.parseDouble(opts.getOrDefault("--warmup", String.valueOf(plan.warmupSeconds())));
        int reps = Integer.parseInt(opts.getOrDefault("--repeat", String.valueOf(plan.repetitions())));
        double repTime = Double.parseDouble(opts.getOrDefault("--rep-time", String.valueOf(plan.secondsPerRep())));

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(threads);
            so.setInterOpNumThreads(1);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = env.createSession(model, so)) {
                double[] rates = workload.seq() == 1 ? timeStream(env, session, workload, warmup, reps, repTime)
                        : timeSequence(env, session, workload, warmup, reps, repTime);
                report(workload, threads, rates, opts.containsKey("--json"));
            }
        }
    }

    private static double[] timeSequence(OrtEnvironment env, OrtSession session, Workload w, double warmup, int reps,
            double repTime) throws OrtException {
        try (OnnxTensor x = tensor(env, random(w.batch() * w.seq() * w.input()), w.batch(), w.seq(), w.input())) {
            Map<String, OnnxTensor> inputs = Map.of("x", x);
            return measure(() -> session.run(inputs).close(), warmup, reps, repTime);
        }
    }

    /** One time step per call; the returned (h', c') are the next call's (h, c). */
    private static double[] timeStream(OrtEnvironment env, OrtSession session, Workload w, double warmup, int reps,
            double repTime) throws OrtException {
        float[] zeros = new float[w.layers() * w.batch() * w.hidden()];
        try (OnnxTensor x = tensor(env, random(w.batch() * w.input()), w.batch(), 1, w.input());
                OnnxTensor h0 = tensor(env, zeros, w.layers(), w.batch(), w.hidden());
                OnnxTensor c0 = tensor(env, zeros, w.layers(), w.batch(), w.hidden())) {
            Map<String, OnnxTensor> inputs = new HashMap<>(Map.of("x", x, "h", h0, "c", c0));
            OrtSession.Result[] previous = {null};
            double[] rates = measure(() -> {
                OrtSession.Result result = session.run(inputs);
                inputs.put("h", (OnnxTensor) result.get(1));
                inputs.put("c", (OnnxTensor) result.get(2));
                if (previous[0] != null) {
                    previous[0].close(); // its tensors were this call's inputs: free them only now
                }
                previous[0] = result;
            }, warmup, reps, repTime);
            if (previous[0] != null) {
                previous[0].close();
            }
            return rates;
        }
    }

    /** lstm4j's own {@link TimingLoop}, so both sides warm up and repeat alike; ORT's exception passes through. */
    private static double[] measure(Step step, double warmupSeconds, int reps, double repSeconds) throws OrtException {
        try {
            return TimingLoop.measure(() -> {
                try {
                    step.run();
                } catch (OrtException e) {
                    throw new WrappedOrtException(e);
                }
            }, new TimingPlan(warmupSeconds, reps, repSeconds), null).stepsPerSecond();
        } catch (WrappedOrtException e) {
            throw (OrtException) e.getCause();
        }
    }

    /** Carries an {@link OrtException} through {@link org.lstm4j.workloads.BenchStep#run}, which throws none. */
    private static final class WrappedOrtException extends RuntimeException {
        WrappedOrtException(OrtException cause) {
            super(cause);
        }
    }

    private static void report(Workload w, int threads, double[] rates, boolean json) throws Exception {
        double[] s = rates.clone();
        Arrays.sort(s);
        int n = s.length;
        double min = s[0];
        double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        double max = s[n - 1];
        long tokens = (long) w.batch() * w.seq();
        if (!json) {
            System.out.printf(Locale.ROOT, "%-12s infer %dx%d steps/s %.4g [%.4g-%.4g] tokens/s %.4g GFLOP/s %.3g us/step %.4g%n",
                    w.name(), w.batch(), w.seq(), median, min, max, median * tokens, median * w.flopsPerStep() / 1e9,
                    1e6 / median);
            return;
        }
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode node = mapper.createObjectNode();
        node.put("workload", w.name());
        node.put("impl", "onnxruntime");
        node.put("mode", "infer");
        node.put("threads", threads);
        node.put("batch", w.batch());
        node.put("seq", w.seq());
        node.put("flops_per_step", w.flopsPerStep());
        summary(node.putObject("steps_per_s"), min, median, max, 1);
        summary(node.putObject("tokens_per_s"), min, median, max, tokens);
        summary(node.putObject("gflops"), min, median, max, w.flopsPerStep() / 1e9);
        ObjectNode us = node.putObject("us_per_step");
        us.put("min", 1e6 / max);
        us.put("median", 1e6 / median);
        us.put("max", 1e6 / min);
        node.putNull("alloc_bytes_per_step");
        node.putNull("alloc_bytes_per_token");
        System.out.println(mapper.writeValueAsString(node));
    }

    private static void summary(ObjectNode node, double min, double median, double max, double factor) {
        node.put("min", min * factor);
        node.put("median", median * factor);
        node.put("max", max * factor);
    }

    private static OnnxTensor tensor(OrtEnvironment env, float[] data, long... shape) throws OrtException {
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
    }

    /** Uniform [-1, 1) values from a fixed seed. */
    private static float[] random(int n) {
        Random random = new Random(1);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextFloat() * 2 - 1;
        }
        return out;
    }

    /** {@code --name value} pairs; flags ({@code --json}, {@code --quick}) map to "true". */
    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--json") || a.equals("--quick")) {
                opts.put(a, "true");
            } else if (a.startsWith("--") && i + 1 < args.length) {
                opts.put(a, args[++i]);
            } else {
                System.err.println("OrtBench: unexpected argument '" + a + "'");
                System.exit(2);
            }
        }
        return opts;
    }
}
