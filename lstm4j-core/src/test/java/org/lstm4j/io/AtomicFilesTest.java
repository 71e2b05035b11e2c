package org.lstm4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leftovers of killed writes: which temporary files the next write removes, and which it must keep. */
class AtomicFilesTest {
    private static final long OWN_PID = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** A temporary file as a write of {@code target} by process {@code pid} names it. */
    private Path temporary(String target, long pid, long random, int bytes) throws IOException {
        return Files.write(dir.resolve("." + target + ".pid" + pid + "-" + random + ".tmp"), new byte[bytes]);
    }

    /** A PID no process has (PIDs are below 2^22 on Linux, below 10^5 on macOS). */
    private static long deadPid() {
        for (long pid = 999_999_937L; ; pid--) {
            if (ProcessHandle.of(pid).isEmpty()) {
                return pid;
            }
        }
    }

    @Test
    void theNextWriteRemovesWhatKilledWritesOfTheSameTargetLeft() throws IOException {
        Path target = dir.resolve("model.safetensors");
        // As 25 writers killed with kill -9 left them: each a full-size temporary file.
        long dead = deadPid();
        for (int i = 0; i < 25; i++) {
            temporary("model.safetensors", dead, 1000 + i, 4096);
        }
        // A process that ran before this JVM with its PID (every container run is PID 1) and was killed.
        temporary("model.safetensors", OWN_PID, 7, 4096);
        assertEquals(26, names().size());

        AtomicFiles.write(target, new byte[] {1, 2, 3});
        assertEquals(List.of("model.safetensors"), names());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
    }

    @Test
    void otherTargetsAndOtherFilesAreLeftAlone() throws IOException {
        long dead = deadPid();
        List<String> others = new ArrayList<>();
        // Another target whose name begins with this one's, and one it begins with.
        others.add(temporary("model.safetensors.1", dead, 5, 10).getFileName().toString());
        others.add(temporary("model", dead, 6, 10).getFileName().toString());
        // The user's own files that merely look alike.
        others.add(Files.write(dir.resolve(".model.safetensors.notes.tmp"), new byte[1]).getFileName().toString());
        others.add(Files.write(dir.resolve(".model.safetensors.pidX-1.tmp"), new byte[1]).getFileName().toString());
        others.add(Files.write(dir.resolve("model.safetensors.pid1-1.tmp"), new byte[1]).getFileName().toString());

        AtomicFiles.write(dir.resolve("model.safetensors"), new byte[] {1});
        List<String> expected = new ArrayList<>(others);
        expected.add("model.safetensors");
        assertEquals(expected.stream().sorted().toList(), names());
    }

    @Test
    void aLiveProcessesTemporaryFileIsKeptUnlessItsPidWasReused() throws IOException {
        ProcessHandle parent = ProcessHandle.current().parent().orElseThrow();
        Instant parentStarted = parent.info().startInstant().orElseThrow();
        Path live = temporary("model.safetensors", parent.pid(), 1, 10);
        // Last written before the process with that PID started: another process's, whose PID was reused.
        Path reused = temporary("model.safetensors", parent.pid(), 2, 10);
        Files.setLastModifiedTime(reused, FileTime.from(parentStarted.minus(Duration.ofMinutes(1))));

        AtomicFiles.write(dir.resolve("model.safetensors"), new byte[] {1});
        assertEquals(List.of(live.getFileName().toString(), "model.safetensors"), names());
    }

    @Test
    void theFilesOfEarlierBuildsGoOnceAMinuteOld() throws IOException {
        // Files.createTempFile's names, as AtomicFiles used before it put the PID in them.
        Path old = Files.write(dir.resolve(".model.safetensors.8124675012345678901.tmp"), new byte[10]);
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofMinutes(2))));
        Path recent = Files.write(dir.resolve(".model.safetensors.5124675012345678901.tmp"), new byte[10]);

        AtomicFiles.write(dir.resolve("model.safetensors"), new byte[] {1});
        assertEquals(List.of(recent.getFileName().toString(), "model.safetensors"), names());
    }

    @Test
    void aConcurrentWriteOfTheSameTargetKeepsItsTemporaryFile() throws Exception {
        writeWhileAnotherThreadIsMidway(dir.resolve("model.safetensors"));
    }

    @Test
    void soDoesAConcurrentWriteThroughAnotherSpellingOfTheDirectory() throws Exception {
        Path link = dir.resolve("link");
        try {
            Files.createSymbolicLink(link, dir);
        } catch (UnsupportedOperationException | IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no symbolic links here: " + e);
        }
        writeWhileAnotherThreadIsMidway(link.resolve("model.safetensors"));
        Files.delete(link);
        assertEquals(List.of("model.safetensors"), names());
    }

    /** Writes {@code sameTarget} whole while another thread is midway writing it under its name in {@link #dir}. */
    private void writeWhileAnotherThreadIsMidway(Path sameTarget) throws Exception {
        Path target = dir.resolve("model.safetensors");
        byte[] slow = new byte[3 * AtomicFiles.CHUNK];
        slow[0] = 1;
        CountDownLatch midway = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        AtomicReference<Path> slowTemporary = new AtomicReference<>();
        CompletableFuture<Void> slowWrite = CompletableFuture.runAsync(() -> {
            try {
                AtomicFiles.write(target, slow, (tmp, written) -> {
                    if (slowTemporary.getAndSet(tmp) == null) {
                        midway.countDown();
                        try {
                            assertTrue(resume.await(30, TimeUnit.SECONDS));
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                    }
                });
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertTrue(midway.await(30, TimeUnit.SECONDS));
        // This thread's write, whole while the other is midway, removes nothing of it.
        AtomicFiles.write(sameTarget, new byte[] {2});
        assertTrue(Files.exists(slowTemporary.get()), "the concurrent write's temporary file was removed");
        assertArrayEquals(new byte[] {2}, Files.readAllBytes(target));

        resume.countDown();
        slowWrite.get(30, TimeUnit.SECONDS);
        assertArrayEquals(slow, Files.readAllBytes(target), "the last rename wins");
        assertEquals(List.of(), names().stream().filter(n -> n.endsWith(".tmp")).toList());
    }

    @Test
    void aLeftoverThatCannotBeRemovedDoesNotFailTheWrite() throws IOException {
        // A non-empty directory with a temporary file's name: deleting it fails every time.
        Path stubborn = dir.resolve(".model.safetensors.pid" + deadPid() + "-1.tmp");
        Files.createDirectories(stubborn.resolve("inside"));

        AtomicFiles.write(dir.resolve("model.safetensors"), new byte[] {1});
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(dir.resolve("model.safetensors")));
        assertTrue(Files.isDirectory(stubborn.resolve("inside")));
    }

    @Test
    void temporaryFilesAreNamedAfterTheTargetAndThisProcess() throws IOException {
        List<String> seen = new ArrayList<>();
        AtomicFiles.write(dir.resolve("model.safetensors"), new byte[10], (tmp, written) -> seen.add(tmp.getFileName().toString()));
        assertEquals(1, seen.size());
        assertTrue(seen.get(0).matches("\\.model\\.safetensors\\.pid" + OWN_PID + "-\\d+\\.tmp"), seen.get(0));
    }
}
