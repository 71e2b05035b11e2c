package org.lstm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lstm4j.data.IdxFiles.gzip;
import static org.lstm4j.data.IdxFiles.images;
import static org.lstm4j.data.IdxFiles.labels;
import static org.lstm4j.data.IdxFiles.pattern;
import static org.lstm4j.data.IdxFiles.write;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.tensor.IndexTensor;

class ImageClassificationDatasetTest {

    @TempDir
    Path dir;

    /** Four 2x3 images whose bytes are 0, 37, 74, ... (mod 256), labelled 3, 0, 7, 3. */
    private static final byte[] PIXELS = pattern(4 * 6);
    private static final byte[] LABELS = {3, 0, 7, 3};

    private static ImageClassificationDataset fourImages() {
        return ImageClassificationDataset.of(new IdxImages(4, 2, 3, PIXELS), new IdxLabels(4, LABELS), "img", "lbl");
    }

    @Test
    void gatherScalesBytesToUnitFloatsLikeToTensor() {
        Batch<IndexTensor> b = fourImages().gather(new int[] {9, 2, 0}, 1, 2);
        assertArrayEquals(new int[] {2, 2, 3}, b.inputs().shape());
        float[] expected = new float[12];
        for (int p = 0; p < 6; p++) {
            expected[p] = (PIXELS[2 * 6 + p] & 0xFF) / 255f;
            expected[6 + p] = (PIXELS[p] & 0xFF) / 255f;
        }
        assertArrayEquals(expected, b.inputs().data());
        assertArrayEquals(new int[] {7, 3}, b.targets().data());
    }

    @Test
    void blackAndWhiteAreExactlyZeroAndOne() {
        byte[] pixels = {0, (byte) 255, (byte) 128, 1};
        ImageClassificationDataset ds = ImageClassificationDataset.of(
                new IdxImages(1, 2, 2, pixels), new IdxLabels(1, new byte[] {0}), "img", "lbl");
        assertArrayEquals(new float[] {0f, 1f, 128f / 255f, 1f / 255f}, ds.get(0).inputs().data());
    }

    @Test
    void accessorsDescribeTheImagesAndLabels() {
        ImageClassificationDataset ds = fourImages();
        assertEquals(4, ds.size());
        assertEquals(2, ds.rows());
        assertEquals(3, ds.cols());
        assertEquals(8, ds.numClasses());
        assertEquals(7, ds.label(2));
        int[] labels = ds.labels();
        assertArrayEquals(new int[] {3, 0, 7, 3}, labels);
        labels[0] = 99; // a copy: the dataset keeps its labels
        assertEquals(3, ds.label(0));
        assertThrows(IndexOutOfBoundsException.class, () -> ds.label(4));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> ds.gather(new int[] {4}, 0, 1));
        assertEquals("example index 4 out of range for a dataset of size 4", e.getMessage());
    }

    @Test
    void ofRefusesDifferentCountsNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageClassificationDataset.of(
                new IdxImages(4, 2, 3, PIXELS), new IdxLabels(3, new byte[3]), "a/images", "b/labels"));
        assertEquals("images a/images hold 4 images but labels b/labels hold 3 labels; expected one label per image",
                e.getMessage());
    }

    @Test
    void loadIdxReadsGzippedOrPlainNamesAndPrefersGz() throws IOException {
        write(dir, "train-images-idx3-ubyte.gz", gzip(images(4, 2, 3, PIXELS)));
        write(dir, "train-labels-idx1-ubyte", labels(LABELS));
        // A broken plain images file beside the .gz one shows which is read.
        write(dir, "train-images-idx3-ubyte", new byte[] {1, 2, 3});
        ImageClassificationDataset ds = ImageClassificationDataset.loadIdx(dir, "train");
        assertEquals(4, ds.size());
        assertArrayEquals(fourImages().get(3).inputs().data(), ds.get(3).inputs().data());
        assertArrayEquals(new int[] {3, 0, 7, 3}, ds.labels());
    }

    @Test
    void loadIdxNamesBothCandidatesOfAMissingFile() throws IOException {
        write(dir, "t10k-images-idx3-ubyte", images(4, 2, 3, PIXELS));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> ImageClassificationDataset.loadIdx(dir, "t10k"));
        assertTrue(e.getMessage().contains(dir.resolve("t10k-labels-idx1-ubyte.gz").toString())
                && e.getMessage().contains(dir.resolve("t10k-labels-idx1-ubyte") + ": "), e.getMessage());
    }

    @Test
    void loadIdxRefusesLabelsOfAnotherCountNamingBothFiles() throws IOException {
        Path images = write(dir, "t10k-images-idx3-ubyte.gz", gzip(images(4, 2, 3, PIXELS)));
        Path labels = write(dir, "t10k-labels-idx1-ubyte.gz", gzip(labels(new byte[] {1, 2, 3, 4, 5})));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> ImageClassificationDataset.loadIdx(dir, "t10k"));
        assertEquals(labels + ": expected 4 labels, one per image of " + images + " (4 images), got 5", e.getMessage());
    }

    @Test
    void loadIdxKnowsOnlyTheTwoSplits() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageClassificationDataset.loadIdx(dir, "test"));
        assertEquals("split must be \"train\" or \"t10k\", got \"test\"", e.getMessage());
    }
}
