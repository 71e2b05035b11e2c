package org.lstm4j.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * The contents of an IDX images file: {@code count} grey images of {@code rows × cols} unsigned bytes,
 * row-major, one after the other in {@code pixels} (held, not copied: 60,000 MNIST images are 47 MB).
 * Equality compares the pixels.
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {

    public IdxImages {
        Objects.requireNonNull(pixels, "pixels");
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("expected count >= 0, rows > 0 and cols > 0, got count " + count
                    + ", rows " + rows + ", cols " + cols);
        }
        long expected = (long) count * rows * cols;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(count + " images of " + rows + "x" + cols + " need " + expected
                    + " pixel bytes, got " + pixels.length);
        }
    }

    /** Bytes per image: {@code rows × cols}. */
    public int imageSize() {
        return rows * cols;
    }

    /** The pixel at ({@code row}, {@code col}) of image {@code image}, as an unsigned value in [0, 255]. */
    public int pixel(int image, int row, int col) {
        Objects.checkIndex(image, count);
        Objects.checkIndex(row, rows);
        Objects.checkIndex(col, cols);
        return pixels[(image * rows + row) * cols + col] & 0xFF;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdxImages other && count == other.count && rows == other.rows && cols == other.cols
                && Arrays.equals(pixels, other.pixels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, rows, cols, Arrays.hashCode(pixels));
    }

    @Override
    public String toString() {
        return "IdxImages[count=" + count + ", rows=" + rows + ", cols=" + cols + "]";
    }
}
