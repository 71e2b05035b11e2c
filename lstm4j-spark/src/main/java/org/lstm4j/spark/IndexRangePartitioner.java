package org.lstm4j.spark;

import java.util.Arrays;
import org.apache.spark.Partitioner;

/**
 * Sends example index i to the partition whose range [offsets[p], offsets[p+1]) holds it: the examples keep
 * the partitions (and, sorted by index, the order) they had in the source RDD.
 */
final class IndexRangePartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;

    private final long[] offsets;

    IndexRangePartitioner(int[] offsets) {
        this.offsets = Arrays.stream(offsets).asLongStream().toArray();
    }

    @Override
    public int numPartitions() {
        return offsets.length - 1;
    }

    @Override
    public int getPartition(Object key) {
        long index = (Long) key;
        int p = Arrays.binarySearch(offsets, index);
        p = p >= 0 ? p : -p - 2;
        // Empty partitions repeat an offset: move to the one whose range is not empty.
        while (p + 1 < offsets.length - 1 && offsets[p + 1] <= index) {
            p++;
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IndexRangePartitioner other && Arrays.equals(offsets, other.offsets);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(offsets);
    }
}
