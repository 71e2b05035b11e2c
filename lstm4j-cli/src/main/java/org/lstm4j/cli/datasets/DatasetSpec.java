package org.lstm4j.cli.datasets;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What makes up a dataset on disk: a directory (under a data root) holding the given files.
 *
 * @param directory the directory's plain name, e.g. {@code mnist}
 * @param files     at least one file, with distinct names
 */
public record DatasetSpec(String directory, List<RemoteFile> files) {
    /** Checks the name and the files; copies the list so the record is immutable. */
    public DatasetSpec {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(files, "files");
        RemoteFile.requirePlainFileName(directory, "dataset directory");
        files = List.copyOf(files);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("dataset " + directory + " has no files: expected at least one");
        }
        Set<String> names = new HashSet<>();
        for (RemoteFile file : files) {
            if (!names.add(file.name())) {
                throw new IllegalArgumentException(
                        "dataset " + directory + " lists " + file.name() + " twice: expected distinct file names");
            }
        }
    }
}
