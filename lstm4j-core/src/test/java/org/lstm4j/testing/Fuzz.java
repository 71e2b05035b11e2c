package org.lstm4j.testing;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Support for the readers' fuzz tests (jqwik properties): a checked call of a reader on one input, which
 * fails the property on any throwable but the reader's documented ones, on a message that does not name the
 * input or is unbounded, and on an allocation beyond a bound; and a tally of the outcomes.
 *
 * <p>The suite runs each property a few hundred times. A long run sets the tries of every fuzz property and
 * prints the tallies:
 * <pre>
 * mvn -B -o test -pl lstm4j-core -Dtest='*FuzzTest' -Dlstm4j.fuzz.tries=100000
 * </pre>
 * {@code -Dlstm4j.fuzz.report=true} prints the tallies (and the limits tests' figures) without changing
 * the tries. A failing property prints its seed; jqwik reruns the failing sample first next time.
 */
public final class Fuzz {
    /** System property: the tries of every fuzz property (the long run). */
    public static final String TRIES_PROPERTY = "lstm4j.fuzz.tries";
    /** System property: print the outcome tallies and measured figures. */
    public static final String REPORT_PROPERTY = "lstm4j.fuzz.report";

    /** Longest message a reader may produce for any input: messages name things, they do not dump files. */
    public static final int MAX_MESSAGE_CHARS = 2000;

    /** Whether this JVM counts allocated bytes per thread; where it does not, allocation goes unchecked. */
    private static final boolean METERED = ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
            && bean.isThreadAllocatedMemorySupported();

    private static final Object LOCK = new Object();
    private static Tally current;

    private Fuzz() {}

    /** What one property's inputs ended in, and the most any one of them allocated. */
    private static final class Tally {
        final Map<String, Long> outcomes = new TreeMap<>();
        long maxAllocated;
        String maxAllocatedInput = "";
    }

    /**
     * How a reader's call ended: a value, or one of the expected throwables.
     *
     * @param value the value, or null
     * @param error the throwable, or null
     */
    public record Outcome<T>(T value, Throwable error) {
        /** The error, or the cause of an {@link java.io.UncheckedIOException} (as {@code fromBytes} wraps it). */
        public Throwable named() {
            return error instanceof java.io.UncheckedIOException && error.getCause() != null ? error.getCause() : error;
        }
    }

    /**
     * Calls {@code reader} on one input and returns its outcome: a value, or one of {@code expected}
     * (possibly wrapped in an {@link java.io.UncheckedIOException}).
     *
     * @param input        the input in a few words, for the failure message
     * @param mustName     text every exception message must contain (the file or source name)
     * @param maxAllocated bytes the call may allocate on this thread
     * @throws AssertionError on any other throwable, a message without {@code mustName} or longer than
     *     {@link #MAX_MESSAGE_CHARS}, or an allocation above {@code maxAllocated}
     */
    public static <T> Outcome<T> call(Callable<T> reader, String input, String mustName, long maxAllocated,
            List<Class<? extends Throwable>> expected) {
        boolean metered = METERED;
        long before = metered ? AllocationMeter.allocatedBytes() : 0;
        T value = null;
        Throwable error = null;
        String outcome;
        try {
            value = reader.call();
            outcome = "value";
        } catch (Throwable t) {
            error = t;
            Throwable named = t instanceof java.io.UncheckedIOException && t.getCause() != null ? t.getCause() : t;
            if (expected.stream().noneMatch(c -> c.isInstance(named))) {
                throw new AssertionError("unexpected " + t.getClass().getName() + " for " + input + ": " + t.getMessage(), t);
            }
            String message = String.valueOf(t.getMessage());
            if (!message.contains(mustName)) {
                throw new AssertionError("the message does not name " + mustName + " for " + input + ": " + message, t);
            }
            if (message.length() > MAX_MESSAGE_CHARS) {
                throw new AssertionError("a message of " + message.length() + " characters for " + input + ": "
                        + message.substring(0, 500) + "...", t);
            }
            outcome = (named == t ? "" : t.getClass().getSimpleName() + "/") + named.getClass().getSimpleName();
        }
        long allocated = metered ? AllocationMeter.allocatedBytes() - before : 0;
        if (allocated > maxAllocated) {
            throw new AssertionError("allocated " + allocated + " bytes (at most " + maxAllocated + " expected) for "
                    + input + ", ending in " + outcome);
        }
        record(outcome, allocated, input);
        return new Outcome<>(value, error);
    }

    private static void record(String outcome, long allocated, String input) {
        synchronized (LOCK) {
            if (current != null) {
                current.outcomes.merge(outcome, 1L, Long::sum);
                if (allocated > current.maxAllocated) {
                    current.maxAllocated = allocated;
                    current.maxAllocatedInput = input;
                }
            }
        }
    }

    /** Inputs are described in full in failures, cut short in reports. */
    private static String cut(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    /** Whether figures are printed: in a long run or when asked. */
    public static boolean reporting() {
        return System.getProperty(TRIES_PROPERTY) != null || Boolean.getBoolean(REPORT_PROPERTY);
    }

    /** Prints {@code line} when {@link #reporting()}. */
    public static void report(String line) {
        if (reporting()) {
            System.out.println("[fuzz] " + line);
        }
    }

    /**
     * Added to a fuzz test class ({@code @AddLifecycleHook(Fuzz.Hook.class)}): applies
     * {@code -Dlstm4j.fuzz.tries} and reports each property's tally.
     */
    public static final class Hook implements AroundPropertyHook {
        /** Added to a class, the hook applies to its properties. */
        @Override
        public PropagationMode propagateTo() {
            return PropagationMode.ALL_DESCENDANTS;
        }

        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            String tries = System.getProperty(TRIES_PROPERTY);
            if (tries != null) {
                context.attributes().setTries(Integer.parseInt(tries.trim()));
            }
            Tally tally = new Tally();
            synchronized (LOCK) {
                current = tally;
            }
            long start = System.nanoTime();
            PropertyExecutionResult result = property.execute();
            double seconds = (System.nanoTime() - start) / 1e9;
            synchronized (LOCK) {
                current = null;
            }
            long reads = tally.outcomes.values().stream().mapToLong(Long::longValue).sum();
            report(String.format("%s.%s: %d inputs, %d reads in %.1f s (%s): %s; most allocated by one read: %,d bytes (%s)",
                    context.containerClass().getSimpleName(), context.targetMethod().getName(), result.countTries(), reads,
                    seconds, result.status(), tally.outcomes, tally.maxAllocated, cut(tally.maxAllocatedInput)));
            return result;
        }
    }
}
