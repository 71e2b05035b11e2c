package org.lstm4j.cli.sine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.cli.CliRun;
import org.lstm4j.cli.train.CellType;
import org.lstm4j.kernels.Parallelism;
import org.lstm4j.nn.Linear;
import org.lstm4j.nn.RNNBase;
import org.lstm4j.tensor.Tensor;

/** Every value {@code sine} cannot run with is refused before training, naming the option or path and why. */
class SineOptionChecksTest {
    /** A refused run must not have trained: training even one step of these would take far longer. */
    private static final double PROMPT_SECONDS = 5;

    @TempDir
    Path tmp;

    private static CliRun timed(String... args) {
        long start = System.nanoTime();
        CliRun run = CliRun.of(args);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < PROMPT_SECONDS, "took " + seconds + " s: the check came after the work\n" + run.err());
        return run;
    }

    @Test
    void hugeStepCountsAreAUsageError() {
        CliRun run = timed("sine", "--steps", "2147483647", "--out", tmp.toString(), "--no-progress");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("Invalid value for option '--steps': must be at most 10000000 (the loss of every step"
                + " is kept for the plot, and 10 million steps take an hour or more), was 2147483647"), run.err());
        assertFalse(Files.exists(tmp.resolve("sine.png")));
    }

    @Test
    void hugeHiddenSizesAreAUsageErrorWithTheReason() {
        CliRun run = timed("sine", "--hidden", "20000", "--out", tmp.toString(), "--no-progress");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("Invalid value for option '--hidden': must be at most 8192 (an LSTM's recurrent weights"
                + " are 4*H*H floats: 1 GiB at 8192, 4 GiB with gradients and Adam's moments), was 20000"), run.err());
        assertTrue(run.err().contains("Usage: lstm4j sine"), run.err());
    }

    @Test
    void threadsOutsideOneToFourPerCoreAreAUsageError() {
        int saved = Parallelism.threads();
        CliRun many = timed("sine", "--threads", "100000", "--out", tmp.toString(), "--no-progress");
        assertEquals(2, many.exitCode(), many.err());
        int cores = Runtime.getRuntime().availableProcessors();
        assertTrue(many.err().contains("Invalid value for option '--threads': must be at most " + 4 * cores
                + " (4 per core on this machine of " + cores + " cores), was 100000"), many.err());
        CliRun none = timed("sine", "--threads", "0", "--out", tmp.toString(), "--no-progress");
        assertEquals(2, none.exitCode(), none.err());
        assertTrue(none.err().contains("'--threads': must be at least 1, was 0"), none.err());
        assertEquals(saved, Parallelism.threads(), "a refused run must leave the thread setting alone");
    }

    @Test
    void threadsAreApplied() {
        int saved = Parallelism.threads();
        try {
            CliRun run = CliRun.of("sine", "--threads", "1", "--steps", "2", "--out", tmp.toString(), "--no-progress");
            assertEquals(0, run.exitCode(), run.err());
            assertEquals(1, Parallelism.threads());
        } finally {
            Parallelism.setThreads(saved);
        }
    }

    @Test
    void anOutputThatIsAFileIsFoundBeforeTraining() throws IOException {
        Path file = Files.writeString(tmp.resolve("sine.png"), "not a directory");
        // 10 million steps would take an hour: finishing at once proves nothing was trained.
        CliRun run = timed("sine", "--out", file.toString(), "--steps", "10000000", "--no-progress");
        assertEquals(1, run.exitCode(), run.err());
        assertEquals("error: --out " + file + " exists and is not a directory (it is a file)", run.err().strip());
        assertEquals("not a directory", Files.readString(file));
    }

    @Test
    void devNullIsRefused() {
        assumeTrue(Files.exists(Path.of("/dev/null")));
        CliRun run = timed("sine", "--out", "/dev/null", "--steps", "10000000", "--no-progress");
        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().startsWith("error: --out /dev/null exists and is not a directory (it is a device"), run.err());
    }

    @Test
    void anUnwritablePlaceIsRefused() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")));
        CliRun run = timed("sine", "--out", "/proc/lstm4j-sine", "--steps", "10000000", "--no-progress");
        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().startsWith("error: --out /proc/lstm4j-sine cannot be written: "), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }

    @Test
    void aModelBeyondTheHeapIsRefusedBeforeAllocatingIt() {
        SineConfig big = new SineConfig(100, SineConfig.MAX_HIDDEN, 0.02, 0, "lstm");
        // The tests run with -Xmx4g, below the 4.0 GiB this model needs; a larger heap would really train it.
        assumeTrue(big.trainingBytes() > Runtime.getRuntime().maxMemory(), "the heap is large enough for this model");
        CliRun run = timed("sine", "--hidden", "8192", "--out", tmp.toString(), "--no-progress");
        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().strip().matches("error: out of memory: training the lstm of hidden 8192 for 100 steps \\(at least"
                + " 4\\.0 GiB: weights, gradients, Adam's moments and the loss curve\\) - give the JVM more heap with"
                + " LSTM4J_JAVA_OPTS=-Xmx\\d+g \\(now \\d+\\.\\d GiB\\)"), run.err());
        assertFalse(Files.exists(tmp.resolve("sine.png")));
    }

    @Test
    void theParameterCountIsTheModelsOwn() {
        for (CellType cell : CellType.values()) {
            for (int hidden : new int[] {1, 7, 32}) {
                RNNBase rnn = cell.create(1, hidden);
                Linear head = new Linear(hidden, 1);
                long actual = rnn.parameters().stream().mapToLong(Tensor::numel).sum()
                        + head.parameters().stream().mapToLong(Tensor::numel).sum();
                SineConfig config = new SineConfig(10, hidden, 0.02, 0, cell.toString());
                assertEquals(actual, config.parameterCount(), cell + " hidden " + hidden);
                assertEquals(16 * actual + 20 * 10, config.trainingBytes(), cell + " hidden " + hidden);
            }
        }
    }

    @Test
    void theConfigRecordEnforcesTheSameRanges() {
        assertThrows(IllegalArgumentException.class, () -> new SineConfig(SineConfig.MAX_STEPS + 1, 32, 0.02, 0, "lstm"));
        assertThrows(IllegalArgumentException.class, () -> new SineConfig(100, SineConfig.MAX_HIDDEN + 1, 0.02, 0, "lstm"));
        assertEquals(SineConfig.MAX_STEPS, new SineConfig(SineConfig.MAX_STEPS, 32, 0.02, 0, "lstm").steps());
    }
}
