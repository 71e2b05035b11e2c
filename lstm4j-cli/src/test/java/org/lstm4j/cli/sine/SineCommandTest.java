package org.lstm4j.cli.sine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.cli.CliRun;

class SineCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesThePlotAndReportsTheFinalMse() throws IOException {
        Path out = tmp.resolve("nested/sine");
        CliRun run = CliRun.of("sine", "--steps", "30", "--out", out.toString(), "--no-progress");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().matches("(?s)final MSE \\(last window\\): \\d\\.\\d{3}e[-+]\\d+\\n.*"), run.out());
        Path png = out.resolve("sine.png");
        assertTrue(run.out().contains("plot: " + png), run.out());

        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "sine.png does not decode");
        assertEquals(1280, image.getWidth());
        assertEquals(420, image.getHeight());
        // Atomic write: no temporary file left behind.
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void aSingleStepStillPlots() throws IOException {
        CliRun run = CliRun.of("sine", "--steps", "1", "--out", tmp.toString(), "--no-progress");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("1 step in"), run.out());
        assertNotNull(ImageIO.read(tmp.resolve("sine.png").toFile()));
    }

    @Test
    void progressBarRunsWithoutBreakingTheCommand() {
        CliRun run = CliRun.of("sine", "--steps", "3", "--cell", "gru", "--out", tmp.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(Files.exists(tmp.resolve("sine.png")));
    }

    @Test
    void unknownOptionIsAUsageErrorNamingIt() {
        CliRun run = CliRun.of("sine", "--foo", "--out", tmp.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Unknown option: '--foo'"), run.err());
        assertTrue(run.err().contains("Usage: lstm4j sine"), run.err());
        assertFalse(Files.exists(tmp.resolve("sine.png")));
    }

    @Test
    void unknownCellNamesTheAllowedValues() {
        CliRun run = CliRun.of("sine", "--cell", "lstmx", "--out", tmp.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--cell"), run.err());
        assertTrue(run.err().contains("lstmx"), run.err());
        assertTrue(run.err().contains("[lstm, gru, rnn]"), run.err());
    }

    @Test
    void cellIsCaseInsensitive() {
        CliRun run = CliRun.of("sine", "--cell", "RNN", "--steps", "2", "--out", tmp.toString(), "--no-progress");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("trained rnn"), run.out());
    }

    @Test
    void nonPositiveStepsAreRejected() {
        for (String steps : new String[] {"0", "-3"}) {
            CliRun run = CliRun.of("sine", "--steps", steps, "--out", tmp.toString());
            assertEquals(2, run.exitCode(), "--steps " + steps + ": " + run.err());
            assertTrue(run.err().contains("Invalid value for option '--steps': must be at least 1, was " + steps),
                    run.err());
        }
    }

    @Test
    void nonNumericStepsAreRejected() {
        CliRun run = CliRun.of("sine", "--steps", "many", "--out", tmp.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Invalid value for option '--steps'"), run.err());
        assertTrue(run.err().contains("many"), run.err());
    }

    @Test
    void nonPositiveLearningRateIsRejected() {
        CliRun run = CliRun.of("sine", "--lr", "0", "--out", tmp.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Invalid value for option '--lr'"), run.err());
    }

    @Test
    void divergingRunFailsWithTheStepAndNoStackTrace() {
        CliRun run = CliRun.of("sine", "--lr", "1e30", "--out", tmp.toString(), "--no-progress");
        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().matches("(?s)error: loss became (NaN|Inf|-Inf) at step \\d+ \\(lr 1e\\+30\\): lower --lr\\s*"),
                run.err());
        assertFalse(Files.exists(tmp.resolve("sine.png")), "no plot for a failed run");
    }

    @Test
    void verboseAddsTheStackTrace() {
        CliRun run = CliRun.of("sine", "--lr", "1e30", "--out", tmp.toString(), "--no-progress", "--verbose");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("NonFiniteLossException"), run.err());
        assertTrue(run.err().contains("\tat org.lstm4j.cli.sine.SineTask.train"), run.err());
    }
}
