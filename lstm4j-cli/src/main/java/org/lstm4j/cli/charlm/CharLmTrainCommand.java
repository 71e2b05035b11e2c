package org.lstm4j.cli.charlm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.lstm4j.cli.MachineInfo;
import org.lstm4j.cli.OutputPaths;
import org.lstm4j.cli.ThreadCount;
import org.lstm4j.cli.datasets.ConsoleDownloadProgress;
import org.lstm4j.cli.datasets.DownloadProgress;
import org.lstm4j.cli.plot.LossCurves;
import org.lstm4j.cli.train.ProgressListener;
import org.lstm4j.io.AtomicFiles;
import org.lstm4j.kernels.Parallelism;
import org.lstm4j.text.CharCorpus;
import org.lstm4j.text.Vocabulary;
import org.lstm4j.train.Checkpoint;
import org.lstm4j.cli.spark.SparkMaster;
import org.lstm4j.cli.train.RunListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lstm4j charlm train}: learns a text character by character, validating, sampling and checkpointing as it goes. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        versionProvider = org.lstm4j.cli.VersionProvider.class,
        description = {
            "Train a character-level language model on a text (default: Tiny Shakespeare).",
            "Every --eval-every steps: the validation loss in nats and bits per character, a sample, and a checkpoint",
            "(latest, and best by validation loss). Writes checkpoint/, metrics.jsonl and curves.png into --out."
        },
        sortOptions = false)
public final class CharLmTrainCommand implements Callable<Integer> {
    /** The output files. */
    static final String CHECKPOINT = "checkpoint";
    static final String METRICS = "metrics.jsonl";
    static final String CURVES = "curves.png";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    CharLmOptions options;

    @Option(names = {"--out", "-checkpoint_dir"}, paramLabel = "DIR", description = "Output directory (default: out/charlm-<text>).")
    Path out;

