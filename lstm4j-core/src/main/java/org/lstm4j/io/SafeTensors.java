package org.lstm4j.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.lstm4j.tensor.Tensor;

/**
 * Reads and writes <a href="https://github.com/huggingface/safetensors">safetensors</a> files of float32
 * tensors: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
 * ({@code {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}}),
 * then the little-endian data. Files are limited to {@link #MAX_FILE_BYTES} (2 GB).
 *
 * <p>Reading validates the whole file (dtype, shapes against offsets, exact coverage of the data region)
 * and reports any defect as a {@link SafeTensorsFormatException} naming the file. It validates before it
 * allocates: the header length is checked against the file's size and {@link #MAX_HEADER_BYTES} before the
 * header is read; the header is parsed as a stream, refusing more than {@link #MAX_TENSORS} tensors or
 * {@link #MAX_METADATA_ENTRIES} metadata entries as soon as it meets one; and no tensor is allocated before
 * the declared sizes are known to fit the limit and to match the file's size. A corrupt or hostile file
 * therefore costs at most the header's bytes and what its (capped) entries hold, never what it declares.
 * Writing is deterministic and atomic, and refuses what the reader would refuse.
 */
public final class SafeTensors {
    /**
     * Largest JSON header read, in bytes (100 MB, the reference implementation's limit); a larger declared
     * length is refused before anything is allocated.
     */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /**
     * Most tensors one file may hold. Ample for real models (a large language model has a few thousand
     * tensors per file), it bounds what a header of many tiny entries costs to parse: 100,000 zero-size
     * tensors (a 5.8 MB header) are read with a heap peak near 50 MB, in under a second on a warm JVM. A
     * header declaring more is refused as soon as the entry past the limit is met, the message giving the
     * number declared.
     */
    public static final int MAX_TENSORS = 100_000;

    /** Most entries in a file's {@code __metadata__}; bounded for the same reason as {@link #MAX_TENSORS}. */
    public static final int MAX_METADATA_ENTRIES = 100_000;

    /** Largest file read or written, in bytes: the length field, the header and the data (one Java array). */
    public static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

    private SafeTensors() {}

    /**
     * Reads all tensors (F32 only) and the string metadata. The tensor map is ordered by data offset.
     *
     * @throws SafeTensorsFormatException naming the file if it is malformed, holds another dtype, exceeds a
     *     limit of this class, or is a directory
     * @throws java.nio.file.NoSuchFileException if there is no such file
     * @throws IOException if the file cannot be read
     */
    public static SafeTensorsFile read(Path path) throws IOException {
        String source = path.toString();
        // Opening a directory succeeds on some systems and reading it then fails with "Is a directory" alone.
        if (Files.isDirectory(path)) {
            throw new SafeTensorsFormatException(source, "is a directory, expected a safetensors file");
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return SafeTensorsDecoder.decode(channel, source);
        }
    }

    /**
     * Writes {@code tensors} in map iteration order, with optional {@code metadata} (may be null or empty),
     * atomically: to a temporary file in the same directory, fsync, then rename over {@code path}
     * (ATOMIC_MOVE, falling back to REPLACE_EXISTING). On failure the previous file is untouched and the
     * temporary file removed.
     */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        AtomicFiles.write(path, toBytes(tensors, metadata));
    }

    /**
     * The exact bytes {@link #write} puts in the file: header JSON compact, in the given order (metadata first),
     * padded with spaces to a multiple of 8; data contiguous in the same order.
     *
     * @throws IllegalArgumentException if a tensor is named {@code __metadata__}, or the tensors, the metadata
     *     entries, the header or the total exceed this class's limits
     */
    public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        return SafeTensorsEncoder.encode(tensors, metadata);
    }

    /**
     * Parses safetensors bytes, as {@link #read} does for a file (with the same limits).
     *
     * @param sourceName used in error messages (e.g. the file or resource name)
     * @throws UncheckedIOException wrapping a {@link SafeTensorsFormatException} if the bytes are malformed
     */
    public static SafeTensorsFile fromBytes(byte[] bytes, String sourceName) {
        try {
            return SafeTensorsDecoder.decode(bytes, sourceName);
        } catch (SafeTensorsFormatException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
