package org.lstm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.io.SafeTensors;
import org.lstm4j.tensor.Tensor;

class CheckpointTest {
    @TempDir
    Path tmp;

    private static Checkpoint.Contents contents(long step, float weight) {
        TrainingState state = new TrainingState(1, step, null, 0, 0, 0, 1.5, Map.of("default", new int[] {1, 2, 3, 4, 0, 0}),
                List.of(), null);
        Map<String, Tensor> model = new LinkedHashMap<>();
        model.put("fc.weight", Tensor.full(weight, 2, 3));
        return new Checkpoint.Contents(Checkpoint.toJson(Map.of("type", "test")), model, "Adam",
                Map.of("param_groups.0.lr", Tensor.scalar(0.1f)), null, null, state);
    }

    private List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theIndexNamesTheLatestAndTheBestAndOlderVersionsGo() throws Exception {
        Path root = tmp.resolve("ckpt");
        Checkpoint.save(root, contents(10, 1f), true);
        Checkpoint.save(root, contents(20, 2f), false);
        Checkpoint.save(root, contents(30, 3f), false);
        assertEquals(List.of("index.json", "step-000000010", "step-000000030"), names(root));
        assertEquals(30, Checkpoint.load(root).training().step());
        assertEquals(10, Checkpoint.load(root, Checkpoint.BEST).training().step());
        assertArrayEquals(Tensor.full(3f, 2, 3).data(), Checkpoint.load(root).contents().modelState().get("fc.weight").data());
        // A run's output directory holding "checkpoint/" is accepted too, and so is one version directly.
        Checkpoint.save(tmp.resolve("out").resolve("checkpoint"), contents(5, 5f), true);
        assertEquals(5, Checkpoint.load(tmp.resolve("out")).training().step());
        assertEquals(10, Checkpoint.load(root.resolve("step-000000010")).training().step());
        // The weights are a plain safetensors state dict with PyTorch's names.
        assertEquals(Map.of("format", "pt"), SafeTensors.read(root.resolve("step-000000030").resolve(Checkpoint.MODEL)).metadata());
        assertEquals("rwxr-xr-x", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(root.resolve("step-000000030"))));
    }

    @Test
    void aFailedSaveLeavesThePreviousCheckpointWholeAndNoTemporaryFiles() throws Exception {
        Path root = tmp.resolve("ckpt");
        Checkpoint.save(root, contents(10, 1f), false);
        Checkpoint.Contents bad = contents(20, 2f);
        bad.modelState().put("__metadata__", Tensor.zeros(1)); // the encoder refuses this name midway
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.save(root, bad, false));
        assertEquals(List.of("index.json", "step-000000010"), names(root));
        assertEquals(10, Checkpoint.load(root).training().step());
    }

    @Test
    void leftoversOfAKilledSaveAreRemovedByTheNextOne() throws Exception {
        Path root = tmp.resolve("ckpt");
        Checkpoint.save(root, contents(10, 1f), false);
        // As a kill would leave them: a half-written temporary version, and a whole version the index never named.
        Files.createDirectories(root.resolve(".tmp-step-000000020-123"));
        Files.write(root.resolve(".tmp-step-000000020-123").resolve(Checkpoint.MODEL), new byte[100]);
        Files.createDirectories(root.resolve("step-000000020"));
        assertEquals(10, Checkpoint.load(root).training().step(), "the index still names a whole version");
        Checkpoint.save(root, contents(30, 3f), false);
        assertEquals(List.of("index.json", "step-000000030"), names(root));
    }

    @Test
    void incompleteOrForeignCheckpointsAreRefusedByName() throws Exception {
        Path root = tmp.resolve("ckpt");
        Path version = Checkpoint.save(root, contents(10, 1f), false);
        Files.delete(version.resolve(Checkpoint.OPTIMIZER));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(root));
        assertTrue(e.getMessage().contains("incomplete checkpoint") && e.getMessage().contains(Checkpoint.OPTIMIZER), e.getMessage());

        Path v2 = Checkpoint.save(root, contents(20, 1f), false);
        Files.writeString(v2.resolve(Checkpoint.DESCRIPTION), "{\"format\": \"something-else\", \"version\": 1");
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(root));
        assertTrue(e.getMessage().contains(v2.resolve(Checkpoint.DESCRIPTION).toString()), e.getMessage());

        Files.writeString(root.resolve(Checkpoint.INDEX), "{\"latest\": \"../../etc\"}");
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(root));
        assertTrue(e.getMessage().contains("not a version name"), e.getMessage());

        Exception missing = assertThrows(IOException.class, () -> Checkpoint.load(tmp.resolve("nothing-here")));
        assertTrue(missing.getMessage().contains("nothing-here"), missing.getMessage());
        assertFalse(Files.exists(tmp.resolve("nothing-here")));
    }
}
