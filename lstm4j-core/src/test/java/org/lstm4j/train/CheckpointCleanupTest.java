package org.lstm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.tensor.Tensor;

/** What {@link Checkpoint#save} removes of earlier, interrupted saves, and that removing it never fails a save. */
class CheckpointCleanupTest {
    @TempDir
    Path tmp;

    @AfterEach
    void restoreTheDeleter() {
        Checkpoint.leftoverDeleter = Checkpoint::deleteRecursively;
    }

    private static Checkpoint.Contents contents(long step, float weight) {
        TrainingState state = new TrainingState(1, step, null, 0, 0, 0, 1.5, Map.of(), List.of(), null);
        Map<String, Tensor> model = new LinkedHashMap<>();
        model.put("fc.weight", Tensor.full(weight, 2, 3));
        return new Checkpoint.Contents(Checkpoint.toJson(Map.of("type", "test")), model, "Adam",
                Map.of("param_groups.0.lr", Tensor.scalar(0.1f)), null, null, state);
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void assertWhole(Path root, long step, float weight) throws IOException {
        Checkpoint latest = Checkpoint.load(root);
        assertEquals(step, latest.training().step());
        assertArrayEquals(Tensor.full(weight, 2, 3).data(), latest.contents().modelState().get("fc.weight").data());
    }

    private static void setPermissions(Path p, String permissions) throws IOException {
        if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(permissions));
        } else {
            Files.getFileAttributeView(p, java.nio.file.attribute.DosFileAttributeView.class).setReadOnly(true);
        }
    }

    @Test
    void aStaleTemporaryDirectoryOfReadOnlyEntriesIsRemoved() throws IOException {
        Path root = tmp.resolve("ckpt");
        Checkpoint.save(root, contents(10, 1f), false);
        // Read-only files (undeletable on Windows as they are), in a read-only directory (whose entries cannot be
        // deleted anywhere), under a directory its owner may not even list: each needs its permissions lifted.
        Path stale = Files.createDirectories(root.resolve(".tmp-step-000000020-123"));
        Path sealed = Files.createDirectories(stale.resolve("sealed"));
        for (Path dir : List.of(stale, sealed)) {
            Path file = Files.write(dir.resolve(Checkpoint.MODEL), new byte[100]);
            setPermissions(file, "r--r--r--");
        }
        setPermissions(sealed, "r-xr-xr-x");
        setPermissions(stale, "---------");

        Checkpoint.save(root, contents(20, 2f), false);
        assertEquals(List.of("index.json", "step-000000020"), names(root));
        assertWhole(root, 20, 2f);
    }

    @Test
    void partialVersionsTheIndexDoesNotNameAreRemovedBeforeTheSaveWritesItsOwn() throws IOException {
        Path root = tmp.resolve("ckpt");
        Checkpoint.save(root, contents(10, 1f), true);
        // Saves killed after renaming their version into place but before writing the index, and one killed
        // while deleting a version the index had stopped naming: half its files gone.
        for (String name : List.of("step-000000020", "step-000000020-2", "step-000000005")) {
            Path orphan = Files.createDirectories(root.resolve(name));
            Files.write(orphan.resolve(Checkpoint.MODEL), new byte[8]);
        }
        Path version = Checkpoint.save(root, contents(20, 2f), false);
        // An orphan had the new version's name: it went before the save chose a name, so the new one has it.
        assertEquals(root.resolve("step-000000020"), version);
        assertEquals(List.of("index.json", "step-000000010", "step-000000020"), names(root));
        assertWhole(root, 20, 2f);
        assertEquals(10, Checkpoint.load(root, Checkpoint.BEST).training().step());
    }

    @Test
    void aLeftoverThatCannotBeDeletedDoesNotFailTheSave() throws IOException {
        Path root = tmp.resolve("ckpt");
        Checkpoint.save(root, contents(10, 1f), false);
        Path staleTemporary = Files.createDirectories(root.resolve(".tmp-step-000000020-123"));
        Path orphan = Files.createDirectories(root.resolve("step-000000015"));
        // As a directory of another user's would: every deletion fails.
        Checkpoint.leftoverDeleter = leftover -> {
            throw new java.nio.file.AccessDeniedException(leftover.toString());
        };
        Checkpoint.save(root, contents(20, 2f), false);
        assertWhole(root, 20, 2f);
        assertTrue(Files.isDirectory(staleTemporary) && Files.isDirectory(orphan));
        assertTrue(Files.isDirectory(root.resolve("step-000000010")), "the version the new index dropped stays too");

        // Once they can be deleted, the next save does.
        Checkpoint.leftoverDeleter = Checkpoint::deleteRecursively;
        Checkpoint.save(root, contents(30, 3f), false);
        assertEquals(List.of("index.json", "step-000000030"), names(root));
    }

    @Test
    void aFailedSaveRemovesItsTemporaryDirectoryEvenWhenDeletingFailsAndReportsTheFirstError() throws IOException {
        Path root = tmp.resolve("ckpt");
        Checkpoint.save(root, contents(10, 1f), false);
        Checkpoint.Contents bad = contents(20, 2f);
        bad.modelState().put("__metadata__", Tensor.zeros(1)); // the encoder refuses this name midway
        Checkpoint.leftoverDeleter = leftover -> {
            throw new IOException("cannot delete " + leftover);
        };
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.save(root, bad, false));
        assertTrue(e.getMessage().contains("__metadata__"), e.getMessage());
        assertWhole(root, 10, 1f);
    }

    @Test
    void aLeftoverSymbolicLinkIsRemovedWithoutTouchingWhereItPoints() throws IOException {
        Path root = tmp.resolve("ckpt");
        Checkpoint.save(root, contents(10, 1f), false);
        Path precious = Files.createDirectories(tmp.resolve("precious"));
        Files.write(precious.resolve("data"), new byte[] {42});
        try {
            Files.createSymbolicLink(root.resolve(".tmp-step-000000020-123"), precious);
            Files.createSymbolicLink(root.resolve("step-000000015"), precious);
        } catch (UnsupportedOperationException | IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no symbolic links here: " + e);
        }
        Checkpoint.save(root, contents(20, 2f), false);
        assertArrayEquals(new byte[] {42}, Files.readAllBytes(precious.resolve("data")));
        assertEquals(List.of("index.json", "step-000000020"), names(root));
    }
}
