package org.lstm4j.train;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.DosFileAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.lstm4j.io.AtomicFiles;
import org.lstm4j.io.SafeTensors;
import org.lstm4j.tensor.Tensor;

/**
 * A training checkpoint on disk: the weights as safetensors with PyTorch's names, the model configuration,
 * the optimizer's and the scheduler's state, and the trainer's progress ({@link TrainingState}: epoch, step,
 * position in the epoch, generator states, history).
 *
 * <p>Layout: a checkpoint root directory holds versions and an index naming the current ones:
 * <pre>
 * ROOT/index.json                {"latest": "step-000001200", "best": "step-000000600"}
 * ROOT/step-000001200/model.safetensors      weights, PyTorch names (loadable by safetensors.torch.load_file)
 *                     optimizer.safetensors  optimizer.stateDict()
 *                     scheduler.safetensors  scheduler.stateDict(), only with a scheduler
 *                     carried-state.safetensors  the state carried between batches, only with one
 *                     checkpoint.json        model configuration, optimizer and scheduler types, TrainingState
 * </pre>
 * Saving is atomic as a whole: a version is written into a hidden temporary directory, every file synced,
 * the directory renamed into place, and only then the index replaced (temporary file + rename); versions
 * the index no longer names are deleted afterwards. A crash at any point leaves the index naming complete
 * versions; leftovers of an interrupted save are removed by the next save into the same root.
 */
public final class Checkpoint {
    /** The index file of a checkpoint root. */
    public static final String INDEX = "index.json";
    public static final String MODEL = "model.safetensors";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String SCHEDULER = "scheduler.safetensors";
    public static final String DESCRIPTION = "checkpoint.json";
    /** The recurrent state carried between batches (truncated BPTT), only when the trainer carries one. */
    public static final String CARRIED_STATE = "carried-state.safetensors";
    /** Names the latest version in the index. */
    public static final String LATEST = "latest";
    /** Names the best version (by the application's measure) in the index. */
    public static final String BEST = "best";

    static final String FORMAT = "lstm4j-checkpoint";
    static final int VERSION = 1;
    private static final String TEMP_PREFIX = ".tmp-";
    private static final String VERSION_PREFIX = "step-";
    /** JSON files larger than this are not a checkpoint's: refused before reading them. */
    private static final long MAX_JSON_BYTES = 64L << 20;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    /**
     * What a checkpoint holds.
     *
     * @param modelConfig    rebuilds the model with no other input
     * @param modelState     the weights by PyTorch name
     * @param optimizerType  the optimizer's class, e.g. "Adam"
     * @param optimizerState {@code Optimizer.stateDict()}
     * @param schedulerType  the scheduler's class, or null
     * @param schedulerState {@code LRScheduler.stateDict()}, or null
     * @param training       the trainer's progress
     * @param carriedState   the recurrent state carried between batches ({@link CarriedState}), or null
     */
    public record Contents(JsonNode modelConfig, Map<String, Tensor> modelState, String optimizerType,
            Map<String, Tensor> optimizerState, String schedulerType, Map<String, Tensor> schedulerState,
            TrainingState training, Map<String, Tensor> carriedState) {

        /** Contents without a carried state. */
        public Contents(JsonNode modelConfig, Map<String, Tensor> modelState, String optimizerType,
                Map<String, Tensor> optimizerState, String schedulerType, Map<String, Tensor> schedulerState,
                TrainingState training) {
            this(modelConfig, modelState, optimizerType, optimizerState, schedulerType, schedulerState, training, null);
        }

        public Contents {
            Objects.requireNonNull(modelConfig, "modelConfig");
            Objects.requireNonNull(modelState, "modelState");
            Objects.requireNonNull(optimizerType, "optimizerType");
            Objects.requireNonNull(optimizerState, "optimizerState");
            Objects.requireNonNull(training, "training");
            if ((schedulerType == null) != (schedulerState == null)) {
                throw new IllegalArgumentException("a scheduler needs both its type and its state");
            }
        }
    }

