package org.lstm4j.spark;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Master URLs: a malformed one or an unreachable standalone master is refused at once, naming what was expected. */
class SparkContextsTest {
    @org.junit.jupiter.api.BeforeAll
    static void sparkRunsOnThisJava() {
        org.junit.jupiter.api.Assumptions.assumeTrue(org.lstm4j.spark.SparkDatasetTraining.sparkRunsOnThisJava(),
                "Apache Spark 4.0 does not run on Java " + Runtime.version().feature());
    }


    @Test
    void theFormsSparkKnowsAreAcceptedWithoutContactingAnything() {
        for (String master : new String[] {"local", "local[2]", "local[*]", "local[2,3]", "local[*, 4]",
                "local-cluster[2,1,1024]", "yarn", "k8s://https://127.0.0.1:6443"}) {
            assertDoesNotThrow(() -> SparkContexts.checkMaster(master), master);
        }
    }

    @Test
    void aMalformedUrlIsRefusedNamingTheExpectedForms() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkContexts.checkMaster("foo://bar"));
        assertEquals("Spark master URL 'foo://bar' is not one Spark knows; expected " + SparkContexts.EXPECTED, e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SparkContexts.checkMaster("local[0]"));
        assertThrows(IllegalArgumentException.class, () -> SparkContexts.checkMaster("local[two]"));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> SparkContexts.checkMaster(" "));
        assertTrue(empty.getMessage().startsWith("Spark master URL is empty; expected local"), empty.getMessage());
    }

    @Test
    void aStandaloneUrlWithoutAPortIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkContexts.checkMaster("spark://127.0.0.1"));
        assertTrue(e.getMessage().startsWith("Spark master URL 'spark://127.0.0.1': '127.0.0.1' is not HOST:PORT"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SparkContexts.checkMaster("spark://127.0.0.1:70000"));
    }

    @Test
    void anUnreachableMasterIsRefusedBeforeAContextIsCreated() throws Exception {
        int closed = LoopbackCluster.freePort(); // nothing listens there once the probe socket is closed
        String master = "spark://127.0.0.1:" + closed;
        long start = System.nanoTime();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkContexts.start(master, "unreachable", Map.of()));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(e.getMessage().startsWith("cannot reach the Spark master " + master + ": 127.0.0.1:" + closed + " ("),
                e.getMessage());
        assertTrue(e.getMessage().contains("Is the master running"), e.getMessage());
        assertTrue(seconds < 10, "took " + seconds + " s");
    }
}
