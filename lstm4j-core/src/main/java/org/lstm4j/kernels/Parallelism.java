package org.lstm4j.kernels;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The thread budget of the numeric kernels: a fixed pool of daemon worker threads plus the calling thread.
 *
 * <p>The initial number of threads is the system property {@code lstm4j.threads}
 * ({@code java -Dlstm4j.threads=4 ...}) if set, otherwise {@link Runtime#availableProcessors()}; a value that is
 * not a whole number in [1, {@link #maxThreads()}] is reported as a warning on the {@link System.Logger} named
 * after this class and replaced by the nearest valid one (the cores for a non-number). {@link #setThreads}
 * changes it at any time. Work is only ever split into independent pieces whose results do not depend on which
 * thread ran them, so kernels stay deterministic: the thread count changes speed, never results.
 *
 * <p>A parallel loop is published as a job whose pieces the caller and the workers claim from an atomic
 * counter; the caller always works on its own job too, so a job completes even when every worker is busy
 * elsewhere (several callers may share the pool without deadlock). Idle workers spin for a short while
 * ({@code lstm4j.pool.spinMicros}, default 2 ms; after the first 20 µs yielding between looks) before
 * parking, so the back-to-back small products of a recurrent sequence, and the parallel work on either side of
 * a training step's serial stretches (loss, bias sums, optimizer; often a few hundred µs), do not pay a thread
 * wake-up each (tens of µs on a virtual machine). With 200 µs, rows training ran 8-24% slower.
 *
 * <p>Nested calls (a body that itself calls {@code parallelFor}) run inline on the worker, which avoids
 * deadlocks from workers waiting for workers.
 *
 * <p><b>Per-caller budgets.</b> {@link #setThreads} sets the process-wide budget, which the CLI and a single
 * training process use. A caller that shares the machine with others, such as a Spark task given
 * {@code spark.task.cpus} cores in an executor that runs several tasks at once, runs its work inside
 * {@link #runWithThreads} / {@link #callWithThreads}: for the calling thread only, parallel calls then use that
 * many threads, on a pool of its own (taken from a cache of idle pools of that size and given back after, so
 * workers and their per-thread GEMM buffers are reused from one call to the next). Two such callers never
 * share workers, so four tasks of two threads on an eight-core executor use eight threads, not four times
 * the process-wide budget. Each parallel call reads the budget (count and pool together) once, so a call
 * never mixes the count of one budget with the workers of another.
 */
public final class Parallelism {
    private Parallelism() {}

    /** A loop body over the half-open index range {@code [begin, end)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int begin, int end);
    }

    /** The system property read once, when this class loads, for the initial thread count. */
    public static final String THREADS_PROPERTY = "lstm4j.threads";
    /**
     * Threads allowed per core. Compute kernels gain nothing past one thread per core; a few more still let
     * determinism tests and oversubscribed machines run, while a typo such as 100000 would otherwise start that
     * many platform threads and end in "OutOfMemoryError: unable to create native thread".
     */
    private static final int MAX_THREADS_PER_CORE = 4;
    /** How long an idle worker (or a waiting caller) spins before parking. */
    static final long SPIN_NANOS = Math.max(0L, Long.getLong("lstm4j.pool.spinMicros", 2000L)) * 1000L;
    /**
     * The first part of that spin is pure busy-waiting; the rest yields between looks at the queue, so a
     * worker that shares a core with its caller (an oversubscribed machine) does not take the caller's time.
     */
    static final long BUSY_SPIN_NANOS = Math.min(SPIN_NANOS, 20_000L);
    private static final AtomicInteger POOL_GENERATION = new AtomicInteger();

    /**
     * A thread count and the pool that serves it: workers = threads - 1 (the caller does one share of the
     * work); no pool when threads == 1. Read as one value so a call sees a consistent pair.
     */
    private record Budget(int threads, Pool pool) {
        static Budget of(int threads) {
            return new Budget(threads, Pool.create(threads));
        }
    }

    /** The process-wide budget, changed by {@link #setThreads}. */
    private static volatile Budget global = Budget.of(initialThreads());
    /** The budget of a {@link #runWithThreads} scope on this thread, or null outside one. */
    private static final ThreadLocal<Budget> SCOPED = new ThreadLocal<>();
    /**
     * Idle pools of scoped budgets, by thread count: a scope takes one (or creates it) and gives it back when
     * it ends, so concurrent scopes each have their own workers and consecutive ones reuse them.
     */
    private static final java.util.concurrent.ConcurrentHashMap<Integer, ConcurrentLinkedDeque<Pool>> IDLE_POOLS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** The budget parallel calls on this thread use: its scope's, else the process-wide one. */
    private static Budget budget() {
        Budget scoped = SCOPED.get();
        return scoped != null ? scoped : global;
    }

    private static int initialThreads() {
        System.Logger log = System.getLogger(Parallelism.class.getName());
        // A warning rather than an exception: failing here would make every kernel class unusable
        // (ExceptionInInitializerError) for a setting that has an obvious safe value.
        return threadsFromProperty(System.getProperty(THREADS_PROPERTY), Runtime.getRuntime().availableProcessors(),
                warning -> log.log(System.Logger.Level.WARNING, warning));
    }

    /**
     * The thread count a value of {@link #THREADS_PROPERTY} asks for: the cores when it is unset or blank or
     * not a whole number, and otherwise the number clamped to [1, 4 × cores]. Every value that is not used
     * as given is reported to {@code warn}, naming the property, the value and the count used instead.
     *
     * @param value     the property's value, or null when unset
     * @param available the number of cores
     */
    static int threadsFromProperty(String value, int available, Consumer<String> warn) {
        if (value == null || value.isBlank()) {
            return available;
        }
        int max = MAX_THREADS_PER_CORE * available;
        int requested;
        try {
            requested = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            warn.accept("ignoring -D" + THREADS_PROPERTY + "=" + value + ": not a whole number; using all "
                    + available + " cores");
            return available;
        }
        int used = Math.max(1, Math.min(max, requested));
        if (used != requested) {
            warn.accept("-D" + THREADS_PROPERTY + "=" + requested + " is outside [1, " + max + "] (" + MAX_THREADS_PER_CORE
                    + " per core on this machine of " + available + "); using " + used);
        }
        return used;
    }

    /**
     * @return the number of threads kernels called from this thread may use (the caller included), at least 1:
     *         the budget of the enclosing {@link #runWithThreads} scope, else the process-wide one
     */
    public static int threads() {
        return budget().threads;
    }

    /**
     * Runs {@code body} on the calling thread with a budget of {@code threadCount} threads for every parallel
     * call it makes (the caller included), on workers no other caller uses at the same time. Other threads
     * keep their own budgets; the process-wide one is untouched. Scopes nest: the inner one applies inside it.
     * Results are the same as with any other thread count (the kernels' bits do not depend on it).
     *
     * @param threadCount threads for this scope, in [1, {@link #maxThreads()}]
     * @throws IllegalArgumentException outside that range, naming the range
     */
    public static void runWithThreads(int threadCount, Runnable body) {
        callWithThreads(threadCount, () -> {
            body.run();
            return null;
        });
    }

    /** {@link #runWithThreads} for a body with a result. */
    public static <V> V callWithThreads(int threadCount, Supplier<V> body) {
        checkThreadCount(threadCount);
        Budget previous = SCOPED.get();
        Pool pool = threadCount > 1 ? takeIdlePool(threadCount) : null;
        SCOPED.set(new Budget(threadCount, pool));
        try {
            return body.get();
        } finally {
            if (previous == null) {
                SCOPED.remove();
            } else {
                SCOPED.set(previous);
            }
            if (pool != null) {
                IDLE_POOLS.get(threadCount).push(pool);
            }
        }
    }

    private static Pool takeIdlePool(int threadCount) {
        Pool idle = IDLE_POOLS.computeIfAbsent(threadCount, n -> new ConcurrentLinkedDeque<>()).poll();
        return idle != null ? idle : Pool.create(threadCount);
    }

    private static void checkThreadCount(int threadCount) {
        int max = maxThreads();
        if (threadCount < 1 || threadCount > max) {
            throw new IllegalArgumentException("threads must be in [1, " + max + "] (" + MAX_THREADS_PER_CORE
                    + " per core on this machine of " + Runtime.getRuntime().availableProcessors() + "), was "
                    + threadCount);
        }
    }

    /**
     * @return the largest thread count {@link #setThreads} accepts: 4 × {@link Runtime#availableProcessors()}
     *         (past one per core the kernels only get slower; the spare allows tests of determinism)
     */
    public static int maxThreads() {
        return MAX_THREADS_PER_CORE * Runtime.getRuntime().availableProcessors();
    }

    /**
     * Changes the process-wide thread budget (callers inside a {@link #runWithThreads} scope keep theirs). The
     * old workers finish the piece they are running and exit; jobs still open on the old pool are finished by
     * their callers.
     *
     * @param threadCount the new number of threads, in [1, {@link #maxThreads()}]
     * @throws IllegalArgumentException outside that range, naming the range
     */
    public static synchronized void setThreads(int threadCount) {
        checkThreadCount(threadCount);
        Budget old = global;
        if (threadCount == old.threads) {
            return;
        }
        global = Budget.of(threadCount);
        if (old.pool != null) {
            old.pool.shutdown();
        }
    }

    /**
     * Runs {@code body.accept(i)} for every {@code i} in {@code [0, count)}, spread over the threads.
     * Runs inline when there is one thread, one item, or when called from a worker.
     */
    public static void parallelFor(int count, IntConsumer body) {
        if (count <= 0) {
            return;
        }
        Budget budget = budget();
        int chunks = Math.min(budget.threads, count);
        if (chunks <= 1 || budget.pool == null || runsInline()) {
            for (int i = 0; i < count; i++) {
                body.accept(i);
            }
            return;
        }
        budget.pool.run(Job.EACH_INDEX, chunks, 0, count, null, body);
    }

    /**
     * Splits {@code [begin, end)} into at most {@link #threads()} contiguous chunks of at least {@code grain}
     * indices (except possibly the last) and runs {@code body} on each, the calling thread taking the first.
     * Returns when all chunks are done; the first exception thrown by a chunk is rethrown. Allocates nothing:
     * a kernel that passes a body it made once runs whole serving steps without garbage.
     */
    public static void parallelFor(int begin, int end, int grain, RangeBody body) {
        int count = end - begin;
        if (count <= 0) {
            return;
        }
        int grainSize = Math.max(1, grain);
        Budget budget = budget();
        int chunks = (int) Math.min(budget.threads, (count + (long) grainSize - 1) / grainSize);
        Pool current = budget.pool;
        if (chunks <= 1 || current == null || runsInline()) {
            body.run(begin, end);
            return;
        }
        current.run(Job.RANGES, chunks, begin, end, body, null);
    }

    /**
     * Runs {@code task.accept(i)} for every {@code i} in {@code [0, count)}: the caller runs task 0, then the
     * caller and the workers claim the remaining tasks in ascending order, one at a time, so uneven tasks
     * balance themselves. Inline (in order) with one thread or when called from a worker.
     */
    static void forEachTask(int count, IntConsumer task) {
        Pool current = budget().pool;
        if (count <= 1 || current == null || runsInline()) {
            for (int i = 0; i < count; i++) {
                task.accept(i);
            }
            return;
        }
        current.run(Job.TASKS, count, 0, count, null, task);
    }

    /**
     * Runs {@code body.accept(i)} for every {@code i} in {@code [0, count)} as independent pieces of sequential
     * work, each on its own thread while threads last, with the parallel loops nested in a piece running inline
     * on that piece's thread: for work made of a few long independent chains, such as the two directions of a
     * bidirectional layer, where one thread per chain beats both threads meeting at every small step of each.
     */
    public static void concurrently(int count, IntConsumer body) {
        if (count <= 1 || budget().pool == null || runsInline()) {
            // Nothing runs side by side: the pieces keep the threads for their own loops.
            for (int i = 0; i < count; i++) {
                body.accept(i);
            }
            return;
        }
        parallelFor(count, i -> {
            boolean[] inline = INLINE.get();
            boolean was = inline[0];
            inline[0] = true;
            try {
                body.accept(i);
            } finally {
                inline[0] = was;
            }
        });
    }

    /** Whether a parallel loop started here would use more than one thread. */
    public static boolean parallelHere() {
        Budget budget = budget();
        return budget.threads > 1 && budget.pool != null && !runsInline();
    }

    /** Per thread: inside a {@link #concurrently} piece, where nested loops run inline. */
    private static final ThreadLocal<boolean[]> INLINE = ThreadLocal.withInitial(() -> new boolean[1]);

    /** @return whether parallel loops run inline here: on a pool worker, or in a {@link #concurrently} piece */
    static boolean runsInline() {
        return Thread.currentThread() instanceof Worker || INLINE.get()[0];
    }

    /**
     * One parallel loop: pieces claimed from {@link #claim}, finished ones counted in {@link #done}. A job object
     * belongs to one caller thread and one nesting depth there ({@link CallerJobs}) and is re-armed for each of
     * that caller's loops, so a loop allocates nothing. Every arming starts a new generation, kept in the high
     * half of {@link #claim} beside the next piece's number: a worker that still holds the job from an earlier
     * loop can only claim pieces of the generation it saw, so a re-armed job is never run with stale settings.
     */
    static final class Job {
        /** Piece i is task i of an {@link IntConsumer}. */
        static final int TASKS = 0;
        /** Piece i is the i-th balanced chunk of [begin, end) for a {@link RangeBody}. */
        static final int RANGES = 1;
        /** Piece i is the i-th balanced chunk of [begin, end), each index passed to an {@link IntConsumer}. */
        static final int EACH_INDEX = 2;

        final Thread caller = Thread.currentThread();
        /** (generation &lt;&lt; 32) | next piece to claim; piece 0 is always the caller's. */
        final AtomicLong claim = new AtomicLong();
        final AtomicInteger done = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private int generation;
        // The loop's settings, written by the caller before claim publishes them (a volatile write).
        private int kind;
        private int pieces;
        private int begin;
        private int end;
        private RangeBody rangeBody;
        private IntConsumer indexBody;

        /** No piece has this number: a claim word holding it lets nobody claim. */
        private static final long CLOSED = Integer.MAX_VALUE;

        /**
         * Sets up the next loop and opens it for claims. The claim word moves to the new generation, closed,
         * before any setting changes: a worker still holding the last loop's claim word could otherwise see the
         * new piece count before the new generation and claim a piece that belongs to no loop (its compare-and-
         * set would still succeed on the old word), running it with half-written settings and counting it into
         * the new loop's {@link #done} (a stress test saw a piece run twice and a loop end before its last piece).
         */
        void arm(int kind, int pieces, int begin, int end, RangeBody rangeBody, IntConsumer indexBody) {
            generation++;
            claim.set(((long) generation << 32) | CLOSED);
            this.kind = kind;
            this.pieces = pieces;
            this.begin = begin;
            this.end = end;
            this.rangeBody = rangeBody;
            this.indexBody = indexBody;
            done.set(0);
            failure.set(null);
            claim.set(((long) generation << 32) | 1L);
        }

        /** Drops the bodies so a finished loop keeps nothing reachable. */
        void disarm() {
            rangeBody = null;
            indexBody = null;
        }

        /** Worker side: claims and runs pieces of the current generation until none are left. */
        void work() {
            long seen = claim.get();
            int gen = (int) (seen >>> 32);
            int finished = 0;
            while (true) {
                long c = claim.get();
                int piece = (int) c;
                if ((int) (c >>> 32) != gen || piece >= pieces || !claim.compareAndSet(c, c + 1)) {
                    if ((int) (c >>> 32) == gen && piece < pieces) {
                        continue; // lost a race for this piece; try the next one
                    }
                    break;
                }
                runPiece(piece);
                finished++;
            }
            if (finished > 0 && done.addAndGet(finished) == pieces) {
                LockSupport.unpark(caller);
            }
        }

        /** Whether the current generation has pieces nobody has claimed yet. */
        boolean open() {
            return (int) claim.get() < pieces;
        }

        private void runPiece(int piece) {
            try {
                switch (kind) {
                    case TASKS -> indexBody.accept(piece);
                    case RANGES -> rangeBody.run(chunkStart(piece), chunkStart(piece + 1));
                    default -> {
                        for (int i = chunkStart(piece), to = chunkStart(piece + 1); i < to; i++) {
                            indexBody.accept(i);
                        }
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }

        /** Balanced chunks: the first (count % pieces) chunks get one extra index. */
        private int chunkStart(int piece) {
            int count = end - begin;
            int base = count / pieces;
            int extra = count % pieces;
            return begin + piece * base + Math.min(piece, extra);
        }

        /** Caller side: piece 0, then a share of the rest, then wait for the workers' pieces. */
        void runAsCaller() {
            runPiece(0);
            int finished = 1;
            while (true) {
                long c = claim.get();
                if ((int) c >= pieces) {
                    break;
                }
                if (claim.compareAndSet(c, c + 1)) {
                    runPiece((int) c);
                    finished++;
                }
            }
            if (done.addAndGet(finished) == pieces) {
                return;
            }
            long start = System.nanoTime();
            while (done.get() < pieces) {
                long waited = System.nanoTime() - start;
                if (waited < BUSY_SPIN_NANOS) {
                    Thread.onSpinWait();
                } else if (waited < SPIN_NANOS) {
                    Thread.yield();
                } else {
                    LockSupport.park(this);
                }
            }
        }

    }

    /**
     * The jobs of one caller thread, one per nesting depth (a piece the caller runs may itself start a loop):
     * made once per thread and depth, then reused.
     */
    private static final class CallerJobs {
        private static final ThreadLocal<CallerJobs> OF_THREAD = ThreadLocal.withInitial(CallerJobs::new);
        private Job[] byDepth = new Job[2];
        private int depth;

        static CallerJobs ofThread() {
            return OF_THREAD.get();
        }

        Job enter() {
            if (depth == byDepth.length) {
                byDepth = java.util.Arrays.copyOf(byDepth, depth * 2);
            }
            Job job = byDepth[depth];
            if (job == null) {
                job = new Job();
                byDepth[depth] = job;
            }
            depth++;
            return job;
        }

        void exit(Job job) {
            job.disarm();
            depth--;
        }
    }

    private static final class Pool {
        /**
         * Open jobs, at most one per slot; workers scan them. Fixed slots instead of a queue: publishing a job
         * allocates nothing. A caller that finds no free slot runs its loop alone.
         */
        static final int SLOTS = 32;
        final AtomicReferenceArray<Job> slots = new AtomicReferenceArray<>(SLOTS);
        final Worker[] workers;
        volatile boolean shutdown;

        private Pool(int workerCount) {
            workers = new Worker[workerCount];
        }

        static Pool create(int threadCount) {
            if (threadCount <= 1) {
                return null;
            }
            int generation = POOL_GENERATION.incrementAndGet();
            Pool pool = new Pool(threadCount - 1);
            for (int i = 0; i < pool.workers.length; i++) {
                Worker worker = new Worker(pool, "lstm4j-worker-" + generation + "-" + (i + 1));
                pool.workers[i] = worker;
                worker.start();
            }
            return pool;
        }

        void run(int kind, int pieces, int begin, int end, RangeBody rangeBody, IntConsumer indexBody) {
            CallerJobs callerJobs = CallerJobs.ofThread();
            Job job = callerJobs.enter();
            try {
                job.arm(kind, pieces, begin, end, rangeBody, indexBody);
                int slot = publish(job);
                if (slot < 0) {
                    // Every slot taken: run it alone (a worker that already saw it armed may still help).
                    job.runAsCaller();
                } else {
                    int wake = pieces - 1;
                    for (Worker worker : workers) {
                        if (wake-- <= 0) {
                            break;
                        }
                        if (worker.parked) {
                            LockSupport.unpark(worker);
                        }
                    }
                    try {
                        job.runAsCaller();
                    } finally {
                        slots.set(slot, null);
                    }
                }
                Throwable failure = job.failure.get();
                if (failure instanceof RuntimeException) {
                    throw (RuntimeException) failure;
                }
                if (failure instanceof Error) {
                    throw (Error) failure;
                }
                if (failure != null) {
                    throw new RuntimeException(failure);
                }
            } finally {
                callerJobs.exit(job);
            }
        }

        private int publish(Job job) {
            for (int i = 0; i < SLOTS; i++) {
                if (slots.get(i) == null && slots.compareAndSet(i, null, job)) {
                    return i;
                }
            }
            return -1;
        }

        /** An open job with pieces left, oldest slot first, or null. */
        Job openJob() {
            for (int i = 0; i < SLOTS; i++) {
                Job job = slots.get(i);
                if (job != null && job.open()) {
                    return job;
                }
            }
            return null;
        }

        boolean idle() {
            for (int i = 0; i < SLOTS; i++) {
                if (slots.get(i) != null) {
                    return false;
                }
            }
            return true;
        }

        void shutdown() {
            shutdown = true;
            for (Worker worker : workers) {
                LockSupport.unpark(worker);
            }
        }
    }

    /** A pool thread: takes pieces of the oldest open job, spins briefly when there is none, then parks. */
    private static final class Worker extends Thread {
        private final Pool pool;
        volatile boolean parked;

        Worker(Pool pool, String name) {
            super(name);
            this.pool = pool;
            setDaemon(true);
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            while (!pool.shutdown) {
                Job job = pool.openJob();
                if (job != null) {
                    job.work();
                    idleSince = System.nanoTime();
                    continue;
                }
                long idle = System.nanoTime() - idleSince;
                if (idle < SPIN_NANOS) {
                    if (idle < BUSY_SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        // Still awake, but hand the core over if the caller (or anyone) is waiting for it.
                        Thread.yield();
                    }
                    continue;
                }
                parked = true;
                // Re-check after announcing: a caller that published a job before reading parked == true unparks us.
                if (pool.openJob() == null && !pool.shutdown) {
                    LockSupport.park(this);
                }
                parked = false;
                idleSince = System.nanoTime();
            }
        }
    }
}
