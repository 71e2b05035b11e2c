package org.lstm4j.cli;

import org.lstm4j.cli.bench.BenchCommand;
import org.lstm4j.cli.charlm.CharLmCommand;
import org.lstm4j.cli.classify.ClassifyCommand;
import org.lstm4j.cli.classify.CompareCommand;
import org.lstm4j.cli.classify.EvaluateCommand;
import org.lstm4j.cli.sine.SineCommand;
import picocli.CommandLine;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * Entry point of the {@code lstm4j} command. Exit codes: 0 success, 1 failed run ({@code error: ...}, also
 * for running out of memory), 2 invalid command line (picocli's message plus usage).
 */
@Command(
        name = "lstm4j",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Recurrent neural networks (LSTM, GRU, RNN) on the JVM with PyTorch semantics.",
        subcommands = {SineCommand.class, ClassifyCommand.class, EvaluateCommand.class, CompareCommand.class, CharLmCommand.class,
            BenchCommand.class, InfoCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    /** Read by {@link ErrorReporter} through the parse result; inherited so it works after a subcommand. */
    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show stack traces of errors.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (for tests and embedding: never calls exit). */
    public static int execute(String... args) {
        return newCommandLine().execute(args);
    }

    /** A configured command line, so tests can redirect its output streams before executing. */
    public static CommandLine newCommandLine() {
        // Plots are drawn off-screen; without this, AWT may look for a display.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionStrategy(Main::runReportingOutOfMemory)
                .setExecutionExceptionHandler(ErrorReporter.fromEnvironment());
    }

    /**
     * Runs the chosen subcommand like picocli's default strategy, but hands an {@link OutOfMemoryError} to the
     * {@link ErrorReporter} too. Picocli passes only {@code Exception}s to its handler and lets an {@code Error}
     * escape {@code execute} with a stack trace, which for running out of heap is the one failure a user can
     * fix with a setting.
     */
    private static int runReportingOutOfMemory(ParseResult parseResult) {
        try {
            return new CommandLine.RunLast().execute(parseResult);
        } catch (OutOfMemoryError e) {
            List<CommandLine> commands = parseResult.asCommandLineList();
            CommandLine failed = commands.get(commands.size() - 1);
            throw new ExecutionException(failed, "out of memory", OutOfMemoryException.after(e));
        }
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }
}
