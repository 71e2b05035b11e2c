package org.lstm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.testing.AllocationMeter;

class DataLoaderTest {

    /** {@code n} examples: example i has inputs (i, -i) and label i, so a batch's labels spell out the order. */
    private static TensorDataset<IndexTensor> numbered(int n) {
        float[] inputs = new float[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            inputs[2 * i] = i;
            inputs[2 * i + 1] = -i;
            labels[i] = i;
        }
        return TensorDataset.ofClasses(Tensor.of(inputs, n, 2), IndexTensor.of(labels));
    }

    private static DataLoader<IndexTensor> loader(int n, int batchSize, boolean shuffle, long seed) {
        return DataLoader.builder(numbered(n)).batchSize(batchSize).shuffle(shuffle).generator(new Generator(seed)).build();
    }

    /** The labels of the remaining batches of {@code epoch}, one array per batch. */
    private static List<int[]> drain(java.util.Iterator<Batch<IndexTensor>> epoch) {
        List<int[]> batches = new ArrayList<>();
        while (epoch.hasNext()) {
            Batch<IndexTensor> b = epoch.next();
            // Inputs travel with their labels.
            for (int i = 0; i < b.size(); i++) {
                assertEquals(b.targets().data()[i], b.inputs().get(i, 0));
            }
            batches.add(b.targets().data());
        }
        return batches;
    }

