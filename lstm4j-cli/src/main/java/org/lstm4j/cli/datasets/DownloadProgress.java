package org.lstm4j.cli.datasets;

import java.net.URI;

/**
 * Told how a download goes, one file at a time: {@link #start}, any number of {@link #advance}, then
 * {@link #finish} (also when the transfer fails midway). All calls come from the downloading thread.
 */
public interface DownloadProgress {
    /**
     * A transfer begins.
     *
     * @param fileName   the file being downloaded
     * @param totalBytes its announced length, or {@code -1} when the server did not send one
     */
    void start(String fileName, long totalBytes);

    /** {@code bytes} more bytes arrived for the current file. */
    void advance(long bytes);

    /** The current transfer ended, complete or not. */
    void finish();

    /**
     * An attempt failed and the downloader moves on to the next mirror, if any. Ignored by default; a
     * console shows it so that a restarting bar is not a mystery.
     *
     * @param fileName the file that was wanted
     * @param url      where it was asked for
     * @param reason   why it failed, e.g. {@code HTTP 404}
     */
    default void attemptFailed(String fileName, URI url, String reason) {}

    /** Reports nothing: for tests and for callers that print their own status. */
    static DownloadProgress silent() {
        return Silent.INSTANCE;
    }

    /** The stateless no-op behind {@link #silent()}. */
    enum Silent implements DownloadProgress {
        INSTANCE;

        @Override
        public void start(String fileName, long totalBytes) {}

        @Override
        public void advance(long bytes) {}

        @Override
        public void finish() {}
    }
}
