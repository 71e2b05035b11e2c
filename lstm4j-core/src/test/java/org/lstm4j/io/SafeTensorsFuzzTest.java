package org.lstm4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.testing.Fuzz;
import org.lstm4j.testing.Mutations;
import org.lstm4j.testing.Mutations.ByteMutation;
import org.lstm4j.testing.Mutations.JsonEdit;
import org.lstm4j.testing.TempDirectories;

/**
 * Fuzzes the safetensors reader: arbitrary bytes, byte mutations of valid files, header-length edits and
 * JSON edits of valid headers. Every input must end in a file or a {@link SafeTensorsFormatException} naming
 * the source, with a bounded message and allocation, and {@link SafeTensors#fromBytes} and
 * {@link SafeTensors#read} must agree on it. A file read is written back and read again unchanged.
 * Long run: see {@link Fuzz}.
 */
@AddLifecycleHook(Fuzz.Hook.class)
class SafeTensorsFuzzTest {
    private static final String SOURCE = "fuzz.safetensors";
    private static final List<Class<? extends Throwable>> EXPECTED = List.of(SafeTensorsFormatException.class);
    private static Path dir;

    @BeforeContainer
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("lstm4j-safetensors-fuzz");
    }

    @AfterContainer
    static void deleteDirectory() throws IOException {
        TempDirectories.delete(dir);
    }

    @Property(tries = 100)
    void arbitraryBytes(@ForAll("junk") byte[] bytes) throws IOException {
        readBothWays(bytes, "junk " + Arrays.toString(Arrays.copyOf(bytes, Math.min(bytes.length, 64))));
    }

    @Property(tries = 100)
    void byteMutationsOfValidFiles(@ForAll("validFiles") byte[] valid,
            @ForAll("byteMutations") List<ByteMutation> mutations) throws IOException {
        readBothWays(Mutations.apply(valid, mutations), "a valid file of " + valid.length + " bytes with " + mutations);
    }

    @Property(tries = 100)
    void headerLengthEdits(@ForAll("validFiles") byte[] valid, @ForAll("headerLengths") SetHeaderLength edit)
            throws IOException {
        readBothWays(edit.apply(valid), "a valid file of " + valid.length + " bytes with " + edit);
    }

    @Property(tries = 100)
    void jsonEditsOfValidHeaders(@ForAll("validFiles") byte[] valid, @ForAll("jsonEdits") List<JsonEdit> edits,
            @ForAll boolean keepTheOldLength) throws IOException {
        long headerLength = ByteBuffer.wrap(valid, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(valid, 8, (int) headerLength, StandardCharsets.UTF_8);
        byte[] edited = Mutations.apply(header, edits).getBytes(StandardCharsets.UTF_8);
        byte[] data = Arrays.copyOfRange(valid, 8 + (int) headerLength, valid.length);
        byte[] file = SafeTensorsBytes.raw(edited, data);
        if (keepTheOldLength) {
            ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength);
        }
        readBothWays(file, "header " + header + " with " + edits
                + (keepTheOldLength ? ", length field unchanged" : ""));
    }

    // ------------------------------------------------------------------ checks

    private static void readBothWays(byte[] bytes, String input) throws IOException {
        long bound = allocationBound(bytes.length);
        Fuzz.Outcome<SafeTensorsFile> fromBytes = Fuzz.call(() -> SafeTensors.fromBytes(bytes, SOURCE), input, SOURCE,
                bound, EXPECTED);
        Path file = dir.resolve("input.safetensors");
        Files.write(file, bytes);
        Fuzz.Outcome<SafeTensorsFile> read = Fuzz.call(() -> SafeTensors.read(file), input, file.toString(), bound, EXPECTED);
        if (fromBytes.error() != null || read.error() != null) {
            assertEquals(detail(fromBytes.named()), detail(read.named()), "fromBytes and read disagree on " + input);
            return;
        }
        assertSameContents(fromBytes.value(), read.value());
        // Whatever was accepted is a file this library writes and reads back unchanged.
        SafeTensorsFile again = SafeTensors.fromBytes(SafeTensors.toBytes(read.value().tensors(), read.value().metadata()), "again");
        assertSameContents(read.value(), again);
    }

    /**
     * The header's bytes, its entries and the tensors are each bounded by the input's size: 32 bytes of heap
     * per input byte is ample, and a reader that allocated what a header declares would exceed it.
     */
    private static long allocationBound(int inputBytes) {
        return (1 << 20) + 32L * inputBytes;
    }

    private static String detail(Throwable t) {
        return t == null ? "a value" : t instanceof SafeTensorsFormatException f ? f.detail() : t.toString();
    }

    private static void assertSameContents(SafeTensorsFile expected, SafeTensorsFile actual) {
        assertEquals(List.copyOf(expected.tensors().keySet()), List.copyOf(actual.tensors().keySet()));
        assertEquals(expected.metadata(), actual.metadata());
        for (Map.Entry<String, Tensor> e : expected.tensors().entrySet()) {
            Tensor other = actual.get(e.getKey());
            assertArrayEquals(e.getValue().shape(), other.shape());
            assertArrayEquals(bits(e.getValue().data()), bits(other.data()));
        }
    }

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToIntBits(values[i]);
        }
        return out;
    }

    // ------------------------------------------------------------------ inputs

    /** Sets the 8-byte header length to {@code value}, or to the current length plus it if {@code relative}. */
    record SetHeaderLength(boolean relative, long value) {
        byte[] apply(byte[] file) {
            byte[] out = file.clone();
            ByteBuffer b = ByteBuffer.wrap(out, 0, 8).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(0, relative ? b.getLong(0) + value : value);
            return out;
        }
    }

    @Provide
    Arbitrary<SetHeaderLength> headerLengths() {
        Arbitrary<SetHeaderLength> absolute = Arbitraries.of(0L, 1L, 7L, 8L, 1L << 20, SafeTensors.MAX_HEADER_BYTES,
                SafeTensors.MAX_HEADER_BYTES + 1, Integer.MAX_VALUE - 8L, 1L << 31, 1L << 32, Long.MAX_VALUE, -1L,
                Long.MIN_VALUE).map(v -> new SetHeaderLength(false, v));
        Arbitrary<SetHeaderLength> relative = Arbitraries.longs().between(-64, 64).map(v -> new SetHeaderLength(true, v));
        return Arbitraries.oneOf(absolute, relative);
    }

    /** Random bytes, and JSON-like tokens behind a plausible length (random bytes rarely get past the length). */
    @Provide
    Arbitrary<byte[]> junk() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(256);
        Arbitrary<String> tokens = Arbitraries.of("{", "}", "[", "]", ":", ",", " ", "\"", "\"dtype\"", "\"F32\"", "\"shape\"",
                "\"data_offsets\"", "\"__metadata__\"", "\"x\"", "\"y\"", "0", "4", "8", "-1", "1e400", "null", "true",
                "99999999999999999999", "\\u0000", "\u00e9").list().ofMaxSize(48).map(l -> String.join("", l));
        Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(32);
        Arbitrary<Integer> lengthError = Arbitraries.integers().between(-2, 2);
        Arbitrary<byte[]> jsonish = Combinators.combine(tokens, data, lengthError).as((text, bytes, error) -> {
            byte[] file = SafeTensorsBytes.raw(text, bytes);
            ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(Math.max(0, file.length - 8 - bytes.length + error));
            return file;
        });
        return Arbitraries.oneOf(random, jsonish);
    }

    /** Files this library writes: up to four small tensors of rank 0 to 3 and a little metadata. */
    @Provide
    Arbitrary<byte[]> validFiles() {
        Arbitrary<String> names = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6),
                Arbitraries.strings().ofMaxLength(4)); // any characters, escapes and surrogates included
        Arbitrary<Tensor> tensors = Arbitraries.integers().between(0, 3).array(int[].class).ofMaxSize(3)
                .flatMap(shape -> Arbitraries.integers().map(Float::intBitsToFloat)
                        .array(float[].class).ofSize(numel(shape)).map(data -> Tensor.of(data, shape)));
        Arbitrary<Map<String, Tensor>> tensorMaps = Arbitraries.maps(names.filter(n -> !n.equals("__metadata__")), tensors)
                .ofMaxSize(4);
        Arbitrary<Map<String, String>> metadata = Arbitraries.maps(names, Arbitraries.strings().ofMaxLength(6)).ofMaxSize(2);
        return Combinators.combine(tensorMaps, metadata).as(SafeTensors::toBytes);
    }

    @Provide
    Arbitrary<List<ByteMutation>> byteMutations() {
        return Mutations.byteMutations();
    }

    @Provide
    Arbitrary<List<JsonEdit>> jsonEdits() {
        return Mutations.jsonEdits(List.of("__metadata__", "dtype", "shape", "data_offsets", "x", "extra"));
    }

    private static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
