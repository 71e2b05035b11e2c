package org.lstm4j.workloads;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated on the Java heap by all live threads, the kernels' worker pool included, from HotSpot's
 * per-thread allocation counters ({@code com.sun.management.ThreadMXBean}). Threads that end between two
 * readings take their counts with them; the worker pool is fixed, so a benchmark loses nothing.
 */
public final class AllocationMeter {
    private final com.sun.management.ThreadMXBean threads;

    private AllocationMeter(com.sun.management.ThreadMXBean threads) {
        this.threads = threads;
    }

    /** A meter, or null when the JVM does not count allocations per thread. */
    public static AllocationMeter createOrNull() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean)
                || !bean.isThreadAllocatedMemorySupported()) {
            return null;
        }
        if (!bean.isThreadAllocatedMemoryEnabled()) {
            bean.setThreadAllocatedMemoryEnabled(true);
        }
        return new AllocationMeter(bean);
    }

    /** The sum of the allocation counters of all live threads, in bytes. */
    public long allocatedBytes() {
        long total = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            if (bytes > 0) { // -1: the thread ended or is not counted
                total += bytes;
            }
        }
        return total;
    }
}
