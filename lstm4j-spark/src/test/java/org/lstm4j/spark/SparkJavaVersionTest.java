package org.lstm4j.spark;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A Java release Spark 4.0 cannot run on is refused by name before a context starts (runs on every Java). */
class SparkJavaVersionTest {
    @Test
    void java17To22AreAcceptedAndLaterOnesRefusedByName() {
        for (int java : new int[] {17, 21, 22}) {
            assertDoesNotThrow(() -> SparkContexts.checkJava(java));
        }
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> SparkContexts.checkJava(25));
        assertTrue(refused.getMessage().startsWith("Apache Spark 4.0 does not run on Java 25"), refused.getMessage());
        assertTrue(refused.getMessage().contains("Java 17 or 21"), refused.getMessage());
    }
}
