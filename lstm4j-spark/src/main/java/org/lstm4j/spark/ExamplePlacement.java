package org.lstm4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.Partitioner;

/**
 * Where the trainer caches each example (by its index in the RDD): its partition and its position there, the
 * partition's examples being kept in index order.
 */
abstract sealed class ExamplePlacement implements Serializable {
    private static final long serialVersionUID = 1L;

    abstract int partitions();

    abstract int partitionOf(int index);

    /** The example's position in its partition. */
    abstract int positionOf(int index, int partition);

    /** The examples each partition holds, of {@code examples} in all. */
    abstract List<Integer> sizes(int examples);

    /** Sends each (index, example) pair to its partition. */
    Partitioner partitioner() {
        return new PlacementPartitioner(this);
    }

    /**
     * The examples stay in the partitions they had in the source RDD: partition p holds indices [offsets[p],
     * offsets[p+1]). Independent examples (classification, windows) need nothing else.
     */
    static ExamplePlacement indexRanges(int[] offsets) {
        return new IndexRanges(offsets);
    }

    /**
     * Partition p holds batch rows (streams) [first_p, first_p+1) of every batch, the rows split as evenly as
     * they go: for examples laid out as {@link org.lstm4j.data.ParallelStreams} (index = window × rows + row),
     * read in order, every batch then has a share of the same rows in every partition, so each partition works
     * on every step and continues the same streams.
     */
    static ExamplePlacement streamRows(int rows, int partitions) {
        return new StreamRows(rows, partitions);
    }

    static final class IndexRanges extends ExamplePlacement {
        private static final long serialVersionUID = 1L;
        private final int[] offsets;

        IndexRanges(int[] offsets) {
            this.offsets = offsets.clone();
        }

        @Override
        int partitions() {
            return offsets.length - 1;
        }

        @Override
        int partitionOf(int index) {
            int p = Arrays.binarySearch(offsets, index);
            p = p >= 0 ? p : -p - 2;
            // Empty partitions repeat an offset: move to the one whose range is not empty.
            while (p + 1 < offsets.length - 1 && offsets[p + 1] <= index) {
                p++;
            }
            return p;
        }

        @Override
        int positionOf(int index, int partition) {
            return index - offsets[partition];
        }

        @Override
        List<Integer> sizes(int examples) {
            List<Integer> sizes = new ArrayList<>();
            for (int p = 0; p < partitions(); p++) {
                sizes.add(offsets[p + 1] - offsets[p]);
            }
            return sizes;
        }
    }

    static final class StreamRows extends ExamplePlacement {
        private static final long serialVersionUID = 1L;
        private final int rows;
        /** Partition p holds rows [firstRow[p], firstRow[p+1]). */
        private final int[] firstRow;

        StreamRows(int rows, int partitions) {
            if (rows < 1 || partitions < 1) {
                throw new IllegalArgumentException("rows and partitions must be at least 1, got " + rows + " and " + partitions);
            }
            this.rows = rows;
            this.firstRow = new int[partitions + 1];
            for (int p = 0; p <= partitions; p++) {
                firstRow[p] = (int) ((long) p * rows / partitions);
            }
        }

        @Override
        int partitions() {
            return firstRow.length - 1;
        }

        @Override
        int partitionOf(int index) {
            int row = index % rows;
            int p = Arrays.binarySearch(firstRow, row);
            p = p >= 0 ? p : -p - 2;
            // More partitions than rows: some hold none and repeat a bound; move to the one holding the row.
            while (firstRow[p + 1] <= row) {
                p++;
            }
            return p;
        }

        @Override
        int positionOf(int index, int partition) {
            // In index order the partition holds, window after window, its rows of each window.
            int width = firstRow[partition + 1] - firstRow[partition];
            return (index / rows) * width + index % rows - firstRow[partition];
        }

        @Override
        List<Integer> sizes(int examples) {
            int windows = examples / rows;
            int rest = examples % rows;
            List<Integer> sizes = new ArrayList<>();
            for (int p = 0; p < partitions(); p++) {
                int a = firstRow[p];
                int b = firstRow[p + 1];
                sizes.add(windows * (b - a) + Math.max(0, Math.min(b, rest) - a));
            }
            return sizes;
        }
    }

    /** Spark's view of a placement. */
    private static final class PlacementPartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final ExamplePlacement placement;

        PlacementPartitioner(ExamplePlacement placement) {
            this.placement = placement;
        }

        @Override
        public int numPartitions() {
            return placement.partitions();
        }

        @Override
        public int getPartition(Object key) {
            return placement.partitionOf(Math.toIntExact((Long) key));
        }
    }
}
