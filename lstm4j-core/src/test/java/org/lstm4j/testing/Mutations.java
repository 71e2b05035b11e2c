package org.lstm4j.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Mutations of valid inputs for the readers' fuzz tests, as jqwik arbitraries: byte-level ones (bit flips,
 * bytes set to boundary values, truncations, deletions, insertions, duplicated ranges) and JSON-level edits
 * of a text (numbers, strings and arrays replaced by hostile values, keys renamed into duplicates, deep
 * nesting inserted, numbers swapped). Positions are taken modulo the input's length, so every mutation
 * applies to every input; each one prints as what it does, so a shrunk failure reads as a recipe.
 */
public final class Mutations {
    private Mutations() {}

    /** A change of a byte array; never modifies its argument. */
    public interface ByteMutation extends UnaryOperator<byte[]> {}

    /** A change of a JSON text. */
    public interface JsonEdit extends UnaryOperator<String> {}

    /** Applies {@code mutations} in order. */
    public static <T> T apply(T input, List<? extends UnaryOperator<T>> mutations) {
        T out = input;
        for (UnaryOperator<T> m : mutations) {
            out = m.apply(out);
        }
        return out;
    }

    // ------------------------------------------------------------------ byte mutations

    public record FlipBit(int at, int bit) implements ByteMutation {
        @Override
        public byte[] apply(byte[] b) {
            if (b.length == 0) {
                return b;
            }
            byte[] out = b.clone();
            out[at % b.length] ^= (byte) (1 << (bit & 7));
            return out;
        }
    }

    public record SetByte(int at, byte value) implements ByteMutation {
        @Override
        public byte[] apply(byte[] b) {
            if (b.length == 0) {
                return b;
            }
            byte[] out = b.clone();
            out[at % b.length] = value;
            return out;
        }
    }

    /** Keeps the first {@code at % (length + 1)} bytes. */
    public record Truncate(int at) implements ByteMutation {
        @Override
        public byte[] apply(byte[] b) {
            return Arrays.copyOf(b, at % (b.length + 1));
        }
    }

    public record Delete(int at, int count) implements ByteMutation {
        @Override
        public byte[] apply(byte[] b) {
            if (b.length == 0) {
                return b;
            }
            int from = at % b.length;
            int n = Math.min(count, b.length - from);
            byte[] out = new byte[b.length - n];
            System.arraycopy(b, 0, out, 0, from);
            System.arraycopy(b, from + n, out, from, b.length - from - n);
            return out;
        }
    }

    public record Insert(int at, byte[] bytes) implements ByteMutation {
        @Override
        public byte[] apply(byte[] b) {
            int to = at % (b.length + 1);
            byte[] out = new byte[b.length + bytes.length];
            System.arraycopy(b, 0, out, 0, to);
            System.arraycopy(bytes, 0, out, to, bytes.length);
            System.arraycopy(b, to, out, to + bytes.length, b.length - to);
            return out;
        }

        @Override
        public String toString() {
            return "Insert[at=" + at + ", bytes=" + Arrays.toString(bytes) + "]";
        }
    }

    /** Inserts a copy of {@code count} bytes from {@code from} at {@code to}: repeated structure. */
    public record Duplicate(int from, int count, int to) implements ByteMutation {
        @Override
        public byte[] apply(byte[] b) {
            if (b.length == 0) {
                return b;
            }
            int start = from % b.length;
            byte[] copy = Arrays.copyOfRange(b, start, Math.min(b.length, start + count));
            return new Insert(to, copy).apply(b);
        }
    }

    /** Bytes at format boundaries: zero, all ones, the sign bit, and JSON's structural characters. */
    private static final byte[] BOUNDARY_BYTES = {0, 1, 4, 8, 0x7F, (byte) 0x80, (byte) 0xFF, (byte) 0xFE, '{', '}', '[', ']',
        '"', ',', ':', '-', '0', '9', '\\', ' '};

