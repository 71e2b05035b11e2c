package org.lstm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.testing.Datasets;

/** MNIST and Fashion-MNIST as distributed (gzip'd IDX), from the shared datasets directory; skipped without it. */
class IdxRealDatasetsTest {

    /** Examples per digit in MNIST's train and test splits, as published with the data. */
    private static final int[] MNIST_TRAIN_PER_CLASS = {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949};
    private static final int[] MNIST_TEST_PER_CLASS = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};

    private static int[] perClass(ImageClassificationDataset ds) {
        int[] counts = new int[10];
        for (int label : ds.labels()) {
            counts[label]++;
        }
        return counts;
    }

    private static void assertSplit(ImageClassificationDataset ds, int size, int firstLabel, int[] perClass) {
        assertEquals(size, ds.size());
        assertEquals(28, ds.rows());
        assertEquals(28, ds.cols());
        assertEquals(10, ds.numClasses());
        assertEquals(firstLabel, ds.label(0));
        assertArrayEquals(perClass, perClass(ds));
        // Pixels span the whole byte range: 0 maps to 0 and 255 to exactly 1.
        float[] first = ds.get(0).inputs().data();
        float max = 0f;
        for (float v : first) {
            assertTrue(v >= 0f && v <= 1f, "pixel " + v);
            max = Math.max(max, v);
        }
        assertEquals(1f, max, "the first image's brightest pixel");
    }

    @Test
    void mnist() throws IOException {
        Path dir = Datasets.require("mnist");
        assertSplit(ImageClassificationDataset.loadIdx(dir, "train"), 60000, 5, MNIST_TRAIN_PER_CLASS);
        assertSplit(ImageClassificationDataset.loadIdx(dir, "t10k"), 10000, 7, MNIST_TEST_PER_CLASS);
    }

    @Test
    void fashionMnist() throws IOException {
        Path dir = Datasets.require("fashion-mnist");
        int[] train = new int[10];
        int[] test = new int[10];
        Arrays.fill(train, 6000);
        Arrays.fill(test, 1000);
        assertSplit(ImageClassificationDataset.loadIdx(dir, "train"), 60000, 9, train);
        assertSplit(ImageClassificationDataset.loadIdx(dir, "t10k"), 10000, 9, test);
    }

    @Test
    void aShuffledLoaderOverMnistGivesFullBatchesOfImages() throws IOException {
        ImageClassificationDataset train = ImageClassificationDataset.loadIdx(Datasets.require("mnist"), "train");
        DataLoader<IndexTensor> loader = DataLoader.builder(train).batchSize(64).shuffle(true)
                .generator(new Generator(1)).build();
        assertEquals(938, loader.numBatches()); // 937 full batches and one of 32
        DataLoader.Epoch<IndexTensor> epoch = loader.epoch();
        Batch<IndexTensor> batch = epoch.next();
        assertArrayEquals(new int[] {64, 28, 28}, batch.inputs().shape());
        assertArrayEquals(new int[] {64}, batch.targets().shape());
        for (int label : batch.targets().data()) {
            assertTrue(label >= 0 && label < 10, "label " + label);
        }
    }
}
