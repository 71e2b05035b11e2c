package org.lstm4j.cli.classify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.lstm4j.cli.MachineInfo;
import org.lstm4j.cli.plot.ClassificationPlots;
import org.lstm4j.cli.plot.CurveSeries;
import org.lstm4j.cli.plot.EpochPoint;
import org.lstm4j.cli.train.ProgressListener;
import org.lstm4j.cli.train.RunListener;
import org.lstm4j.io.AtomicFiles;
import org.lstm4j.train.Checkpoint;
import org.lstm4j.train.EpochResult;
import org.lstm4j.train.Evaluation;

/** How classification results are printed and written: epoch lines, the final report, plots, summary.json. */
final class ClassifyReport {
    static final String CURVES = "curves.png";
    static final String CONFUSION = "confusion.png";
    static final String SUMMARY = "summary.json";
    static final String CHECKPOINT = "checkpoint";

    private ClassifyReport() {}

    /** {@code epoch 1/5: train loss 0.6321, test loss 0.4512, test accuracy 83.41% (21.3 s, 2817 samples/s; eval 0.9 s)}. */
    static String epochLine(EpochResult r, int epochs) {
        Evaluation v = r.validation();
        return String.format(Locale.ROOT, "epoch %d/%d: train loss %.4f, test loss %.4f, test accuracy %s (%.1f s, %.0f samples/s; eval %.1f s)",
                r.epoch(), epochs, r.trainLoss(), v.loss(), percent(v.accuracy()), r.epochSeconds(), r.examplesPerSecond(),
                v.seconds());
    }

    /** The line {@code classify} ends with and {@code evaluate} prints: {@code test accuracy: 87.12% (8712/10000)}. */
    static String accuracyLine(Evaluation e) {
        long correct = e.confusion() != null ? e.confusion().correct() : Math.round(e.accuracy() * e.examples());
        return "test accuracy: " + percent(e.accuracy()) + " (" + correct + "/" + e.examples() + ")";
    }

    /**
     * One run as both commands show it: a line per epoch on {@code stdout}, and the progress bar (or plain
     * progress lines in a log) on stderr unless {@code progressTask} is null.
     */
    static ClassificationRun.Outcome trainShowingProgress(ClassifyConfig config, ClassificationData data,
            Path checkpointRoot, Checkpoint resume, PrintWriter stdout, String progressTask, String sparkMaster) {
        List<RunListener> listeners = new ArrayList<>();
        listeners.add(new RunListener() {
            @Override
            public void onEpochEnd(EpochResult epoch) {
                stdout.println(epochLine(epoch, config.epochs()));
                stdout.flush();
            }
        });
        ProgressListener progress = progressTask == null ? null
                : new ProgressListener(progressTask, System.err, ProgressListener.onTerminal());
        if (progress != null) {
            listeners.add(progress);
        }
        try {
            return ClassificationRun.train(config, data, checkpointRoot, resume, listeners, sparkMaster);
        } finally {
            if (progress != null) {
                progress.close(); // also when training fails: the bar's last frame must end before the error line
            }
        }
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    /** Accuracy per class, then the confusion matrix. */
    static void printDetails(PrintWriter out, Evaluation e, List<String> classNames) {
        double[] perClass = e.confusion().perClassAccuracy();
        out.println("per-class accuracy:");
        for (int c = 0; c < perClass.length; c++) {
            out.printf(Locale.ROOT, "  %-12s %s%n", classNames.get(c), percent(perClass[c]));
        }
        out.println(e.confusion().toString(classNames));
    }

    static List<EpochPoint> points(List<EpochResult> history) {
        List<EpochPoint> points = new ArrayList<>();
        for (EpochResult r : history) {
            points.add(new EpochPoint(r.epoch(), r.trainLoss(), r.validation() == null ? Double.NaN : r.validation().accuracy(),
                    r.elapsedSeconds()));
        }
        return points;
    }

    static void writePlots(Path out, String title, List<EpochResult> history, Evaluation last, List<String> classNames)
            throws IOException {
        if (!history.isEmpty()) {
            ClassificationPlots.writeCurves(List.of(new CurveSeries(title, points(history))), title, out.resolve(CURVES),
                    ClassificationPlots.XAxis.EPOCH);
        }
        ClassificationPlots.writeConfusion(last.confusion().counts(), classNames, title + ": test set confusion",
                out.resolve(CONFUSION));
    }

    /** The run as JSON: settings, per-epoch figures, totals, final evaluation, machine. */
    static ObjectNode summary(ClassificationRun.Outcome o, List<String> classNames, MachineInfo machine, int threads,
            double wallSeconds) {
        ObjectNode root = Checkpoint.json().createObjectNode();
        root.set("config", Checkpoint.toJson(o.config()));
        root.put("parameters", o.parameters());
        ArrayNode epochs = root.putArray("epochs");
        for (EpochResult r : o.history()) {
            ObjectNode e = epochs.addObject();
            e.put("epoch", r.epoch());
            e.put("step", r.step());
            e.put("trainLoss", r.trainLoss());
            e.put("testLoss", r.validation().loss());
            e.put("testAccuracy", r.validation().accuracy());
            e.put("epochSeconds", r.epochSeconds());
            e.put("elapsedSeconds", r.elapsedSeconds());
            e.put("samplesPerSecond", r.examplesPerSecond());
            e.put("evalSeconds", r.validation().seconds());
        }
        ObjectNode fin = root.putObject("final");
        Evaluation last = o.finalEvaluation();
        fin.put("step", o.steps());
        fin.put("testAccuracy", last.accuracy());
        fin.put("testLoss", last.loss());
        fin.put("evalSeconds", last.seconds());
        ObjectNode perClass = fin.putObject("perClassAccuracy");
        double[] pc = last.confusion().perClassAccuracy();
        for (int c = 0; c < pc.length; c++) {
            perClass.put(classNames.get(c), pc[c]);
        }
        fin.set("confusion", Checkpoint.toJson(last.confusion().counts()));
        root.put("trainSeconds", o.trainSeconds());
        // Everything: data loading, JIT warm-up, training, every evaluation, checkpoints.
        root.put("wallSeconds", wallSeconds);
        long examples = o.history().stream().mapToLong(EpochResult::examples).sum();
        root.put("samplesPerSecond", examples / o.trainSeconds());
        ObjectNode m = root.putObject("machine");
        m.put("cpu", machine.cpuModel());
        m.put("cores", machine.cores());
        m.put("threads", threads);
        m.put("vectorBits", machine.vectorBits());
        m.put("java", machine.java());
        return root;
    }

    static void writeJson(Path file, Object node) throws IOException {
        AtomicFiles.write(file, Checkpoint.json().writeValueAsBytes(node));
    }
}
