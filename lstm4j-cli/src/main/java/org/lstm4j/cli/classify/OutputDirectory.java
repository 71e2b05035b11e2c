package org.lstm4j.cli.classify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Makes sure an output directory can be written before any training starts, not after. */
final class OutputDirectory {
    private OutputDirectory() {}

    /**
     * Creates {@code dir} if needed and checks that files can be created in it.
     *
     * @throws IOException naming the directory and what is wrong with it
     */
    static Path prepare(Path dir, String option) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException(option + " " + dir + " exists and is not a directory");
        }
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-check-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new IOException(option + " " + dir + " cannot be written: " + e.getClass().getSimpleName()
                    + (e.getMessage() != null ? " " + e.getMessage() : ""), e);
        }
        return dir;
    }
}
