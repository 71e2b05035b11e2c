package org.lstm4j.cli.sine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.lstm4j.cli.plot.SinePlot;
import org.lstm4j.cli.train.CellType;
import org.lstm4j.cli.train.CellTypeConverter;
import org.lstm4j.cli.train.Numbers;
import org.lstm4j.cli.train.StepListener;
import org.lstm4j.cli.train.TrainingProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lstm4j sine}: trains {@link SineTask}, prints the final MSE and writes {@code sine.png}. */
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

    @Option(names = "--no-progress", description = "Do not draw the progress bar.")
    boolean noProgress;

    @Override
    public Integer call() throws IOException {
        SineConfig config = config();
        PrintWriter stdout = spec.commandLine().getOut();

        SineResult result;
        long start = System.nanoTime();
        if (noProgress) {
            result = SineTask.train(config, StepListener.NONE);
        } else {
            try (TrainingProgress progress = new TrainingProgress("sine " + config.cell(), config.steps(), System.err)) {
                result = SineTask.train(config, progress);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        Path plot = out.resolve(PLOT_FILE);
        SinePlot.writePng(result, config.cell() + ", " + config.steps() + (config.steps() == 1 ? " step" : " steps"), plot);

        stdout.printf(Locale.ROOT, "final MSE (last window): %.3e%n", result.finalMse());
        stdout.printf(Locale.ROOT, "trained %s, hidden %d, %d step%s in %.2f s%n",
                config.cell(), config.hidden(), config.steps(), config.steps() == 1 ? "" : "s", seconds);
        stdout.println("plot: " + plot);
        stdout.flush();
        return 0;
    }

    /** Checks the options, reporting a bad value as a usage error (exit code 2) naming the option. */
    SineConfig config() {
        require(steps >= 1, "--steps", steps, "must be at least 1");
        require(hidden >= 1, "--hidden", hidden, "must be at least 1");
        require(lr > 0 && Double.isFinite(lr), "--lr", Numbers.compact(lr), "must be positive and finite");
        return new SineConfig(steps, hidden, lr, seed, cell.toString());
    }

    private void require(boolean ok, String option, Object value, String rule) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '" + option + "': " + rule + ", was " + value);
        }
    }
}
