package org.lstm4j.nn;

import java.util.function.Consumer;

/**
 * Where the warnings of {@code org.lstm4j.nn} go: PyTorch's {@code warnings.warn} for a library that forces no
 * logging backend on its users. By default they are logged at {@link System.Logger.Level#WARNING} through
 * {@link System#getLogger(String) System.getLogger("org.lstm4j.nn")}, which goes to java.util.logging unless
 * the application routes System.Logger elsewhere (SLF4J, Log4j and others provide a bridge).
 */
final class Warnings {
    static final String LOGGER_NAME = "org.lstm4j.nn";

    private static final Consumer<String> SYSTEM_LOGGER =
            message -> System.getLogger(LOGGER_NAME).log(System.Logger.Level.WARNING, message);

    private static volatile Consumer<String> sink = SYSTEM_LOGGER;

    private Warnings() {}

    /** Emits one warning. */
    static void warn(String message) {
        sink.accept(message);
    }

    /**
     * Sends the warnings to {@code replacement} instead (tests capture them this way) and returns the sink it
     * replaces, to be put back; null restores the System.Logger.
     */
    static Consumer<String> replaceSink(Consumer<String> replacement) {
        Consumer<String> previous = sink;
        sink = replacement == null ? SYSTEM_LOGGER : replacement;
        return previous;
    }
}