    /** The JSON description of a version: everything but the tensors. */
    record Description(String format, int version, JsonNode model, String optimizer, String scheduler,
            TrainingState training) {}

    private final Path directory;
    private final Contents contents;

    private Checkpoint(Path directory, Contents contents) {
        this.directory = directory;
        this.contents = contents;
    }

    /** The version directory this checkpoint was read from. */
    public Path directory() {
        return directory;
    }

    public Contents contents() {
        return contents;
    }

    /** The model configuration as saved. */
    public JsonNode modelConfig() {
        return contents.modelConfig();
    }

    public TrainingState training() {
        return contents.training();
    }

    // ------------------------------------------------------------------ saving

    /**
     * Writes a new version into {@code root} and makes it the latest (and the best if {@code best}),
     * atomically. Returns the version's directory.
     *
     * <p>Leftovers of interrupted saves into {@code root} (hidden temporary directories, versions the index
     * does not name) are removed first, and versions the new index no longer names afterwards. Removing them
     * is best effort: an entry that cannot be deleted (read-only entries are made writable first, but a
     * directory of another user's, say, stays) is reported on the {@link System.Logger} of this class and
     * tried again at the next save; the new version is written whole regardless.
     */
    public static Path save(Path root, Contents contents, boolean best) throws IOException {
        Objects.requireNonNull(contents, "contents");
        Files.createDirectories(root);
        Map<String, String> index = readIndexIfPresent(root);
        removeTemporaryDirectories(root);
        if (!index.isEmpty()) {
            // A version renamed into place by a save killed before it wrote the index: without this, a crash
            // loop that keeps hitting that moment would pile them up, as each save would remove them only at its end.
            removeUnreferencedVersions(root, new HashSet<>(index.values()));
        }
        String name = freshVersionName(root, contents.training().step());
        Path temp = Files.createTempDirectory(root, TEMP_PREFIX + name + "-");
        // Temporary directories are created owner-only; a saved checkpoint should be as readable as any directory.
        if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        try {
            writeVersion(temp, contents);
            Files.move(temp, root.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (Throwable failure) {
            removeLeftover(temp);
            throw failure;
        }
        Map<String, String> newIndex = new LinkedHashMap<>();
        newIndex.put(LATEST, name);
        String previousBest = index.get(BEST);
        if (best) {
            newIndex.put(BEST, name);
        } else if (previousBest != null && Files.isDirectory(root.resolve(previousBest))) {
            newIndex.put(BEST, previousBest);
        }
        // The index rename also makes the version's rename durable: both are entries of root, synced together.
        AtomicFiles.write(root.resolve(INDEX), JSON.writeValueAsBytes(newIndex));
        removeUnreferencedVersions(root, new HashSet<>(newIndex.values()));
        return root.resolve(name);
    }

    private static void writeVersion(Path dir, Contents c) throws IOException {
        SafeTensors.write(dir.resolve(MODEL), c.modelState(), Map.of("format", "pt"));
        SafeTensors.write(dir.resolve(OPTIMIZER), c.optimizerState(), Map.of("type", c.optimizerType()));
        if (c.schedulerType() != null) {
            SafeTensors.write(dir.resolve(SCHEDULER), c.schedulerState(), Map.of("type", c.schedulerType()));
        }
        if (c.carriedState() != null) {
            SafeTensors.write(dir.resolve(CARRIED_STATE), c.carriedState(), Map.of());
        }
        Description d = new Description(FORMAT, VERSION, c.modelConfig(), c.optimizerType(), c.schedulerType(), c.training());
        AtomicFiles.write(dir.resolve(DESCRIPTION), JSON.writeValueAsBytes(d));
    }

    private static String freshVersionName(Path root, long step) {
        String base = VERSION_PREFIX + String.format("%09d", step);
        String name = base;
        // NOFOLLOW_LINKS: a dangling link of that name still occupies it.
        for (int n = 2; Files.exists(root.resolve(name), LinkOption.NOFOLLOW_LINKS); n++) {
            name = base + "-" + n;
        }
        return name;
    }

    /** Removes the hidden temporary directories of interrupted saves (one save into a root at a time). */
    private static void removeTemporaryDirectories(Path root) {
        for (Path p : listForCleanup(root)) {
            if (p.getFileName().toString().startsWith(TEMP_PREFIX)) {
                removeLeftover(p);
            }
        }
    }

    /** Removes the version directories whose names are not in {@code keep} (of a link to one, just the link). */
    private static void removeUnreferencedVersions(Path root, Set<String> keep) {
        for (Path p : listForCleanup(root)) {
            String n = p.getFileName().toString();
            if (n.startsWith(VERSION_PREFIX) && Files.isDirectory(p) && !keep.contains(n)) {
                removeLeftover(p);
            }
        }
    }

    private static final System.Logger LOG = System.getLogger(Checkpoint.class.getName());

    /** Deletes one leftover of a save; replaced by tests to make a deletion fail. */
    @FunctionalInterface
    interface LeftoverDeleter {
        void delete(Path leftover) throws IOException;
    }

    static volatile LeftoverDeleter leftoverDeleter = Checkpoint::deleteRecursively;

    /** Deletes {@code leftover}, reporting a failure instead of throwing it: leftovers never fail a save. */
    private static void removeLeftover(Path leftover) {
        try {
            leftoverDeleter.delete(leftover);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not remove " + leftover + " (left by an interrupted save; "
                    + "tried again at the next save): " + e);
        }
    }

    private static List<Path> listForCleanup(Path root) {
        try {
            return list(root);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not list " + root + " to remove leftovers of earlier saves: " + e);
            return List.of();
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(out::add);
        }
        return out;
    }

    /**
     * Deletes {@code p} and everything under it. Symbolic links are deleted, not followed. A directory its owner
     * may not list or modify is given those permissions first, and a file Windows refuses to delete because it
     * is read-only loses that attribute: a killed save's leftovers may hold either.
     */
    static void deleteRecursively(Path p) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (attributes.isDirectory()) {
            letOwnerListAndModify(p);
            for (Path child : list(p)) {
                deleteRecursively(child);
            }
        }
        try {
            Files.deleteIfExists(p);
        } catch (AccessDeniedException e) {
            DosFileAttributeView dos = Files.getFileAttributeView(p, DosFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            if (dos == null || !dos.readAttributes().isReadOnly()) {
                throw e;
            }
            dos.setReadOnly(false);
            Files.deleteIfExists(p);
        }
    }

    /** Gives the owner of {@code dir}, a directory and not a link to one, the permissions to empty it. */
    private static void letOwnerListAndModify(Path dir) throws IOException {
        // Following links, as dir is none: without, the JDK opens dir to change its mode, which fails on mode 000.
        PosixFileAttributeView posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
        if (posix == null) {
            return;
        }
        Set<PosixFilePermission> permissions = posix.readAttributes().permissions();
        Set<PosixFilePermission> needed = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE);
        if (!permissions.containsAll(needed)) {
            permissions.addAll(needed);
            posix.setPermissions(permissions);
        }
    }

    // ------------------------------------------------------------------ loading

    /** An index names two versions: anything larger is not a checkpoint's index and is refused unread. */
    private static final long MAX_INDEX_BYTES = 1L << 20;

    /** Version names as {@link #save} makes them, and nothing that could leave the root or hide. */
    private static final Pattern VERSION_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");

    // Reading: as JSON, but field names are not canonicalised: a hostile file's many names would grow a
    // symbol table, and hash collisions in it throw IllegalStateException instead of a parse error.
    private static final ObjectMapper READ_JSON = JsonMapper.builder(JsonFactory.builder()
                    .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
                    .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .build();

    /**
     * Reads the latest version. {@code path} may be a checkpoint root (holding {@code index.json}), one
     * version directory, or a directory holding a root named {@code checkpoint} (a CLI run's output).
     *
     * @throws NoSuchFileException naming {@code path} if it holds no checkpoint (or is not a directory)
     * @throws IllegalArgumentException naming the file, if the index or a version's description is
     *     malformed or larger than a checkpoint's, a version is incomplete, or a file is a directory
     * @throws org.lstm4j.io.SafeTensorsFormatException naming the file, if a tensor file is malformed
     * @throws IOException if a file cannot be read
     */
    public static Checkpoint load(Path path) throws IOException {
        return load(path, LATEST);
    }

    /**
     * Reads the version the index names {@code which} ({@link #LATEST} or {@link #BEST}).
     *
     * @throws IllegalArgumentException naming the index if it names no such version, or not a valid name
     *     (and as {@link #load(Path)})
     */
    public static Checkpoint load(Path path, String which) throws IOException {
        Objects.requireNonNull(which, "which");
        Path root = locateRoot(path);
        Path version;
        if (root == null) {
            if (Files.isRegularFile(path.resolve(DESCRIPTION))) {
                version = path;
            } else if (Files.exists(path) && !Files.isDirectory(path)) {
                throw new NoSuchFileException(path.toString(), null, "not a checkpoint: this is a file, expected a directory"
                        + " holding " + INDEX + " (a checkpoint root), " + DESCRIPTION + " (one version) or checkpoint/" + INDEX);
            } else {
                throw new NoSuchFileException(path.toString(), null, "no checkpoint here: expected " + INDEX
                        + " (a checkpoint root), " + DESCRIPTION + " (one version) or checkpoint/" + INDEX);
            }
        } else {
            Map<String, String> index = readIndexIfPresent(root);
            String name = index.get(which);
            if (name == null) {
                throw new IllegalArgumentException(root.resolve(INDEX) + " names no " + excerpt(which) + " checkpoint (it has "
                        + describeKeys(index.keySet()) + ")");
            }
            if (!VERSION_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(root.resolve(INDEX) + ": " + excerpt(which) + " is not a version name"
                        + " (letters, digits, '.', '_', '-', not starting with '.'): " + excerpt(name));
            }
            version = root.resolve(name);
        }
        return readVersion(version);
    }

    /** The root at or under {@code path}; an index that exists but is not a file is reported when read. */
    private static Path locateRoot(Path path) {
        if (Files.exists(path.resolve(INDEX))) {
            return path;
        }
        Path nested = path.resolve("checkpoint");
        return Files.exists(nested.resolve(INDEX)) ? nested : null;
    }

    private static Checkpoint readVersion(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("incomplete checkpoint: " + dir + " is not a directory"
                    + (Files.exists(dir) ? "" : " (it does not exist)") + ", expected a version holding " + DESCRIPTION);
        }
        List<String> missing = new ArrayList<>();
        for (String f : List.of(DESCRIPTION, MODEL, OPTIMIZER)) {
            if (Files.isDirectory(dir.resolve(f))) {
                throw new IllegalArgumentException(dir.resolve(f) + ": is a directory, expected a file");
            }
            if (!Files.isRegularFile(dir.resolve(f))) {
                missing.add(f);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("incomplete checkpoint " + dir + ": missing " + missing);
        }
        Path descriptionFile = dir.resolve(DESCRIPTION);
        Description d;
        try {
            d = READ_JSON.readValue(readJson(descriptionFile, MAX_JSON_BYTES, "a checkpoint description"), Description.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(descriptionFile + ": not a checkpoint description: "
                    + excerpt(e.getOriginalMessage(), 300), e);
        }
        if (d == null) {
            throw new IllegalArgumentException(descriptionFile + ": expected a checkpoint description (a JSON object), got null");
        }
        if (!FORMAT.equals(d.format()) || d.version() != VERSION) {
            throw new IllegalArgumentException(descriptionFile + ": expected format " + FORMAT + " version "
                    + VERSION + ", got " + (d.format() == null ? null : excerpt(d.format())) + " version " + d.version());
        }
        TrainingState t = d.training();
        if (d.model() == null || d.optimizer() == null || t == null || t.generators() == null || t.history() == null
                || t.generators().containsValue(null) || t.history().contains(null)) {
            throw new IllegalArgumentException(descriptionFile + ": incomplete: needs model, optimizer, training"
                    + " (with generators and history, none of them null)");
        }
        Map<String, Tensor> scheduler = null;
        if (d.scheduler() != null) {
            if (Files.isDirectory(dir.resolve(SCHEDULER))) {
                throw new IllegalArgumentException(dir.resolve(SCHEDULER) + ": is a directory, expected a file");
            }
            if (!Files.isRegularFile(dir.resolve(SCHEDULER))) {
                throw new IllegalArgumentException("incomplete checkpoint " + dir + ": missing [" + SCHEDULER + "] for its "
                        + excerpt(d.scheduler()));
            }
            scheduler = SafeTensors.read(dir.resolve(SCHEDULER)).tensors();
        }
        Map<String, Tensor> carried = null;
        if (Files.isDirectory(dir.resolve(CARRIED_STATE))) {
            throw new IllegalArgumentException(dir.resolve(CARRIED_STATE) + ": is a directory, expected a file");
        }
        if (Files.isRegularFile(dir.resolve(CARRIED_STATE))) {
            carried = SafeTensors.read(dir.resolve(CARRIED_STATE)).tensors();
        }
        Contents c = new Contents(d.model(), SafeTensors.read(dir.resolve(MODEL)).tensors(), d.optimizer(),
                SafeTensors.read(dir.resolve(OPTIMIZER)).tensors(), d.scheduler(), scheduler, t, carried);
        return new Checkpoint(dir, c);
    }

    private static Map<String, String> readIndexIfPresent(Path root) throws IOException {
        Path index = root.resolve(INDEX);
        if (!Files.exists(index)) {
            return Map.of();
        }
        JsonNode node;
        try {
            node = READ_JSON.readTree(readJson(index, MAX_INDEX_BYTES, "a checkpoint index"));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(index + ": not a checkpoint index: " + excerpt(e.getOriginalMessage(), 300), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(index + ": expected an object like {\"latest\": \"step-000000100\"}, got "
                    + (node == null || node.isMissingNode() ? "nothing" : node.getNodeType().toString().toLowerCase()));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException(index + ": expected version names (strings), got "
                        + e.getValue().getNodeType().toString().toLowerCase() + " for " + excerpt(e.getKey()));
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    /** The bytes of a JSON file of the checkpoint, refused unread if it is a directory or larger than {@code max}. */
    private static byte[] readJson(Path file, long max, String what) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + ": is a directory, expected " + what + " (a JSON file)");
        }
        long size = Files.size(file);
        if (size > max) {
            throw new IllegalArgumentException(file + ": " + size + " bytes, more than " + what + " may hold ("
                    + max + ")");
        }
        return Files.readAllBytes(file);
    }

    /** {@code 'text'}, cut to its first 100 characters: names in messages come from files and may be huge. */
    private static String excerpt(String text) {
        return "'" + excerpt(text, 100) + "'";
    }

    private static String excerpt(String text, int max) {
        text = String.valueOf(text);
        return text.length() <= max ? text : text.substring(0, max) + "... (" + text.length() + " characters)";
    }

    /** At most 10 names, then how many more. */
    private static String describeKeys(Collection<String> keys) {
        if (keys.isEmpty()) {
            return "none";
        }
        List<String> shown = keys.stream().limit(10).map(Checkpoint::excerpt).toList();
        return String.join(", ", shown) + (keys.size() > 10 ? " and " + (keys.size() - 10) + " more" : "");
    }

    /** The JSON mapper checkpoints use, for applications that write their configurations into one. */
    public static ObjectMapper json() {
        return JSON;
    }

    /** {@code value} as a JSON tree (e.g. a configuration record). */
    public static JsonNode toJson(Object value) {
        return JSON.valueToTree(value);
    }

    /** Reads a JSON tree into {@code type}, naming {@code what} in the error. */
    public static <V> V fromJson(JsonNode node, Class<V> type, String what) {
        try {
            return JSON.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": not a valid " + type.getSimpleName() + ": "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
    }
}
