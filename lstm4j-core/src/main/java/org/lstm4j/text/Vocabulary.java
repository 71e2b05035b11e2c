package org.lstm4j.text;

import java.util.Arrays;
import java.util.Objects;

/**
 * The characters (Unicode code points, so accented letters, CJK and emoji are one character each) a model
 * reads and writes, in ascending code-point order: index i is the i-th smallest character of the text, as
 * Python's {@code sorted(set(text))} orders them, so char-rnn and PyTorch scripts index the same way.
 */
public final class Vocabulary {
    private final int[] codePoints;

    private Vocabulary(int[] sortedDistinct) {
        this.codePoints = sortedDistinct;
    }

    /** The distinct characters of {@code text}. */
    public static Vocabulary of(CharSequence text) {
        Objects.requireNonNull(text, "text");
        int[] distinct = text.codePoints().distinct().sorted().toArray();
        if (distinct.length == 0) {
            throw new IllegalArgumentException("the text is empty: a vocabulary needs at least one character");
        }
        return new Vocabulary(distinct);
    }

    /**
     * The vocabulary whose characters, in index order, are those of {@code characters} (as saved by
     * {@link #characters()}); they must be distinct and ascending.
     */
    public static Vocabulary fromCharacters(String characters) {
        Objects.requireNonNull(characters, "characters");
        int[] cps = characters.codePoints().toArray();
        if (cps.length == 0) {
            throw new IllegalArgumentException("a vocabulary needs at least one character, got none");
        }
        for (int i = 1; i < cps.length; i++) {
            if (cps[i] <= cps[i - 1]) {
                throw new IllegalArgumentException("vocabulary characters must be distinct and in ascending order: "
                        + describe(cps[i]) + " at index " + i + " follows " + describe(cps[i - 1]));
            }
        }
        return new Vocabulary(cps);
    }

    /** The number of characters. */
    public int size() {
        return codePoints.length;
    }

    /** The characters in index order, as one string (what checkpoints save). */
    public String characters() {
        return new String(codePoints, 0, codePoints.length);
    }

    /** The character at {@code index}. */
    public int codePoint(int index) {
        return codePoints[index];
    }

    /** The index of {@code codePoint}, or -1 if it is not in the vocabulary. */
    public int indexOf(int codePoint) {
        int i = Arrays.binarySearch(codePoints, codePoint);
        return i >= 0 ? i : -1;
    }

    public boolean contains(int codePoint) {
        return indexOf(codePoint) >= 0;
    }

    /**
     * The indices of {@code text}'s characters.
     *
     * @throws IllegalArgumentException naming the first character not in the vocabulary and its position
     *     (in characters from 0)
     */
    public int[] encode(CharSequence text) {
        Objects.requireNonNull(text, "text");
        int[] cps = text.codePoints().toArray();
        int[] ids = new int[cps.length];
        for (int i = 0; i < cps.length; i++) {
            int id = indexOf(cps[i]);
            if (id < 0) {
                throw new IllegalArgumentException("character " + describe(cps[i]) + " at position " + i
                        + " is not in the model's vocabulary of " + size() + " characters");
            }
            ids[i] = id;
        }
        return ids;
    }

    /** The text of {@code ids}. */
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int id : ids) {
            sb.appendCodePoint(codePoints[id]);
        }
        return sb.toString();
    }

    /** A character for messages: printable ones quoted, others by code (U+000A). */
    public static String describe(int codePoint) {
        String code = String.format("U+%04X", codePoint);
        if (Character.isISOControl(codePoint) || Character.isWhitespace(codePoint)) {
            return code;
        }
        return "'" + new String(Character.toChars(codePoint)) + "' (" + code + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && Arrays.equals(codePoints, v.codePoints);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(codePoints);
    }

    @Override
    public String toString() {
        return "Vocabulary(" + size() + " characters)";
    }
}
