package org.lstm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.testing.Fuzz;
import org.lstm4j.testing.Mutations;
import org.lstm4j.testing.Mutations.ByteMutation;
import org.lstm4j.testing.Mutations.JsonEdit;
import org.lstm4j.testing.TempDirectories;

/**
 * Fuzzes {@link Checkpoint#load}: a checkpoint saved once is copied for every input with some of its files
 * mutated (bytes, JSON edits of {@code index.json} and {@code checkpoint.json}, truncation), removed or
 * replaced by a directory. Loading the latest and the best version must end in a checkpoint or in an
 * {@link IllegalArgumentException} or {@link IOException} naming a path under the checkpoint, with a
 * bounded message and allocation. Long run: see {@link Fuzz}.
 */
@AddLifecycleHook(Fuzz.Hook.class)
class CheckpointFuzzTest {
    private static final List<Class<? extends Throwable>> EXPECTED = List.of(IllegalArgumentException.class, IOException.class);
    private static final List<String> JSON_KEYS = List.of("latest", "best", "format", "version", "model", "optimizer",
            "scheduler", "training", "step", "generators", "history", "position", "orderState", "epochsDone", "extra");

    private static Path dir;
    /** The saved checkpoint's files by path relative to its root, in a fixed order. */
    private static Map<String, byte[]> template;
    private static int tryNumber;

    @BeforeContainer
    static void saveTheTemplate() throws IOException {
        dir = Files.createTempDirectory("lstm4j-checkpoint-fuzz");
        Path root = dir.resolve("template");
        Checkpoint.save(root, contents(100), true);
        Checkpoint.save(root, contents(200), false);
        template = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                template.put(root.relativize(f).toString(), Files.readAllBytes(f));
            }
        }
    }

    @AfterContainer
    static void deleteDirectory() throws IOException {
        TempDirectories.delete(dir);
    }

    private static Checkpoint.Contents contents(long step) {
        TrainingState state = new TrainingState(2, step, new TrainingState.Position(new int[] {1, 2, 3, 4, 5, 6}, 7), 1.25, 64,
                0.5, 3.5, Map.of("default", new int[] {1, 2, 3, 4, 0, 0}, "dropout", new int[] {5, 6, 7, 8, 1, 0}),
                List.of(new TrainingState.History(1, step / 2, 0.75, 64, 1.0, 1.0, 0.5, 0.9, 32L, 0.1)),
                Checkpoint.toJson(Map.of("note", "fuzz")));
        Map<String, Tensor> model = new LinkedHashMap<>();
        model.put("fc.weight", Tensor.full(0.5f, 2, 3));
        model.put("fc.bias", Tensor.zeros(2));
        return new Checkpoint.Contents(Checkpoint.toJson(Map.of("type", "test", "hidden", 3)), model, "Adam",
                Map.of("param_groups.0.lr", Tensor.scalar(0.1f), "state.0.step", Tensor.scalar(3)), "StepLR",
                Map.of("last_epoch", Tensor.scalar(2)), state);
    }

    /** What happens to one file of the checkpoint. */
    sealed interface FileChange permits Bytes, Json, Removed, MadeADirectory {
        /** Applies the change to {@code file}, whose valid bytes are {@code valid}. */
        void apply(Path file, byte[] valid) throws IOException;
    }

    record Bytes(List<ByteMutation> mutations) implements FileChange {
        @Override
        public void apply(Path file, byte[] valid) throws IOException {
            Files.write(file, Mutations.apply(valid, mutations));
        }
    }

    record Json(List<JsonEdit> edits) implements FileChange {
        @Override
        public void apply(Path file, byte[] valid) throws IOException {
            String text = new String(valid, StandardCharsets.UTF_8);
            Files.write(file, Mutations.apply(text, edits).getBytes(StandardCharsets.UTF_8));
        }
    }

    record Removed() implements FileChange {
        @Override
        public void apply(Path file, byte[] valid) throws IOException {
            Files.deleteIfExists(file);
        }
    }

    record MadeADirectory() implements FileChange {
        @Override
        public void apply(Path file, byte[] valid) throws IOException {
            Files.deleteIfExists(file);
            Files.createDirectories(file);
        }
    }

    /** {@code change} applied to the {@code file}-th file of the template (modulo their number). */
    record Change(int file, FileChange change) {}

    @Property(tries = 60)
    void mutatedCheckpointsLoadOrFailNamingTheFile(@ForAll("changes") List<Change> changes) throws IOException {
        Path root = dir.resolve("try-" + tryNumber++);
        List<String> names = new ArrayList<>(template.keySet());
        for (Map.Entry<String, byte[]> f : template.entrySet()) {
            Files.createDirectories(root.resolve(f.getKey()).getParent());
            Files.write(root.resolve(f.getKey()), f.getValue());
        }
        List<String> described = new ArrayList<>();
        for (Change c : changes) {
            String name = names.get(c.file() % names.size());
            Path target = root.resolve(name);
            if (Files.isDirectory(target)) {
                Files.delete(target); // an earlier change made it a directory: this one starts from the file
            }
            c.change().apply(target, template.get(name));
            described.add(name + ": " + c.change());
        }
        String input = "checkpoint with " + described;
        long totalBytes = template.values().stream().mapToLong(b -> b.length).sum();
        // JSON trees and tensors of a few kilobytes of files; a reader allocating what a file declares would
        // exceed this by far.
        long bound = (4L << 20) + 64 * totalBytes;
        try {
            for (String which : List.of(Checkpoint.LATEST, Checkpoint.BEST)) {
                Fuzz.Outcome<Checkpoint> loaded = Fuzz.call(() -> Checkpoint.load(root, which), input, root.toString(), bound,
                        EXPECTED);
                if (loaded.value() != null) {
                    assertEquals(root, loaded.value().directory().getParent(), "the version read lies under the root");
                }
            }
        } finally {
            TempDirectories.delete(root);
        }
    }

    // ------------------------------------------------------------------ inputs

    @Provide
    Arbitrary<List<Change>> changes() {
        Arbitrary<FileChange> change = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Mutations.byteMutations().map(Bytes::new)),
                net.jqwik.api.Tuple.of(5, Mutations.jsonEdits(JSON_KEYS).map(Json::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Removed())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new MadeADirectory())));
        return Combinators.combine(Arbitraries.integers().between(0, 100), change).as(Change::new).list().ofMinSize(1).ofMaxSize(3);
    }
}
