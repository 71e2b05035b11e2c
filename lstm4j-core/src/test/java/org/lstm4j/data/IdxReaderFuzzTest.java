package org.lstm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.lstm4j.testing.Fuzz;
import org.lstm4j.testing.Mutations;
import org.lstm4j.testing.Mutations.ByteMutation;
import org.lstm4j.testing.TempDirectories;

/**
 * Fuzzes the IDX reader with arbitrary bytes and mutations of valid images and labels files, plain and
 * gzip'd (the plain bytes mutated then compressed, or the compressed bytes mutated), and with header words
 * set to boundary values. Every input, read both as images and as labels, must end in the data or an
 * {@link IdxFormatException} naming the file, with a bounded message, and allocate no more than the file can
 * hold (a gzip file decompresses to at most {@link IdxReader#MAX_GZIP_RATIO} times its size). Long run: see
 * {@link Fuzz}.
 */
@AddLifecycleHook(Fuzz.Hook.class)
class IdxReaderFuzzTest {
    private static final List<Class<? extends Throwable>> EXPECTED = List.of(IdxFormatException.class);
    private static Path dir;

    @BeforeContainer
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("lstm4j-idx-fuzz");
    }

    @AfterContainer
    static void deleteDirectory() throws IOException {
        TempDirectories.delete(dir);
    }

    @Property(tries = 100)
    void arbitraryBytes(@ForAll("junk") byte[] bytes, @ForAll boolean gzip) throws IOException {
        readAsBoth(gzip ? IdxFiles.gzip(bytes) : bytes, (gzip ? "gzip'd " : "") + "junk " + Arrays.toString(bytes));
    }

    @Property(tries = 100)
    void mutationsOfValidFiles(@ForAll("validFiles") byte[] valid, @ForAll("byteMutations") List<ByteMutation> mutations,
            @ForAll("compression") Compression compression) throws IOException {
        byte[] input = switch (compression) {
            case PLAIN -> Mutations.apply(valid, mutations);
            case GZIP_OF_MUTATED -> IdxFiles.gzip(Mutations.apply(valid, mutations));
            case MUTATED_GZIP -> Mutations.apply(IdxFiles.gzip(valid), mutations);
        };
        readAsBoth(input, compression + " of a valid file of " + valid.length + " bytes with " + mutations);
    }

    @Property(tries = 100)
    void boundaryHeaderWords(@ForAll("validFiles") byte[] valid, @ForAll @IntRange(min = 0, max = 3) int word,
            @ForAll("boundaryInts") int value, @ForAll boolean gzip) throws IOException {
        byte[] edited = valid.clone();
        if (4 * word + 4 <= edited.length) {
            ByteBuffer.wrap(edited).putInt(4 * word, value);
        }
        readAsBoth(gzip ? IdxFiles.gzip(edited) : edited, "header word " + word + " set to " + value
                + (gzip ? " (gzip'd)" : "") + " in a valid file of " + valid.length + " bytes");
    }

    enum Compression { PLAIN, GZIP_OF_MUTATED, MUTATED_GZIP }

    // ------------------------------------------------------------------ checks

    private static void readAsBoth(byte[] bytes, String input) throws IOException {
        Path file = dir.resolve("input.idx");
        Files.write(file, bytes);
        boolean gzip = bytes.length >= 2 && (bytes[0] & 0xFF) == 0x1f && (bytes[1] & 0xFF) == 0x8b;
        // Buffers (two of 64 KB) and the data, which the header may declare up to what the file can hold.
        long bound = (1 << 20) + (gzip ? IdxReader.MAX_GZIP_RATIO : 2) * bytes.length;
        String name = file.toString();
        Fuzz.Outcome<IdxImages> images = Fuzz.call(() -> IdxReader.readImages(file), input, name, bound, EXPECTED);
        Fuzz.Outcome<IdxLabels> labels = Fuzz.call(() -> IdxReader.readLabels(file), input, name, bound, EXPECTED);
        if (images.value() != null) {
            IdxImages i = images.value();
            assertEquals((long) i.count() * i.rows() * i.cols(), i.pixels().length, "pixels for " + input);
        }
        if (labels.value() != null) {
            assertEquals(labels.value().count(), labels.value().labels().length, "labels for " + input);
        }
        // Reading the same file twice gives the same result.
        if (images.value() != null) {
            assertArrayEquals(images.value().pixels(), IdxReader.readImages(file).pixels());
        }
    }

    // ------------------------------------------------------------------ inputs

    @Provide
    Arbitrary<byte[]> junk() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        // A magic number the reader knows, then random words and bytes: past the first check.
        Arbitrary<byte[]> idxLike = Combinators.combine(Arbitraries.of(IdxFiles.IMAGES, IdxFiles.LABELS, 0x00000802, 0x00000903),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(48)).as((magic, rest) ->
                ByteBuffer.allocate(4 + rest.length).putInt(magic).put(rest).array());
        return Arbitraries.oneOf(random, idxLike);
    }

    @Provide
    Arbitrary<byte[]> validFiles() {
        Arbitrary<Integer> small = Arbitraries.integers().between(1, 4);
        Arbitrary<byte[]> images = Combinators.combine(Arbitraries.integers().between(0, 4), small, small)
                .flatAs((count, rows, cols) -> Arbitraries.bytes().array(byte[].class).ofSize(count * rows * cols)
                        .map(pixels -> IdxFiles.images(count, rows, cols, pixels)));
        Arbitrary<byte[]> labels = Arbitraries.bytes().array(byte[].class).ofMaxSize(8).map(IdxFiles::labels);
        return Arbitraries.oneOf(images, labels);
    }

    @Provide
    Arbitrary<Compression> compression() {
        return Arbitraries.of(Compression.class);
    }

    @Provide
    Arbitrary<List<ByteMutation>> byteMutations() {
        return Mutations.byteMutations();
    }

    @Provide
    Arbitrary<Integer> boundaryInts() {
        return Arbitraries.of(0, 1, 2, 3, -1, 28, 60000, 0x00000801, 0x00000803, 0x00000903, 0x00000C03, 1 << 15, 1 << 16,
                46341, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 8);
    }
}
