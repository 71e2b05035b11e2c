package org.lstm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputPathsTest {
    @TempDir
    Path tmp;

    @Test
    void createsMissingDirectoriesAndLeavesNothingBehind() throws IOException {
        Path dir = tmp.resolve("a/b/c");
        assertEquals(dir, OutputPaths.prepareDirectory(dir, "--out"));
        assertTrue(Files.isDirectory(dir));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count(), "the write probe must be removed");
        }
        OutputPaths.prepareDirectory(dir, "--out"); // an existing directory is fine
    }

    @Test
    void aFileIsRefusedNamingThePath() throws IOException {
        Path file = Files.writeString(tmp.resolve("plot.png"), "x");
        IOException e = assertThrows(IOException.class, () -> OutputPaths.prepareDirectory(file, "--out"));
        assertEquals("--out " + file + " exists and is not a directory (it is a file)", e.getMessage());
    }

    @Test
    void aDeviceIsRefused() {
        Path devNull = Path.of("/dev/null");
        assumeTrue(Files.exists(devNull));
        IOException e = assertThrows(IOException.class, () -> OutputPaths.prepareDirectory(devNull, "--out"));
        assertEquals("--out /dev/null exists and is not a directory (it is a device or other special file)", e.getMessage());
    }

    @Test
    void aPathUnderAFileNamesTheFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("notes.txt"), "x");
        Path dir = file.resolve("run/1");
        IOException e = assertThrows(IOException.class, () -> OutputPaths.prepareDirectory(dir, "--out"));
        assertEquals("--out " + dir + " cannot be created: " + file + " is a file, not a directory", e.getMessage());
    }

    @Test
    void anUnwritablePlaceIsRefusedWithTheSystemsReason() {
        // /proc refuses new directories even to root, unlike a chmod'ed directory.
        Path proc = Path.of("/proc/lstm4j-out");
        assumeTrue(Files.isDirectory(Path.of("/proc/self")));
        IOException e = assertThrows(IOException.class, () -> OutputPaths.prepareDirectory(proc, "--out"));
        assertTrue(e.getMessage().startsWith("--out /proc/lstm4j-out cannot be written: "), e.getMessage());
        assertTrue(e.getMessage().length() > "--out /proc/lstm4j-out cannot be written: ".length() + 3, e.getMessage());
    }
}
