package org.lstm4j.cli.classify;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.lstm4j.cli.MachineInfo;
import org.lstm4j.cli.OutputPaths;
import org.lstm4j.cli.datasets.ConsoleDownloadProgress;
import org.lstm4j.cli.datasets.DownloadProgress;
import org.lstm4j.cli.spark.SparkMaster;
import org.lstm4j.kernels.Parallelism;
import org.lstm4j.train.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lstm4j classify}: MNIST / Fashion-MNIST read row by row, trained, evaluated, plotted, checkpointed. */
@Command(
        name = "classify",
        mixinStandardHelpOptions = true,
        versionProvider = org.lstm4j.cli.VersionProvider.class,
        description = {
            "Classify MNIST or Fashion-MNIST images read as 28 time steps of 28 pixels with a recurrent network.",
            "Prints the test accuracy after every epoch, then per class and the confusion matrix; writes the",
            "checkpoint, curves.png, confusion.png and summary.json into --out."
        },
        sortOptions = false)
public final class ClassifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "MODEL", description = "lstm, bilstm, gru, bigru or rnn (default: the recipe's).")
    String model;

    @Mixin
    TrainingOptions options;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: out/classify-<dataset>-<model>).")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run whose checkpoint (or --out) is DIR.")
    Path resume;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        PrintWriter stdout = spec.commandLine().getOut();
        Checkpoint from = null;
        ClassifyConfig config;
        try {
            if (resume != null) {
                from = Checkpoint.load(resume);
                config = ResumeSettings.merge(ClassificationRun.runConfigOf(from), options, model);
            } else {
                config = options.resolve(model);
            }
            if (options.sparkMaster() != null) {
                SparkMaster.check(options.sparkMaster());
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        int threads;
        try {
            threads = options.threadsOrDefault(Runtime.getRuntime().availableProcessors());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Path outDir = out != null ? out : resume != null && from.directory().getParent() != null
                && from.directory().getParent().getFileName().toString().equals(ClassifyReport.CHECKPOINT)
                ? from.directory().getParent().getParent() : Path.of("out", "classify-" + config.dataset() + "-" + config.model());
        OutputPaths.prepareDirectory(outDir, "--out");
        Parallelism.setThreads(threads);

        MachineInfo machine = MachineInfo.detect();
        ClassificationData data = ClassificationData.load(config.dataset(), options.dataRoot(),
                options.noProgress ? DownloadProgress.silent() : ConsoleDownloadProgress.onStderr());
        stdout.println("classify " + config.dataset() + ": " + TrainingOptions.describe(config)
                + (from != null ? " (resumed at step " + from.training().step() + ")" : ""));
        stdout.printf(Locale.ROOT, "data: %d training and %d test images; machine: %s; %d thread%s%n", data.train().size(),
                data.test().size(), machine.describe(), threads, threads == 1 ? "" : "s");
        if (options.sparkMaster() != null) {
            stdout.println(SparkMaster.describe(options.sparkMaster(), config.dropout() > 0));
        }
        stdout.flush();

        ClassificationRun.Outcome outcome = ClassifyReport.trainShowingProgress(config, data,
                outDir.resolve(ClassifyReport.CHECKPOINT), from, stdout, options.noProgress ? null : "classify " + config.model(),
                options.sparkMaster());

        stdout.println(ClassifyReport.accuracyLine(outcome.finalEvaluation()));
        ClassifyReport.printDetails(stdout, outcome.finalEvaluation(), data.classNames());
        stdout.printf(Locale.ROOT, "trained %d steps in %.1f s; %,d parameters%n", outcome.steps(), outcome.trainSeconds(),
                outcome.parameters());
        String title = config.dataset() + " " + config.model() + " " + config.layers() + "x" + config.hidden();
        ClassifyReport.writePlots(outDir, title, outcome.history(), outcome.finalEvaluation(), data.classNames());
        ClassifyReport.writeJson(outDir.resolve(ClassifyReport.SUMMARY),
                ClassifyReport.summary(outcome, data.classNames(), machine, threads,
                        (System.nanoTime() - start) / 1e9));
        stdout.println("wrote " + outDir.resolve(ClassifyReport.CHECKPOINT) + ", " + ClassifyReport.CURVES + ", "
                + ClassifyReport.CONFUSION + ", " + ClassifyReport.SUMMARY);
        stdout.flush();
        return 0;
    }
}
