package org.lstm4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class DatasetsTest {

    @TempDir
    Path tmp;

    @Test
    void theRootIsTheVariableOrSharedDatasetsTwoLevelsAboveTheModule() {
        Path module = tmp.resolve("repo/lstm4j-core");
        assertEquals(tmp.resolve("shared/datasets"), Datasets.root(Map.of(), module));
        assertEquals(tmp.resolve("shared/datasets"), Datasets.root(Map.of("LSTM4J_DATASETS", " "), module));
        assertEquals(tmp.resolve("elsewhere"), Datasets.root(Map.of("LSTM4J_DATASETS", tmp.resolve("elsewhere").toString()), module));
    }

    @Test
    void aPresentDatasetIsReturned() throws IOException {
        Path mnist = Files.createDirectories(tmp.resolve("data/mnist"));
        Map<String, String> env = Map.of("LSTM4J_DATASETS", tmp.resolve("data").toString(), "LSTM4J_REQUIRE_DATASETS", "1");
        assertEquals(mnist, Datasets.require("mnist", env, tmp));
    }

    @Test
    void anAbsentDatasetSkipsOrFailsWhenRequired() {
        Map<String, String> lenient = Map.of("LSTM4J_DATASETS", tmp.toString());
        TestAbortedException skipped = assertThrows(TestAbortedException.class, () -> Datasets.require("mnist", lenient, tmp));
        assertTrue(skipped.getMessage().contains(tmp.resolve("mnist") + " is absent"), skipped.getMessage());

        Map<String, String> strict = Map.of("LSTM4J_DATASETS", tmp.toString(), "LSTM4J_REQUIRE_DATASETS", "1");
        AssertionFailedError failed = assertThrows(AssertionFailedError.class, () -> Datasets.require("mnist", strict, tmp));
        assertTrue(failed.getMessage().contains(tmp.resolve("mnist") + " is absent"), failed.getMessage());
    }
}
