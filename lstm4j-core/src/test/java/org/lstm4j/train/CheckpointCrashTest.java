package org.lstm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.io.SafeTensors;
import org.lstm4j.io.SafeTensorsFile;
import org.lstm4j.tensor.Tensor;

/**
 * Kills a process that saves checkpoints and a model file ({@link SavingLoop}) with SIGKILL at random moments,
 * restarting it over what it left each time, and checks after every kill that:
 * <ul>
 * <li>the latest checkpoint loads whole and is the last save reported complete or the one after it (the save
 *     in progress), every tensor value consistent with its step; the best one is the last multiple of
 *     {@link SavingLoop#BEST_EVERY};
 * <li>the model file (saved after the checkpoint of the same step) reads whole and is the last one saved
 *     whole before the kill or the one in progress, every value consistent with its step;
 * <li>temporary files and directories, and versions the index does not name, do not pile up: beside the
 *     index at most one temporary version directory, one temporary index file and
 *     {@link #MAX_UNNAMED_VERSIONS} versions it does not name, nothing else; beside the model file at most
 *     one temporary file; inside the versions the index names, only their files.
 * </ul>
 *
 * <p>By default it kills {@value #DEFAULT_KILLS} times or until {@value #DEFAULT_SECONDS} s have passed
 * (but at least {@value #MIN_KILLS} times), at moments drawn from a fixed seed as fractions of the time
 * a save is measured to take (so they also depend on the machine's speed). System properties:
 * {@code -Dlstm4j.crash.kills=500} for a long run (then with no time limit unless
 * {@code -Dlstm4j.crash.seconds=S} is given), {@code -Dlstm4j.crash.seed=N} for other moments. E.g.
 * {@code mvn -o test -pl lstm4j-core -Dtest=CheckpointCrashTest -Dlstm4j.crash.kills=500}. The test prints
 * the kills survived, the saves seen complete and the most leftovers it saw.
 *
 * <p>SIGKILL is {@link Process#destroyForcibly()} on Linux and macOS; on Windows it is TerminateProcess,
 * just as abrupt.
 */
class CheckpointCrashTest {
    static final int DEFAULT_KILLS = 40;
    static final int DEFAULT_SECONDS = 20;
    static final int MIN_KILLS = 10;
    /**
     * A kill comes at a random moment up to this many saves' time after the saver is told to go: some kills
     * land in its first save, which removes the leftovers of the previous one, most saves complete. The time a
     * save takes (30 ms on an idle machine, several times that on a busy one) is measured as the test goes.
     */
    static final int KILL_WITHIN_SAVES = 3;
    /** The guess at a save's time before any was measured. */
    static final long FIRST_GUESS_SAVE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * Versions the index does not name: the one a save renamed into place before the index names it, or those
     * the new index no longer names (the previous latest and best) while they are deleted.
     */
    static final int MAX_UNNAMED_VERSIONS = 2;
    private static final long READY_TIMEOUT_SECONDS = 60;

    @TempDir
    Path tmp;

