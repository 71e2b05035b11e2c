package org.lstm4j.cli.sine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.lstm4j.cli.MemorySizes;
import org.lstm4j.cli.OutOfMemoryException;
import org.lstm4j.cli.OutputPaths;
import org.lstm4j.cli.plot.SinePlot;
import org.lstm4j.cli.train.CellType;
import org.lstm4j.cli.train.CellTypeConverter;
import org.lstm4j.cli.train.Numbers;
import org.lstm4j.cli.train.StepListener;
import org.lstm4j.cli.train.TrainingProgress;
import org.lstm4j.kernels.Parallelism;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lstm4j sine}: trains {@link SineTask}, prints the final MSE and writes {@code sine.png}. Everything that
 * can be known to fail is checked before training: the option ranges (exit 2), then whether {@code --out} can be
 * written and whether the model can fit in the heap at all (exit 1).
 */
@Command(
        name = "sine",
        mixinStandardHelpOptions = true,
        versionProvider = org.lstm4j.cli.VersionProvider.class,
        description = {
            "Learn cos(t) from sin(t): the classic PyTorch recurrent-network tutorial.",
            "Each step trains on 20 points of the next half-period, carrying the hidden state over."
        },
        sortOptions = false)
public final class SineCommand implements Callable<Integer> {
    /** File name of the figure inside {@code --out}. */
    public static final String PLOT_FILE = "sine.png";

    @Spec
    CommandSpec spec;

    @Option(names = "--steps", paramLabel = "N", description = "Training steps, one window each (default: ${DEFAULT-VALUE}).")
    int steps = SineConfig.DEFAULT_STEPS;

    @Option(names = "--hidden", paramLabel = "H", description = "Hidden size (default: ${DEFAULT-VALUE}).")
    int hidden = SineConfig.DEFAULT_HIDDEN;

    @Option(names = "--lr", paramLabel = "RATE", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr = SineConfig.DEFAULT_LR;

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed of the weight initialisation (default: ${DEFAULT-VALUE}).")
    long seed = SineConfig.DEFAULT_SEED;

    @Option(names = "--cell", paramLabel = "CELL", converter = CellTypeConverter.class, description = "Recurrent cell: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    CellType cell = CellType.LSTM;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory for " + PLOT_FILE + " (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("out", "sine");

    @Option(names = "--threads", paramLabel = "N", description = "Kernel threads (default: all cores, or -Dlstm4j.threads).")
    Integer threads;

    @Option(names = "--no-progress", description = "Do not draw the progress bar.")
    boolean noProgress;

    @Override
    public Integer call() throws IOException {
        SineConfig config = config();
        int threadCount = threads();
        OutputPaths.prepareDirectory(out, "--out");
        long maxHeap = Runtime.getRuntime().maxMemory();
        if (config.trainingBytes() > maxHeap) {
            throw OutOfMemoryException.beforehand(memoryNeed(config), config.trainingBytes());
        }
        Parallelism.setThreads(threadCount);
        PrintWriter stdout = spec.commandLine().getOut();

        SineResult result;
        long start = System.nanoTime();
        Path plot = out.resolve(PLOT_FILE);
        try {
            if (noProgress) {
                result = SineTask.train(config, StepListener.NONE);
            } else {
                try (TrainingProgress progress = new TrainingProgress("sine " + config.cell(), config.steps(), System.err)) {
                    result = SineTask.train(config, progress);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            SinePlot.writePng(result, config.cell() + ", " + config.steps() + (config.steps() == 1 ? " step" : " steps"), plot);
            report(stdout, config, result, seconds, plot);
        } catch (OutOfMemoryError e) {
            // Our own estimate is a lower bound (the kernels' buffers come on top): name it, it says what to raise.
            throw OutOfMemoryException.after(e, memoryNeed(config), config.trainingBytes());
        }
        return 0;
    }

    /** E.g. {@code training the lstm of hidden 8192 for 100 steps (at least 4.0 GiB: weights, gradients, ...)}. */
    static String memoryNeed(SineConfig config) {
        return "training the " + config.cell() + " of hidden " + config.hidden() + " for " + config.steps() + " steps (at least "
                + MemorySizes.format(config.trainingBytes()) + ": weights, gradients, Adam's moments and the loss curve)";
    }

    private static void report(PrintWriter stdout, SineConfig config, SineResult result, double seconds, Path plot) {
        stdout.printf(Locale.ROOT, "final MSE (last window): %.3e%n", result.finalMse());
        stdout.printf(Locale.ROOT, "trained %s, hidden %d, %d step%s in %.2f s%n",
                config.cell(), config.hidden(), config.steps(), config.steps() == 1 ? "" : "s", seconds);
        stdout.println("plot: " + plot);
        stdout.flush();
    }

    /** Checks the options, reporting a bad value as a usage error (exit code 2) naming the option. */
    SineConfig config() {
        require(steps >= 1, "--steps", steps, "must be at least 1");
        require(steps <= SineConfig.MAX_STEPS, "--steps", steps, "must be at most " + SineConfig.MAX_STEPS
                + " (the loss of every step is kept for the plot, and 10 million steps take an hour or more)");
        require(hidden >= 1, "--hidden", hidden, "must be at least 1");
        require(hidden <= SineConfig.MAX_HIDDEN, "--hidden", hidden, "must be at most " + SineConfig.MAX_HIDDEN
                + " (an LSTM's recurrent weights are 4*H*H floats: 1 GiB at 8192, 4 GiB with gradients and Adam's moments)");
        require(lr > 0 && Double.isFinite(lr), "--lr", Numbers.compact(lr), "must be positive and finite");
        return new SineConfig(steps, hidden, lr, seed, cell.toString());
    }

    /** {@code --threads} checked against {@link Parallelism#maxThreads()}; unset keeps the current setting. */
    int threads() {
        try {
            return org.lstm4j.cli.ThreadCount.check(threads);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private void require(boolean ok, String option, Object value, String rule) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '" + option + "': " + rule + ", was " + value);
        }
    }
}
