package org.lstm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.lstm4j.kernels.Parallelism;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * An {@link OutOfMemoryError} in a command becomes one {@code error: out of memory: ...} line and exit code 1, through
 * the real {@link Main#newCommandLine()} path. The error is simulated by a test-only subcommand: exhausting the heap
 * of the test JVM would be slow and would disturb everything else running in it.
 */
class OutOfMemoryReportTest {
    private static final String HEAP_LINE =
            "error: out of memory: Java heap space - give the JVM more heap with LSTM4J_JAVA_OPTS=-Xmx\\d+g \\(now \\d+\\.\\d (GiB|MiB)\\)";

    /** Throws the error it is given, made here so that its stack trace starts where a command's work would fail. */
    @Command(name = "exhaust")
    static final class Exhaust implements Callable<Integer> {
        private final Supplier<Error> error;

        Exhaust(Supplier<Error> error) {
            this.error = error;
        }

        @Override
        public Integer call() {
            throw error.get();
        }
    }

    /** Throws from inside a parallel loop, so the error crosses the kernels' worker threads first. */
    @Command(name = "exhaust-in-parallel")
    static final class ExhaustInParallel implements Callable<Integer> {
        @Override
        public Integer call() {
            Parallelism.parallelFor(64, i -> {
                if (i == 63) {
                    throw new OutOfMemoryError("Java heap space");
                }
            });
            return 0;
        }
    }

    private static CliRun run(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    private static CommandLine withExhaust(Supplier<Error> error) {
        CommandLine cli = Main.newCommandLine();
        cli.addSubcommand(new Exhaust(error));
        cli.addSubcommand(new ExhaustInParallel());
        return cli;
    }

    @Test
    void heapExhaustionIsOneLineWithTheHeapToSetAndExitCodeOne() {
        CliRun run = run(withExhaust(() -> new OutOfMemoryError("Java heap space")), "exhaust");
        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().strip().matches(HEAP_LINE), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace without --verbose: " + run.err());
        long max = Runtime.getRuntime().maxMemory();
        assertTrue(run.err().contains("(now " + MemorySizes.format(max) + ")"), run.err());
        assertTrue(run.err().contains(MemorySizes.suggestedHeapOption(max, -1)), run.err());
    }

    @Test
    void anErrorFromAWorkerThreadIsReportedTheSameWay() {
        int saved = Parallelism.threads();
        Parallelism.setThreads(2);
        try {
            CliRun run = run(withExhaust(OutOfMemoryError::new), "exhaust-in-parallel");
            assertEquals(1, run.exitCode(), run.err());
            assertTrue(run.err().strip().matches(HEAP_LINE), run.err());
        } finally {
            Parallelism.setThreads(saved);
        }
    }

    @Test
    void verboseShowsTheOriginalErrorsStackTrace() {
        CliRun run = run(withExhaust(() -> new OutOfMemoryError("Java heap space")), "--verbose", "exhaust");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().lines().findFirst().orElseThrow().matches(HEAP_LINE), run.err());
        assertTrue(run.err().contains("Caused by: java.lang.OutOfMemoryError: Java heap space"), run.err());
        assertTrue(run.err().contains("at org.lstm4j.cli.OutOfMemoryReportTest$Exhaust.call"), run.err());
    }

    @Test
    void theDebugEnvironmentSettingShowsItToo() {
        CommandLine cli = withExhaust(() -> new OutOfMemoryError("Java heap space"));
        cli.setExecutionExceptionHandler(new ErrorReporter(true)); // what LSTM4J_DEBUG=1 makes
        CliRun run = run(cli, "exhaust");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("Caused by: java.lang.OutOfMemoryError"), run.err());
    }

    @Test
    void runningOutOfThreadsAdvisesFewerThreadsNotMoreHeap() {
        CliRun run = run(withExhaust(() -> new OutOfMemoryError(
                "unable to create native thread: possibly out of memory or process/resource limits reached")), "exhaust");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().startsWith("error: out of memory: cannot start another thread (unable to create native thread"),
                run.err());
        assertTrue(run.err().contains("use fewer threads (--threads) or raise the process limit (ulimit -u)"), run.err());
        assertFalse(run.err().contains("-Xmx"), run.err());
    }

    @Test
    void otherErrorsStillPropagate() {
        // Only running out of memory has a remedy to report; a StackOverflowError is a bug and keeps its trace.
        CommandLine cli = withExhaust(StackOverflowError::new);
        try {
            run(cli, "exhaust");
        } catch (StackOverflowError expected) {
            return;
        }
        throw new AssertionError("a StackOverflowError was swallowed");
    }

    @Test
    void whatWasBeingAllocatedComesFirstWhenKnown() {
        OutOfMemoryException e = OutOfMemoryException.after(new OutOfMemoryError("Java heap space"),
                "the weights of an lstm of hidden 8192 (at least 4.0 GiB)", 4L << 30);
        assertTrue(e.getMessage().startsWith(
                "out of memory: the weights of an lstm of hidden 8192 (at least 4.0 GiB) (Java heap space) - give the JVM"),
                e.getMessage());
        assertTrue(e.getCause() instanceof OutOfMemoryError);
        OutOfMemoryException before = OutOfMemoryException.beforehand("the model (20.0 GiB)", 20L << 30);
        assertTrue(before.getMessage().matches("out of memory: the model \\(20\\.0 GiB\\) - give the JVM more heap with "
                + "LSTM4J_JAVA_OPTS=-Xmx\\d+g \\(now .*\\)"), before.getMessage());
        assertEquals(null, before.getCause());
    }
}
