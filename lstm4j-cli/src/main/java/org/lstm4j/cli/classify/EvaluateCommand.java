package org.lstm4j.cli.classify;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lstm4j.cli.datasets.ConsoleDownloadProgress;
import org.lstm4j.cli.datasets.DownloadProgress;
import org.lstm4j.data.DataLoader;
import org.lstm4j.kernels.Parallelism;
import org.lstm4j.models.RecurrentClassifier;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.train.Checkpoint;
import org.lstm4j.train.ClassificationEvaluator;
import org.lstm4j.train.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lstm4j evaluate}: rebuilds a classifier from its checkpoint alone and measures it on the test set. */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        versionProvider = org.lstm4j.cli.VersionProvider.class,
        description = {
            "Rebuild a classifier from a checkpoint written by 'lstm4j classify' and print its test accuracy,",
            "per-class accuracy and confusion matrix (the same figures training printed for those weights)."
        },
        sortOptions = false)
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "The run's --out directory or its checkpoint directory.")
    Path checkpoint;

    @Option(names = "--which", paramLabel = "latest|best", description = "Which saved version (default: ${DEFAULT-VALUE}).")
    String which = Checkpoint.LATEST;

    @Option(names = "--dataset", paramLabel = "NAME", description = "mnist or fashion-mnist (default: the one the model was trained on).")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "Dataset directory; missing files are downloaded (default: ~/.lstm4j/datasets).")
    Path data;

    @Option(names = "--threads", paramLabel = "N", description = "Kernel threads (default: all cores).")
    Integer threads;

    @Option(names = "--no-progress", description = "No download progress.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        if (!which.equals(Checkpoint.LATEST) && !which.equals(Checkpoint.BEST)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--which': expected latest or best, was '" + which + "'");
        }
        try {
            org.lstm4j.cli.ThreadCount.check(threads);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Checkpoint ckpt = Checkpoint.load(checkpoint, which);
        RecurrentClassifier.Config modelConfig = ClassificationRun.modelConfigOf(ckpt);
        String name = dataset != null ? dataset : ClassificationRun.runConfigOf(ckpt).dataset();
        if (!ClassifyConfig.DATASETS.contains(name)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--dataset': expected one of "
                    + ClassifyConfig.DATASETS + ", was '" + name + "'");
        }
        if (threads != null) {
            Parallelism.setThreads(threads);
        }
        RecurrentClassifier model = new RecurrentClassifier(modelConfig, new Generator(0));
        try {
            model.loadStateDict(ckpt.contents().modelState());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ckpt.directory().resolve(Checkpoint.MODEL) + ": " + e.getMessage(), e);
        }
        ClassificationData d = ClassificationData.load(name, data != null ? data : ClassificationData.defaultRoot(),
                noProgress ? DownloadProgress.silent() : ConsoleDownloadProgress.onStderr());
        if (d.test().cols() != modelConfig.inputSize() || d.numClasses() != modelConfig.numClasses()) {
            throw new IllegalArgumentException("the model reads " + modelConfig.inputSize() + " features per step into "
                    + modelConfig.numClasses() + " classes; " + name + " has " + d.test().cols() + " and " + d.numClasses());
        }
        DataLoader<IndexTensor> loader = DataLoader.builder(d.test()).batchSize(ClassificationRun.EVAL_BATCH).build();
        Evaluation e = new ClassificationEvaluator(model, model::forward, loader, d.numClasses()).evaluate();
        PrintWriter out = spec.commandLine().getOut();
        out.println("checkpoint " + ckpt.directory() + " (step " + ckpt.training().step() + "): " + modelConfig.cell()
                + (modelConfig.bidirectional() ? " bidirectional" : "") + " " + modelConfig.numLayers() + "x" + modelConfig.hiddenSize()
                + " on " + name);
        out.println(ClassifyReport.accuracyLine(e));
        ClassifyReport.printDetails(out, e, d.classNames());
        out.printf(java.util.Locale.ROOT, "evaluated %d images in %.2f s%n", e.examples(), e.seconds());
        out.flush();
        return 0;
    }
}