    @Test
    void killedSavesLeaveTheLatestCheckpointWholeAndNoPileOfTemporaryFiles() throws Exception {
        String killsProperty = System.getProperty("lstm4j.crash.kills");
        int kills = killsProperty == null ? DEFAULT_KILLS : Integer.parseInt(killsProperty);
        Long seconds = Long.getLong("lstm4j.crash.seconds", killsProperty == null ? Long.valueOf(DEFAULT_SECONDS) : null);
        Random moments = new Random(Long.getLong("lstm4j.crash.seed", 20240611L));
        Path root = tmp.resolve("checkpoint");
        Path modelDir = Files.createDirectories(tmp.resolve("model"));
        Path modelFile = modelDir.resolve("model.safetensors");

        long startNanos = System.nanoTime();
        long verifiedStep = 0; // the latest checkpoint's, as last verified
        long verifiedModelStep = 0; // the model file's (it lags the checkpoint when a kill fell between the two)
        long savesCompleted = 0;
        long savingNanos = 0; // from each saver's go to the last save it reported
        int survived = 0;
        Leftovers most = new Leftovers(0, 0, 0, 0, 0);
        List<Saver> started = new ArrayList<>();
        try {
            Saver current = Saver.start(root, modelFile, tmp.resolve("scratch-0"), started);
            current.awaitReady();
            current.go();
            while (survived < kills && (survived < MIN_KILLS || seconds == null
                    || System.nanoTime() - startNanos < TimeUnit.SECONDS.toNanos(seconds))) {
                // The next saver starts up while this one saves: a JVM's start is the bulk of each round.
                Saver next = Saver.start(root, modelFile, tmp.resolve("scratch-" + (survived + 1)), started);
                long saveNanos = savesCompleted == 0 ? FIRST_GUESS_SAVE_NANOS : savingNanos / savesCompleted;
                TimeUnit.NANOSECONDS.sleep((long) (moments.nextDouble() * KILL_WITHIN_SAVES * saveNanos));
                List<String> printed = current.kill();
                savingNanos += current.lastLineNanos - current.goNanos;
                long lastReported = verifiedStep;
                for (String line : printed) {
                    long step = Long.parseLong(line);
                    assertEquals(lastReported + 1, step, "steps reported in order: " + printed);
                    lastReported = step;
                }
                savesCompleted += printed.size();
                String when = "after kill " + (survived + 1) + " (" + printed.size() + " saves reported complete, the last step "
                        + lastReported + ")";

                long latest = verifyCheckpoint(root, lastReported, when);
                long modelBefore = printed.isEmpty() ? verifiedModelStep : lastReported;
                verifiedModelStep = verifyModelFile(modelFile, modelBefore, lastReported + 1, latest, when);
                Leftovers left = Leftovers.count(root, modelDir, when);
                String listing = when + ": " + names(root) + " beside the index, " + names(modelDir) + " beside the model: ";
                assertTrue(left.temporaryDirectories() <= 1, listing + "temporary directories pile up");
                assertTrue(left.indexTemporaries() <= 1, listing + "temporary index files pile up");
                assertTrue(left.unnamedVersions() <= MAX_UNNAMED_VERSIONS, listing + "versions the index does not name pile up");
                assertEquals(0, left.unknown(), listing + "entries no save makes");
                assertTrue(left.modelTemporaries() <= 1, listing + "temporary model files pile up");
                most = most.max(left);

                verifiedStep = latest;
                survived++;
                current.deleteScratch();
                current = next;
                current.awaitReady();
                current.go();
            }
        } finally {
            for (Saver s : started) {
                s.process.destroyForcibly();
            }
        }
        System.out.printf("CheckpointCrashTest: %d kills survived, %d saves reported complete (%.0f ms each), latest step %d;"
                + " most leftovers after a kill: %d temporary version directories, %d temporary index files, %d versions"
                + " the index did not name, %d temporary model files%n", survived, savesCompleted,
                savingNanos / 1e6 / Math.max(1, savesCompleted), verifiedStep, most.temporaryDirectories(),
                most.indexTemporaries(), most.unnamedVersions(), most.modelTemporaries());
        assertTrue(savesCompleted > 0, "the savers completed no save at all: the kills came too early to test anything");
    }

    /** Checks the latest and best checkpoints after a kill; returns the latest's step (0: none saved yet). */
    private static long verifyCheckpoint(Path root, long lastReported, String when) throws IOException {
        if (!Files.exists(root.resolve(Checkpoint.INDEX))) {
            assertEquals(0, lastReported, when + ": no index, though saves were reported complete");
            return 0;
        }
        Checkpoint latest = Checkpoint.load(root);
        long step = latest.training().step();
        assertTrue(step == lastReported || step == lastReported + 1, when + ": the latest checkpoint is step " + step);
        verifyContents(latest, step, when);
        if (step >= SavingLoop.BEST_EVERY) {
            Checkpoint best = Checkpoint.load(root, Checkpoint.BEST);
            assertEquals(step - step % SavingLoop.BEST_EVERY, best.training().step(), when + ": the best checkpoint");
            verifyContents(best, best.training().step(), when);
        }
        return step;
    }

    private static void verifyContents(Checkpoint checkpoint, long step, String when) {
        Checkpoint.Contents c = checkpoint.contents();
        Checkpoint.Contents expected = SavingLoop.contents(step);
        assertEquals(expected.modelState().keySet(), c.modelState().keySet(), when);
        assertEquals(expected.optimizerState().keySet(), c.optimizerState().keySet(), when);
        for (Map<String, Tensor> state : List.of(c.modelState(), c.optimizerState())) {
            for (Map.Entry<String, Tensor> e : state.entrySet()) {
                String what = when + ": " + checkpoint.directory() + " " + e.getKey();
                assertEquals(step, SavingLoop.stepOf(e.getValue(), what), what);
            }
        }
        assertEquals(expected.modelConfig(), c.modelConfig(), when);
    }

    /**
     * Checks the model file after a kill: it must be whole and hold either {@code before} (the last step
     * reported, or what it held before this saver started) or {@code inProgress}. Returns its step.
     */
    private static long verifyModelFile(Path modelFile, long before, long inProgress, long latestCheckpoint,
            String when) throws IOException {
        if (!Files.exists(modelFile)) {
            assertEquals(0, before, when + ": no model file, though one was saved");
            return 0;
        }
        SafeTensorsFile file = SafeTensors.read(modelFile); // reading validates the whole file
        long step = -1;
        for (Map.Entry<String, Tensor> e : file.tensors().entrySet()) {
            long s = SavingLoop.stepOf(e.getValue(), when + ": " + modelFile + " " + e.getKey());
            assertTrue(step == -1 || step == s, when + ": the model file mixes steps " + step + " and " + s);
            step = s;
        }
        assertEquals(Map.of("format", "pt"), file.metadata(), when);
        assertTrue(step == before || step == inProgress, when + ": the model file is step " + step + ", not " + before
                + " or " + inProgress);
        assertTrue(step <= latestCheckpoint, when + ": the model file (step " + step + ") is saved after the checkpoint ("
                + latestCheckpoint + ")");
        return step;
    }

