package org.lstm4j.cli;

import java.util.Objects;

/**
 * A run that did not fit in memory, reported in one line by {@link ErrorReporter} with what to do about it.
 *
 * <p>Commands either throw it before any work, when their own estimate already exceeds the heap
 * ({@link #beforehand}), or wrap the {@link OutOfMemoryError} of a run ({@link #after}, and {@link Main} does so
 * for any command): an {@code Error} is not an {@code Exception}, so without this it would escape picocli's
 * error handling with a stack trace.
 */
public final class OutOfMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The environment variable the {@code lstm4j} launcher passes to the JVM. */
    public static final String JAVA_OPTIONS_VARIABLE = "LSTM4J_JAVA_OPTS";

    private OutOfMemoryException(String message, OutOfMemoryError cause) {
        super(message, cause);
    }

    /**
     * The work needs more heap than the JVM may ever have: refused before it starts.
     *
     * @param allocation  what would be allocated, e.g. {@code the sine model, hidden 8192: about 4.0 GiB of ...}
     * @param neededBytes the estimate behind that
     */
    public static OutOfMemoryException beforehand(String allocation, long neededBytes) {
        return new OutOfMemoryException(heapMessage(allocation, neededBytes), null);
    }

    /**
     * An {@link OutOfMemoryError} thrown by the work.
     *
     * @param allocation  what was being allocated, or null when unknown (the JVM's own words are used then)
     * @param neededBytes an estimate of the memory the work needs, or a negative number when unknown
     */
    public static OutOfMemoryException after(OutOfMemoryError error, String allocation, long neededBytes) {
        Objects.requireNonNull(error, "error");
        String jvmSays = error.getMessage() != null ? error.getMessage() : "OutOfMemoryError";
        if (jvmSays.contains("native thread")) {
            // Not the heap: the process ran out of threads (a limit of the OS), so -Xmx would not help.
            return new OutOfMemoryException("out of memory: cannot start another thread (" + jvmSays
                    + ") - use fewer threads (--threads) or raise the process limit (ulimit -u)", error);
        }
        String what = allocation != null ? allocation + " (" + jvmSays + ")" : jvmSays;
        return new OutOfMemoryException(heapMessage(what, neededBytes), error);
    }

    /** {@link #after(OutOfMemoryError, String, long)} with nothing known but the error. */
    public static OutOfMemoryException after(OutOfMemoryError error) {
        return after(error, null, -1);
    }

    private static String heapMessage(String what, long neededBytes) {
        long max = Runtime.getRuntime().maxMemory();
        return "out of memory: " + what + " - give the JVM more heap with " + JAVA_OPTIONS_VARIABLE + "="
                + MemorySizes.suggestedHeapOption(max, neededBytes) + " (now " + MemorySizes.format(max) + ")";
    }
}
