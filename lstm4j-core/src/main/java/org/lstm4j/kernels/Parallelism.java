package org.lstm4j.kernels;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The thread budget of the numeric kernels: a fixed pool of daemon worker threads plus the calling thread.
 *
 * <p>The initial number of threads is the system property {@code lstm4j.threads} if set, otherwise
 * {@link Runtime#availableProcessors()}. Work is only ever split into independent pieces whose results do
 * not depend on which thread ran them, so kernels stay deterministic.
 *
 * <p>Nested calls (a body that itself calls {@code parallelFor}) run inline on the worker, which avoids
 * deadlocks from workers waiting for workers.
 */
public final class Parallelism {
    private Parallelism() {}

    /** A loop body over the half-open index range {@code [begin, end)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int begin, int end);
    }

    private static final String THREADS_PROPERTY = "lstm4j.threads";
    private static final AtomicInteger POOL_GENERATION = new AtomicInteger();
    /** Marks pool workers so nested parallel loops run inline instead of waiting on their own pool. */
    private static final ThreadLocal<Boolean> IS_WORKER = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private static volatile int threads = initialThreads();
    /** Workers = threads - 1 (the caller does one share of the work); null while threads == 1. */
    private static volatile ExecutorService workers = createWorkers(threads);

    private static int initialThreads() {
        int available = Runtime.getRuntime().availableProcessors();
        String configured = System.getProperty(THREADS_PROPERTY);
        if (configured == null || configured.isBlank()) {
            return available;
        }
        try {
            return Math.max(1, Integer.parseInt(configured.trim()));
        } catch (NumberFormatException e) {
            return available;
        }
    }

    private static ExecutorService createWorkers(int threadCount) {
        if (threadCount <= 1) {
            return null;
        }
        int generation = POOL_GENERATION.incrementAndGet();
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(() -> {
                IS_WORKER.set(Boolean.TRUE);
                runnable.run();
            }, "lstm4j-worker-" + generation + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return Executors.newFixedThreadPool(threadCount - 1, factory);
    }

    /** @return the number of threads kernels may use (the caller included), at least 1 */
    public static int threads() {
        return threads;
    }

    /**
     * Changes the thread budget. The old worker pool finishes its queued work and is shut down.
     *
     * @param threadCount the new number of threads, at least 1
     */
    public static synchronized void setThreads(int threadCount) {
        if (threadCount < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threadCount);
        }
        if (threadCount == threads) {
            return;
        }
        ExecutorService old = workers;
        workers = createWorkers(threadCount);
        threads = threadCount;
        if (old != null) {
            old.shutdown();
        }
    }

    /**
     * Runs {@code body.accept(i)} for every {@code i} in {@code [0, count)}, spread over the threads.
     * Runs inline when there is one thread, one item, or when called from a worker.
     */
    public static void parallelFor(int count, IntConsumer body) {
        parallelFor(0, count, 1, (begin, end) -> {
            for (int i = begin; i < end; i++) {
                body.accept(i);
            }
        });
    }

    /**
     * Splits {@code [begin, end)} into at most {@link #threads()} contiguous chunks of at least {@code grain}
     * indices (except possibly the last) and runs {@code body} on each, the calling thread taking the first.
     * Returns when all chunks are done; the first exception thrown by a chunk is rethrown.
     */
    public static void parallelFor(int begin, int end, int grain, RangeBody body) {
        int count = end - begin;
        if (count <= 0) {
            return;
        }
        int grainSize = Math.max(1, grain);
        int chunks = (int) Math.min(threads, (count + (long) grainSize - 1) / grainSize);
        ExecutorService pool = workers;
        if (chunks <= 1 || pool == null || IS_WORKER.get()) {
            body.run(begin, end);
            return;
        }
        // Balanced chunks: the first (count % chunks) chunks get one extra index.
        int base = count / chunks;
        int extra = count % chunks;
        ChunkCompletion completion = new ChunkCompletion(chunks - 1);
        int chunkBegin = begin + base + (extra > 0 ? 1 : 0);
        for (int chunk = 1; chunk < chunks; chunk++) {
            int size = base + (chunk < extra ? 1 : 0);
            int from = chunkBegin;
            int to = chunkBegin + size;
            chunkBegin = to;
            pool.execute(() -> {
                try {
                    body.run(from, to);
                } catch (Throwable t) {
                    completion.fail(t);
                } finally {
                    completion.chunkDone();
                }
            });
        }
        Throwable callerFailure = null;
        try {
            body.run(begin, begin + base + (extra > 0 ? 1 : 0));
        } catch (Throwable t) {
            callerFailure = t;
        }
        completion.await();
        Throwable failure = callerFailure != null ? callerFailure : completion.failure.get();
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
        if (failure != null) {
            throw new RuntimeException(failure);
        }
    }

    /** Counts finished worker chunks; the waiting caller spins briefly, then parks (chunks are short). */
    private static final class ChunkCompletion {
        private final AtomicInteger remaining;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread waiter = Thread.currentThread();

        ChunkCompletion(int chunks) {
            remaining = new AtomicInteger(chunks);
        }

        void fail(Throwable t) {
            failure.compareAndSet(null, t);
        }

        void chunkDone() {
            if (remaining.decrementAndGet() == 0) {
                LockSupport.unpark(waiter);
            }
        }

        void await() {
            for (int spin = 0; spin < 20_000 && remaining.get() > 0; spin++) {
                Thread.onSpinWait();
            }
            while (remaining.get() > 0) {
                LockSupport.park(this);
            }
        }
    }
}
