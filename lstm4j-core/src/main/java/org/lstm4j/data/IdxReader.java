package org.lstm4j.data;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files of unsigned bytes (the MNIST and Fashion-MNIST distribution format), plain or gzip'd:
 * a big-endian header (magic {@code 0x0000 08 r}: unsigned bytes, rank r; then r 32-bit dimensions) followed
 * by the row-major data. Images have rank 3 (count, rows, cols), labels rank 1 (count).
 *
 * <p>Gzip is recognised by its magic bytes {@code 1f 8b}, not by the file name. Every defect is an
 * {@link IdxFormatException} naming the file. Nothing larger than the file can hold is allocated before
 * the header has been checked against the file: a plain file must be exactly the declared size, and a
 * gzip file cannot decompress to more than 1100 times its size. A directory given as the file is an
 * {@link IdxFormatException} too, naming it.
 */
public final class IdxReader {
    /** Element type byte of the magic number for unsigned bytes, the only type this reader supports. */
    static final int UNSIGNED_BYTE = 0x08;
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    /**
     * Largest decompressed/compressed size ratio believed: deflate expands at most about 1032:1, so a
     * header declaring more than this is corrupt and is refused before the data array is allocated.
     */
    static final long MAX_GZIP_RATIO = 1100;

    /** The largest byte array the JVM reliably allocates. */
    static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;

    private IdxReader() {}

    /**
     * Reads an images file: magic {@code 0x00000803}, count, rows, cols, then count × rows × cols pixels.
     *
     * @throws IdxFormatException if the file is not such a file (a labels file is named as one), its
     *     dimensions are not positive (count may be 0), its data is shorter or longer than declared, or its
     *     gzip stream is corrupt
     * @throws IOException if the file cannot be read
     */
    public static IdxImages readImages(Path file) throws IOException {
        Contents c = read(file, 3);
        return new IdxImages(c.dims[0], c.dims[1], c.dims[2], c.data);
    }

    /**
     * Reads a labels file: magic {@code 0x00000801}, count, then count label bytes.
     *
     * @throws IdxFormatException as {@link #readImages}, an images file given here being named as one
     * @throws IOException if the file cannot be read
     */
    public static IdxLabels readLabels(Path file) throws IOException {
        Contents c = read(file, 1);
        return new IdxLabels(c.dims[0], c.data);
    }

    private record Contents(int[] dims, byte[] data) {}

