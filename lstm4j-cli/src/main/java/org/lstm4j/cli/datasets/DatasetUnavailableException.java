package org.lstm4j.cli.datasets;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Some files of a dataset are missing and no mirror delivered them intact. The message is meant for the
 * user as it is: it lists each missing file with its SHA-256, the directory where it was looked for,
 * every URL tried with why it failed, and ends with how to put the files there by hand.
 */
public final class DatasetUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * One URL asked for a file, and why that did not give the file.
     *
     * @param url     the URL as listed in the spec (before any redirect)
     * @param failure e.g. {@code HTTP 404} or {@code connection dropped after 1024 of 4096 bytes}
     */
    public record Attempt(URI url, String failure) {}

    /**
     * A file that is still missing, and every attempt made to download it.
     *
     * @param file     the file as specified
     * @param attempts in the order made, one per URL of the file
     */
    public record MissingFile(RemoteFile file, List<Attempt> attempts) {
        /** Copies the list. */
        public MissingFile {
            attempts = List.copyOf(attempts);
        }
    }

    private final transient Path directory;
    private final transient List<MissingFile> missingFiles;

    /**
     * @param directory    where the files were looked for and would have been saved
     * @param missingFiles at least one file
     */
    public DatasetUnavailableException(Path directory, List<MissingFile> missingFiles) {
        super(message(directory, missingFiles));
        this.directory = directory;
        this.missingFiles = List.copyOf(missingFiles);
    }

    /** Where the files were looked for. */
    public Path directory() {
        return directory;
    }

    /** The files still missing, with the attempts made for each. */
    public List<MissingFile> missingFiles() {
        return missingFiles;
    }

    private static String message(Path directory, List<MissingFile> missingFiles) {
        int count = missingFiles.size();
        StringBuilder message = new StringBuilder()
                .append(count).append(count == 1 ? " file is" : " files are")
                .append(" missing from ").append(directory).append(" and could not be downloaded:");
        for (MissingFile missing : missingFiles) {
            message.append("\n  ").append(missing.file().name())
                    .append(" (SHA-256 ").append(missing.file().sha256()).append(')');
            for (Attempt attempt : missing.attempts()) {
                message.append("\n    ").append(attempt.url()).append(": ").append(attempt.failure());
            }
        }
        return message.append("\nCopy ").append(count == 1 ? "it" : "them").append(" into ").append(directory)
                .append(" by hand (e.g. from a machine with internet access); the SHA-256 is checked on the next run.")
                .toString();
    }
}