    /** What interrupted saves left, by kind. */
    record Leftovers(int temporaryDirectories, int indexTemporaries, int unnamedVersions, int unknown,
            int modelTemporaries) {
        /** Counts the leftovers beside the index and the model file; fails on stray files inside the named versions. */
        static Leftovers count(Path root, Path modelDir, String when) throws IOException {
            Set<String> named = new HashSet<>();
            if (Files.exists(root.resolve(Checkpoint.INDEX))) {
                for (Object version : Checkpoint.json().readValue(root.resolve(Checkpoint.INDEX).toFile(), Map.class).values()) {
                    named.add((String) version);
                    Path dir = root.resolve((String) version);
                    assertEquals(List.of(Checkpoint.DESCRIPTION, Checkpoint.MODEL, Checkpoint.OPTIMIZER), names(dir),
                            when + ": " + dir);
                }
            }
            int temporaryDirectories = 0;
            int indexTemporaries = 0;
            int unnamedVersions = 0;
            int unknown = 0;
            for (String n : Files.exists(root) ? names(root) : List.<String>of()) {
                if (n.equals(Checkpoint.INDEX) || named.contains(n)) {
                    continue;
                }
                if (n.startsWith(".tmp-step-") && Files.isDirectory(root.resolve(n))) {
                    temporaryDirectories++;
                } else if (n.startsWith("." + Checkpoint.INDEX + ".") && n.endsWith(".tmp")) {
                    indexTemporaries++;
                } else if (n.startsWith("step-") && Files.isDirectory(root.resolve(n))) {
                    unnamedVersions++;
                } else {
                    unknown++;
                }
            }
            int modelTemporaries = 0;
            for (String n : names(modelDir)) {
                if (!n.equals("model.safetensors")) {
                    modelTemporaries++;
                }
            }
            return new Leftovers(temporaryDirectories, indexTemporaries, unnamedVersions, unknown, modelTemporaries);
        }

        Leftovers max(Leftovers o) {
            return new Leftovers(Math.max(temporaryDirectories, o.temporaryDirectories),
                    Math.max(indexTemporaries, o.indexTemporaries), Math.max(unnamedVersions, o.unnamedVersions),
                    Math.max(unknown, o.unknown), Math.max(modelTemporaries, o.modelTemporaries));
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** One {@link SavingLoop} process, its stdout read into a queue as it comes. */
    private static final class Saver {
        private static final String END = "\u0000end";
        final Process process;
        final Path scratch;
        final Path errors;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final Thread reader;
        /** When it was told to go, and when its last line came (System.nanoTime). */
        volatile long goNanos;
        volatile long lastLineNanos;

        private Saver(Process process, Path scratch, Path errors) {
            this.process = process;
            this.scratch = scratch;
            this.errors = errors;
            this.reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        lastLineNanos = System.nanoTime();
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the process is gone
                } finally {
                    lines.add(END);
                }
            }, "saver-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        static Saver start(Path root, Path modelFile, Path scratch, List<Saver> started) throws IOException {
            Files.createDirectories(scratch);
            Path errors = scratch.resolveSibling(scratch.getFileName() + ".stderr");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // C1 only and the serial collector: a quicker start, and the saves are bound by fsync, not by code.
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-cp", System.getProperty("java.class.path"), SavingLoop.class.getName(),
                    root.toString(), modelFile.toString(), scratch.toString())
                    .redirectError(errors.toFile());
            Saver s = new Saver(pb.start(), scratch, errors);
            started.add(s);
            return s;
        }

        void awaitReady() throws Exception {
            String line = lines.poll(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!SavingLoop.READY.equals(line)) {
                process.destroyForcibly();
                fail("the saver did not get ready (" + (line == null ? "timed out" : line) + "): " + Files.readString(errors));
            }
        }

        void go() throws IOException {
            goNanos = System.nanoTime();
            lastLineNanos = goNanos;
            OutputStream in = process.getOutputStream();
            in.write('\n');
            in.flush();
        }

        /** Kills the process with SIGKILL; returns the lines it printed since {@link #awaitReady}. */
        List<String> kill() throws Exception {
            if (!process.isAlive()) {
                fail("the saver died before its kill, exit code " + process.exitValue() + ": " + Files.readString(errors));
            }
            process.destroyForcibly();
            process.waitFor();
            reader.join();
            List<String> out = new ArrayList<>();
            lines.drainTo(out);
            out.remove(END);
            return out;
        }

        void deleteScratch() throws IOException {
            Checkpoint.deleteRecursively(scratch);
        }
    }
}
