package org.lstm4j.cli.classify;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.lstm4j.cli.datasets.DatasetDownloader;
import org.lstm4j.cli.datasets.DownloadProgress;
import org.lstm4j.cli.datasets.KnownDataset;
import org.lstm4j.data.ImageClassificationDataset;

/**
 * A dataset's training and test splits, found in (or downloaded into) the data directory.
 *
 * @param name       {@code mnist} or {@code fashion-mnist}
 * @param train      60,000 images
 * @param test       10,000 images
 * @param classNames one name per label
 */
public record ClassificationData(String name, ImageClassificationDataset train, ImageClassificationDataset test,
        List<String> classNames) {

    /** The default data directory: {@code ~/.lstm4j/datasets}. */
    public static Path defaultRoot() {
        return Path.of(System.getProperty("user.home"), ".lstm4j", "datasets");
    }

    /**
     * Reads {@code dataRoot/<name>/}, downloading missing files first (checksums verified).
     *
     * @throws IOException naming the files missing, where they were looked for and which URLs failed
     */
    public static ClassificationData load(String name, Path dataRoot, DownloadProgress progress) throws IOException {
        Path dir = new DatasetDownloader(progress).ensure(KnownDataset.parse(name).spec(), dataRoot);
        return new ClassificationData(name, ImageClassificationDataset.loadIdx(dir, "train"),
                ImageClassificationDataset.loadIdx(dir, "t10k"), ClassNames.of(name));
    }

    public int numClasses() {
        return classNames.size();
    }
}
