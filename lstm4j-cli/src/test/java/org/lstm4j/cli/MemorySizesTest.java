package org.lstm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MemorySizesTest {
    private static final long GIB = 1L << 30;

    @Test
    void formatsInBinaryUnits() {
        assertEquals("0 B", MemorySizes.format(0));
        assertEquals("1023 B", MemorySizes.format(1023));
        assertEquals("1.5 KiB", MemorySizes.format(1536));
        assertEquals("20.0 MiB", MemorySizes.format(20L << 20));
        assertEquals("4.0 GiB", MemorySizes.format(4 * GIB));
        assertEquals("unlimited", MemorySizes.format(Long.MAX_VALUE));
    }

    @Test
    void suggestsTwiceTheHeapOrMoreThanTheNeed() {
        assertEquals("-Xmx8g", MemorySizes.suggestedHeapOption(4 * GIB, -1));
        assertEquals("-Xmx8g", MemorySizes.suggestedHeapOption(4 * GIB - (100L << 20), -1)); // maxMemory < -Xmx
        assertEquals("-Xmx25g", MemorySizes.suggestedHeapOption(4 * GIB, 20 * GIB));
        assertEquals("-Xmx1g", MemorySizes.suggestedHeapOption(64L << 20, -1));
    }
}
