package org.lstm4j.cli;

import java.util.Locale;

/** Byte counts as people read them, and the heap setting to suggest when they do not fit. */
public final class MemorySizes {
    private static final long KIB = 1L << 10;
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    private MemorySizes() {}

    /** E.g. {@code 512 B}, {@code 1.5 KiB}, {@code 20.0 MiB}, {@code 4.0 GiB}; {@code unlimited} for Long.MAX_VALUE. */
    public static String format(long bytes) {
        if (bytes == Long.MAX_VALUE) {
            return "unlimited"; // Runtime.maxMemory() when the JVM has no heap limit
        }
        if (bytes >= GIB) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) GIB);
        }
        if (bytes >= MIB) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
        }
        if (bytes >= KIB) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / (double) KIB);
        }
        return bytes + " B";
    }

    /**
     * The {@code -Xmx} to suggest after running out of heap: twice the current maximum, or a quarter more than
     * {@code neededBytes} when that is known and larger, in whole gibibytes (e.g. {@code -Xmx8g} after 4 GiB).
     *
     * @param currentMax  {@code Runtime.maxMemory()}
     * @param neededBytes an estimate of what the work needs, or a negative number when unknown
     */
    public static String suggestedHeapOption(long currentMax, long neededBytes) {
        double target = Math.max(2.0 * Math.min(currentMax, 1L << 50), 1.25 * neededBytes);
        long gib = Math.max(1, (long) Math.ceil(target / GIB));
        return "-Xmx" + gib + "g";
    }
}
