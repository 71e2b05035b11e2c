package org.lstm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.io.SafeTensorsFormatException;
import org.lstm4j.tensor.Tensor;

/** Checkpoint.load on damaged checkpoints: every error names the file and stays short. */
class CheckpointReadTest {
    @TempDir
    Path tmp;

    Path root;
    Path version;

    @BeforeEach
    void saveOne() throws IOException {
        root = tmp.resolve("ckpt");
        TrainingState state = new TrainingState(1, 10, null, 0, 0, 0, 1.5, Map.of("default", new int[] {1, 2, 3, 4, 0, 0}),
                List.of(), null);
        version = Checkpoint.save(root, new Checkpoint.Contents(Checkpoint.toJson(Map.of("type", "test")),
                Map.of("w", Tensor.zeros(2)), "SGD", Map.of("lr", Tensor.scalar(0.1f)), null, null, state), true);
    }

    @Test
    void aDirectoryInPlaceOfAFileIsNamedAndSaidToBeOne() throws IOException {
        for (String file : List.of(Checkpoint.MODEL, Checkpoint.DESCRIPTION)) {
            Path p = version.resolve(file);
            byte[] saved = Files.readAllBytes(p);
            Files.delete(p);
            Files.createDirectory(p);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(root));
            assertEquals(p + ": is a directory, expected a file", e.getMessage());
            Files.delete(p);
            Files.write(p, saved);
        }
        Path index = root.resolve(Checkpoint.INDEX);
        Files.delete(index);
        Files.createDirectory(index);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(root));
        assertEquals(index + ": is a directory, expected a checkpoint index (a JSON file)", e.getMessage());
    }

    @Test
    void aFileGivenAsTheCheckpointIsNamed() throws IOException {
        Path model = version.resolve(Checkpoint.MODEL);
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Checkpoint.load(model));
        assertTrue(e.getMessage().startsWith(model + ": not a checkpoint: this is a file"), e.getMessage());
    }

    @Test
    void aMalformedTensorFileIsNamed() throws IOException {
        Path model = version.resolve(Checkpoint.MODEL);
        Files.write(model, new byte[] {1, 2, 3});
        SafeTensorsFormatException e = assertThrows(SafeTensorsFormatException.class, () -> Checkpoint.load(root));
        assertEquals(model.toString(), e.source());
    }

    @Test
    void indexNamesMustBeVersionNamesUnderTheRoot() throws IOException {
        for (String name : List.of("../elsewhere", ".tmp-step-1", "a\u0000b", "", "step/1")) {
            writeIndex("{\"latest\": " + Checkpoint.json().writeValueAsString(name) + "}");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(root), name);
            assertTrue(e.getMessage().startsWith(root.resolve(Checkpoint.INDEX) + ": 'latest' is not a version name"),
                    e.getMessage());
        }
        writeIndex("{\"latest\": {\"name\": \"step-000000010\"}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(root));
        assertEquals(root.resolve(Checkpoint.INDEX) + ": expected version names (strings), got object for 'latest'",
                e.getMessage());
    }

    @Test
    void anIndexOfManyNamesIsListedShortly() throws IOException {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < 10_000; i++) {
            sb.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"step-").append(i).append('"');
        }
        writeIndex(sb.append('}').toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(root));
        assertTrue(e.getMessage().contains("names no 'latest' checkpoint (it has 'k0', 'k1', "), e.getMessage());
        assertTrue(e.getMessage().endsWith("'k9' and 9990 more)"), e.getMessage());
    }

    @Test
    void anOversizedIndexIsRefusedUnread() throws IOException {
        writeIndex("{\"latest\": \"step-000000010\"}" + " ".repeat(2 << 20));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(root));
        assertTrue(e.getMessage().startsWith(root.resolve(Checkpoint.INDEX) + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("more than a checkpoint index may hold (1048576)"), e.getMessage());
    }

    @Test
    void aDescriptionThatIsNullOrHoldsNullsIsIncomplete() throws IOException {
        Path description = version.resolve(Checkpoint.DESCRIPTION);
        String saved = Files.readString(description);
        Files.writeString(description, "null");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(root));
        assertEquals(description + ": expected a checkpoint description (a JSON object), got null", e.getMessage());

        String withNullHistory = saved.replaceFirst("\"history\"\\s*:\\s*\\[\\s*\\]", "\"history\" : [ null ]");
        assertTrue(withNullHistory.contains("[ null ]"), saved);
        Files.writeString(description, withNullHistory);
        IllegalArgumentException nulls = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(root));
        assertTrue(nulls.getMessage().startsWith(description + ": incomplete"), nulls.getMessage());
    }

    @Test
    void aHugeFormatNameIsCutInTheMessage() throws IOException {
        Path description = version.resolve(Checkpoint.DESCRIPTION);
        String text = Files.readString(description);
        Files.writeString(description, text.replace("\"lstm4j-checkpoint\"", "\"" + "x".repeat(1_000_000) + "\""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(root));
        assertTrue(e.getMessage().contains("(1000000 characters)"), e.getMessage());
        assertTrue(e.getMessage().length() < 500, "message of " + e.getMessage().length() + " characters");
    }

    private void writeIndex(String json) throws IOException {
        Files.writeString(root.resolve(Checkpoint.INDEX), json);
    }
}
