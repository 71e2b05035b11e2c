package org.lstm4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The placements' arithmetic against what sorting the examples into their partitions gives. */
class ExamplePlacementTest {

    /** Every example's partition and position agree with its rank among its partition's examples, in index order. */
    static void checkAgainstSorting(ExamplePlacement placement, int examples) {
        List<List<Integer>> held = new ArrayList<>();
        for (int p = 0; p < placement.partitions(); p++) {
            held.add(new ArrayList<>());
        }
        for (int i = 0; i < examples; i++) {
            held.get(placement.partitionOf(i)).add(i);
        }
        List<Integer> sizes = new ArrayList<>();
        for (int p = 0; p < placement.partitions(); p++) {
            List<Integer> mine = held.get(p);
            sizes.add(mine.size());
            for (int position = 0; position < mine.size(); position++) {
                assertEquals(position, placement.positionOf(mine.get(position), p), "example " + mine.get(position));
            }
        }
        assertEquals(sizes, placement.sizes(examples));
    }

    @Test
    void streamRowsGiveEachPartitionTheSameRowsOfEveryBatch() {
        ExamplePlacement rows = ExamplePlacement.streamRows(5, 3);
        // Rows 0 | 1, 2 | 3, 4 (5 rows over 3 partitions: bounds 0, 1, 3, 5).
        for (int window = 0; window < 4; window++) {
            int[] expected = {0, 1, 1, 2, 2};
            for (int row = 0; row < 5; row++) {
                assertEquals(expected[row], rows.partitionOf(window * 5 + row), "window " + window + " row " + row);
            }
        }
        checkAgainstSorting(rows, 20);
        checkAgainstSorting(rows, 23); // a partial last batch (dropLast)
        // More partitions than rows: some hold none.
        checkAgainstSorting(ExamplePlacement.streamRows(2, 3), 10);
        checkAgainstSorting(ExamplePlacement.streamRows(64, 2), 64 * 7);
    }

    @Test
    void indexRangesKeepTheSourcePartitionsIncludingEmptyOnes() {
        ExamplePlacement ranges = ExamplePlacement.indexRanges(new int[] {0, 3, 3, 7, 10});
        assertEquals(List.of(0, 0, 0, 2, 2, 2, 2, 3, 3, 3),
                java.util.stream.IntStream.range(0, 10).map(ranges::partitionOf).boxed().toList());
        checkAgainstSorting(ranges, 10);
    }
}
