package org.lstm4j.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Checks where a command will write, before it does any work: a run that trains for an hour and then cannot
 * save its plot has wasted the hour. Each failure is an {@link IOException} whose message names the option,
 * the path and what is wrong with it.
 */
public final class OutputPaths {
    private OutputPaths() {}

    /**
     * Creates {@code dir} (and its parents) if needed and checks that a file can be created in it.
     *
     * @param dir    the output directory
     * @param option the option that named it, e.g. {@code --out}, for the message
     * @return {@code dir}
     * @throws IOException when {@code dir} is a file or a device, lies under a file, or cannot be written
     */
    public static Path prepareDirectory(Path dir, String option) throws IOException {
        String name = option + " " + dir;
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException(name + " exists and is not a directory (it is " + kind(dir) + ")");
        }
        Path blocker = fileAmongAncestors(dir);
        if (blocker != null) {
            throw new IOException(name + " cannot be created: " + blocker + " is " + kind(blocker) + ", not a directory");
        }
        try {
            Files.createDirectories(dir);
            // Permissions alone do not tell (root, ACLs, read-only mounts): creating a file does.
            Path probe = Files.createTempFile(dir, ".write-check-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new IOException(name + " cannot be written: " + reason(e), e);
        }
        return dir;
    }

    /** The nearest existing ancestor of {@code path} when it is not a directory, else null. */
    private static Path fileAmongAncestors(Path path) {
        for (Path p = path.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                return Files.isDirectory(p) ? null : p;
            }
        }
        return null;
    }

    /** What an existing path that is not a directory is, e.g. /dev/null a device. */
    private static String kind(Path path) {
        return Files.isRegularFile(path) ? "a file" : "a device or other special file";
    }

    /** The operating system's reason, e.g. {@code permission denied on /root/x} or {@code read-only file system}. */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException denied) {
            return "permission denied on " + denied.getFile();
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason().toLowerCase(Locale.ROOT) + (fs.getFile() != null ? " (" + fs.getFile() + ")" : "");
        }
        return e.getClass().getSimpleName() + (e.getMessage() != null ? " " + e.getMessage() : "");
    }
}
