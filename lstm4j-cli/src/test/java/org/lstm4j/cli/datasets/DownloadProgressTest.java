package org.lstm4j.cli.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DownloadProgressTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
    private final AtomicLong nanos = new AtomicLong();

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutATerminalItPrintsALineEveryFewSecondsNotPerChunk() {
        ConsoleDownloadProgress progress = new ConsoleDownloadProgress(stream, false, nanos::get, Duration.ofSeconds(5));
        progress.start("train-images-idx3-ubyte.gz", 4L << 20);
        nanos.set(Duration.ofSeconds(1).toNanos());
        progress.advance(1L << 20);
        nanos.set(Duration.ofSeconds(2).toNanos());
        progress.advance(1L << 20);
        nanos.set(Duration.ofSeconds(5).toNanos());
        progress.advance(1L << 20);
        nanos.set(Duration.ofSeconds(8).toNanos());
        progress.advance(1L << 20);
        progress.finish();
        assertEquals(String.join(System.lineSeparator(),
                "downloading train-images-idx3-ubyte.gz (4.0 MiB)",
                "train-images-idx3-ubyte.gz: 3.0 MiB of 4.0 MiB (75%), 614.4 KiB/s",
                "train-images-idx3-ubyte.gz: 4.0 MiB in 8.0 s",
                ""), printed());
    }

    @Test
    void anUnknownLengthAndAFailedAttemptAreSaidPlainly() {
        ConsoleDownloadProgress progress = new ConsoleDownloadProgress(stream, false, nanos::get, Duration.ofSeconds(5));
        progress.start("input.txt", -1);
        nanos.set(Duration.ofSeconds(6).toNanos());
        progress.advance(600);
        progress.attemptFailed("input.txt", URI.create("http://127.0.0.1:1/input.txt"), "connection dropped after 600 bytes");
        assertEquals(String.join(System.lineSeparator(),
                "downloading input.txt (size unknown)",
                "input.txt: 600 B, 100 B/s",
                "input.txt: 600 B in 6.0 s",
                "input.txt: http://127.0.0.1:1/input.txt failed: connection dropped after 600 bytes",
                ""), printed());
    }

    @Test
    void aTransferCutShortIsNotReportedAsDone() {
        ConsoleDownloadProgress progress = new ConsoleDownloadProgress(stream, false, nanos::get, Duration.ofSeconds(5));
        progress.start("input.txt", 2048);
        progress.advance(1024);
        nanos.set(Duration.ofMillis(1500).toNanos());
        progress.finish();
        assertEquals(String.join(System.lineSeparator(),
                "downloading input.txt (2.0 KiB)",
                "input.txt: stopped at 1.0 KiB of 2.0 KiB after 1.5 s",
                ""), printed());
    }

    @Test
    void onATerminalItDrawsABarNamingTheFile() {
        ConsoleDownloadProgress progress = new ConsoleDownloadProgress(stream, true);
        progress.start("t10k-labels-idx1-ubyte.gz", 4542);
        progress.advance(4542);
        progress.finish();
        progress.start("input.txt", -1); // Indefinite bar.
        progress.advance(10);
        progress.finish();
        String drawn = printed();
        assertTrue(drawn.contains("t10k-labels-idx1-ubyte.gz"), drawn);
        assertTrue(drawn.contains("100%"), drawn);
        assertTrue(drawn.contains("input.txt"), drawn);
    }

    @Test
    void silentSaysNothingAndSizesReadNaturally() {
        DownloadProgress silent = DownloadProgress.silent();
        silent.start("input.txt", 10);
        silent.advance(10);
        silent.finish();
        assertEquals("", printed());
        assertEquals("1023 B", ConsoleDownloadProgress.humanBytes(1023));
        assertEquals("1.0 KiB", ConsoleDownloadProgress.humanBytes(1024));
        assertEquals("9.5 MiB", ConsoleDownloadProgress.humanBytes(9_961_472));
        assertEquals("1.5 GiB", ConsoleDownloadProgress.humanBytes(3L << 29));
    }
}
