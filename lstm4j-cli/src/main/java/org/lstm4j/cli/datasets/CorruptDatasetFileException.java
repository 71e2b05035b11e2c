package org.lstm4j.cli.datasets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Files of a dataset are present but their content is not the expected one (a truncated copy, another
 * version, a different file under the same name). They are left as they are: deleting or replacing a
 * user's file is the user's decision, so the message says which files, what was expected and what was
 * found, and to delete them to download them again.
 */
public final class CorruptDatasetFileException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * One file whose SHA-256 is not the expected one.
     *
     * @param file           the file on disk
     * @param expectedSha256 what the dataset's spec says
     * @param actualSha256   what the file has
     * @param size           its length in bytes (a short file is usually a truncated copy)
     */
    public record Mismatch(Path file, String expectedSha256, String actualSha256, long size) {}

    private final transient List<Mismatch> mismatches;

    /** @param mismatches at least one file */
    public CorruptDatasetFileException(List<Mismatch> mismatches) {
        super(message(mismatches));
        this.mismatches = List.copyOf(mismatches);
    }

    /** The files whose content is wrong. */
    public List<Mismatch> mismatches() {
        return mismatches;
    }

    private static String message(List<Mismatch> mismatches) {
        StringBuilder message = new StringBuilder();
        for (Mismatch mismatch : mismatches) {
            message.append(mismatch.file()).append(" has unexpected content: expected SHA-256 ")
                    .append(mismatch.expectedSha256()).append(", got ").append(mismatch.actualSha256())
                    .append(" (").append(mismatch.size()).append(" bytes)\n");
        }
        return message.append(mismatches.size() == 1 ? "Delete it to download it again." : "Delete them to download them again.")
                .toString();
    }
}
