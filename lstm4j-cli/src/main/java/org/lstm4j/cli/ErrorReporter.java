package org.lstm4j.cli;

import java.io.PrintWriter;
import org.lstm4j.cli.train.Numbers;
import org.lstm4j.train.NonFiniteLossException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception escaping a subcommand into {@code error: <message>} on stderr and exit code 1.
 * The stack trace is shown only with {@code --verbose} or a non-empty {@code LSTM4J_DEBUG} environment
 * variable: users get one actionable line, developers can still get the whole story. Running out of memory
 * arrives here as an {@link OutOfMemoryException} (see {@link Main}); its line says how to give the JVM more heap.
 */
final class ErrorReporter implements IExecutionExceptionHandler {
    /** Exit code of a failed run (bad input is picocli's {@code 2}). */
    static final int EXIT_FAILURE = 1;

    private final boolean debugFromEnvironment;

    ErrorReporter(boolean debugFromEnvironment) {
        this.debugFromEnvironment = debugFromEnvironment;
    }

    /** Reads {@code LSTM4J_DEBUG} from the process environment. */
    static ErrorReporter fromEnvironment() {
        String debug = System.getenv("LSTM4J_DEBUG");
        return new ErrorReporter(debug != null && !debug.isEmpty() && !debug.equals("0"));
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        String message = ex instanceof NonFiniteLossException diverged
                // The library's advice names no option; on the command line the learning rate is --lr.
                ? "loss became " + Numbers.compact(diverged.loss()) + " at step " + diverged.step() + " (lr "
                        + Numbers.compact(diverged.lr()) + "): lower --lr"
                : ex.getMessage() != null ? ex.getMessage() : ex.getClass().getName();
        err.println(commandLine.getColorScheme().errorText("error: " + message));
        if (debugFromEnvironment || verboseRequested(parseResult)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return EXIT_FAILURE;
    }

    /** {@code --verbose} may be given on the top command or on any subcommand (it is inherited). */
    private static boolean verboseRequested(ParseResult parseResult) {
        for (ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            if (pr.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
