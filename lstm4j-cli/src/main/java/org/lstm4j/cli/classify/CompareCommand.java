package org.lstm4j.cli.classify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.lstm4j.cli.MachineInfo;
import org.lstm4j.cli.OutputPaths;
import org.lstm4j.cli.datasets.ConsoleDownloadProgress;
import org.lstm4j.cli.datasets.DownloadProgress;
import org.lstm4j.cli.plot.ClassificationPlots;
import org.lstm4j.cli.plot.CurveSeries;
import org.lstm4j.kernels.Parallelism;
import org.lstm4j.train.Checkpoint;
import org.lstm4j.train.EpochResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lstm4j compare}: several recurrent models trained with the same budget, side by side. */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        versionProvider = org.lstm4j.cli.VersionProvider.class,
        description = {
            "Train several models (e.g. lstm, bilstm, gru) with the same settings and budget, then print a table",
            "(test accuracy, parameters, wall time, samples/s) and plot their curves into one compare.png."
        },
        sortOptions = false)
public final class CompareCommand implements Callable<Integer> {
    static final String PLOT = "compare.png";
    static final String SUMMARY = "compare.json";

    @Spec
    CommandSpec spec;

    @Option(names = "--models", paramLabel = "LIST", split = ",", description = "Models to train, e.g. lstm,bilstm,gru (default: the recipe's).")
    List<String> models;

    @Mixin
    TrainingOptions options;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory, one subdirectory per model (default: out/compare-<dataset>).")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        List<ClassifyConfig> configs = new ArrayList<>();
        int threads;
        try {
            ClassifyConfig base = options.resolve(null);
            List<ModelKind> kinds = new ArrayList<>();
            if (models == null || models.isEmpty()) {
                kinds.addAll(Recipe.parse(base.recipe()).comparedModels());
            } else {
                for (String m : models) {
                    ModelKind k = ModelKind.parse(m);
                    if (kinds.contains(k)) {
                        throw new IllegalArgumentException("--models lists " + k + " twice");
                    }
                    kinds.add(k);
                }
            }
            kinds.forEach(k -> configs.add(base.withModel(k)));
            threads = options.threadsOrDefault(Runtime.getRuntime().availableProcessors());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ClassifyConfig first = configs.get(0);
        Path outDir = OutputPaths.prepareDirectory(out != null ? out : Path.of("out", "compare-" + first.dataset()), "--out");
        Parallelism.setThreads(threads);
        MachineInfo machine = MachineInfo.detect();
        ClassificationData data = ClassificationData.load(first.dataset(), options.dataRoot(),
                options.noProgress ? DownloadProgress.silent() : ConsoleDownloadProgress.onStderr());
        stdout.printf(Locale.ROOT, "compare on %s: %s; machine: %s; %d thread%s%n", first.dataset(),
                configs.stream().map(ClassifyConfig::model).toList(), machine.describe(), threads, threads == 1 ? "" : "s");

        List<ClassificationRun.Outcome> outcomes = new ArrayList<>();
        List<Double> wallSeconds = new ArrayList<>();
        for (ClassifyConfig config : configs) {
            long start = System.nanoTime();
            stdout.println("== " + config.model() + ": " + TrainingOptions.describe(config));
            stdout.flush();
            Path modelDir = OutputPaths.prepareDirectory(outDir.resolve(config.model()), "--out");
            outcomes.add(ClassifyReport.trainShowingProgress(config, data, modelDir.resolve(ClassifyReport.CHECKPOINT), null,
                    stdout, options.noProgress ? null : "compare " + config.model(), options.sparkMaster()));
            wallSeconds.add((System.nanoTime() - start) / 1e9);
            ClassificationRun.Outcome o = outcomes.get(outcomes.size() - 1);
            stdout.println(config.model() + " " + ClassifyReport.accuracyLine(o.finalEvaluation()));
        }

        stdout.println();
        stdout.println(table(outcomes));
        // Curves need a completed epoch per model (a --max-steps budget inside the first epoch has none).
        if (outcomes.stream().allMatch(o -> !o.history().isEmpty())) {
            List<CurveSeries> series = new ArrayList<>();
            for (ClassificationRun.Outcome o : outcomes) {
                series.add(new CurveSeries(o.config().model(), ClassifyReport.points(o.history())));
            }
            ClassificationPlots.writeCurves(series, first.dataset() + ": " + TrainingOptions.describe(first).replace(first.model() + " ", ""),
                    outDir.resolve(PLOT), ClassificationPlots.XAxis.EPOCH, ClassificationPlots.XAxis.WALL_TIME);
        }
        ObjectNode summary = Checkpoint.json().createObjectNode();
        ArrayNode runs = summary.putArray("runs");
        for (int i = 0; i < outcomes.size(); i++) {
            runs.add(ClassifyReport.summary(outcomes.get(i), data.classNames(), machine, threads, wallSeconds.get(i)));
        }
        ClassifyReport.writeJson(outDir.resolve(SUMMARY), summary);
        stdout.println("wrote " + (Files.exists(outDir.resolve(PLOT)) ? outDir.resolve(PLOT) + ", " : "") + outDir.resolve(SUMMARY)
                + " and one directory per model");
        stdout.flush();
        return 0;
    }

    /** The side-by-side table. */
    static String table(List<ClassificationRun.Outcome> outcomes) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-8s %10s %11s %10s %11s %7s%n", "model",
                "test acc", "parameters", "train s", "samples/s", "epochs"));
        for (ClassificationRun.Outcome o : outcomes) {
            long examples = o.history().stream().mapToLong(EpochResult::examples).sum();
            sb.append(String.format(Locale.ROOT, "%-8s %10s %,11d %10.1f %11.0f %7d%n", o.config().model(),
                    ClassifyReport.percent(o.finalEvaluation().accuracy()), o.parameters(), o.trainSeconds(),
                    examples / o.trainSeconds(), o.history().size()));
        }
        return sb.toString().stripTrailing();
    }
}
