package org.lstm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lstm4j.data.IdxFiles.LABELS;
import static org.lstm4j.data.IdxFiles.gzip;
import static org.lstm4j.data.IdxFiles.idx;
import static org.lstm4j.data.IdxFiles.images;
import static org.lstm4j.data.IdxFiles.labels;
import static org.lstm4j.data.IdxFiles.pattern;
import static org.lstm4j.data.IdxFiles.write;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.testing.AllocationMeter;

class IdxReaderTest {

    @TempDir
    Path dir;

    /** Reading {@code file} fails with a message that starts with the file and contains every fragment. */
    private static IdxFormatException assertIdxError(Path file, Executable read, String... fragments) {
        IdxFormatException e = assertThrows(IdxFormatException.class, read);
        assertEquals(file.toString(), e.source());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
        }
        return e;
    }

    // ---------------------------------------------------------------- well-formed files

    @Test
    void imagesRoundTripPlainAndGzipDetectedByContentNotName() throws IOException {
        byte[] pixels = pattern(3 * 2 * 4);
        byte[] file = images(3, 2, 4, pixels);
        // Names chosen against the content: detection must look at the magic bytes.
        IdxImages plain = IdxReader.readImages(write(dir, "plain.gz", file));
        IdxImages gzipped = IdxReader.readImages(write(dir, "gzipped.idx", gzip(file)));
        for (IdxImages read : new IdxImages[] {plain, gzipped}) {
            assertEquals(3, read.count());
            assertEquals(2, read.rows());
            assertEquals(4, read.cols());
            assertArrayEquals(pixels, read.pixels());
        }
        assertEquals(plain, gzipped);
        // Image 2, row 1, col 3 is data byte 2*8 + 1*4 + 3 = 23; image 0, row 1, col 1 is byte 5.
        assertEquals((23 * 37) & 0xFF, plain.pixel(2, 1, 3));
        assertEquals(185, plain.pixel(0, 1, 1)); // 5 * 37, above 127: read unsigned
    }

    @Test
    void labelsRoundTripPlainAndGzip() throws IOException {
        byte[] values = {5, 0, 4, 1, (byte) 200};
        IdxLabels plain = IdxReader.readLabels(write(dir, "labels", labels(values)));
        IdxLabels gzipped = IdxReader.readLabels(write(dir, "labels.gz", gzip(labels(values))));
        assertEquals(5, plain.count());
        assertArrayEquals(values, plain.labels());
        assertEquals(plain, gzipped);
        assertEquals(200, plain.label(4));
    }

    @Test
    void anEmptyFileOfZeroImagesIsWellFormed() throws IOException {
        IdxImages read = IdxReader.readImages(write(dir, "empty", images(0, 28, 28, new byte[0])));
        assertEquals(0, read.count());
        assertEquals(28, read.rows());
    }

    // ---------------------------------------------------------------- header defects

    @Test
    void wrongMagicIsNotAnIdxFile() throws IOException {
        Path f = write(dir, "archive.zip", idx(0x504B0304, new int[] {1, 1, 1}, new byte[1]));
        assertIdxError(f, () -> IdxReader.readImages(f),
                "expected the IDX magic number 0x00000803", "got 0x504B0304", "not an IDX file");
    }

    @Test
    void aLabelsFileGivenAsImagesSaysSo() throws IOException {
        Path f = write(dir, "train-labels-idx1-ubyte", labels(new byte[] {1, 2, 3}));
        assertIdxError(f, () -> IdxReader.readImages(f),
                "this is an IDX labels file (magic 0x00000801", "expected an IDX images file (magic 0x00000803");
        Path g = write(dir, "train-images-idx3-ubyte.gz", gzip(images(1, 1, 1, new byte[1])));
        assertIdxError(g, () -> IdxReader.readLabels(g),
                "this is an IDX images file (magic 0x00000803", "expected an IDX labels file (magic 0x00000801");
    }

    @Test
    void otherElementTypesAndRanksAreNamed() throws IOException {
        Path floats = write(dir, "floats", idx(0x00000D03, new int[] {1, 1, 1}, new byte[4]));
        assertIdxError(floats, () -> IdxReader.readImages(floats),
                "expected IDX element type 0x08 (unsigned byte), got 0x0D (float)");
        Path matrix = write(dir, "matrix", idx(0x00000802, new int[] {1, 1}, new byte[1]));
        assertIdxError(matrix, () -> IdxReader.readImages(matrix), "expected an IDX images file", "got rank 2");
    }

    @Test
    void aHeaderCutShortIsReported() throws IOException {
        Path f = write(dir, "short", Arrays.copyOf(images(1, 1, 1, new byte[1]), 10));
        assertIdxError(f, () -> IdxReader.readImages(f), "expected a header of 16 bytes", "got a file of 10 bytes");
        Path g = write(dir, "tiny", new byte[] {0, 0});
        assertIdxError(g, () -> IdxReader.readLabels(g), "expected a 4-byte IDX magic number, got a file of 2 bytes");
    }

    @Test
    void zeroRowsOrColsAndNegativeDimensionsAreRefused() throws IOException {
        Path zeroRows = write(dir, "zero-rows", images(2, 0, 28, new byte[0]));
        assertIdxError(zeroRows, () -> IdxReader.readImages(zeroRows), "expected positive image rows and cols, got 0x28");
        Path negativeCols = write(dir, "negative-cols", images(2, 28, -5, new byte[0]));
        assertIdxError(negativeCols, () -> IdxReader.readImages(negativeCols), "expected positive image rows and cols, got 28x-5");
        Path negativeCount = write(dir, "negative-count", idx(LABELS, new int[] {-1}, new byte[0]));
        assertIdxError(negativeCount, () -> IdxReader.readLabels(negativeCount), "expected a count >= 0, got -1");
    }

    // ---------------------------------------------------------------- data length

    @Test
    void truncatedPlainDataIsReportedBeforeReading() throws IOException {
        byte[] full = images(3, 2, 4, pattern(24));
        Path f = write(dir, "truncated", Arrays.copyOf(full, full.length - 4));
        assertIdxError(f, () -> IdxReader.readImages(f),
                "expected 24 data bytes after the header (3 x 2 x 4), got 20 (the file is truncated)");
    }

    @Test
    void truncatedGzipDataIsReported() throws IOException {
        byte[] full = labels(pattern(10));
        Path f = write(dir, "truncated.gz", gzip(Arrays.copyOf(full, full.length - 3)));
        assertIdxError(f, () -> IdxReader.readLabels(f), "expected 10 data bytes after the header (10), got 7 (decompressed)");
    }

    @Test
    void trailingBytesAreRefusedPlainAndGzip() throws IOException {
        byte[] longer = Arrays.copyOf(images(3, 2, 4, pattern(24)), 16 + 24 + 5);
        Path plain = write(dir, "trailing", longer);
        assertIdxError(plain, () -> IdxReader.readImages(plain),
                "expected 24 data bytes after the header (3 x 2 x 4), got 29 (5 trailing bytes)");
        Path gz = write(dir, "trailing.gz", gzip(longer));
        assertIdxError(gz, () -> IdxReader.readImages(gz),
                "expected 24 data bytes after the header (3 x 2 x 4), got 29 (5 trailing bytes) (decompressed)");
    }

    // ---------------------------------------------------------------- corrupt gzip

    /** 50 images of 8x8 random pixels: deflate cannot shrink them, so the stream is long enough to damage. */
    private static byte[] randomImagesGzipped() {
        byte[] pixels = new byte[50 * 64];
        new Random(7).nextBytes(pixels);
        return gzip(images(50, 8, 8, pixels));
    }

    @Test
    void aFlippedByteInTheDeflateStreamIsACorruptGzip() throws IOException {
        byte[] gz = randomImagesGzipped();
        gz[gz.length - 8 - 100] ^= 0x5A; // inside the compressed data, before the 8-byte CRC/length trailer
        Path f = write(dir, "flipped.gz", gz);
        IdxFormatException e = assertIdxError(f, () -> IdxReader.readImages(f), "corrupt gzip stream after");
        assertInstanceOf(ZipException.class, e.getCause());
    }

    @Test
    void aWrongCrcIsACorruptGzip() throws IOException {
        byte[] gz = randomImagesGzipped();
        gz[gz.length - 8] ^= 1; // first byte of the CRC-32
        Path f = write(dir, "bad-crc.gz", gz);
        assertIdxError(f, () -> IdxReader.readImages(f), "corrupt gzip stream after " + (16 + 50 * 64) + " decompressed bytes");
    }

    @Test
    void aGzipStreamCutShortIsACorruptGzip() throws IOException {
        byte[] gz = randomImagesGzipped();
        Path f = write(dir, "cut.gz", Arrays.copyOf(gz, gz.length / 2));
        assertIdxError(f, () -> IdxReader.readImages(f), "corrupt gzip stream after", "Unexpected end of ZLIB input stream");
    }

    @Test
    void aBrokenGzipHeaderIsACorruptGzip() throws IOException {
        Path f = write(dir, "bad-header", new byte[] {0x1f, (byte) 0x8b, 99, 0, 0, 0, 0, 0, 0, 0});
        assertIdxError(f, () -> IdxReader.readImages(f), "gzip header is corrupt");
    }

    // ---------------------------------------------------------------- huge declared sizes

    /** Runs {@code read}, which must fail naming the file, and checks it allocated less than 1 MiB on the way. */
    private static IdxFormatException assertRefusedWithoutAllocating(Path file, Executable read, String... fragments) {
        AllocationMeter.assumeSupported();
        long before = AllocationMeter.allocatedBytes();
        IdxFormatException e = assertIdxError(file, read, fragments);
        long allocated = AllocationMeter.allocatedBytes() - before;
        assertTrue(allocated < (1 << 20), "refusing " + file + " allocated " + allocated + " bytes");
        return e;
    }

    @Test
    void aHeaderDeclaring2To31BytesInATinyFileFailsFast() throws IOException {
        // 65536 x 32768 x 1 = 2^31 bytes declared, 8 present.
        byte[] header = images(65536, 32768, 1, new byte[8]);
        Path plain = write(dir, "huge", header);
        assertRefusedWithoutAllocating(plain, () -> IdxReader.readImages(plain),
                "expected 2147483648 data bytes after the header (65536 x 32768 x 1), got 8 (the file is truncated)");
        Path gz = write(dir, "huge.gz", gzip(header));
        assertRefusedWithoutAllocating(gz, () -> IdxReader.readImages(gz),
                "declares 2147483648 data bytes (65536 x 32768 x 1)", "at most 2147483639 bytes");
    }

    @Test
    void aGzipHeaderDeclaringMoreThanDeflateCanHoldFailsFast() throws IOException {
        // 2^30 bytes: an array could hold it, but not a gzip file of a few dozen bytes.
        byte[] gz = gzip(images(1 << 15, 1 << 15, 1, new byte[8]));
        Path f = write(dir, "bomb.gz", gz);
        assertRefusedWithoutAllocating(f, () -> IdxReader.readImages(f),
                "declares 1073741824 data bytes (32768 x 32768 x 1)",
                "a gzip file of " + gz.length + " bytes decompresses to at most " + gz.length * 1100L);
    }

    @Test
    void maximalDimensionsDoNotOverflow() throws IOException {
        int max = Integer.MAX_VALUE;
        Path f = write(dir, "max.gz", gzip(images(max, max, max, new byte[0])));
        assertRefusedWithoutAllocating(f, () -> IdxReader.readImages(f),
                "images of 2147483647x2147483647 = 4611686014132420609 bytes each");
        Path labels = write(dir, "max-labels.gz", gzip(idx(LABELS, new int[] {max}, new byte[3])));
        assertRefusedWithoutAllocating(labels, () -> IdxReader.readLabels(labels),
                "declares 2147483647 data bytes (2147483647)");
        Path plainLabels = write(dir, "max-labels", idx(LABELS, new int[] {max}, new byte[3]));
        assertRefusedWithoutAllocating(plainLabels, () -> IdxReader.readLabels(plainLabels),
                "expected 2147483647 data bytes after the header (2147483647), got 3");
    }

    @Test
    void theRecordsCheckTheirArraysAgainstTheirDimensions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new IdxImages(2, 2, 2, new byte[7]));
        assertEquals("2 images of 2x2 need 8 pixel bytes, got 7", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new IdxLabels(3, new byte[2]));
        assertEquals("3 labels need 3 bytes, got 2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new IdxImages(1, 0, 2, new byte[0]));
    }
}
