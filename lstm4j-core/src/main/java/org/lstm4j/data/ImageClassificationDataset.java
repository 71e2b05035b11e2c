package org.lstm4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;

/**
 * Grey images with one class label each, such as MNIST and Fashion-MNIST. The pixels stay unsigned bytes
 * (60,000 28×28 images are 47 MB as bytes, four times that as floats); {@link #gather} converts the selected
 * images to floats in [0, 1] as torchvision's {@code ToTensor} does ({@code byte / 255}), into inputs of
 * shape (count, rows, cols) with labels of shape (count).
 */
public final class ImageClassificationDataset implements Dataset<IndexTensor> {
    /** {@code b / 255f} for every unsigned byte: the same values as dividing, without a division per pixel. */
    private static final float[] UNIT_OF_BYTE = new float[256];

    static {
        for (int b = 0; b < 256; b++) {
            UNIT_OF_BYTE[b] = b / 255f;
        }
    }

    private final byte[] pixels;
    private final byte[] labels;
    private final int count;
    private final int rows;
    private final int cols;
    private final int numClasses;

    private ImageClassificationDataset(IdxImages images, IdxLabels labels) {
        this.pixels = images.pixels();
        this.labels = labels.labels();
        this.count = images.count();
        this.rows = images.rows();
        this.cols = images.cols();
        int maxLabel = -1;
        for (byte label : this.labels) {
            maxLabel = Math.max(maxLabel, label & 0xFF);
        }
        this.numClasses = maxLabel + 1;
    }

    /**
     * Pairs images with their labels; the arrays are held, not copied. The names (usually the file paths)
     * are only used in the error message.
     *
     * @throws IllegalArgumentException if the counts differ (naming both sources and both counts)
     */
    public static ImageClassificationDataset of(IdxImages images, IdxLabels labels, String imagesName, String labelsName) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        if (images.count() != labels.count()) {
            throw new IllegalArgumentException("images " + imagesName + " hold " + images.count() + " images but labels "
                    + labelsName + " hold " + labels.count() + " labels; expected one label per image");
        }
        return new ImageClassificationDataset(images, labels);
    }

    /**
     * Reads a split in the MNIST layout from {@code dir}: {@code <split>-images-idx3-ubyte.gz} and
     * {@code <split>-labels-idx1-ubyte.gz}, or the same names without {@code .gz} (the gzip'd name is tried
     * first; either may hold plain or gzip'd bytes).
     *
     * @param split {@code "train"} or {@code "t10k"}
     * @throws NoSuchFileException if neither name of a file exists (the message names both paths)
     * @throws IdxFormatException if a file is malformed, or the labels file holds another count than the
     *     images file (naming both files and both counts)
     * @throws IOException if a file cannot be read
     */
    public static ImageClassificationDataset loadIdx(Path dir, String split) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (!"train".equals(split) && !"t10k".equals(split)) {
            throw new IllegalArgumentException("split must be \"train\" or \"t10k\", got " + (split == null ? "null" : "\"" + split + "\""));
        }
        Path imagesFile = existing(dir, split + "-images-idx3-ubyte");
        Path labelsFile = existing(dir, split + "-labels-idx1-ubyte");
        IdxImages images = IdxReader.readImages(imagesFile);
        IdxLabels labels = IdxReader.readLabels(labelsFile);
        if (images.count() != labels.count()) {
            throw new IdxFormatException(labelsFile.toString(), "expected " + images.count() + " labels, one per image of "
                    + imagesFile + " (" + images.count() + " images), got " + labels.count());
        }
        return new ImageClassificationDataset(images, labels);
    }

    private static Path existing(Path dir, String name) throws NoSuchFileException {
        Path gzipped = dir.resolve(name + ".gz");
        if (Files.exists(gzipped)) {
            return gzipped;
        }
        Path plain = dir.resolve(name);
        if (Files.exists(plain)) {
            return plain;
        }
        throw new NoSuchFileException(gzipped + " or " + plain, null, "expected one of these IDX files, found neither");
    }

    @Override
    public int size() {
        return count;
    }

    /** Pixel rows per image. */
    public int rows() {
        return rows;
    }

    /** Pixel columns per image. */
    public int cols() {
        return cols;
    }

    /** The largest label plus one (0 when there are no examples). */
    public int numClasses() {
        return numClasses;
    }

    /** The label of example {@code i}. */
    public int label(int i) {
        DatasetChecks.checkIndex(i, count);
        return labels[i] & 0xFF;
    }

    /** All labels, as a new array. */
    public int[] labels() {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = labels[i] & 0xFF;
        }
        return out;
    }

    /** Inputs (count, rows, cols) in [0, 1] and labels (count), both new. */
    @Override
    public Batch<IndexTensor> gather(int[] indices, int from, int count) {
        DatasetChecks.checkGather(indices, from, count, this.count);
        int imageSize = rows * cols;
        float[] inputs = new float[Math.multiplyExact(count, imageSize)];
        int[] targets = new int[count];
        for (int i = 0; i < count; i++) {
            int example = indices[from + i];
            int source = example * imageSize;
            int target = i * imageSize;
            for (int p = 0; p < imageSize; p++) {
                inputs[target + p] = UNIT_OF_BYTE[pixels[source + p] & 0xFF];
            }
            targets[i] = labels[example] & 0xFF;
        }
        return new Batch<>(Tensor.of(inputs, count, rows, cols), IndexTensor.of(targets));
    }
}
