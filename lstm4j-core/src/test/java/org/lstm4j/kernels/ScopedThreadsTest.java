package org.lstm4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-caller thread budgets ({@link Parallelism#runWithThreads}): what a Spark task uses to stay within its
 * {@code spark.task.cpus} while other tasks run in the same JVM.
 */
class ScopedThreadsTest {

    @AfterEach
    void restoreThreads() {
        Parallelism.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void aScopeOfOneThreadRunsEverythingOnTheCallerWhateverTheProcessWideBudget() {
        Parallelism.setThreads(3);
        Thread caller = Thread.currentThread();
        Set<Thread> used = ConcurrentHashMap.newKeySet();
        Parallelism.runWithThreads(1, () -> {
            assertEquals(1, Parallelism.threads());
            assertFalse(Parallelism.parallelHere());
            Parallelism.parallelFor(100, i -> used.add(Thread.currentThread()));
        });
        assertEquals(Set.of(caller), used);
        assertEquals(3, Parallelism.threads(), "the process-wide budget is back after the scope");
    }

    @Test
    void aScopeOfTwoThreadsRunsTwoPiecesAtOnceWhereTheProcessWideBudgetIsOne() throws Exception {
        Parallelism.setThreads(1);
        CyclicBarrier bothRunning = new CyclicBarrier(2);
        Set<Thread> used = ConcurrentHashMap.newKeySet();
        Parallelism.runWithThreads(2, () -> {
            assertEquals(2, Parallelism.threads());
            // Each piece waits for the other: this returns only if two threads run them side by side.
            Parallelism.parallelFor(2, i -> {
                used.add(Thread.currentThread());
                awaitBarrier(bothRunning);
            });
        });
        assertEquals(2, used.size(), "threads used: " + used);
        assertEquals(1, Parallelism.threads());
    }

    @Test
    void otherThreadsKeepTheProcessWideBudgetWhileOneIsInAScope() throws Exception {
        Parallelism.setThreads(2);
        CountDownLatch inScope = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        int[] seenOutside = new int[1];
        Thread other = new Thread(() -> {
            try {
                inScope.await(30, TimeUnit.SECONDS);
                seenOutside[0] = Parallelism.threads();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                checked.countDown();
            }
        });
        other.start();
        Parallelism.runWithThreads(1, () -> {
            inScope.countDown();
            try {
                assertTrue(checked.await(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertEquals(1, Parallelism.threads());
        });
        other.join();
        assertEquals(2, seenOutside[0], "a scope on one thread changed another thread's budget");
    }

    @Test
    void concurrentScopesUseDisjointWorkers() throws Exception {
        Parallelism.setThreads(1);
        int callers = 2;
        Set<Set<Thread>> perCaller = Collections.synchronizedSet(new HashSet<>());
        Throwable[] failure = new Throwable[1];
        // Both callers hold their scopes open at once, so neither can borrow the other's (returned) pool.
        CyclicBarrier scopesOpen = new CyclicBarrier(callers);
        Thread[] running = new Thread[callers];
        for (int c = 0; c < callers; c++) {
            running[c] = new Thread(() -> {
                try {
                    Parallelism.runWithThreads(2, () -> {
                        awaitBarrier(scopesOpen);
                        for (int rep = 0; rep < 20; rep++) {
                            CyclicBarrier bothPieces = new CyclicBarrier(2);
                            Set<Thread> used = ConcurrentHashMap.newKeySet();
                            Parallelism.parallelFor(2, i -> {
                                used.add(Thread.currentThread());
                                awaitBarrier(bothPieces);
                            });
                            used.remove(Thread.currentThread());
                            perCaller.add(used);
                        }
                        awaitBarrier(scopesOpen);
                    });
                } catch (Throwable t) {
                    failure[0] = t;
                }
            });
            running[c].start();
        }
        for (Thread t : running) {
            t.join(60_000);
            assertFalse(t.isAlive(), "a scoped caller hung");
        }
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
        // Each caller used exactly one worker in all its 20 loops, and the two callers' workers differ.
        assertEquals(2, perCaller.size(), "sets of workers per caller: " + perCaller);
        Set<Thread> all = new HashSet<>();
        perCaller.forEach(all::addAll);
        assertEquals(2, all.size(), "the callers shared a worker: " + perCaller);
    }

    @Test
    void scopesNestAndTheInnerOneAppliesInside() {
        Parallelism.setThreads(2);
        Parallelism.runWithThreads(3, () -> {
            assertEquals(3, Parallelism.threads());
            int inner = Parallelism.callWithThreads(1, Parallelism::threads);
            assertEquals(1, inner);
            assertEquals(3, Parallelism.threads());
        });
        assertEquals(2, Parallelism.threads());
    }

    @Test
    void aScopeEndsAlsoWhenItsBodyThrows() {
        Parallelism.setThreads(2);
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> Parallelism.runWithThreads(1, () -> {
                    throw new IllegalStateException("body failed");
                }));
        assertEquals("body failed", thrown.getMessage());
        assertEquals(2, Parallelism.threads());
    }

    @Test
    void countsOutsideTheRangeAreRefusedNamingIt() {
        int max = Parallelism.maxThreads();
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> Parallelism.runWithThreads(0, () -> { }));
        assertTrue(zero.getMessage().startsWith("threads must be in [1, " + max + "]"), zero.getMessage());
        assertTrue(zero.getMessage().endsWith("was 0"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Parallelism.runWithThreads(max + 1, () -> { }));
    }

    @Test
    void theCallerStillRunsTheFirstPieceInAScope() {
        Thread caller = Thread.currentThread();
        Parallelism.runWithThreads(2, () -> Parallelism.parallelFor(0, 2, 1, (begin, end) -> {
            if (begin == 0) {
                assertSame(caller, Thread.currentThread());
            }
        }));
    }

    private static void awaitBarrier(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the other piece never ran alongside: " + e, e);
        }
    }
}
