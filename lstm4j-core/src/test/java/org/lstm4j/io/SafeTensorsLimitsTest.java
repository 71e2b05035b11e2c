package org.lstm4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lstm4j.io.SafeTensorsBytes.entry;
import static org.lstm4j.io.SafeTensorsBytes.floats;
import static org.lstm4j.io.SafeTensorsBytes.raw;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.testing.AllocationMeter;
import org.lstm4j.testing.Fuzz;

/**
 * The reader validates before it allocates: files declaring gigabytes, headers of a million entries,
 * directories and huge names are refused with a bounded message, having allocated little. Allocation is
 * measured per thread ({@link AllocationMeter}), so these tests catch an unbounded allocation even where the
 * heap would have held it.
 */
class SafeTensorsLimitsTest {
    private static final long ONE_MB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void aGigabyteOfJunkIsRefusedFromItsFirstEightBytes() throws IOException {
        AllocationMeter.assumeSupported();
        // Sparse: a gigabyte on disk costs nothing, and reading it all would (the reported defect).
        Path file = dir.resolve("junk.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write("PK\u0003\u0004junk".getBytes(StandardCharsets.ISO_8859_1));
            f.setLength(1L << 30);
        }
        long before = AllocationMeter.allocatedBytes();
        SafeTensorsFormatException e = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.read(file));
        long allocated = AllocationMeter.allocatedBytes() - before;
        assertEquals(file.toString(), e.source());
        assertContains(e, "header length", "is absurd", "expected at most 100000000 bytes");
        assertTrue(allocated < ONE_MB, "allocated " + allocated + " bytes to refuse a junk file");
    }

    @Test
    void aTinyFileDeclaringAGigabyteTensorIsRefusedBeforeTheTensorIsAllocated() throws IOException {
        AllocationMeter.assumeSupported();
        Path file = dir.resolve("declares-1gb.safetensors");
        Files.write(file, raw("{" + entry("w", "[268435456]", 0, 1L << 30) + "}", floats(1, 2)));
        long before = AllocationMeter.allocatedBytes();
        SafeTensorsFormatException e = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.read(file));
        long allocated = AllocationMeter.allocatedBytes() - before;
        assertContains(e, "truncated", "'w'", "[0, 1073741824)", "only 8 bytes");
        assertTrue(allocated < ONE_MB, "allocated " + allocated + " bytes to refuse a 1 GB declaration");
    }

    @Test
    void declaredDataBeyondTwoGigabytesIsRefusedWhateverTheFileSize() throws IOException {
        AllocationMeter.assumeSupported();
        // Two tensors of 1.5 GB each: each fits an array, together they exceed the 2 GB file limit.
        long size = 1_500_000_000L;
        String header = "{" + entry("a", "[375000000]", 0, size) + "," + entry("b", "[375000000]", size, 2 * size) + "}";
        Path file = dir.resolve("declares-3gb.safetensors");
        Files.write(file, raw(header, new byte[16]));
        long before = AllocationMeter.allocatedBytes();
        SafeTensorsFormatException e = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.read(file));
        long allocated = AllocationMeter.allocatedBytes() - before;
        assertContains(e, "declares tensor data up to byte 3000000000", "more than this reader supports (files of at most"
                + " 2147483639 bytes, 2 GB)");
        assertTrue(allocated < ONE_MB, "allocated " + allocated + " bytes");
    }

    @Test
    void aMillionZeroSizeTensorsAreRefusedSayingHowManyAndTheCap() {
        AllocationMeter.assumeSupported();
        byte[] bytes = SafeTensorsBytes.zeroSizeTensors(1_000_000);
        long headerBytes = bytes.length - 8;
        long before = AllocationMeter.allocatedBytes();
        long start = System.nanoTime();
        SafeTensorsFormatException e = malformed(bytes);
        double seconds = (System.nanoTime() - start) / 1e9;
        long allocated = AllocationMeter.allocatedBytes() - before;
        assertContains(e, "declares 1000000 tensors", "limit of 100000 (SafeTensors.MAX_TENSORS)");
        // A copy of the header, the 100,000 entries kept, and short-lived names while the rest is counted
        // (garbage: what is held at once is the header and the kept entries).
        assertTrue(allocated < 8 * headerBytes, "allocated " + allocated + " bytes for a header of " + headerBytes);
        Fuzz.report(String.format("safetensors: 1,000,000 zero-size tensors (header %,d bytes) refused in %.2f s,"
                + " %,d bytes allocated", headerBytes, seconds, allocated));
    }

    @Test
    void theLargestHeaderAllowedIsReadInBoundedTimeAndMemory() throws IOException {
        AllocationMeter.assumeSupported();
        Path file = dir.resolve("cap.safetensors");
        Files.write(file, SafeTensorsBytes.zeroSizeTensors(SafeTensors.MAX_TENSORS));
        long headerBytes = Files.size(file) - 8;
        long before = AllocationMeter.allocatedBytes();
        long start = System.nanoTime();
        SafeTensorsFile read = SafeTensors.read(file);
        double seconds = (System.nanoTime() - start) / 1e9;
        long allocated = AllocationMeter.allocatedBytes() - before;
        assertEquals(SafeTensors.MAX_TENSORS, read.tensors().size());
        assertEquals(0, read.get("t99999").numel());
        assertTrue(allocated < 200 * ONE_MB, "allocated " + allocated + " bytes for " + SafeTensors.MAX_TENSORS + " tensors");
        Fuzz.report(String.format("safetensors: %,d zero-size tensors (header %,d bytes) read in %.2f s,"
                + " %,d bytes allocated", SafeTensors.MAX_TENSORS, headerBytes, seconds, allocated));
    }

    @Test
    void tooManyMetadataEntriesAreRefused() {
        StringBuilder meta = new StringBuilder("{\"__metadata__\":{");
        for (int i = 0; i <= SafeTensors.MAX_METADATA_ENTRIES; i++) {
            meta.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"\"");
        }
        SafeTensorsFormatException e = malformed(raw(meta.append("}}").toString(), new byte[0]));
        assertContains(e, "more than 100000 entries", "SafeTensors.MAX_METADATA_ENTRIES");
    }

    @Test
    void theWriterRefusesWhatTheReaderWould() {
        Tensor one = Tensor.scalar(1);
        Map<String, Tensor> many = new HashMap<>();
        for (int i = 0; i <= SafeTensors.MAX_TENSORS; i++) {
            many.put("t" + i, one);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.toBytes(many, null));
        assertContains(e, "100001 tensors", "SafeTensors.MAX_TENSORS");
    }

    @Test
    void readingADirectoryNamesItAndSaysItIsOne() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("model.safetensors"));
        SafeTensorsFormatException e = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.read(sub));
        assertEquals(sub + ": is a directory, expected a safetensors file", e.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("absent.safetensors");
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(missing));
        assertInstanceOf(java.nio.file.NoSuchFileException.class, e);
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    // ------------------------------------------------------------------ bounded messages

    @Test
    void aHugeNameIsCutInTheMessage() {
        String name = "n".repeat(40_000);
        SafeTensorsFormatException e = malformed(raw("{\"" + name + "\":{\"dtype\":\"F16\",\"shape\":[1],"
                + "\"data_offsets\":[0,2]}}", new byte[2]));
        assertContains(e, "expected F32, got F16", "(40000 characters)");
        assertTrue(e.getMessage().length() < 400, e.getMessage());
    }

    @Test
    void aHugeShapeIsCutInTheMessage() {
        String shape = "[" + "1,".repeat(100_000) + "-1]";
        SafeTensorsFormatException e = malformed(raw("{\"x\":{\"dtype\":\"F32\",\"shape\":" + shape
                + ",\"data_offsets\":[0,4]}}", floats(1)));
        assertContains(e, "non-negative int32 sizes, got number -1 at dimension 100000", "(100000 dimensions)");
        assertTrue(e.getMessage().length() < 400, e.getMessage());
    }

    @Test
    void longOffsetArraysAndStringsAreNotRepeated() {
        SafeTensorsFormatException offsets = malformed(raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":["
                + "0,".repeat(100_000) + "4]}}", floats(1)));
        assertContains(offsets, "a third element");
        assertTrue(offsets.getMessage().length() < 300, offsets.getMessage());
        SafeTensorsFormatException dtype = malformed(raw("{\"x\":{\"dtype\":\"" + "F".repeat(100_000)
                + "\",\"shape\":[1],\"data_offsets\":[0,4]}}", floats(1)));
        assertTrue(dtype.getMessage().length() < 300, dtype.getMessage());
    }

    @Test
    void aMissingNameListsTheFirstFortyAndHowManyMore() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < 1000; i++) {
            tensors.put("layer" + i + ".weight", Tensor.scalar(i));
        }
        SafeTensorsFile file = SafeTensors.fromBytes(SafeTensors.toBytes(tensors, null), "big.safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> file.get("head.weight"));
        assertContains(e, "no tensor named 'head.weight'", "the file holds 1000: 'layer0.weight', ", "'layer39.weight' and 960 more");
        assertTrue(!e.getMessage().contains("layer40."), e.getMessage());
    }

    @Test
    void duplicateEntriesAndFieldsAreFormatErrors() {
        String x = entry("x", "[1]", 0, 4);
        assertContains(malformed(raw("{" + x + "," + x + "}", floats(1))), "duplicate tensor name 'x'");
        assertContains(malformed(raw("{\"x\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                floats(1))), "tensor 'x' has 'dtype' twice");
        assertContains(malformed(raw("{\"__metadata__\":{\"a\":\"1\",\"a\":\"2\"}}", new byte[0])), "duplicate metadata key 'a'");
        assertContains(malformed(raw("{\"__metadata__\":{},\"__metadata__\":{}}", new byte[0])), "duplicate '__metadata__'");
    }

    @Test
    void deepNestingIsRefusedAsInvalidJson() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertContains(malformed(raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0],\"extra\":" + deep + "}}",
                new byte[0])), "valid JSON", "nesting depth");
    }

    @Test
    void unknownFieldsOfAnEntryAreIgnoredAsTheReferenceReaderDoes() {
        SafeTensorsFile f = SafeTensors.fromBytes(raw("{\"x\":{\"dtype\":\"F32\",\"note\":{\"a\":[1,2]},\"shape\":[1],"
                + "\"data_offsets\":[0,4]}}", floats(5)), "mem");
        assertEquals(5f, f.get("x").item());
    }

    @Test
    void offsetsBeyondALongAndFractionalSizesAreFormatErrors() {
        assertContains(malformed(raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999]}}",
                floats(1))), "data_offsets", "as element 1");
        assertContains(malformed(raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[1.0],\"data_offsets\":[0,4]}}", floats(1))),
                "non-negative int32 sizes, got number 1.0");
        assertContains(malformed(raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,4]}}", floats(1))),
                "[65536, 65536]", "more than 2^31-1 elements");
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
}
