package org.lstm4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Result of running the command line in-process, with stdout and stderr captured. */
public record CliRun(int exitCode, String out, String err) {
    /** Runs {@code lstm4j args...} as {@link Main#main} would, minus {@code System.exit}. */
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
