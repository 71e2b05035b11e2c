package org.lstm4j.cli.datasets;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLException;
import org.lstm4j.cli.datasets.DatasetUnavailableException.Attempt;
import org.lstm4j.cli.datasets.DatasetUnavailableException.MissingFile;

/**
 * Makes a dataset's files present and intact in a data directory, downloading the missing ones.
 *
 * <p>Nothing is lost or half-written: files already present are verified and never overwritten; a
 * download streams into a temporary file {@code .<name>.<random>.part} beside its target while its
 * SHA-256 is computed, and is synced and renamed into place only if that hash is the expected one.
 * Every failed attempt deletes its temporary file, and temporary files left by a killed run are removed
 * when the next run starts. A file that fails on one mirror (HTTP error, dropped connection, stall,
 * wrong checksum) is tried on the next.
 *
 * <p>One {@code ensure} at a time per directory: a second process would remove the first one's
 * temporary files as stale.
 */
public final class DatasetDownloader {
    /** How long to wait for a connection to a mirror. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    /** How long to wait for the response headers, and then for each next chunk of the body. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    private static final String PART_SUFFIX = ".part";

    private final HttpClient client;
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    private final DownloadProgress progress;

    /**
     * With the standard timeouts ({@link #CONNECT_TIMEOUT}, {@link #IDLE_TIMEOUT}).
     *
     * @param progress told about each transfer, e.g. {@link ConsoleDownloadProgress#onStderr()}
     */
    public DatasetDownloader(DownloadProgress progress) {
        this(CONNECT_TIMEOUT, IDLE_TIMEOUT, progress);
    }

    /** With timeouts of the test's choosing. */
    DatasetDownloader(Duration connectTimeout, Duration idleTimeout, DownloadProgress progress) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                // Mirrors move files (S3 websites, GitHub raw); NORMAL never follows https -> http.
                .followRedirects(HttpClient.Redirect.NORMAL)
                // One file per request: HTTP/2 gains nothing, and its h2c upgrade on http:// URLs is
                // one more thing for an old server to get wrong.
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.connectTimeout = connectTimeout;
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Returns {@code dataRoot/<spec.directory()>} once every file of {@code spec} is there with its
     * expected SHA-256, downloading the missing ones. Present files are only read.
     *
     * @throws CorruptDatasetFileException  a present file has another SHA-256 (it is left untouched)
     * @throws DatasetUnavailableException  some files could not be downloaded from any of their URLs
     *                                      (the others are kept)
     * @throws IOException                  the directory cannot be created or written
     */
    public Path ensure(DatasetSpec spec, Path dataRoot) throws IOException {
        Path directory = dataRoot.resolve(spec.directory()).toAbsolutePath().normalize();
        Files.createDirectories(directory);
        removeStalePartFiles(spec, directory);

        List<RemoteFile> missing = new ArrayList<>();
        List<CorruptDatasetFileException.Mismatch> mismatches = new ArrayList<>();
        for (RemoteFile file : spec.files()) {
            Path target = directory.resolve(file.name());
            if (Files.exists(target)) {
                String actual = Sha256.of(target);
                if (!actual.equals(file.sha256())) {
                    mismatches.add(new CorruptDatasetFileException.Mismatch(target, file.sha256(), actual, Files.size(target)));
                }
            } else {
                missing.add(file);
            }
        }
        // Before any download: the user has to act anyway, and should learn it without waiting.
        if (!mismatches.isEmpty()) {
            throw new CorruptDatasetFileException(mismatches);
        }

        // Hosts that could not be connected to, and why: not asked again for the next files, so that an
        // unreachable mirror costs one connect timeout, not one per file.
        Map<String, String> unreachableHosts = new HashMap<>();
        List<MissingFile> failed = new ArrayList<>();
        for (RemoteFile file : missing) {
            List<Attempt> attempts = new ArrayList<>();
            if (!downloadFromFirstWorkingUrl(file, directory, unreachableHosts, attempts)) {
                failed.add(new MissingFile(file, attempts));
            }
        }
        if (!failed.isEmpty()) {
            throw new DatasetUnavailableException(directory, failed);
        }
        return directory;
    }

