package org.lstm4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The L2 per CPU read from a sysfs cache directory laid out as Linux lays it out. */
class CacheSizesTest {
    @TempDir
    Path dir;

    private void index(int n, String level, String type, String size, String shared) throws IOException {
        Path index = Files.createDirectories(dir.resolve("index" + n));
        Files.writeString(index.resolve("level"), level + "\n");
        Files.writeString(index.resolve("type"), type + "\n");
        Files.writeString(index.resolve("size"), size + "\n");
        if (shared != null) {
            Files.writeString(index.resolve("shared_cpu_list"), shared + "\n");
        }
    }

    /** A Zen 3 VM's cpu0 (as read on the stop-35 machine): L1d, L1i, 512K L2 of its own, 32M L3 for both. */
    private void zen3() throws IOException {
        index(0, "1", "Data", "32K", "0");
        index(1, "1", "Instruction", "32K", "0");
        index(2, "2", "Unified", "512K", "0");
        index(3, "3", "Unified", "32768K", "0-1");
    }

    @Test
    void readsTheL2OfOneCpu() throws IOException {
        zen3();
        assertEquals(OptionalLong.of(512 << 10), CacheSizes.l2PerCpu(dir));
    }

    @Test
    void dividesAnL2AmongTheCpusThatShareIt() throws IOException {
        index(0, "1", "Data", "48K", "0,8");
        index(2, "2", "Unified", "1024K", "0,8");
        assertEquals(OptionalLong.of(512 << 10), CacheSizes.l2PerCpu(dir));
        index(2, "2", "Unified", "2M", "0-3");
        assertEquals(OptionalLong.of(512 << 10), CacheSizes.l2PerCpu(dir));
    }

    @Test
    void takesNoSharingListAsOneCpu() throws IOException {
        index(2, "2", "Unified", "2048K", null);
        assertEquals(OptionalLong.of(2 << 20), CacheSizes.l2PerCpu(dir));
    }

    @Test
    void isEmptyWithoutAReadableL2() throws IOException {
        assertEquals(OptionalLong.empty(), CacheSizes.l2PerCpu(dir.resolve("absent")));
        assertEquals(OptionalLong.empty(), CacheSizes.l2PerCpu(dir));
        index(0, "1", "Data", "32K", "0");
        index(3, "3", "Unified", "32768K", "0-1");
        assertEquals(OptionalLong.empty(), CacheSizes.l2PerCpu(dir));
        index(2, "2", "Unified", "lots", "0");
        assertEquals(OptionalLong.empty(), CacheSizes.l2PerCpu(dir));
        index(2, "2", "Unified", "512K", "zero");
        assertEquals(OptionalLong.empty(), CacheSizes.l2PerCpu(dir));
    }

    @Test
    void parsesSysfsSizesAndCpuLists() {
        assertEquals(512L << 10, CacheSizes.parseSize("512K"));
        assertEquals(2L << 20, CacheSizes.parseSize("2M"));
        assertEquals(1048576L, CacheSizes.parseSize("1048576"));
        assertEquals(-1L, CacheSizes.parseSize("K"));
        assertEquals(-1L, CacheSizes.parseSize(""));
        assertEquals(1, CacheSizes.countCpus("0"));
        assertEquals(2, CacheSizes.countCpus("0-1"));
        assertEquals(2, CacheSizes.countCpus("0,8"));
        assertEquals(8, CacheSizes.countCpus("0-3,8-11"));
    }

    @Test
    void thisMachineGivesAFigureOrNone() {
        OptionalLong l2 = CacheSizes.l2BytesPerCpu();
        assertTrue(l2.isEmpty() || l2.getAsLong() >= 16 << 10, "L2 per CPU read as " + l2);
    }
}
