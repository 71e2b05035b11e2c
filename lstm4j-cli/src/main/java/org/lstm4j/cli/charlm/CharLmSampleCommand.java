package org.lstm4j.cli.charlm;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lstm4j.cli.ThreadCount;
import org.lstm4j.kernels.Parallelism;
import org.lstm4j.models.CharLanguageModel;
import org.lstm4j.models.CharSampler;
import org.lstm4j.tensor.Generator;
import org.lstm4j.train.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lstm4j charlm sample}: writes text with a trained model, streaming each character as it is drawn. */
@Command(
        name = "sample",
        mixinStandardHelpOptions = true,
        versionProvider = org.lstm4j.cli.VersionProvider.class,
        description = {
            "Generate text with a model trained by 'charlm train': primes the state with --prime, then draws",
            "--length characters, printing each as it comes."
        },
        sortOptions = false)
public final class CharLmSampleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "A run's output directory or checkpoint.")
    Path checkpoint;

    @Option(names = "--which", paramLabel = "best|latest", description = "Which version of the checkpoint (default: best).")
    String which = Checkpoint.BEST;

    @Option(names = {"--prime", "-primetext"}, paramLabel = "TEXT", description = "Text to start from (default: none; the first character is then drawn uniformly).")
    String prime = "";

    @Option(names = {"--length", "-length"}, paramLabel = "N", description = "Characters to generate (default 500).")
    int length = 500;

    @Option(names = {"--temperature", "-temperature"}, paramLabel = "T", description = "Below 1 safer, above 1 more surprising; 0 is greedy (default 0.8).")
    double temperature = 0.8;

    @Option(names = "--top-k", paramLabel = "K", description = "Draw only among the K most likely characters (default: all).")
    Integer topK;

    @Option(names = {"--seed", "-seed"}, paramLabel = "SEED", description = "Seed of the draws: the same seed writes the same text (default 0).")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Kernel threads (default: all cores).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int k;
        try {
            if (topK != null && topK <= 0) {
                throw new IllegalArgumentException("--top-k must be a positive number of characters, got " + topK);
            }
            k = topK == null ? 0 : topK;
            if (!(temperature >= 0) || Double.isInfinite(temperature)) {
                throw new IllegalArgumentException("--temperature must be >= 0 and finite (0: greedy), got " + temperature);
            }
            if (length < 0) {
                throw new IllegalArgumentException("--length must be >= 0, got " + length);
            }
            if (!which.equals(Checkpoint.BEST) && !which.equals(Checkpoint.LATEST)) {
                throw new IllegalArgumentException("--which must be best or latest, got '" + which + "'");
            }
            Parallelism.setThreads(threads == null ? Runtime.getRuntime().availableProcessors() : ThreadCount.check(threads));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Checkpoint cp = Checkpoint.load(checkpoint, which);
        CharLanguageModel model = CharLmRun.loadModel(cp);
        CharSampler sampler = model.sampler(new Generator(seed));
        try {
            model.vocabulary().encode(prime);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--prime: " + e.getMessage());
        }
        out.print(prime);
        sampler.generate(prime, length, temperature, k, c -> {
            out.print(Character.toString(c));
            out.flush();
        });
        out.println();
        out.flush();
        return 0;
    }
}
