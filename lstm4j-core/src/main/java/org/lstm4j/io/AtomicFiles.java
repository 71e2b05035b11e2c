package org.lstm4j.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Atomic file replacement: write a temporary file in the target's directory, fsync it, rename it over the
 * target. Readers see either the old file or the complete new one, never a partial write; on failure the
 * temporary file is removed and the old file is left as it was.
 *
 * <p><b>Leftovers of killed writes.</b> A process killed mid-write (kill -9, the OOM killer, a power cut)
 * cannot remove its temporary file, so each write first removes those that earlier writes of the same
 * target left behind. Temporary files are named {@code .<target name>.pid<PID>-<random>.tmp} after the
 * writing process, and one is removed only when its writer cannot still be writing it:
 * <ul>
 * <li>no process with that PID is alive;
 * <li>the PID is this JVM's, and no thread of this JVM is writing that file (a previous run with the same
 *     PID, as in containers where every run is PID 1);
 * <li>the process with that PID started after the file was last written (the PID was reused);
 * <li>the name is the PID-less {@code .<target name>.<random>.tmp} of earlier builds of lstm4j and the file was
 *     not written for a minute.
 * </ul>
 * So a write of the same target running at the same time in another thread or process keeps its temporary
 * file (the last rename wins, as without the cleanup), and however many writes are killed, at most one
 * temporary file per target remains: the last killed one's, until the next write. This was chosen over a
 * lock file (which would stay beside every target, and file locks are unreliable on network file systems)
 * and over an age limit alone (a crash loop faster than the limit would pile files up). PIDs are per
 * machine: writes of the same target from two machines sharing a network file system are not told apart.
 */
public final class AtomicFiles {
    /** Chunk size for writing, so a test observer can fail a write midway. */
    static final int CHUNK = 1 << 16;

    static final String TEMP_SUFFIX = ".tmp";
    private static final long PID = ProcessHandle.current().pid();
    /** What follows {@code .<target name>.} in a temporary file's name, up to {@link #TEMP_SUFFIX}. */
    private static final Pattern TEMP_MIDDLE = Pattern.compile("pid(\\d{1,18})-\\d{1,20}");
    /** Same, as {@link Files#createTempFile} named them before temporary files carried the PID. */
    private static final Pattern LEGACY_TEMP_MIDDLE = Pattern.compile("\\d{1,20}");
    /** A PID-less temporary file untouched this long is taken as abandoned. */
    private static final Duration LEGACY_TEMP_AGE = Duration.ofMinutes(1);
    /**
     * A live process that started this long after a temporary file was last written has only reused its
     * writer's PID. The margin absorbs the coarse clock process start times are derived from.
     */
    private static final Duration PID_REUSE_MARGIN = Duration.ofSeconds(5);
    /**
     * Names of the temporary files this JVM is writing now; registered before they exist, removed after the
     * rename. Names, not paths: another spelling of the same directory (a link, "..") must find them too, and
     * the random part keeps names apart.
     */
    private static final Set<String> IN_PROGRESS = ConcurrentHashMap.newKeySet();

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
        String name = absolute.getFileName().toString();
        removeStaleTemporaryFiles(dir, name);
        // Same directory as the target: a rename across file systems would not be atomic.
        Path tmp = createTemporaryFile(dir, name);
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
            try {
                if (!moved) {
                    Files.deleteIfExists(tmp);
                }
            } finally {
                IN_PROGRESS.remove(tmp.getFileName().toString());
            }
        }
    }

    /** Creates {@code .<name>.pid<PID>-<random>.tmp} in {@code dir}, registered in {@link #IN_PROGRESS}. */
    private static Path createTemporaryFile(Path dir, String name) throws IOException {
        while (true) {
            String tmpName = "." + name + ".pid" + PID + "-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong())
                    + TEMP_SUFFIX;
            // Registered first, so that a cleanup in another thread never finds it unregistered; a name already
            // registered is another thread's: draw again.
            if (!IN_PROGRESS.add(tmpName)) {
                continue;
            }
            try {
                return Files.createFile(dir.resolve(tmpName));
            } catch (FileAlreadyExistsException e) {
                IN_PROGRESS.remove(tmpName); // a leftover's name: draw again
            } catch (IOException | RuntimeException e) {
                IN_PROGRESS.remove(tmpName);
                throw e;
            }
        }
    }

    /**
     * Removes the temporary files of earlier writes of {@code name} in {@code dir} whose writers cannot still be
     * writing them (see the class comment). Best effort: a file that cannot be removed now is tried at the
     * next write, and the write itself goes on.
     */
    private static void removeStaleTemporaryFiles(Path dir, String name) {
        String prefix = "." + name + ".";
        DirectoryStream.Filter<Path> temporaryOfTarget = p -> {
            String n = p.getFileName().toString();
            return n.length() > prefix.length() + TEMP_SUFFIX.length() && n.startsWith(prefix) && n.endsWith(TEMP_SUFFIX);
        };
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(dir, temporaryOfTarget)) {
            for (Path p : candidates) {
                String n = p.getFileName().toString();
                try {
                    if (isAbandoned(p, n.substring(prefix.length(), n.length() - TEMP_SUFFIX.length()))) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException | RuntimeException e) {
                    // Vanished meanwhile (another writer's cleanup), or not ours to delete: leave it.
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // An unlistable directory: the write itself will report whatever is wrong with it.
        }
    }

    /** Whether the temporary file {@code file}, whose name has {@code middle} between target name and suffix, is abandoned. */
    private static boolean isAbandoned(Path file, String middle) throws IOException {
        Matcher m = TEMP_MIDDLE.matcher(middle);
        if (m.matches()) {
            return !mayBeWriting(Long.parseLong(m.group(1)), file);
        }
        if (LEGACY_TEMP_MIDDLE.matcher(middle).matches()) {
            return lastWritten(file).plus(LEGACY_TEMP_AGE).isBefore(Instant.now());
        }
        return false; // another target's temporary file, e.g. of "<name>.1" when name is a prefix of it
    }

    /** Whether process {@code pid} may be writing {@code file} now. */
    private static boolean mayBeWriting(long pid, Path file) throws IOException {
        if (pid == PID) {
            return IN_PROGRESS.contains(file.getFileName().toString());
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        Optional<Instant> started = process.get().info().startInstant();
        // Without a start time a reused PID cannot be told from the writer: keep the file.
        return started.isEmpty() || !started.get().isAfter(lastWritten(file).plus(PID_REUSE_MARGIN));
    }

    private static Instant lastWritten(Path file) throws IOException {
        return Files.getLastModifiedTime(file).toInstant();
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