    /** One byte-level mutation of any kind. */
    public static Arbitrary<ByteMutation> byteMutation() {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<Byte> boundary = Arbitraries.of(toList(BOUNDARY_BYTES));
        Arbitrary<Byte> value = Arbitraries.oneOf(boundary, Arbitraries.bytes());
        Arbitrary<Integer> count = Arbitraries.integers().between(1, 64);
        Arbitrary<byte[]> inserted = value.array(byte[].class).ofMinSize(1).ofMaxSize(16);
        return Arbitraries.oneOf(
                Combinators.combine(at, Arbitraries.integers().between(0, 7)).as(FlipBit::new),
                Combinators.combine(at, value).as(SetByte::new),
                at.map(Truncate::new),
                Combinators.combine(at, count).as(Delete::new),
                Combinators.combine(at, inserted).as(Insert::new),
                Combinators.combine(at, count, at).as(Duplicate::new));
    }

    /** One to four byte-level mutations. */
    public static Arbitrary<List<ByteMutation>> byteMutations() {
        return byteMutation().list().ofMinSize(1).ofMaxSize(4);
    }

    // ------------------------------------------------------------------ JSON edits

    // Possessive runs: a 5000-character string is one step, not 5000 levels of the regex engine's recursion.
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]++|\\\\.)*+\"");
    private static final Pattern KEY = Pattern.compile("\"(?:[^\"\\\\]++|\\\\.)*+\"\\s*:");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?");
    private static final Pattern FLAT_ARRAY = Pattern.compile("\\[[^\\[\\]]*\\]");

    /** Values that break readers: sign, int and long boundaries, overflow, fractions, other types. */
    static final List<String> HOSTILE_NUMBERS = List.of("-1", "0", "1", "3", "4", "7", "-0", "1.5", "1e400", "268435456",
            "65536", "2147483647", "2147483648", "4294967296", "9223372036854775807", "9223372036854775808",
            "99999999999999999999", "null", "\"4\"", "[]", "{}", "true");

    static final List<String> HOSTILE_STRINGS = List.of("\"F16\"", "\"BF16\"", "\"I64\"", "\"f32\"", "\"\"", "\"__metadata__\"",
            "\"x\"", "\"shape\"", "\"dtype\"", "\"data_offsets\"", "\"latest\"", "\"best\"", "\"../x\"", "\"/\"", "\".tmp\"",
            "\"step-000000001\"", "\"\\u0000\"", "\"\\ud800\"", "\"" + "n".repeat(5000) + "\"", "1", "null", "{}", "[]");

    static final List<String> HOSTILE_ARRAYS = List.of("[]", "[0]", "[-1]", "[0,0]", "[4,0]", "[0,4,8]", "[2147483647,2147483647]",
            "[65536,65536,65536]", "[0,9223372036854775807]", "[" + "1,".repeat(5000) + "1]", "\"[]\"", "{}", "null",
            nested(20), nested(2000), nested(100_000));

    /** {@code n} nested empty arrays. */
    public static String nested(int n) {
        return "[".repeat(n) + "]".repeat(n);
    }

    /** Replaces the {@code k}-th match of {@code pattern} (modulo the matches) with {@code with}. */
    private static String replaceMatch(String text, Pattern pattern, int k, String with) {
        List<int[]> spans = spans(text, pattern);
        if (spans.isEmpty()) {
            return text;
        }
        int[] s = spans.get(k % spans.size());
        return text.substring(0, s[0]) + with + text.substring(s[1]);
    }

    private static List<int[]> spans(String text, Pattern pattern) {
        List<int[]> spans = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        return spans;
    }

    public record ReplaceNumber(int k, String with) implements JsonEdit {
        @Override
        public String apply(String text) {
            return replaceMatch(text, NUMBER, k, with);
        }
    }

    public record ReplaceString(int k, String with) implements JsonEdit {
        @Override
        public String apply(String text) {
            return replaceMatch(text, STRING, k, with);
        }

        @Override
        public String toString() {
            return "ReplaceString[k=" + k + ", with=" + (with.length() > 60 ? with.substring(0, 60) + "...(" + with.length()
                    + " chars)" : with) + "]";
        }
    }

    public record ReplaceArray(int k, String with) implements JsonEdit {
        @Override
        public String apply(String text) {
            return replaceMatch(text, FLAT_ARRAY, k, with);
        }

        @Override
        public String toString() {
            return "ReplaceArray[k=" + k + ", with=" + (with.length() > 60 ? with.substring(0, 60) + "...(" + with.length()
                    + " chars)" : with) + "]";
        }
    }

    /** Renames the {@code k}-th key to the {@code as}-th key's name: duplicate tensors, fields, metadata. */
    public record RenameKey(int k, int as) implements JsonEdit {
        @Override
        public String apply(String text) {
            List<int[]> keys = spans(text, KEY);
            if (keys.isEmpty()) {
                return text;
            }
            int[] source = keys.get(as % keys.size());
            return replaceMatch(text, KEY, k, text.substring(source[0], source[1]));
        }
    }

    /** Swaps the {@code i}-th and {@code j}-th numbers: offsets out of order, overlapping or reversed. */
    public record SwapNumbers(int i, int j) implements JsonEdit {
        @Override
        public String apply(String text) {
            List<int[]> numbers = spans(text, NUMBER);
            if (numbers.size() < 2) {
                return text;
            }
            int[] a = numbers.get(i % numbers.size());
            int[] b = numbers.get(j % numbers.size());
            if (a[0] == b[0]) {
                return text;
            }
            int[] first = a[0] < b[0] ? a : b;
            int[] second = a[0] < b[0] ? b : a;
            return text.substring(0, first[0]) + text.substring(second[0], second[1]) + text.substring(first[1], second[0])
                    + text.substring(first[0], first[1]) + text.substring(second[1]);
        }
    }

    /** Inserts {@code "key":value,} after the {@code k}-th '{' (a new member, possibly deep or a duplicate). */
    public record InsertMember(int k, String key, String value) implements JsonEdit {
        @Override
        public String apply(String text) {
            List<Integer> braces = new ArrayList<>();
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '{') {
                    braces.add(i);
                }
            }
            if (braces.isEmpty()) {
                return text;
            }
            int at = braces.get(k % braces.size()) + 1;
            boolean empty = text.substring(at).stripLeading().startsWith("}");
            return text.substring(0, at) + "\"" + key + "\":" + value + (empty ? "" : ",") + text.substring(at);
        }

        @Override
        public String toString() {
            return "InsertMember[k=" + k + ", key=" + key + ", value=" + (value.length() > 60 ? value.substring(0, 60)
                    + "...(" + value.length() + " chars)" : value) + "]";
        }
    }

    /** One JSON edit of any kind; {@code keys} are names worth inserting (the format's own). */
    public static Arbitrary<JsonEdit> jsonEdit(List<String> keys) {
        Arbitrary<Integer> k = Arbitraries.integers().between(0, 1000);
        Arbitrary<String> anyValue = Arbitraries.oneOf(Arbitraries.of(HOSTILE_NUMBERS), Arbitraries.of(HOSTILE_STRINGS),
                Arbitraries.of(HOSTILE_ARRAYS));
        return Arbitraries.oneOf(
                Combinators.combine(k, Arbitraries.of(HOSTILE_NUMBERS)).as(ReplaceNumber::new),
                Combinators.combine(k, Arbitraries.of(HOSTILE_STRINGS)).as(ReplaceString::new),
                Combinators.combine(k, Arbitraries.of(HOSTILE_ARRAYS)).as(ReplaceArray::new),
                Combinators.combine(k, k).as(RenameKey::new),
                Combinators.combine(k, k).as(SwapNumbers::new),
                Combinators.combine(k, Arbitraries.of(keys), anyValue).as(InsertMember::new));
    }

    /** One to three JSON edits. */
    public static Arbitrary<List<JsonEdit>> jsonEdits(List<String> keys) {
        return jsonEdit(keys).list().ofMinSize(1).ofMaxSize(3);
    }

    private static List<Byte> toList(byte[] bytes) {
        List<Byte> out = new ArrayList<>();
        for (byte b : bytes) {
            out.add(b);
        }
        return out;
    }
}
