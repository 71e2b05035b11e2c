package org.lstm4j.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.lstm4j.tensor.Tensor;

/**
 * Reads and writes <a href="https://github.com/huggingface/safetensors">safetensors</a> files of float32
 * tensors: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
 * ({@code {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}}),
 * then the little-endian data. Files are limited to 2 GB (one Java array).
 *
 * <p>Reading validates the whole file (dtype, shapes against offsets, exact coverage of the data region)
 * and reports any defect as a {@link SafeTensorsFormatException} naming the file. Writing is deterministic
 * and atomic.
 */
public final class SafeTensors {
    private SafeTensors() {}

    /**
     * Reads all tensors (F32 only) and the string metadata. The tensor map is ordered by data offset.
     *
     * @throws SafeTensorsFormatException if the file is malformed or holds another dtype
     * @throws IOException if the file cannot be read
     */
    public static SafeTensorsFile read(Path path) throws IOException {
        String source = path.toString();
        long size = Files.size(path);
        if (size > Integer.MAX_VALUE - 8) {
            throw new SafeTensorsFormatException(source, "file of " + size + " bytes is larger than this reader supports (2 GB)");
        }
        return SafeTensorsDecoder.decode(Files.readAllBytes(path), source);
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
     * @throws IllegalArgumentException if a tensor is named {@code __metadata__} or the total exceeds 2 GB
     */
    public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        return SafeTensorsEncoder.encode(tensors, metadata);
    }

    /**
     * Parses safetensors bytes, as {@link #read} does for a file.
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
