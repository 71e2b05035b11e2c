package org.lstm4j.cli.train;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.lstm4j.train.StepEvent;
import org.lstm4j.train.Trainer;
import org.lstm4j.train.TrainingListener;

/**
 * Training progress on stderr (stdout keeps only results): on a terminal a progress bar with the loss,
 * samples/s and the ETA, redrawn in place; in a log or a pipe, where carriage-return frames would pile up,
 * one plain line every few seconds instead.
 */
public final class ProgressListener implements TrainingListener, RunListener, AutoCloseable {
    /** Seconds between two plain lines. */
    static final double PLAIN_INTERVAL_SECONDS = 5;

    private final String taskName;
    private final PrintStream stream;
    private final boolean terminal;
    private ProgressBar bar;
    private long lastPlainNanos;
    /** Smoothed samples/s over the recent steps. */
    private double samplesPerSecond;
    private double lastElapsed;
    private long firstStep = -1;
    /** What the rate counts: each sample of a batch is this many of {@link #rateUnit}. */
    private final int unitsPerSample;
    private final String rateUnit;

    /**
     * @param terminal whether {@code stream} is a terminal (bar) or a log (plain lines); see {@link #onTerminal()}
     */
    public ProgressListener(String taskName, PrintStream stream, boolean terminal) {
        this(taskName, stream, terminal, 1, "samples");
    }

    /**
     * With the rate counted in other units than samples, e.g. characters: each sample (a batch row) is
     * {@code unitsPerSample} of them.
     */
    public ProgressListener(String taskName, PrintStream stream, boolean terminal, int unitsPerSample, String rateUnit) {
        this.unitsPerSample = unitsPerSample;
        this.rateUnit = rateUnit;
        this.taskName = taskName;
        this.stream = stream;
        this.terminal = terminal;
        this.lastPlainNanos = System.nanoTime();
    }

    /** Whether this process writes to a terminal (the JVM's console is attached). */
    public static boolean onTerminal() {
        return System.console() != null;
    }

    @Override
    public void onStart(Trainer<?> trainer) {
        onStart(trainer.step(), trainer.elapsedSeconds());
    }

    @Override
    public void onStart(long step, double elapsedSeconds) {
        lastPlainNanos = System.nanoTime();
        lastElapsed = elapsedSeconds;
        firstStep = step;
    }

    @Override
    public void onStep(Trainer<?> trainer, StepEvent e) {
        onStep(e);
    }

    @Override
    public void onStep(StepEvent e) {
        double dt = e.elapsedSeconds() - lastElapsed;
        lastElapsed = e.elapsedSeconds();
        if (dt > 0) {
            double rate = e.batchSize() / dt;
            samplesPerSecond = samplesPerSecond == 0 ? rate : 0.9 * samplesPerSecond + 0.1 * rate;
        }
        String message = String.format(Locale.ROOT, "epoch %d, loss %.4f, %.0f %s/s", e.epoch(), e.loss(),
                samplesPerSecond * unitsPerSample, rateUnit);
        if (terminal) {
            if (bar == null) {
                bar = new ProgressBarBuilder()
                        .setTaskName(taskName)
                        .setInitialMax(e.totalSteps())
                        .setStyle(ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(200)
                        .setConsumer(new ConsoleProgressBarConsumer(stream))
                        .showSpeed()
                        .setUnit(" steps", 1)
                        .startsFrom(firstStep, Duration.ZERO)
                        .build();
            }
            bar.stepTo(e.step());
            bar.setExtraMessage(message);
        } else {
            long now = System.nanoTime();
            if ((now - lastPlainNanos) / 1e9 >= PLAIN_INTERVAL_SECONDS || e.step() == e.totalSteps()) {
                lastPlainNanos = now;
                double stepsPerSecond = samplesPerSecond / e.batchSize();
                long left = e.totalSteps() - e.step();
                stream.printf(Locale.ROOT, "%s: step %d/%d (%.0f%%), %s, ETA %s%n", taskName, e.step(), e.totalSteps(),
                        100.0 * e.step() / e.totalSteps(), message,
                        stepsPerSecond > 0 ? formatDuration(left / stepsPerSecond) : "?");
                stream.flush();
            }
        }
    }

    @Override
    public void onEnd(Trainer<?> trainer) {
        close();
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    /** {@code 42s}, {@code 3m05s}, {@code 1h02m}. */
    static String formatDuration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
