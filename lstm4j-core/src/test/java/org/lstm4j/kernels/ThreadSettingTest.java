package org.lstm4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The thread setting: the {@code lstm4j.threads} property's parsing and the range of {@code setThreads}. */
class ThreadSettingTest {
    private final int savedThreads = Parallelism.threads();
    private final List<String> warnings = new ArrayList<>();

    @AfterEach
    void restoreThreads() {
        Parallelism.setThreads(savedThreads);
    }

    @Test
    void unsetOrBlankPropertyMeansAllCoresSilently() {
        assertEquals(6, Parallelism.threadsFromProperty(null, 6, warnings::add));
        assertEquals(6, Parallelism.threadsFromProperty("  ", 6, warnings::add));
        assertEquals(List.of(), warnings);
    }

    @Test
    void aValidPropertyIsUsedAsGiven() {
        assertEquals(3, Parallelism.threadsFromProperty("3", 6, warnings::add));
        assertEquals(1, Parallelism.threadsFromProperty(" 1 ", 6, warnings::add));
        assertEquals(24, Parallelism.threadsFromProperty("24", 6, warnings::add));
        assertEquals(List.of(), warnings);
    }

    @Test
    void aNonNumberFallsBackToTheCoresWithAWarning() {
        assertEquals(6, Parallelism.threadsFromProperty("four", 6, warnings::add));
        assertEquals(List.of("ignoring -Dlstm4j.threads=four: not a whole number; using all 6 cores"), warnings);
    }

    @Test
    void outOfRangeValuesAreClampedWithAWarning() {
        assertEquals(24, Parallelism.threadsFromProperty("100000", 6, warnings::add));
        assertEquals(1, Parallelism.threadsFromProperty("0", 6, warnings::add));
        assertEquals(1, Parallelism.threadsFromProperty("-2", 6, warnings::add));
        assertEquals(3, warnings.size(), warnings.toString());
        assertEquals("-Dlstm4j.threads=100000 is outside [1, 24] (4 per core on this machine of 6); using 24",
                warnings.get(0));
        assertTrue(warnings.get(1).endsWith("using 1"), warnings.get(1));
    }

    @Test
    void setThreadsAcceptsOneToFourPerCore() {
        int max = Parallelism.maxThreads();
        assertEquals(4 * Runtime.getRuntime().availableProcessors(), max);
        Parallelism.setThreads(max);
        assertEquals(max, Parallelism.threads());
        Parallelism.setThreads(1);
        assertEquals(1, Parallelism.threads());
    }

    @Test
    void setThreadsRejectsCountsOutsideTheRangeAndKeepsTheOldOne() {
        Parallelism.setThreads(2);
        int max = Parallelism.maxThreads();
        IllegalArgumentException tooMany =
                assertThrows(IllegalArgumentException.class, () -> Parallelism.setThreads(100_000));
        assertTrue(tooMany.getMessage().startsWith("threads must be in [1, " + max + "]"), tooMany.getMessage());
        assertTrue(tooMany.getMessage().endsWith("was 100000"), tooMany.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Parallelism.setThreads(0));
        assertThrows(IllegalArgumentException.class, () -> Parallelism.setThreads(max + 1));
        assertEquals(2, Parallelism.threads());
    }

    @Test
    void thePropertyNameIsPublic() {
        assertEquals("lstm4j.threads", Parallelism.THREADS_PROPERTY);
    }
}
