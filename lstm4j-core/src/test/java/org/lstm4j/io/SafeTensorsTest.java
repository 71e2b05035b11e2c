package org.lstm4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.tensor.Tensor;

class SafeTensorsTest {
    @TempDir
    Path dir;

    // ------------------------------------------------------------------ round trips

    @Test
    void roundTripsScalarEmptyAndMultiDimensionalTensorsWithMetadata() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("scalar", Tensor.scalar(3.5f));
        tensors.put("empty", Tensor.of(new float[0], 0));
        tensors.put("empty2d", Tensor.of(new float[0], 2, 0));
        tensors.put("cube", Tensor.of(sequence(24), 2, 3, 4));
        tensors.put("specials", Tensor.of(new float[] {Float.NaN, Float.POSITIVE_INFINITY, -0f, Float.MIN_VALUE}, 4));
        Map<String, String> meta = Map.of("mode", "LSTM", "note", "héllo ✓");
        Path file = dir.resolve("t.safetensors");

        SafeTensors.write(file, tensors, meta);
        SafeTensorsFile back = SafeTensors.read(file);

        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(back.tensors().keySet()));
        assertArrayEquals(new int[0], back.get("scalar").shape());
        assertEquals(3.5f, back.get("scalar").item());
        assertArrayEquals(new int[] {0}, back.get("empty").shape());
        assertArrayEquals(new int[] {2, 0}, back.get("empty2d").shape());
        assertArrayEquals(new int[] {2, 3, 4}, back.get("cube").shape());
        assertArrayEquals(sequence(24), back.get("cube").data());
        float[] specials = back.get("specials").data();
        assertTrue(Float.isNaN(specials[0]));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(specials[2]));
        assertEquals(meta, back.metadata());
    }

    @Test
    void roundTripsWithoutMetadataAndWithNoTensors() throws IOException {
        Path file = dir.resolve("empty.safetensors");
        SafeTensors.write(file, Map.of(), null);
        SafeTensorsFile back = SafeTensors.read(file);
        assertTrue(back.tensors().isEmpty());
        assertTrue(back.metadata().isEmpty());
    }

    @Test
    void writerIsDeterministicCompactAndPadsTheHeaderWithSpaces() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("b", Tensor.of(new float[] {1, 2}, 2));
        tensors.put("a", Tensor.scalar(7));
        byte[] first = SafeTensors.toBytes(tensors, Map.of("k", "v"));
        byte[] second = SafeTensors.toBytes(new LinkedHashMap<>(tensors), Map.of("k", "v"));
        assertArrayEquals(first, second);

        String header = SafeTensorsEncoder.headerText(first);
        assertEquals(0, header.length() % 8);
        assertEquals("{\"__metadata__\":{\"k\":\"v\"},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[8,12]}}", header.stripTrailing());
        assertEquals(8 + header.length() + 12, first.length);
        // Data little-endian and in the given order.
        ByteBuffer data = ByteBuffer.wrap(first, 8 + header.length(), 12).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1f, data.getFloat());
        assertEquals(2f, data.getFloat());
        assertEquals(7f, data.getFloat());

        Path file = dir.resolve("d.safetensors");
        SafeTensors.write(file, tensors, Map.of("k", "v"));
        assertArrayEquals(first, Files.readAllBytes(file));
    }

    @Test
    void readOrdersTensorsByDataOffsetNotHeaderOrder() {
        byte[] bytes = raw("{\"late\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
                + "\"early\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", floats(1, 2));
        SafeTensorsFile f = SafeTensors.fromBytes(bytes, "mem");
        assertEquals(List.of("early", "late"), List.copyOf(f.tensors().keySet()));
        assertEquals(1f, f.get("early").item());
        assertEquals(2f, f.get("late").item());
    }

    @Test
    void writerRejectsTheReservedMetadataName() {
        assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.toBytes(Map.of("__metadata__", Tensor.of(new float[] {1})), null));
    }

    @Test
    void getNamesTheMissingKeyAndListsThePresentOnes() {
        SafeTensorsFile f = new SafeTensorsFile(Map.of("weight", Tensor.of(new float[] {1})), Map.of("mode", "GRU"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.get("bias"));
        assertTrue(e.getMessage().contains("'bias'"), e.getMessage());
        assertTrue(e.getMessage().contains("'weight'"), e.getMessage());
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> f.meta("layers"));
        assertTrue(m.getMessage().contains("'layers'") && m.getMessage().contains("'mode'"), m.getMessage());
        assertEquals("GRU", f.meta("mode"));
    }

    // ------------------------------------------------------------------ malformed files

    @Test
    void fileShorterThanEightBytes() throws IOException {
        Path file = dir.resolve("short.safetensors");
        Files.write(file, new byte[] {1, 2, 3});
        SafeTensorsFormatException e = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        assertContains(e, "at least 8 bytes", "3 bytes");
    }

    @Test
    void headerLengthBeyondTheFile() {
        byte[] bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array();
        assertContains(malformed(bytes), "header length 1000 exceeds the file", "16");
    }

    @Test
    void absurdHeaderLength() {
        byte[] big = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(200_000_000L).array();
        assertContains(malformed(big), "absurd", "200000000");
        byte[] huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).array();
        assertContains(malformed(huge), "absurd", "18446744073709551615");
    }

    @Test
    void headerNotJson() {
        assertContains(malformed(raw("{\"a\": ", new byte[0])), "valid JSON");
        // The header is parsed as a stream: junk after a well-formed object is found once the object is read.
        assertContains(malformed(raw("{} trailing", new byte[0])), "valid JSON");
        assertContains(malformed(raw("{} {}", new byte[0])), "one JSON object", "an object after it");
    }

    @Test
    void headerNotAnObject() {
        assertContains(malformed(raw("[1, 2]", new byte[0])), "JSON object", "array");
    }

    @Test
    void duplicateTensorNames() {
        String e = "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";
        assertContains(malformed(raw("{\"x\":" + e + ",\"x\":" + e + "}", floats(1))), "duplicate tensor name 'x'");
    }

    @Test
    void entryMissingAField() {
        assertContains(malformed(raw("{\"x\":{\"shape\":[1],\"data_offsets\":[0,4]}}", floats(1))), "'x'", "'dtype'");
        assertContains(malformed(raw("{\"x\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", floats(1))), "'x'", "'shape'");
        assertContains(malformed(raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[1]}}", floats(1))), "'x'", "'data_offsets'");
        assertContains(malformed(raw("{\"x\":5}", floats(1))), "'x'", "object");
    }

    @Test
    void unsupportedDtype() {
        byte[] bytes = raw("{\"x\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", floats(1));
        assertContains(malformed(bytes), "expected F32, got F16 for tensor 'x'");
    }

    @Test
    void badShapeOrOffsets() {
        assertContains(malformed(raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", floats(1))),
                "non-negative");
        assertContains(malformed(raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}}", floats(1))),
                "data_offsets");
        assertContains(malformed(raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,0]}}", floats(1))),
                "begin <= end");
    }

    @Test
    void shapeDisagreesWithOffsetSpan() {
        byte[] bytes = raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", floats(1, 2, 3));
        assertContains(malformed(bytes), "'x'", "needs 16 bytes", "span 12 bytes");
    }

    @Test
    void offsetsOutsideTheDataRegion() {
        byte[] bytes = raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[100,104]}}", floats(1));
        assertContains(malformed(bytes), "'x'", "[100, 104)", "only 4 bytes");
    }

    @Test
    void overlappingTensors() {
        byte[] bytes = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", floats(1, 2, 3));
        assertContains(malformed(bytes), "'b'", "overlaps", "'a'");
    }

    @Test
    void gapInTheDataRegion() {
        byte[] bytes = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", floats(1, 2, 3));
        assertContains(malformed(bytes), "[4, 8)", "not covered", "'b'");
    }

    @Test
    void trailingBytesNotCovered() {
        byte[] bytes = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", floats(1, 2));
        assertContains(malformed(bytes), "cover the data region exactly", "4 trailing bytes");
    }

    @Test
    void truncatedData() throws IOException {
        Path file = dir.resolve("trunc.safetensors");
        byte[] full = SafeTensors.toBytes(Map.of("w", Tensor.of(sequence(6), 2, 3)), null);
        Files.write(file, java.util.Arrays.copyOf(full, full.length - 5));
        SafeTensorsFormatException e = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertContains(e, "truncated", "'w'", "[0, 24)", "only 19 bytes");
    }

    @Test
    void metadataMustHoldStrings() {
        assertContains(malformed(raw("{\"__metadata__\":{\"n\":3}}", new byte[0])), "'n'", "string");
        assertContains(malformed(raw("{\"__metadata__\":[]}", new byte[0])), "__metadata__", "object");
    }

    @Test
    void fromBytesWrapsTheFormatErrorUnchecked() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> SafeTensors.fromBytes(new byte[2], "resource:x.safetensors"));
        SafeTensorsFormatException cause = assertInstanceOf(SafeTensorsFormatException.class, e.getCause());
        assertEquals("resource:x.safetensors", cause.source());
        assertTrue(e.getMessage().startsWith("resource:x.safetensors: "), e.getMessage());
    }

    // ------------------------------------------------------------------ atomic write

    @Test
    void failedWriteMidwayLeavesThePreviousFileAndNoTempFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, Map.of("old", Tensor.of(new float[] {1, 2, 3}, 3)), Map.of("v", "1"));
        byte[] before = Files.readAllBytes(file);

        byte[] big = SafeTensors.toBytes(Map.of("new", Tensor.zeros(3 * AtomicFiles.CHUNK / 4)), null);
        assertTrue(big.length > 2 * AtomicFiles.CHUNK, "the write must take several chunks");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, big, (tmp, written) -> {
            assertTrue(Files.exists(tmp));
            if (written >= AtomicFiles.CHUNK) {
                throw new IOException("disk full (simulated)");
            }
        }));
        assertEquals("disk full (simulated)", e.getMessage());

        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), listDir());
    }

    @Test
    void failedRenameLeavesNoTempFile() throws IOException {
        // A non-empty directory at the target path: the rename over it fails.
        Path target = dir.resolve("occupied");
        Files.createDirectories(target.resolve("inside"));
        assertThrows(IOException.class,
                () -> SafeTensors.write(target, Map.of("x", Tensor.of(new float[] {1})), null));
        assertTrue(Files.isDirectory(target.resolve("inside")));
        assertEquals(List.of(target), listDir());
    }

    @Test
    void writeReplacesAnExistingFile() throws IOException {
        Path file = dir.resolve("m.safetensors");
        SafeTensors.write(file, Map.of("a", Tensor.of(new float[] {1})), null);
        SafeTensors.write(file, Map.of("b", Tensor.of(new float[] {2})), null);
        assertEquals(List.of("b"), List.copyOf(SafeTensors.read(file).tensors().keySet()));
        assertEquals(List.of(file), listDir());
    }

    // ------------------------------------------------------------------ interop with the Python writer

    @Test
    void readsAFileWrittenByThePythonWriter() throws IOException {
        byte[] bytes;
        try (var in = getClass().getResourceAsStream("/fixtures/io/python_writer.safetensors")) {
            assertTrue(in != null, "fixture missing: run scripts/fixtures/make_fixtures.py");
            bytes = in.readAllBytes();
        }
        SafeTensorsFile f = SafeTensors.fromBytes(bytes, "python_writer.safetensors");
        // st_io.py writes tensors sorted by name, so offset order is name order.
        assertEquals(List.of("a_matrix", "b_scalar", "c_empty", "d_values"), List.copyOf(f.tensors().keySet()));
        assertArrayEquals(new int[] {2, 3}, f.get("a_matrix").shape());
        assertArrayEquals(new float[] {0f, 0.5f, 1f, 1.5f, 2f, 2.5f}, f.get("a_matrix").data());
        assertArrayEquals(new int[0], f.get("b_scalar").shape());
        assertEquals(-3.25f, f.get("b_scalar").item());
        assertArrayEquals(new int[] {0}, f.get("c_empty").shape());
        assertArrayEquals(new float[] {1e-3f, -2.5f, 1e30f, (float) (1.0 / 3.0)}, f.get("d_values").data());
        assertEquals(Map.of("writer", "st_io.py", "note", "héllo ✓"), f.metadata());
    }

    // ------------------------------------------------------------------ helpers

    private static float[] sequence(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * 0.25f - 1f;
        }
        return v;
    }

    private static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** A file with the given header text (unpadded, as-is) and data bytes. */
    private static byte[] raw(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(data).array();
    }

    private static SafeTensorsFormatException malformed(byte[] bytes) {
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> SafeTensors.fromBytes(bytes, "bad.safetensors"));
        SafeTensorsFormatException cause = assertInstanceOf(SafeTensorsFormatException.class, e.getCause());
        assertTrue(cause.getMessage().startsWith("bad.safetensors: "), cause.getMessage());
        return cause;
    }

    private static void assertContains(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "expected '" + p + "' in: " + e.getMessage());
        }
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void listDirSeesHiddenTempFiles() throws IOException {
        // Guard for the atomic-write tests: temp files start with '.', Files.list must see them.
        Path hidden = Files.createFile(dir.resolve(".x.tmp"));
        assertTrue(listDir().contains(hidden));
        Files.delete(hidden);
        assertFalse(Files.exists(hidden));
    }
}
