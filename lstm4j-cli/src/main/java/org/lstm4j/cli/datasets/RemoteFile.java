package org.lstm4j.cli.datasets;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One file of a dataset: its name in the dataset's directory, the SHA-256 of its exact bytes, and the
 * URLs it can be downloaded from, in the order to try them.
 *
 * @param name   the plain file name (no directory part), also the name it is saved under
 * @param sha256 64 hexadecimal digits (stored lower case)
 * @param urls   at least one absolute {@code http} or {@code https} URL with a host
 */
public record RemoteFile(String name, String sha256, List<URI> urls) {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /** Checks the three parts; copies the URL list so the record is immutable. */
    public RemoteFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(urls, "urls");
        requirePlainFileName(name, "file name");
        sha256 = sha256.toLowerCase(Locale.ROOT);
        if (!SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException(
                    "SHA-256 of " + name + ": expected 64 hexadecimal digits, got '" + sha256 + "'");
        }
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("no URL to download " + name + " from: expected at least one");
        }
        for (URI url : urls) {
            String scheme = url.getScheme();
            if (!url.isAbsolute() || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
                    || url.getHost() == null) {
                throw new IllegalArgumentException(
                        "URL of " + name + ": expected an absolute http or https URL with a host, got '" + url + "'");
            }
        }
    }

    /**
     * The file at {@code name} under each mirror base, in the given order ({@code base + name}: each base
     * ends with {@code /}).
     */
    public static RemoteFile onMirrors(String name, String sha256, List<String> mirrorBases) {
        return new RemoteFile(name, sha256, mirrorBases.stream().map(base -> URI.create(base + name)).toList());
    }

    /**
     * A name is joined to a directory on disk: a separator or {@code ..} would let a spec write outside
     * the data directory.
     */
    static void requirePlainFileName(String name, String what) {
        if (name.isBlank() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\\")
                || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(
                    what + ": expected a plain name without '/', '\\' or '..', got '" + name + "'");
        }
    }
}
