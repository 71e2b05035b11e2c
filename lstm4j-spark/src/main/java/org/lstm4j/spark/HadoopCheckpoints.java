package org.lstm4j.spark;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.lstm4j.train.Checkpoint;

/**
 * lstm4j checkpoints ({@link Checkpoint}'s format and layout: {@code ROOT/index.json} naming the latest
 * {@code ROOT/step-NNNNNNNNN/} version) on any Hadoop-compatible file system: HDFS, S3A, ABFS, GCS, or the
 * local file system ({@code file:} or a plain path).
 *
 * <p>A version is written locally by {@link Checkpoint#save}, copied to a hidden temporary name under the
 * root, renamed into place, and only then named by the index (written to a temporary file and renamed over
 * the old one; where the file system refuses to rename over a file, the old index is deleted first, and
 * {@link #load} then falls back to the temporary index). Older versions are deleted after. So the index always
 * names a complete version, as with {@link Checkpoint} on a local disk.
 */
public final class HadoopCheckpoints {
    private HadoopCheckpoints() {}

    private static final String TEMP_INDEX = ".index.json.tmp";
    private static final String VERSION_PREFIX = "step-";

    /**
     * Checks that checkpoints can be written under {@code root} now, rather than after hours of training:
     * the URI parses, a file system serves its scheme, the directory can be created and a file written in it.
     *
     * @throws IllegalArgumentException naming the path and what is wrong
     */
    public static void checkWritable(String root, Configuration conf) {
        Path path = parse(root);
        FileSystem fs = fileSystem(path, root, conf);
        Path probe = new Path(path, ".lstm4j-write-check-" + UUID.randomUUID());
        try {
            if (fs.exists(path) && !fs.getFileStatus(path).isDirectory()) {
                throw new IllegalArgumentException("checkpoint path " + root + ": is a file, expected a directory"
                        + " (or a path that can be created)");
            }
            if (!fs.mkdirs(path)) {
                throw new IllegalArgumentException("checkpoint path " + root + ": could not create the directory");
            }
            try (OutputStream out = fs.create(probe, true)) {
                out.write(1);
            }
            fs.delete(probe, false);
        } catch (IOException e) {
            throw new IllegalArgumentException("checkpoint path " + root + ": cannot write there: " + e, e);
        }
    }

    /**
     * Saves {@code contents} as the latest version under {@code root}; returns the version's path.
     *
     * @throws IOException if the file system fails
     */
    public static String save(String root, Checkpoint.Contents contents, Configuration conf) throws IOException {
        Path rootPath = parse(root);
        FileSystem fs = fileSystem(rootPath, root, conf);
        java.nio.file.Path local = Files.createTempDirectory("lstm4j-checkpoint-");
        try {
            java.nio.file.Path version = Checkpoint.save(local, contents, false);
            fs.mkdirs(rootPath);
            String name = freshName(fs, rootPath, version.getFileName().toString());
            Path temp = new Path(rootPath, ".tmp-" + name + "-" + UUID.randomUUID());
            Path target = new Path(rootPath, name);
            fs.copyFromLocalFile(false, true, new Path(version.toUri()), temp);
            if (!fs.rename(temp, target)) {
                fs.delete(temp, true);
                throw new IOException("could not rename " + temp + " to " + target);
            }
            writeIndex(fs, rootPath, name);
            removeOtherVersions(fs, rootPath, name);
            return target.toString();
        } finally {
            deleteLocal(local);
        }
    }

    /**
     * Reads the latest version under {@code root}.
     *
     * @throws java.nio.file.NoSuchFileException naming the path when it holds no checkpoint
     * @throws IllegalArgumentException naming the file when the index or a version is malformed
     */
    public static Checkpoint load(String root, Configuration conf) throws IOException {
        Path rootPath = parse(root);
        FileSystem fs = fileSystem(rootPath, root, conf);
        Path index = new Path(rootPath, Checkpoint.INDEX);
        if (!fs.exists(index)) {
            index = new Path(rootPath, TEMP_INDEX);
            if (!fs.exists(index)) {
                throw new java.nio.file.NoSuchFileException(root, null, "no checkpoint here: expected " + Checkpoint.INDEX);
            }
        }
        JsonNode node;
        try (InputStream in = fs.open(index)) {
            node = Checkpoint.json().readTree(in.readNBytes(1 << 20));
        }
        JsonNode latest = node == null ? null : node.get(Checkpoint.LATEST);
        if (latest == null || !latest.isTextual() || !latest.textValue().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,254}")) {
            throw new IllegalArgumentException(index + ": expected {\"latest\": \"step-...\"}, got " + node);
        }
        java.nio.file.Path local = Files.createTempDirectory("lstm4j-checkpoint-");
        try {
            java.nio.file.Path version = local.resolve(latest.textValue());
            fs.copyToLocalFile(false, new Path(rootPath, latest.textValue()), new Path(version.toUri()), true);
            return Checkpoint.load(version);
        } finally {
            deleteLocal(local);
        }
    }

    private static Path parse(String root) {
        if (root == null || root.isBlank()) {
            throw new IllegalArgumentException("checkpoint path is empty");
        }
        try {
            URI uri = new URI(root);
            return new Path(uri.getScheme() == null ? new java.io.File(root).getAbsoluteFile().toURI() : uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("checkpoint path " + root + ": not a valid path or URI: " + e.getMessage(), e);
        }
    }

    /** The path's file system; the raw local one for local paths (no .crc side files). */
    private static FileSystem fileSystem(Path path, String root, Configuration conf) {
        try {
            FileSystem fs = path.getFileSystem(conf);
            return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
        } catch (IOException e) {
            String scheme = path.toUri().getScheme();
            throw new IllegalArgumentException("checkpoint path " + root + ": no file system for scheme '" + scheme
                    + "' (" + e.getMessage() + "); expected a Hadoop-compatible path such as file:///dir, hdfs://host/dir"
                    + " or s3a://bucket/dir with its connector on the classpath", e);
        }
    }

    private static String freshName(FileSystem fs, Path root, String base) throws IOException {
        String name = base;
        for (int n = 2; fs.exists(new Path(root, name)); n++) {
            name = base + "-" + n;
        }
        return name;
    }

    private static void writeIndex(FileSystem fs, Path root, String latest) throws IOException {
        Map<String, String> index = new LinkedHashMap<>();
        index.put(Checkpoint.LATEST, latest);
        Path temp = new Path(root, TEMP_INDEX);
        try (OutputStream out = fs.create(temp, true)) {
            out.write(Checkpoint.json().writeValueAsString(index).getBytes(StandardCharsets.UTF_8));
        }
        Path target = new Path(root, Checkpoint.INDEX);
        if (!fs.rename(temp, target)) {
            // HDFS and object stores do not rename over an existing file; load() reads the temporary index
            // in the moment between the delete and the rename.
            fs.delete(target, false);
            if (!fs.rename(temp, target)) {
                throw new IOException("could not rename " + temp + " to " + target);
            }
        }
    }

    private static void removeOtherVersions(FileSystem fs, Path root, String keep) throws IOException {
        for (FileStatus s : fs.listStatus(root)) {
            String n = s.getPath().getName();
            if (s.isDirectory() && !n.equals(keep) && (n.startsWith(VERSION_PREFIX) || n.startsWith(".tmp-"))) {
                fs.delete(s.getPath(), true);
            }
        }
    }

    private static void deleteLocal(java.nio.file.Path dir) throws IOException {
        try (Stream<java.nio.file.Path> walk = Files.walk(dir)) {
            for (java.nio.file.Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