    private static Contents read(Path file, int rank) throws IOException {
        String source = file.toString();
        // Opening a directory succeeds on some systems and reading it then fails with "Is a directory" alone.
        if (Files.isDirectory(file)) {
            throw new IdxFormatException(source, "is a directory, expected an IDX file");
        }
        long fileSize = Files.size(file);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                Input in = Input.open(raw, source)) {
            int headerBytes = 4 + 4 * rank;
            byte[] header = new byte[headerBytes];
            int got = in.readUpTo(header, 0, headerBytes);
            if (got < 4) {
                throw new IdxFormatException(source, "expected a 4-byte IDX magic number, got " + in.describe(got));
            }
            checkMagic(source, bigEndianInt(header, 0), rank);
            if (got < headerBytes) {
                throw new IdxFormatException(source, "expected a header of " + headerBytes + " bytes (magic and " + rank
                        + (rank == 1 ? " dimension), got " : " dimensions), got ") + in.describe(got));
            }
            int[] dims = new int[rank];
            for (int d = 0; d < rank; d++) {
                dims[d] = bigEndianInt(header, 4 + 4 * d);
            }
            checkDimensions(source, dims);
            int dataBytes = checkDataSize(source, dims, in.gzip, fileSize, fileSize - headerBytes);

            byte[] data = new byte[dataBytes];
            got = in.readUpTo(data, 0, dataBytes);
            if (got < dataBytes) {
                throw new IdxFormatException(source, "expected " + dataBytes + " data bytes after the header "
                        + product(dims) + ", got " + got + in.decompressedNote());
            }
            // Reading to the end also makes the gzip stream check its CRC and length trailer.
            long trailing = in.skipToEnd();
            if (trailing > 0) {
                throw new IdxFormatException(source, "expected " + dataBytes + " data bytes after the header "
                        + product(dims) + ", got " + (dataBytes + trailing) + " (" + trailing + " trailing bytes)"
                        + in.decompressedNote());
            }
            return new Contents(dims, data);
        }
    }

    private static void checkMagic(String source, int magic, int rank) throws IdxFormatException {
        int expected = rank == 3 ? IMAGES_MAGIC : LABELS_MAGIC;
        if (magic == expected) {
            return;
        }
        String wanted = describeMagic(expected);
        if (magic == IMAGES_MAGIC || magic == LABELS_MAGIC) {
            throw new IdxFormatException(source, "this is an IDX " + describeMagic(magic) + ", expected an IDX " + wanted);
        }
        if ((magic >>> 16) != 0) {
            throw new IdxFormatException(source, "expected the IDX magic number " + hex(expected) + " (" + wanted
                    + "), got " + hex(magic) + "; this is not an IDX file");
        }
        int type = (magic >>> 8) & 0xFF;
        int fileRank = magic & 0xFF;
        if (type != UNSIGNED_BYTE) {
            throw new IdxFormatException(source, "expected IDX element type 0x08 (unsigned byte), got "
                    + String.format("0x%02X", type) + " (" + typeName(type) + ") in magic number " + hex(magic));
        }
        throw new IdxFormatException(source, "expected an IDX " + wanted + ", got rank " + fileRank
                + " (magic number " + hex(magic) + ")");
    }

    private static String describeMagic(int magic) {
        return magic == IMAGES_MAGIC
                ? "images file (magic " + hex(IMAGES_MAGIC) + ": unsigned bytes, rank 3)"
                : "labels file (magic " + hex(LABELS_MAGIC) + ": unsigned bytes, rank 1)";
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> "not an IDX type";
        };
    }

    private static String hex(int value) {
        return String.format("0x%08X", value);
    }

    private static void checkDimensions(String source, int[] dims) throws IdxFormatException {
        // The count may be 0 (an empty file is well formed); an image needs at least one pixel.
        if (dims[0] < 0) {
            throw new IdxFormatException(source, "expected a count >= 0, got " + dims[0]);
        }
        if (dims.length == 3 && (dims[1] <= 0 || dims[2] <= 0)) {
            throw new IdxFormatException(source, "expected positive image rows and cols, got " + dims[1] + "x" + dims[2]);
        }
    }

    /**
     * The declared data size, once it is known to fit the file and a Java array; refusing here is what keeps
     * a corrupt header from allocating gigabytes.
     */
    private static int checkDataSize(String source, int[] dims, boolean gzip, long fileSize, long bytesAfterHeader)
            throws IdxFormatException {
        long perItem = 1;
        for (int d = 1; d < dims.length; d++) {
            perItem *= dims[d]; // two positive ints: at most 2^62, no overflow
        }
        if (perItem > MAX_ARRAY_BYTES) {
            throw new IdxFormatException(source, "declares images of " + dims[1] + "x" + dims[2] + " = " + perItem
                    + " bytes each, more than one Java array can hold (" + MAX_ARRAY_BYTES + " bytes)");
        }
        long declared = dims[0] * perItem; // at most 2^31 * 2^31: no overflow
        if (!gzip && declared != bytesAfterHeader) {
            throw new IdxFormatException(source, "expected " + declared + " data bytes after the header " + product(dims)
                    + ", got " + bytesAfterHeader + (declared < bytesAfterHeader
                            ? " (" + (bytesAfterHeader - declared) + " trailing bytes)" : " (the file is truncated)"));
        }
        if (declared > MAX_ARRAY_BYTES) {
            throw new IdxFormatException(source, "declares " + declared + " data bytes " + product(dims)
                    + ", more than this reader supports (one Java array, at most " + MAX_ARRAY_BYTES + " bytes)");
        }
        if (gzip && declared > fileSize * MAX_GZIP_RATIO) {
            throw new IdxFormatException(source, "declares " + declared + " data bytes " + product(dims)
                    + ", but a gzip file of " + fileSize + " bytes decompresses to at most " + fileSize * MAX_GZIP_RATIO
                    + " (deflate expands at most about 1032 times); the header is corrupt");
        }
        return (int) declared;
    }

    /** The dimensions as the product the data size comes from, e.g. "(60000 x 28 x 28)". */
    private static String product(int[] dims) {
        StringBuilder sb = new StringBuilder("(");
        for (int d = 0; d < dims.length; d++) {
            sb.append(d == 0 ? "" : " x ").append(dims[d]);
        }
        return sb.append(')').toString();
    }

    private static int bigEndianInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    /**
     * The file's bytes, decompressed if it starts with the gzip magic; the decoder's errors (bad header,
     * bad CRC, stream cut short) become {@link IdxFormatException}s naming the file and where they happened.
     */
    private static final class Input implements Closeable {
        final InputStream in;
        final boolean gzip;
        final String source;
        long position;

        private Input(InputStream in, boolean gzip, String source) {
            this.in = in;
            this.gzip = gzip;
            this.source = source;
        }

        static Input open(InputStream raw, String source) throws IOException {
            raw.mark(2);
            boolean gzip = raw.read() == GZIP_MAGIC_0 && raw.read() == GZIP_MAGIC_1;
            raw.reset();
            if (!gzip) {
                return new Input(raw, false, source);
            }
            try {
                return new Input(new GZIPInputStream(raw, 1 << 16), true, source);
            } catch (ZipException | EOFException e) {
                throw new IdxFormatException(source, "starts with the gzip magic bytes 1f 8b but its gzip header is corrupt: "
                        + e.getMessage(), e);
            }
        }

        /** Reads until {@code length} bytes or the end; returns how many were read. */
        int readUpTo(byte[] into, int offset, int length) throws IOException {
            int done = 0;
            try {
                while (done < length) {
                    int n = in.read(into, offset + done, length - done);
                    if (n < 0) {
                        break;
                    }
                    done += n;
                    position += n;
                }
            } catch (ZipException | EOFException e) {
                throw gzip ? corrupt(e) : e;
            }
            return done;
        }

        /** Reads to the end through a small buffer; returns how many bytes there were. */
        long skipToEnd() throws IOException {
            byte[] scratch = new byte[8192];
            long count = 0;
            try {
                int n;
                while ((n = in.read(scratch)) >= 0) {
                    count += n;
                    position += n;
                }
            } catch (ZipException | EOFException e) {
                throw gzip ? corrupt(e) : e;
            }
            return count;
        }

        /** ZipException: bad deflate data or a wrong CRC/length trailer; EOFException: the stream is cut short. */
        private IdxFormatException corrupt(IOException e) {
            return new IdxFormatException(source, "corrupt gzip stream after " + position + " decompressed bytes: "
                    + e.getMessage(), e);
        }

        /** Closes the gzip decoder too, which holds native memory until then. */
        @Override
        public void close() throws IOException {
            in.close();
        }

        String describe(int got) {
            return gzip ? got + " bytes (decompressed)" : "a file of " + got + " bytes";
        }

        String decompressedNote() {
            return gzip ? " (decompressed)" : "";
        }
    }
}
