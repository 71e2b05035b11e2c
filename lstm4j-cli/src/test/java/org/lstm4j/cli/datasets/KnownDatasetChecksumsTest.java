package org.lstm4j.cli.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The checksums in {@link KnownDataset} against the project's local copies of the datasets: those are
 * byte-identical to the publishers' files, so a typo in a hash would make every real download fail.
 */
class KnownDatasetChecksumsTest {
    /** {@code LSTM4J_DATASETS} if set, else {@code ../../shared/datasets} from the module directory. */
    private static Path sharedDatasets() {
        String fromEnvironment = System.getenv("LSTM4J_DATASETS");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Path.of(fromEnvironment);
        }
        return Path.of("../../shared/datasets");
    }

    private static Path existingSharedDatasets() {
        Path root = sharedDatasets().toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(root),
                "skipped: no local dataset copies at " + root + " (set LSTM4J_DATASETS to their directory)");
        return root;
    }

    @Test
    void theHashesMatchTheLocalCopies() throws IOException {
        Path root = existingSharedDatasets();
        for (KnownDataset dataset : KnownDataset.values()) {
            for (RemoteFile file : dataset.spec().files()) {
                Path copy = root.resolve(dataset.spec().directory()).resolve(file.name());
                assumeTrue(Files.isRegularFile(copy), "skipped: " + copy + " is absent");
                assertEquals(file.sha256(), Sha256.of(copy), copy.toString());
            }
        }
    }

    @Test
    void theDownloaderAcceptsTheLocalCopiesWithoutDownloading() throws IOException {
        Path root = existingSharedDatasets();
        DownloadProgress noTransfer = new DownloadProgress() {
            @Override
            public void start(String fileName, long totalBytes) {
                throw new AssertionError("a present, intact file was downloaded again: " + fileName);
            }

            @Override
            public void advance(long bytes) {}

            @Override
            public void finish() {}
        };
        DatasetDownloader downloader = new DatasetDownloader(noTransfer);
        for (KnownDataset dataset : KnownDataset.values()) {
            Path directory = root.resolve(dataset.spec().directory());
            for (RemoteFile file : dataset.spec().files()) {
                // A missing copy would send the downloader to the internet, which these machines lack.
                Path copy = directory.resolve(file.name());
                assumeTrue(Files.isRegularFile(copy), "skipped: " + copy + " is absent");
            }
            assertEquals(directory, downloader.ensure(dataset.spec(), root));
        }
    }

    @Test
    void theFilesAreExactlyThoseOfSha256Sums() throws IOException {
        Path sums = existingSharedDatasets().resolve("SHA256SUMS");
        assumeTrue(Files.isRegularFile(sums), "skipped: " + sums + " is absent");
        Map<String, String> listed = new TreeMap<>();
        for (String line : Files.readAllLines(sums)) {
            if (!line.isBlank()) {
                // sha256sum format: hash, two spaces (or space and '*'), path.
                listed.put(line.substring(66).strip(), line.substring(0, 64));
            }
        }
        Map<String, String> known = new TreeMap<>();
        for (KnownDataset dataset : KnownDataset.values()) {
            for (RemoteFile file : dataset.spec().files()) {
                known.put(dataset.spec().directory() + "/" + file.name(), file.sha256());
            }
        }
        assertEquals(listed, known);
    }
}
