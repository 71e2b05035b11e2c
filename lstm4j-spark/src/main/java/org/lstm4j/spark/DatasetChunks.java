package org.lstm4j.spark;

import java.util.Arrays;
import org.lstm4j.data.Batch;
import org.lstm4j.data.Dataset;
import org.lstm4j.tensor.IndexTensor;

/**
 * Reads a whole dataset in index order as gathered batches of at most {@link #CHUNK} examples, so that turning
 * it into per-example records ({@link LabeledSequence#all}, {@link MultiTargetExample#all}) never holds more
 * than one chunk's batch besides the records.
 */
final class DatasetChunks {
    /** Examples per gathered batch. */
    static final int CHUNK = 1024;

    /** Receives one gathered batch of {@code count} consecutive examples. */
    interface ChunkConsumer {
        void accept(Batch<IndexTensor> batch, int count);
    }

    private DatasetChunks() {}

    static void forEach(Dataset<IndexTensor> dataset, ChunkConsumer consumer) {
        int[] indices = new int[dataset.size()];
        Arrays.setAll(indices, i -> i);
        for (int from = 0; from < indices.length; from += CHUNK) {
            int count = Math.min(CHUNK, indices.length - from);
            consumer.accept(dataset.gather(indices, from, count), count);
        }
    }
}
