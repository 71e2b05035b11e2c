package org.lstm4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Atomic file replacement: write a temporary file in the target's directory, fsync it, rename it over the
 * target. Readers see either the old file or the complete new one, never a partial write; on failure the
 * temporary file is removed and the old file is left as it was.
 */
final class AtomicFiles {
    /** Chunk size for writing, so a test observer can fail a write midway. */
    static final int CHUNK = 1 << 16;

    /** Test hook: called after each chunk is written to the temporary file. */
    @FunctionalInterface
    interface WriteObserver {
        void afterChunk(Path tempFile, long bytesWritten) throws IOException;
    }

    private AtomicFiles() {}

    /** Temporary files are created owner-only; a saved model should be as readable as any file the user writes. */
    private static void readableLikeAnOrdinaryFile(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    static void write(Path target, byte[] bytes) throws IOException {
        write(target, bytes, (tmp, n) -> {});
    }

    static void write(Path target, byte[] bytes, WriteObserver observer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        // Same directory as the target: a rename across file systems would not be atomic.
        Path tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            readableLikeAnOrdinaryFile(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                long written = 0;
                for (int off = 0; off < bytes.length; off += CHUNK) {
                    ByteBuffer buf = ByteBuffer.wrap(bytes, off, Math.min(CHUNK, bytes.length - off));
                    while (buf.hasRemaining()) {
                        written += ch.write(buf);
                    }
                    observer.afterChunk(tmp, written);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Makes the rename durable where the platform allows opening a directory (not on Windows). */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort only: the file itself is already synced and in place.
        }
    }
}