    @Option(names = {"--resume", "-init_from"}, paramLabel = "DIR", description = "Continue the run whose output (or checkpoint) is DIR, exactly where it stopped.")
    Path resume;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        // Everything is checked before anything is written: a bad option or text leaves the output as it was.
        Checkpoint from = null;
        CharLmConfig config;
        CharLmText source;
        int threads;
        double maxSeconds;
        try {
            if (resume != null) {
                from = Checkpoint.load(resume);
                config = options.mergeForResume(CharLmRun.runConfigOf(from));
                CharLmText saved = CharLmText.fromJson(CharLmRun.textSourceOf(from));
                source = options.text != null || options.dataset != null || saved == null
                        ? CharLmText.of(options.text, options.dataset) : saved;
            } else {
                config = options.resolve();
                source = CharLmText.of(options.text, options.dataset);
            }
            threads = options.threads == null ? Runtime.getRuntime().availableProcessors() : ThreadCount.check(options.threads);
            if (options.maxMinutes != null && !(options.maxMinutes > 0)) {
                throw new IllegalArgumentException("--max-minutes must be positive, got " + options.maxMinutes);
            }
            maxSeconds = options.maxMinutes == null ? Double.POSITIVE_INFINITY : options.maxMinutes * 60;
            if (options.spark != null) {
                SparkMaster.check(options.spark);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Path outDir = out != null ? out : resume != null ? runDirectoryOf(from) : Path.of("out", "charlm-" + source.name());
        Path checkpointRoot = outDir.resolve(CHECKPOINT);
        if (resume == null && Files.exists(checkpointRoot.resolve(Checkpoint.INDEX))) {
            throw new ParameterException(spec.commandLine(), "--out " + outDir + " already holds a run (" + checkpointRoot
                    + "): continue it with --resume " + outDir + ", or choose another --out");
        }
        DownloadProgress progress = options.noProgress ? DownloadProgress.silent() : ConsoleDownloadProgress.onStderr();
        Path dataRoot = options.data != null ? options.data : org.lstm4j.cli.classify.ClassificationData.defaultRoot();
        String text = source.read(dataRoot, progress);
        CharCorpus corpus;
        try {
            Vocabulary vocabulary = from == null ? null : CharLmRun.modelConfigOf(from).vocabularyObject();
            if (vocabulary != null && !vocabulary.equals(Vocabulary.of(text))) {
                throw new IllegalArgumentException("the checkpoint " + from.directory() + " was trained on another text: its "
                        + vocabulary.size() + "-character vocabulary is not this text's " + Vocabulary.of(text).size()
                        + " characters");
            }
            corpus = CharCorpus.split(text, vocabulary, config.valFrac());
            checkSizes(corpus, config);
        } catch (IllegalArgumentException e) {
            // Options name themselves; a problem of the text is prefixed with where it came from.
            throw new ParameterException(spec.commandLine(), e.getMessage().startsWith("--") ? e.getMessage()
                    : source.describe() + ": " + e.getMessage());
        }
        CharLmRun.Previous previous = from == null ? CharLmRun.Previous.NONE : previous(from, outDir.resolve(METRICS));

        OutputPaths.prepareDirectory(outDir, "--out");
        Parallelism.setThreads(threads);
        MachineInfo machine = MachineInfo.detect();
        stdout.println("charlm " + source.name() + ": " + config.describe()
                + (from != null ? " (resumed at step " + from.training().step() + ")" : ""));
        stdout.printf(Locale.ROOT, "text: %,d characters, vocabulary %d; %,d train / %,d validation; machine: %s; %d thread%s%n",
                corpus.train().length + corpus.validation().length, corpus.vocabulary().size(), corpus.train().length,
                corpus.validation().length, machine.describe(), threads, threads == 1 ? "" : "s");
        stdout.flush();

        if (options.spark != null) {
            stdout.println(SparkMaster.describe(options.spark, config.dropout() > 0));
            stdout.flush();
        }
        List<RunListener> listeners = new ArrayList<>();
        ProgressListener bar = options.noProgress ? null
                : new ProgressListener("charlm", System.err, ProgressListener.onTerminal(), config.seq(), "chars");
        if (bar != null) {
            listeners.add(bar);
        }
        Path metricsFile = outDir.resolve(METRICS);
        List<CharLmMetrics> written = new ArrayList<>(previous.metrics());
        writeMetrics(metricsFile, written);
        CharLmRun.Outcome outcome;
        try {
            outcome = CharLmRun.train(config, corpus, source.toJson(), checkpointRoot, from, previous, maxSeconds, listeners,
                    (m, best, sample) -> {
                        written.add(m);
                        try {
                            writeMetrics(metricsFile, written);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        if (bar != null) {
                            bar.close();
                        }
                        stdout.println(evaluationLine(m, best));
                        if (!sample.isEmpty()) {
                            stdout.println("--- sample ---");
                            stdout.println(sample);
                            stdout.println("---");
                        }
                        stdout.flush();
                    }, options.spark);
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        writeCurves(outDir.resolve(CURVES), source.name() + " " + config.cell() + " " + config.layers() + "x" + config.hidden(),
                outcome.metrics());
        CharLmMetrics best = outcome.best();
        stdout.printf(Locale.ROOT, "%s after %d steps: validation %.4f nats/char (%.3f bits/char); best %.4f at step %d;"
                        + " %,d parameters%n", outcome.stoppedEarly() ? "stopped" : "done", outcome.steps(),
                outcome.last().valLoss(), outcome.last().valBpc(), best.valLoss(), best.step(), outcome.parameters());
        stdout.println("wrote " + checkpointRoot + ", " + metricsFile.getFileName() + ", " + CURVES);
        stdout.flush();
        return 0;
    }

    /** The run directory of a checkpoint: the parent of its root when that root is a run's {@code checkpoint/}. */
    private static Path runDirectoryOf(Checkpoint from) {
        Path root = from.directory().getParent();
        if (root != null && root.getFileName() != null && root.getFileName().toString().equals(CHECKPOINT)
                && root.getParent() != null) {
            return root.getParent();
        }
        return root != null ? root : Path.of(".");
    }

    /** The sizes the data needs, checked before anything is written. */
    static void checkSizes(CharCorpus corpus, CharLmConfig config) {
        int batchesPerEpoch;
        if (config.mode().equals(CharLmConfig.STREAMS)) {
            batchesPerEpoch = new org.lstm4j.data.ParallelStreams(corpus.train(), config.batch(), config.seq()).windows();
            CharLmRun.validationStreams(corpus.validation(), config);
        } else {
            int windows = new org.lstm4j.data.NextTokenWindows(corpus.train(), config.seq(), config.stride()).size();
            batchesPerEpoch = (windows + config.batch() - 1) / config.batch();
            CharLmRun.validationWindows(corpus.validation(), config);
        }
        if (config.schedule().equals("cosine")) {
            CharLmRun.checkCosine(config, CharLmRun.plannedSteps(config, batchesPerEpoch));
        }
    }

    /** The earlier sessions' metrics (up to the checkpoint's step) and wall time. */
    private static CharLmRun.Previous previous(Checkpoint from, Path metricsFile) throws IOException {
        JsonNode extra = from.training().extra();
        double wall = extra.path("wallSeconds").asDouble(0);
        double best = extra.hasNonNull("bestValLoss") ? extra.get("bestValLoss").asDouble() : Double.POSITIVE_INFINITY;
        List<CharLmMetrics> metrics = new ArrayList<>();
        if (Files.isRegularFile(metricsFile)) {
            for (String line : Files.readAllLines(metricsFile, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                CharLmMetrics m = JSON.readValue(line, CharLmMetrics.class);
                if (m.step() <= from.training().step()) {
                    metrics.add(m);
                }
            }
        }
        return new CharLmRun.Previous(metrics, wall, best);
    }

    private static void writeMetrics(Path file, List<CharLmMetrics> metrics) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (CharLmMetrics m : metrics) {
            sb.append(JSON.writeValueAsString(m)).append('\n');
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String evaluationLine(CharLmMetrics m, boolean best) {
        return String.format(Locale.ROOT, "step %d (epoch %d, %.1f min): train %.4f, validation %.4f nats/char = %.3f bits/char,"
                        + " accuracy %.1f%%, %,.0f chars/s%s", m.step(), m.epoch(), m.wallSeconds() / 60, m.trainLoss(),
                m.valLoss(), m.valBpc(), 100 * m.valAccuracy(), m.tokensPerSecond(), best ? " (best)" : "");
    }

    static void writeCurves(Path png, String title, List<CharLmMetrics> metrics) throws IOException {
        int n = metrics.size();
        double[] steps = new double[n];
        double[] seconds = new double[n];
        double[] train = new double[n];
        double[] val = new double[n];
        for (int i = 0; i < n; i++) {
            CharLmMetrics m = metrics.get(i);
            steps[i] = m.step();
            seconds[i] = m.wallSeconds();
            train[i] = m.trainLoss();
            val[i] = m.valLoss();
        }
        LossCurves.write(List.of(new LossCurves.Curve("training", steps, seconds, train),
                new LossCurves.Curve("validation", steps, seconds, val)), title, png);
    }
}
