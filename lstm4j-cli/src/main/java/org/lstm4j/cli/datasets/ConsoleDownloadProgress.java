package org.lstm4j.cli.datasets;

import java.io.PrintStream;
import java.net.URI;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Download progress for people: on a terminal, a progress bar in MiB with the speed; otherwise (a log
 * file, CI) a plain line when a file starts, every few seconds while it comes, and when it ends, since
 * a redrawn bar would fill a log with carriage returns.
 */
public final class ConsoleDownloadProgress implements DownloadProgress {
    /** How often the plain (non-terminal) form reports a file in progress. */
    static final Duration LINE_INTERVAL = Duration.ofSeconds(5);

    private static final long MIB = 1L << 20;

    private final PrintStream stream;
    private final boolean terminal;
    private final LongSupplier nanoClock;
    private final long lineIntervalNanos;

    // The current transfer.
    private ProgressBar bar;
    private String fileName;
    private long totalBytes;
    private long receivedBytes;
    private long startNanos;
    private long lastLineNanos;

    /**
     * @param stream   where to report, normally {@code System.err} so that stdout carries only results
     * @param terminal whether {@code stream} is an interactive terminal (draw a bar) or not (print lines)
     */
    public ConsoleDownloadProgress(PrintStream stream, boolean terminal) {
        this(stream, terminal, System::nanoTime, LINE_INTERVAL);
    }

    /** With a clock and interval of the test's choosing, for the plain form. */
    ConsoleDownloadProgress(PrintStream stream, boolean terminal, LongSupplier nanoClock, Duration lineInterval) {
        this.stream = stream;
        this.terminal = terminal;
        this.nanoClock = nanoClock;
        this.lineIntervalNanos = lineInterval.toNanos();
    }

    /** On stderr, as a bar when the process has a console (neither stdin nor stdout redirected), else as lines. */
    public static ConsoleDownloadProgress onStderr() {
        return new ConsoleDownloadProgress(System.err, System.console() != null);
    }

    @Override
    public void start(String fileName, long totalBytes) {
        finish(); // A transfer left open would keep its bar alive.
        this.fileName = fileName;
        this.totalBytes = totalBytes;
        this.receivedBytes = 0;
        this.startNanos = nanoClock.getAsLong();
        this.lastLineNanos = startNanos;
        if (terminal) {
            bar = new ProgressBarBuilder()
                    .setTaskName(fileName)
                    // -1 (length unknown) makes an indefinite bar.
                    .setInitialMax(totalBytes < 0 ? -1 : totalBytes)
                    .setUnit("MiB", MIB)
                    .showSpeed(new DecimalFormat("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT)))
                    // ASCII: renders on every terminal, whatever the encoding.
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(100)
                    .setConsumer(new ConsoleProgressBarConsumer(stream))
                    .continuousUpdate()
                    .build();
        } else {
            stream.println("downloading " + fileName + " (" + (totalBytes < 0 ? "size unknown" : humanBytes(totalBytes)) + ")");
        }
    }

    @Override
    public void advance(long bytes) {
        if (fileName == null) {
            return;
        }
        receivedBytes += bytes;
        if (bar != null) {
            bar.stepBy(bytes);
            return;
        }
        long now = nanoClock.getAsLong();
        if (now - lastLineNanos >= lineIntervalNanos) {
            lastLineNanos = now;
            String soFar = totalBytes < 0
                    ? humanBytes(receivedBytes)
                    : humanBytes(receivedBytes) + " of " + humanBytes(totalBytes)
                            + String.format(Locale.ROOT, " (%d%%)", receivedBytes * 100 / Math.max(1, totalBytes));
            stream.println(fileName + ": " + soFar + ", " + humanBytes(bytesPerSecond(now)) + "/s");
        }
    }

    @Override
    public void finish() {
        if (fileName == null) {
            return;
        }
        if (bar != null) {
            bar.close();
            bar = null;
        } else {
            String seconds = String.format(Locale.ROOT, "%.1f s", (nanoClock.getAsLong() - startNanos) / 1e9);
            // Said differently when short, so that a transfer cut off is not read as a finished one.
            stream.println(totalBytes >= 0 && receivedBytes < totalBytes
                    ? fileName + ": stopped at " + humanBytes(receivedBytes) + " of " + humanBytes(totalBytes) + " after " + seconds
                    : fileName + ": " + humanBytes(receivedBytes) + " in " + seconds);
        }
        fileName = null;
    }

    @Override
    public void attemptFailed(String fileName, URI url, String reason) {
        finish();
        stream.println(fileName + ": " + url + " failed: " + reason);
    }

    private long bytesPerSecond(long now) {
        long elapsed = Math.max(1, now - startNanos);
        return (long) (receivedBytes * 1e9 / elapsed);
    }

    /** {@code 512 B}, {@code 28.2 KiB}, {@code 9.5 MiB}, {@code 1.2 GiB}. */
    static String humanBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes / 1024.0;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
