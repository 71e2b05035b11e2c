package org.lstm4j.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.lstm4j.kernels.KernelInfo;
import org.lstm4j.kernels.Parallelism;
import org.lstm4j.models.CharLanguageModel;
import org.lstm4j.models.CharSampler;
import org.lstm4j.tensor.Generator;
import org.lstm4j.train.Checkpoint;

/**
 * Characters per second of {@link CharSampler} on a trained char-LM, the protocol of
 * {@code bench/charlm_pytorch.py --sample-bench} on the PyTorch side: prime, then draw characters one by
 * one at temperature 0.8, timed per round of {@code --length} characters (each round re-primed, the priming
 * not timed), after a warm-up. Prints one JSON line. Run by {@code bench/charlm_sample_compare}.
 *
 * <pre>java -cp benchmarks.jar org.lstm4j.bench.CharSamplingSpeed CHECKPOINT [--length N] [--rounds R]
 *     [--warmup-seconds S] [--threads T] [--prime TEXT]</pre>
 */
public final class CharSamplingSpeed {
    private CharSamplingSpeed() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: CharSamplingSpeed CHECKPOINT [--length N] [--rounds R] [--warmup-seconds S]"
                    + " [--threads T] [--prime TEXT] [--temperature T]");
            System.exit(2);
        }
        Path checkpoint = Path.of(args[0]);
        int length = 2000;
        int rounds = 5;
        double warmupSeconds = 3;
        int threads = 1;
        double temperature = 0.8;
        String prime = "To be, or not to be";
        for (int i = 1; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--length" -> length = Integer.parseInt(value);
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(value);
                case "--threads" -> threads = Integer.parseInt(value);
                case "--prime" -> prime = value;
                case "--temperature" -> temperature = Double.parseDouble(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Parallelism.setThreads(threads);
        CharLanguageModel model = CharLanguageModel.load(Checkpoint.load(checkpoint, Checkpoint.BEST));
        CharSampler sampler = model.sampler(new Generator(0));
        long sink = 0;
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        while (System.nanoTime() < warmupEnd) {
            sampler.reset();
            sampler.prime(prime);
            for (int i = 0; i < 200; i++) {
                sink += sampler.next(temperature, 0);
            }
        }
        double[] charsPerSecond = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            sampler.reset();
            sampler.prime(prime);
            long start = System.nanoTime();
            for (int i = 0; i < length; i++) {
                sink += sampler.next(temperature, 0);
            }
            charsPerSecond[r] = length / ((System.nanoTime() - start) / 1e9);
        }
        double[] sorted = charsPerSecond.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "{\"side\": \"lstm4j\", \"chars_per_second_median\": %.1f, \"min\": %.1f, \"max\": %.1f,"
                        + " \"rounds\": %d, \"length\": %d, \"threads\": %d, \"vector_bits\": %d, \"sink\": %d}%n",
                sorted[rounds / 2], sorted[0], sorted[rounds - 1], rounds, length, threads, KernelInfo.vectorBits(), sink % 7);
    }
}
