package org.lstm4j.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;

/** Bytes allocated on the heap by the current thread (HotSpot's per-thread counter, TLAB-exact). */
public final class AllocationMeter {
    private static final com.sun.management.ThreadMXBean THREADS = threads();

    private AllocationMeter() {}

    private static com.sun.management.ThreadMXBean threads() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
                && bean.isThreadAllocatedMemorySupported()) {
            bean.setThreadAllocatedMemoryEnabled(true);
            return bean;
        }
        return null;
    }

    /** Skips the calling test on a JVM without the counter. */
    public static void assumeSupported() {
        assumeTrue(THREADS != null, "this JVM does not count allocated bytes per thread (com.sun.management.ThreadMXBean)");
    }

    /** The running total for the current thread; differences of two calls measure what ran in between. */
    public static long allocatedBytes() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /**
     * The running total of every live thread (workers of the kernel pools included), for work the caller hands
     * to other threads; the array the query returns is counted too, a few hundred bytes per call.
     */
    public static long allocatedBytesAllThreads() {
        long total = 0;
        for (long bytes : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
            total += Math.max(0, bytes);
        }
        return total;
    }
}