    private static int[] flatten(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).toArray();
    }

    private static int[] sizes(List<int[]> batches) {
        return batches.stream().mapToInt(b -> b.length).toArray();
    }

    // ---------------------------------------------------------------- order

    @Test
    void everyExampleExactlyOncePerEpochShuffledOrNot() {
        for (boolean shuffle : new boolean[] {false, true}) {
            DataLoader<IndexTensor> loader = loader(103, 10, shuffle, 1);
            for (int epoch = 0; epoch < 3; epoch++) {
                int[] seen = flatten(drain(loader.epoch()));
                int[] sorted = seen.clone();
                Arrays.sort(sorted);
                int[] all = new int[103];
                Arrays.setAll(all, i -> i);
                assertArrayEquals(all, sorted, "shuffle " + shuffle + ", epoch " + epoch);
                if (!shuffle) {
                    assertArrayEquals(all, seen, "without shuffling the order is the dataset's");
                } else {
                    assertFalse(Arrays.equals(all, seen), "a shuffled epoch of 103 left in order");
                }
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameOrdersAndAnotherSeedOthers() {
        DataLoader<IndexTensor> a = loader(50, 8, true, 42);
        DataLoader<IndexTensor> b = loader(50, 8, true, 42);
        DataLoader<IndexTensor> c = loader(50, 8, true, 43);
        int[] a1 = flatten(drain(a.epoch()));
        int[] a2 = flatten(drain(a.epoch()));
        assertArrayEquals(a1, flatten(drain(b.epoch())));
        assertArrayEquals(a2, flatten(drain(b.epoch())));
        assertFalse(Arrays.equals(a1, a2), "two epochs of one loader in the same order");
        assertFalse(Arrays.equals(a1, flatten(drain(c.epoch()))), "seeds 42 and 43 gave the same order");
    }

    @Test
    void theOrderIsFisherYatesWithNextIntOfTheLoadersGenerator() {
        Generator reference = new Generator(9);
        int[] expected = new int[20];
        Arrays.setAll(expected, i -> i);
        for (int i = expected.length - 1; i > 0; i--) {
            int j = reference.nextInt(i + 1);
            int swap = expected[i];
            expected[i] = expected[j];
            expected[j] = swap;
        }
        DataLoader<IndexTensor> loader = loader(20, 6, true, 9);
        assertArrayEquals(expected, flatten(drain(loader.epoch())));
        assertEquals(reference.getState(), loader.generator().getState());
    }

    @Test
    void theDefaultGeneratorIsTheLoadersOwnSeededWithZero() {
        DataLoader<IndexTensor> byDefault = DataLoader.builder(numbered(30)).batchSize(4).shuffle(true).build();
        assertNotSame(Generator.getDefault(), byDefault.generator());
        assertArrayEquals(flatten(drain(loader(30, 4, true, 0).epoch())), flatten(drain(byDefault.epoch())));
        // Two default loaders do not share a generator: each starts from seed 0.
        DataLoader<IndexTensor> another = DataLoader.builder(numbered(30)).batchSize(4).shuffle(true).build();
        assertArrayEquals(flatten(drain(loader(30, 4, true, 0).epoch())), flatten(drain(another.epoch())));
    }

    @Test
    void aForEachLoopRunsOneEpoch() {
        DataLoader<IndexTensor> loader = loader(7, 3, false, 0);
        List<int[]> batches = new ArrayList<>();
        for (Batch<IndexTensor> b : loader) {
            batches.add(b.targets().data());
        }
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, flatten(batches));
    }

    // ---------------------------------------------------------------- batch sizes

    @Test
    void theLastBatchIsPartialUnlessDropped() {
        DataLoader<IndexTensor> keep = loader(10, 4, true, 3);
        assertEquals(3, keep.numBatches());
        assertArrayEquals(new int[] {4, 4, 2}, sizes(drain(keep.epoch())));

        DataLoader<IndexTensor> drop = DataLoader.builder(numbered(10)).batchSize(4).dropLast(true).build();
        assertEquals(2, drop.numBatches());
        List<int[]> batches = drain(drop.epoch());
        assertArrayEquals(new int[] {4, 4}, sizes(batches));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, flatten(batches));
    }

    @Test
    void numBatchesCountsEdgeCases() {
        int[][] cases = { // size, batch size, batches kept, batches with dropLast
            {10, 5, 2, 2}, {10, 1, 10, 10}, {3, 10, 1, 0}, {0, 4, 0, 0}, {1, 1, 1, 1}, {11, 5, 3, 2}};
        for (int[] c : cases) {
            for (boolean dropLast : new boolean[] {false, true}) {
                DataLoader<IndexTensor> l = DataLoader.builder(numbered(c[0])).batchSize(c[1]).dropLast(dropLast).build();
                int expected = dropLast ? c[3] : c[2];
                String what = Arrays.toString(c) + " dropLast " + dropLast;
                assertEquals(expected, l.numBatches(), what);
                DataLoader.Epoch<IndexTensor> epoch = l.epoch();
                assertEquals(expected, epoch.numBatches(), what);
                assertEquals(expected, drain(epoch).size(), what);
                assertThrows(NoSuchElementException.class, epoch::next);
            }
        }
    }

    @Test
    void builderDefaultsAndAccessors() {
        TensorDataset<IndexTensor> ds = numbered(5);
        DataLoader<IndexTensor> l = DataLoader.builder(ds).build();
        assertEquals(1, l.batchSize());
        assertFalse(l.shuffle());
        assertFalse(l.dropLast());
        assertEquals(5, l.numBatches());
        assertEquals(ds, l.dataset());
        assertEquals(new Generator(0).getState(), l.generator().getState());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(ds).batchSize(0));
        assertEquals("batch size must be positive, got 0", e.getMessage());
    }

    // ---------------------------------------------------------------- resume

    @Test
    void resumingMidEpochReturnsTheUninterruptedBatchesAndLeavesTheSameGeneratorState() {
        int n = 37;
        int batchSize = 5;
        int numBatches = 8;
        for (int done = 0; done <= numBatches; done++) {
            // Uninterrupted: a first epoch, then the second one all the way through.
            DataLoader<IndexTensor> straight = loader(n, batchSize, true, 11);
            drain(straight.epoch());
            List<int[]> expected = drain(straight.epoch());
            Generator.State expectedState = straight.generator().getState();

            // Interrupted in the second epoch after `done` batches...
            DataLoader<IndexTensor> first = loader(n, batchSize, true, 11);
            drain(first.epoch());
            DataLoader.Epoch<IndexTensor> interrupted = first.epoch();
            for (int b = 0; b < done; b++) {
                interrupted.next();
            }
            DataLoader.Position saved = interrupted.position();
            assertEquals(done, saved.batchesDone());

            // ...and resumed by a new loader whose generator starts elsewhere.
            DataLoader<IndexTensor> restarted = loader(n, batchSize, true, 999);
            List<int[]> rest = drain(restarted.resume(saved));
            assertEquals(numBatches - done, rest.size());
            for (int b = 0; b < rest.size(); b++) {
                assertArrayEquals(expected.get(done + b), rest.get(b), "batch " + (done + b) + " after resuming at " + done);
            }
            assertEquals(expectedState, restarted.generator().getState(), "generator after resuming at " + done);
            // The next epoch goes on as the uninterrupted run's.
            assertArrayEquals(flatten(drain(straight.epoch())), flatten(drain(restarted.epoch())));
        }
    }

    @Test
    void theOrderStateIsTheGeneratorStateTheEpochStartedFrom() {
        DataLoader<IndexTensor> l = loader(10, 3, true, 5);
        Generator.State before = l.generator().getState();
        DataLoader.Epoch<IndexTensor> epoch = l.epoch();
        assertEquals(new DataLoader.Position(before, 0), epoch.position());
        assertNotEquals(before, l.generator().getState(), "drawing the order must advance the generator");
        assertNull(loader(10, 3, false, 5).epoch().position().orderState());
    }

    @Test
    void resumingWithoutShufflingSkipsTheBatchesDone() {
        DataLoader<IndexTensor> l = loader(10, 3, false, 0);
        DataLoader.Epoch<IndexTensor> epoch = l.epoch();
        epoch.next();
        epoch.next();
        assertArrayEquals(new int[] {6, 7, 8, 9}, flatten(drain(l.resume(epoch.position()))));
    }

    @Test
    void resumingSkipsWithoutGathering() {
        int[] gathers = {0};
        TensorDataset<IndexTensor> inner = numbered(20);
        Dataset<IndexTensor> counting = new Dataset<>() {
            @Override
            public int size() {
                return inner.size();
            }

            @Override
            public Batch<IndexTensor> gather(int[] indices, int from, int count) {
                gathers[0]++;
                return inner.gather(indices, from, count);
            }
        };
        DataLoader<IndexTensor> l = DataLoader.builder(counting).batchSize(2).shuffle(true).build();
        DataLoader.Epoch<IndexTensor> resumed = l.resume(new DataLoader.Position(l.generator().getState(), 7));
        assertEquals(0, gathers[0]);
        assertEquals(3, drain(resumed).size());
        assertEquals(3, gathers[0]);
    }

    @Test
    void positionsFromAnotherKindOfLoaderAreRefused() {
        DataLoader<IndexTensor> shuffled = loader(10, 3, true, 0);
        DataLoader<IndexTensor> ordered = loader(10, 3, false, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> shuffled.resume(ordered.epoch().position()));
        assertTrue(e.getMessage().contains("this loader shuffles, but the position has no order state"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ordered.resume(shuffled.epoch().position()));
        assertTrue(e.getMessage().contains("this loader does not shuffle"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ordered.resume(new DataLoader.Position(null, 5)));
        assertEquals("the position is after batch 5, but an epoch has 4 batches (10 examples, batch size 3)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DataLoader.Position(null, -1));
    }

    // ---------------------------------------------------------------- allocation

    /** Heap bytes of an array: 16-byte header plus the elements, rounded up to 8 (HotSpot, compressed oops). */
    private static long arrayBytes(long elements, int elementBytes) {
        return (16 + elements * elementBytes + 7) / 8 * 8;
    }

    /**
     * After warm-up, each next() allocates the batch's own arrays plus a small constant (objects, shape
     * copies), nowhere near the 4 KB a new order array of 1000 indices would take, or a copy of the dataset.
     */
    private static <T> void assertEachBatchAllocatesOnlyItself(DataLoader<T> loader, long batchArrayBytes) {
        AllocationMeter.assumeSupported();
        for (int warmUp = 0; warmUp < 30; warmUp++) {
            drain(loader.epoch(), b -> { });
        }
        DataLoader.Epoch<T> epoch = loader.epoch();
        int batch = 0;
        while (epoch.hasNext()) {
            long before = AllocationMeter.allocatedBytes();
            Batch<T> b = epoch.next();
            long allocated = AllocationMeter.allocatedBytes() - before;
            if (b.size() == loader.batchSize()) {
                assertTrue(allocated <= batchArrayBytes + 2048,
                        "batch " + batch + " allocated " + allocated + " bytes; its arrays take " + batchArrayBytes);
            }
            batch++;
        }
    }

    private static <T> void drain(DataLoader.Epoch<T> epoch, java.util.function.Consumer<Batch<T>> use) {
        while (epoch.hasNext()) {
            use.accept(epoch.next());
        }
    }

    @Test
    void eachTensorDatasetBatchAllocatesOnlyItsArrays() {
        int n = 1000;
        int features = 64;
        int batchSize = 10;
        float[] inputs = new float[n * features];
        int[] labels = new int[n];
        DataLoader<IndexTensor> loader = DataLoader.builder(TensorDataset.ofClasses(Tensor.of(inputs, n, features),
                IndexTensor.of(labels))).batchSize(batchSize).shuffle(true).build();
        assertEachBatchAllocatesOnlyItself(loader, arrayBytes((long) batchSize * features, 4) + arrayBytes(batchSize, 4));
    }

    @Test
    void eachImageBatchAllocatesOnlyItsArrays() {
        int n = 1000;
        int batchSize = 8;
        ImageClassificationDataset ds = ImageClassificationDataset.of(
                new IdxImages(n, 28, 28, new byte[n * 784]), new IdxLabels(n, new byte[n]), "images", "labels");
        DataLoader<IndexTensor> loader = DataLoader.builder(ds).batchSize(batchSize).shuffle(true).build();
        assertEachBatchAllocatesOnlyItself(loader, arrayBytes((long) batchSize * 784, 4) + arrayBytes(batchSize, 4));
    }
}
