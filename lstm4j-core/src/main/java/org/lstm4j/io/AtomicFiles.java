package org.lstm4j.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
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
public final class AtomicFiles {
    /** Chunk size for writing, so a test observer can fail a write midway. */
    static final int CHUNK = 1 << 16;

    /** Test hook: called after each chunk is written to the temporary file. */
    @FunctionalInterface
    interface WriteObserver {
        void afterChunk(Path tempFile, long bytesWritten) throws IOException;
    }

    /** Produces a file's content onto a stream (which the caller must not close). */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes into the open temporary file. */
    @FunctionalInterface
    private interface TempFileWriter {
        void writeTo(Path tempFile, FileChannel channel) throws IOException;
    }

    private AtomicFiles() {}

    /** Temporary files are created owner-only; a saved model should be as readable as any file the user writes. */
    private static void readableLikeAnOrdinaryFile(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /** Replaces {@code target} with {@code bytes} atomically. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, bytes, (tmp, n) -> {});
    }

    /** Replaces {@code target} with what {@code content} writes, atomically (e.g. an encoded image). */
    public static void write(Path target, Content content) throws IOException {
        replace(target, (tmp, ch) -> {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch));
            content.writeTo(out);
            out.flush();
        });
    }

    static void write(Path target, byte[] bytes, WriteObserver observer) throws IOException {
        replace(target, (tmp, ch) -> {
            long written = 0;
            for (int off = 0; off < bytes.length; off += CHUNK) {
                ByteBuffer buf = ByteBuffer.wrap(bytes, off, Math.min(CHUNK, bytes.length - off));
                while (buf.hasRemaining()) {
                    written += ch.write(buf);
                }
                observer.afterChunk(tmp, written);
            }
        });
    }

    private static void replace(Path target, TempFileWriter writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        // Same directory as the target: a rename across file systems would not be atomic.
        Path tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            readableLikeAnOrdinaryFile(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writer.writeTo(tmp, ch);
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
