package org.lstm4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelismTest {

    @AfterEach
    void restoreThreads() {
        Parallelism.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void everyIndexRunsExactlyOnce() {
        for (int threads : new int[] {1, 2, 3}) {
            Parallelism.setThreads(threads);
            assertEquals(threads, Parallelism.threads());
            for (int count : new int[] {0, 1, 2, 7, 1000}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(count);
                Parallelism.parallelFor(count, hits::incrementAndGet);
                for (int i = 0; i < count; i++) {
                    assertEquals(1, hits.get(i), "threads=" + threads + " count=" + count + " index " + i);
                }
            }
        }
    }

    @Test
    void rangesAreContiguousAndRespectTheGrain() {
        Parallelism.setThreads(2);
        AtomicIntegerArray hits = new AtomicIntegerArray(100);
        Parallelism.parallelFor(10, 110, 30, (begin, end) -> {
            if (end != 110 && end - begin < 30) {
                throw new AssertionError("chunk smaller than grain: " + begin + ".." + end);
            }
            for (int i = begin; i < end; i++) {
                hits.incrementAndGet(i - 10);
            }
        });
        for (int i = 0; i < 100; i++) {
            assertEquals(1, hits.get(i));
        }
    }

    @Test
    void runsInlineWithOneThreadOrOneItem() {
        Thread caller = Thread.currentThread();
        Parallelism.setThreads(1);
        Parallelism.parallelFor(50, i -> assertSame(caller, Thread.currentThread()));
        Parallelism.setThreads(2);
        Parallelism.parallelFor(1, i -> assertSame(caller, Thread.currentThread()));
    }

    @Test
    void nestedLoopsDoNotDeadlock() {
        Parallelism.setThreads(2);
        AtomicIntegerArray hits = new AtomicIntegerArray(16);
        Parallelism.parallelFor(4, outer -> Parallelism.parallelFor(4, inner -> hits.incrementAndGet(outer * 4 + inner)));
        for (int i = 0; i < 16; i++) {
            assertEquals(1, hits.get(i));
        }
    }

    @Test
    void concurrentPiecesRunTheirNestedLoopsOnTheirOwnThread() {
        Parallelism.setThreads(2);
        Thread caller = Thread.currentThread();
        AtomicIntegerArray hits = new AtomicIntegerArray(2 * 64);
        Thread[] pieceThreads = new Thread[2];
        Parallelism.concurrently(2, piece -> {
            Thread self = Thread.currentThread();
            pieceThreads[piece] = self;
            assertTrue(Parallelism.runsInline(), "piece " + piece + " must run nested loops inline");
            Parallelism.parallelFor(0, 64, 1, (begin, end) -> {
                assertSame(self, Thread.currentThread(), "nested chunk left its piece's thread");
                for (int i = begin; i < end; i++) {
                    hits.incrementAndGet(piece * 64 + i);
                }
            });
        });
        for (int i = 0; i < hits.length(); i++) {
            assertEquals(1, hits.get(i));
        }
        assertSame(caller, pieceThreads[0], "the caller runs the first piece");
        // Outside the section the caller splits loops again.
        assertFalse(Parallelism.runsInline());
    }

    @Test
    void aSinglePieceKeepsTheThreadsForItsOwnLoops() {
        Parallelism.setThreads(2);
        Parallelism.concurrently(1, piece -> assertFalse(Parallelism.runsInline(),
                "one piece runs nothing side by side, so its loops must still use every thread"));
    }

    @Test
    void tasksRunOnceEachAlsoWithConcurrentCallers() throws Exception {
        for (int threads : new int[] {1, 2, 3}) {
            Parallelism.setThreads(threads);
            int callers = 3;
            int tasks = 257;
            AtomicIntegerArray hits = new AtomicIntegerArray(callers * tasks);
            Thread[] running = new Thread[callers];
            for (int c = 0; c < callers; c++) {
                int caller = c;
                running[c] = new Thread(() -> {
                    for (int rep = 0; rep < 50; rep++) {
                        Parallelism.forEachTask(tasks, i -> hits.incrementAndGet(caller * tasks + i));
                        Parallelism.parallelFor(0, 10, 1, (b, e) -> Parallelism.forEachTask(3, i -> { }));
                    }
                });
                running[c].start();
            }
            for (Thread thread : running) {
                thread.join(60_000);
                assertEquals(false, thread.isAlive(), "deadlock with threads=" + threads);
            }
            for (int i = 0; i < callers * tasks; i++) {
                assertEquals(50, hits.get(i), "threads=" + threads + " task " + i);
            }
        }
    }

    @Test
    void exceptionsReachTheCaller() {
        Parallelism.setThreads(2);
        assertThrows(IllegalStateException.class, () -> Parallelism.parallelFor(8, i -> {
            if (i == 7) {
                throw new IllegalStateException("boom");
            }
        }));
        assertThrows(IllegalArgumentException.class, () -> Parallelism.setThreads(0));
    }

    @Test
    void reusedJobsRunEveryPieceOnceLoopAfterLoop() {
        // Each caller re-arms the same job object loop after loop; a worker still holding the previous loop's
        // job must never run a piece twice or with the next loop's settings.
        for (int threads : new int[] {2, 3}) {
            Parallelism.setThreads(threads);
            int[] counts = {2, 3, 5, 64};
            // Enough loops to catch a re-arming race: one that let a stale worker claim a piece of no loop
            // showed within ~10,000-500,000 loops (a piece run twice, or a loop ending before its last piece).
            for (int rep = 0; rep < 150_000; rep++) {
                int count = counts[rep % counts.length];
                AtomicIntegerArray hits = new AtomicIntegerArray(count);
                int loop = rep;
                Parallelism.parallelFor(0, count, 1, (begin, end) -> {
                    for (int i = begin; i < end; i++) {
                        hits.incrementAndGet(i);
                    }
                    if (loop % 7 == 0 && begin == 0) {
                        // A loop started from the caller's own piece: the next nesting depth's job.
                        Parallelism.forEachTask(3, t -> { });
                    }
                });
                for (int i = 0; i < count; i++) {
                    assertEquals(1, hits.get(i), "threads=" + threads + " loop " + rep + " index " + i);
                }
            }
        }
    }

    @Test
    void moreConcurrentCallersThanSlotsStillFinish() throws Exception {
        Parallelism.setThreads(2);
        int callers = 48;
        AtomicIntegerArray hits = new AtomicIntegerArray(callers * 16);
        Thread[] running = new Thread[callers];
        for (int c = 0; c < callers; c++) {
            int caller = c;
            running[c] = new Thread(() -> {
                for (int rep = 0; rep < 200; rep++) {
                    Parallelism.forEachTask(16, i -> hits.incrementAndGet(caller * 16 + i));
                }
            });
            running[c].start();
        }
        for (Thread thread : running) {
            thread.join(60_000);
            assertFalse(thread.isAlive(), "a caller did not finish");
        }
        for (int i = 0; i < callers * 16; i++) {
            assertEquals(200, hits.get(i), "task " + i);
        }
    }

    @Test
    void aParallelLoopAllocatesNothing() {
        org.lstm4j.testing.AllocationMeter.assumeSupported();
        Parallelism.setThreads(2);
        float[] data = new float[4096];
        Parallelism.RangeBody body = (begin, end) -> {
            for (int i = begin; i < end; i++) {
                data[i] += 1f;
            }
        };
        java.util.function.IntConsumer task = i -> data[i] += 1f;
        for (int rep = 0; rep < 20_000; rep++) {
            Parallelism.parallelFor(0, data.length, 64, body);
            Parallelism.forEachTask(4, task);
        }
        long before = org.lstm4j.testing.AllocationMeter.allocatedBytesAllThreads();
        for (int rep = 0; rep < 10_000; rep++) {
            Parallelism.parallelFor(0, data.length, 64, body);
            Parallelism.forEachTask(4, task);
        }
        long perLoop = (org.lstm4j.testing.AllocationMeter.allocatedBytesAllThreads() - before) / 20_000;
        // Before jobs were reused: 128 bytes per loop (job, counters, queue node, chunking lambda).
        assertTrue(perLoop <= 2, "a parallel loop allocated " + perLoop + " bytes");
    }
}