    /** Tries the file's URLs in turn; records each failure in {@code attempts}. */
    private boolean downloadFromFirstWorkingUrl(RemoteFile file, Path directory, Map<String, String> unreachableHosts,
            List<Attempt> attempts) throws IOException {
        for (URI url : file.urls()) {
            String host = hostKey(url);
            String earlier = unreachableHosts.get(host);
            if (earlier != null) {
                attempts.add(new Attempt(url, "not tried: " + host + " could not be reached for an earlier file (" + earlier + ")"));
                continue;
            }
            try {
                download(file, url, directory);
                return true;
            } catch (AttemptFailedException e) {
                attempts.add(new Attempt(url, e.getMessage()));
                if (e.hostUnreachable) {
                    unreachableHosts.put(host, e.getMessage());
                }
                progress.attemptFailed(file.name(), url, e.getMessage());
            }
        }
        return false;
    }

    /**
     * One attempt: streams {@code url} into a temporary file, checks its SHA-256, renames it into place.
     *
     * @throws AttemptFailedException the mirror did not deliver the file (try the next one)
     * @throws IOException            the local file system failed (no mirror can help)
     */
    private void download(RemoteFile file, URI url, Path directory) throws IOException, AttemptFailedException {
        HttpRequest request = HttpRequest.newBuilder(url)
                // Up to the response headers; the body has its own idle limit in BodyChunks.
                .timeout(idleTimeout)
                .header("User-Agent", "lstm4j")
                .GET()
                .build();
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofPublisher());
        } catch (IOException e) {
            throw requestFailure(e, url);
        } catch (InterruptedException e) {
            throw interrupted(url);
        }
        try (BodyChunks body = new BodyChunks()) {
            response.body().subscribe(body);
            if (response.statusCode() != 200) {
                throw new AttemptFailedException("HTTP " + response.statusCode() + redirectNote(url, response), false);
            }
            long expectedLength = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            saveVerified(file, body, expectedLength, directory, url, response);
        }
    }

    private void saveVerified(RemoteFile file, BodyChunks body, long expectedLength, Path directory, URI url,
            HttpResponse<?> response) throws IOException, AttemptFailedException {
        Path target = directory.resolve(file.name());
        // Same directory as the target: a rename across file systems would not be atomic.
        Path temp = Files.createTempFile(directory, "." + file.name() + ".", PART_SUFFIX);
        boolean moved = false;
        try {
            readableLikeAnOrdinaryFile(temp);
            MessageDigest digest = Sha256.newDigest();
            long received = 0;
            progress.start(file.name(), expectedLength);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                for (ByteBuffer chunk; (chunk = nextChunk(body, received, expectedLength, url)) != null; ) {
                    int length = chunk.remaining();
                    digest.update(chunk.duplicate());
                    while (chunk.hasRemaining()) {
                        channel.write(chunk);
                    }
                    received += length;
                    progress.advance(length);
                }
                if (expectedLength >= 0 && received < expectedLength) {
                    throw new AttemptFailedException("connection dropped after " + bytesOf(received, expectedLength), false);
                }
                channel.force(true);
            } finally {
                progress.finish();
            }
            String actual = Sha256.hex(digest);
            if (!actual.equals(file.sha256())) {
                throw new AttemptFailedException("checksum mismatch: got SHA-256 " + actual + " for " + received
                        + " bytes" + redirectNote(url, response), false);
            }
            moveIntoPlace(temp, target);
            moved = true;
            syncDirectory(directory);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** The next chunk of the body, with a failure of the transfer told as a failed attempt. */
    private ByteBuffer nextChunk(BodyChunks body, long received, long expectedLength, URI url)
            throws AttemptFailedException, InterruptedIOException {
        try {
            return body.next(idleTimeout);
        } catch (BodyChunks.StalledException e) {
            throw new AttemptFailedException("stalled: " + e.getMessage() + " after " + bytesOf(received, expectedLength), false);
        } catch (IOException e) {
            throw new AttemptFailedException("connection dropped after " + bytesOf(received, expectedLength)
                    + " (" + rootMessage(e) + ")", false);
        } catch (InterruptedException e) {
            throw interrupted(url);
        }
    }

    private static InterruptedIOException interrupted(URI url) {
        Thread.currentThread().interrupt();
        return new InterruptedIOException("interrupted while downloading " + url);
    }

    /** {@code 1024 of 4096 bytes}, or {@code 1024 bytes} when the length was not announced. */
    private static String bytesOf(long received, long expectedLength) {
        return expectedLength >= 0 ? received + " of " + expectedLength + " bytes" : received + " bytes";
    }

    /** Where a redirect led, since that is the server that failed. */
    private static String redirectNote(URI url, HttpResponse<?> response) {
        return response.uri().equals(url) ? "" : " (redirected to " + response.uri() + ")";
    }

    /** {@code scheme://host:port}: what an unreachable mirror has in common across its files. */
    private static String hostKey(URI url) {
        int port = url.getPort() >= 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        return url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getHost() + ":" + port;
    }

    /** Temporary files of this spec's files left by a run that was killed before it could clean up. */
    private static void removeStalePartFiles(DatasetSpec spec, Path directory) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, entry -> isPartFileOf(spec, entry))) {
            for (Path stale : entries) {
                Files.deleteIfExists(stale);
            }
        }
    }

    private static boolean isPartFileOf(DatasetSpec spec, Path entry) {
        String name = entry.getFileName().toString();
        if (!name.endsWith(PART_SUFFIX) || !Files.isRegularFile(entry)) {
            return false;
        }
        for (RemoteFile file : spec.files()) {
            if (name.startsWith("." + file.name() + ".")) {
                return true;
            }
        }
        return false;
    }

    /** Temporary files are created owner-only; a dataset should be as readable as any file the user saves. */
    private static void readableLikeAnOrdinaryFile(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes the rename durable where the platform allows opening a directory (not on Windows). */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort only: the file itself is already synced and in place.
        }
    }

    /**
     * Names what {@code HttpClient} reports as an exception before any response came.
     */
    private AttemptFailedException requestFailure(IOException e, URI url) {
        if (e instanceof HttpConnectTimeoutException) {
            return new AttemptFailedException("no connection within " + Durations.describe(connectTimeout), true);
        }
        if (e instanceof HttpTimeoutException) {
            return new AttemptFailedException("no response within " + Durations.describe(idleTimeout), false);
        }
        if (hasCause(e, UnresolvedAddressException.class) || hasCause(e, UnknownHostException.class)) {
            return new AttemptFailedException("unknown host " + url.getHost(), true);
        }
        if (hasCause(e, SSLException.class)) {
            return new AttemptFailedException("TLS failure: " + rootMessage(e), false);
        }
        if (e instanceof ConnectException) {
            String detail = innermost(e).getMessage();
            if (detail == null || detail.isBlank()) {
                // JDK 17's HttpClient reports a refused connection without any message (its cause is a
                // ClosedChannelException), so a refusal and an unreachable host look alike.
                return new AttemptFailedException("connection refused or host unreachable", true);
            }
            return new AttemptFailedException(detail.toLowerCase(Locale.ROOT).contains("refused")
                    ? "connection refused" : "could not connect: " + detail, true);
        }
        return new AttemptFailedException(rootMessage(e), false);
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable innermost(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** The innermost exception's simple name and message, e.g. {@code EOFException: EOF reached while reading}. */
    private static String rootMessage(Throwable e) {
        Throwable root = innermost(e);
        String message = root.getMessage();
        return message == null || message.isBlank()
                ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + message;
    }

    /** A mirror did not deliver the file; the message says why, for the final error. */
    private static final class AttemptFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        /** The connection could not be made: other files from the same host would fail the same way. */
        final boolean hostUnreachable;

        AttemptFailedException(String reason, boolean hostUnreachable) {
            super(reason, null, false, false); // A reason, not a stack: nobody reads its trace.
            this.hostUnreachable = hostUnreachable;
        }
    }
}
