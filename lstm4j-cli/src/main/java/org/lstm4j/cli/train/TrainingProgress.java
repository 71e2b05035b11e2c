package org.lstm4j.cli.train;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A console progress bar showing steps done and the current loss, as a {@link StepListener}.
 * Drawn on stderr so that stdout carries only results (and can be piped).
 */
public final class TrainingProgress implements StepListener, AutoCloseable {
    private final ProgressBar bar;

    /**
     * @param taskName   label before the bar
     * @param totalSteps steps of the run
     * @param stream     where to draw, normally {@code System.err}
     */
    public TrainingProgress(String taskName, int totalSteps, PrintStream stream) {
        this.bar = new ProgressBarBuilder()
                .setTaskName(taskName)
                .setInitialMax(totalSteps)
                // ASCII: renders on every terminal and in CI logs, whatever the encoding.
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(100)
                .setConsumer(new ConsoleProgressBarConsumer(stream))
                .continuousUpdate()
                .build();
    }

    @Override
    public void onStep(int step, int totalSteps, float loss) {
        bar.stepTo(step);
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.3e", loss));
    }

    @Override
    public void close() {
        bar.close();
    }
}
