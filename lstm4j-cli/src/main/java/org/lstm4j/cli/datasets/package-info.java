/**
 * Public datasets the CLI trains on (MNIST, Fashion-MNIST, Tiny Shakespeare), and a downloader that
 * fetches them once into a data directory.
 *
 * <p>{@link org.lstm4j.cli.datasets.KnownDataset} names each dataset and its
 * {@link org.lstm4j.cli.datasets.DatasetSpec}: a directory and its
 * {@link org.lstm4j.cli.datasets.RemoteFile}s, each with its SHA-256 and the mirrors to try in order.
 * {@link org.lstm4j.cli.datasets.DatasetDownloader#ensure} makes every file of a spec present with the
 * right content: files already there are verified, never overwritten; missing ones are streamed into
 * a temporary file beside their target and renamed into place only once their SHA-256 matches, so an
 * interrupted or corrupted transfer never leaves a partial file under the final name.
 */
package org.lstm4j.cli.datasets;
