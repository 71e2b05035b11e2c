package org.lstm4j.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryMeterTest {
    @Test
    void procStatusIsReadInBytes() {
        long rss = MemoryMeter.residentBytes();
        long peak = MemoryMeter.peakResidentBytes();
        if (rss >= 0) { // Linux
            assertTrue(rss > 1 << 20 && peak >= rss, rss + " " + peak);
            assertTrue(MemoryMeter.gcThreadCpuNanos() >= 0);
        }
        assertEquals(-1, MemoryMeter.procStatusBytes("NoSuchField"));
    }
}
