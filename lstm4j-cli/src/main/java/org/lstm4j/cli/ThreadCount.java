package org.lstm4j.cli;

import org.lstm4j.kernels.Parallelism;

/** The {@code --threads} option every command takes: one rule and one message for all of them. */
public final class ThreadCount {
    private ThreadCount() {}

    /**
     * {@code --threads} checked against [1, {@link Parallelism#maxThreads()}] (more only adds thread stacks and
     * switching); null, for an option not given, is the kernels' current setting.
     *
     * @throws IllegalArgumentException in picocli's wording ("Invalid value for option '--threads': ..."), for the
     *     command to rethrow as a usage error
     */
    public static int check(Integer threads) {
        if (threads == null) {
            return Parallelism.threads();
        }
        int max = Parallelism.maxThreads();
        String rule = threads < 1 ? "must be at least 1"
                : threads > max ? "must be at most " + max + " (4 per core on this machine of "
                        + Runtime.getRuntime().availableProcessors() + " cores)" : null;
        if (rule != null) {
            throw new IllegalArgumentException("Invalid value for option '--threads': " + rule + ", was " + threads);
        }
        return threads;
    }
}
