package org.lstm4j.workloads;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The memory figures of {@code lstm4j bench --memory}: the process's resident set from Linux's
 * {@code /proc/self/status} ({@code VmRSS} now, {@code VmHWM} the peak since the process started), and the
 * Java heap actually used, from the garbage collector's own before/after figures of every collection in the
 * measured window (HotSpot's GC notifications).
 *
 * <p>Between two collections the used heap only grows (objects are allocated, never freed outside a
 * collection), so its peak in a window is the largest "used before GC" of a collection in the window, or the
 * used heap at the end of the window. The largest "used after GC" is the peak live heap: what the work
 * retains, independent of how large the collector lets the young generation grow.
 */
public final class MemoryMeter implements AutoCloseable {
    private final Set<String> heapPools;
    private final List<GarbageCollectorMXBean> collectors;
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onNotification;
    private final AtomicLong peakBeforeGc = new AtomicLong();
    private final AtomicLong peakAfterGc = new AtomicLong(-1);
    private final AtomicLong collections = new AtomicLong();
    private final long startCount;
    private final long startMillis;

    private MemoryMeter() {
        heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
        collectors = ManagementFactory.getGarbageCollectorMXBeans();
        startCount = collectionCount();
        startMillis = collectionMillis();
        for (GarbageCollectorMXBean gc : collectors) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
    }

    /** Starts a window: from now on, every collection's heap figures are recorded. */
    public static MemoryMeter start() {
        return new MemoryMeter();
    }

    private void onNotification(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
        peakBeforeGc.accumulateAndGet(heapUsed(info.getMemoryUsageBeforeGc()), Math::max);
        peakAfterGc.accumulateAndGet(heapUsed(info.getMemoryUsageAfterGc()), Math::max);
        collections.incrementAndGet();
    }

    private long heapUsed(Map<String, MemoryUsage> byPool) {
        long used = 0;
        for (var e : byPool.entrySet()) {
            if (heapPools.contains(e.getKey())) {
                used += e.getValue().getUsed();
            }
        }
        return used;
    }

    private long collectionCount() {
        return collectors.stream().mapToLong(g -> Math.max(0, g.getCollectionCount())).sum();
    }

    private long collectionMillis() {
        return collectors.stream().mapToLong(g -> Math.max(0, g.getCollectionTime())).sum();
    }

    /**
     * Ends the window (waits up to a second for the notifications of collections that already happened, which
     * HotSpot delivers on its service thread) and returns the heap figures.
     */
    public HeapFigures stop() {
        long expected = collectionCount() - startCount;
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (collections.get() < expected && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long usedNow = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        close();
        return new HeapFigures(Math.max(peakBeforeGc.get(), usedNow), peakAfterGc.get(),
                Runtime.getRuntime().maxMemory(), collectionCount() - startCount, collectionMillis() - startMillis,
                collectors.stream().map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", ")));
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                // already removed
            }
        }
        emitters.clear();
    }

    /**
     * The heap in one window.
     *
     * @param peakUsed     the largest used heap: before a collection, or at the end
     * @param peakLive     the largest used heap right after a collection; -1 if none happened
     * @param max          the heap limit ({@code -Xmx} or the JVM's default)
     * @param collections  collections in the window
     * @param gcMillis     their accumulated time, as the collectors report it
     * @param collectors   the collectors' names (which GC runs)
     */
    public record HeapFigures(long peakUsed, long peakLive, long max, long collections, long gcMillis,
            String collectors) {}

    /** {@code VmRSS} (resident now) of this process in bytes, or -1 where there is no {@code /proc}. */
    public static long residentBytes() {
        return procStatusBytes("VmRSS");
    }

    /** {@code VmHWM} (peak resident since start) of this process in bytes, or -1 where there is no {@code /proc}. */
    public static long peakResidentBytes() {
        return procStatusBytes("VmHWM");
    }

    /** CPU time of the whole process (all threads) in nanoseconds, or -1 if the JVM does not report it. */
    public static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    /**
     * CPU time of the JVM's garbage-collection threads (HotSpot names them {@code GC Thread#N},
     * {@code G1 ...} for G1's marking, refinement and service threads, and the {@code VM Thread} that runs
     * safepoint operations such as Serial GC's collections) in nanoseconds, from {@code /proc/self/task/N/stat};
     * -1 where there is no {@code /proc}. Unlike elapsed time it does not depend on other load on the machine.
     */
    public static long gcThreadCpuNanos() {
        Path tasks = Path.of("/proc/self/task");
        long ticks = 0;
        try (var dirs = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) dirs::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                if (open < 0 || close < open) {
                    continue;
                }
                String name = stat.substring(open + 1, close);
                if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")) {
                    // After "(comm) ": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime
                    String[] f = stat.substring(close + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return ticks * 10_000_000L; // USER_HZ is 100 on Linux
    }

    /** A {@code kB} field of {@code /proc/self/status} in bytes, or -1. */
    static long procStatusBytes(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
