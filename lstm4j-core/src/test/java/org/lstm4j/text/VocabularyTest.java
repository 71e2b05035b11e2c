package org.lstm4j.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VocabularyTest {
    /**
     * Accented letters, Greek, CJK, a fullwidth '！' (U+FF01), U+FFFD and an emoji outside the BMP (U+1F600,
     * two UTF-16 chars). U+FF01 and U+FFFD sort before the emoji by code point but after it by UTF-16 unit
     * (String.compareTo), so the order tells code points from chars.
     */
    private static final String TEXT = "héllo wörld! 日本語 😀 ！ \uFFFD Ωa";

    /** Python: ''.join(sorted(set(TEXT))), computed with CPython 3. */
    private static final String PYTHON_SORTED = " !adhlorwéöΩ日本語！\uFFFD😀";

    @Test
    void charactersAreCodePointsInPythonsSortedOrder() {
        Vocabulary v = Vocabulary.of(TEXT);
        assertEquals(PYTHON_SORTED, v.characters());
        assertEquals(18, v.size(), "the emoji is one character, not two surrogates");
        assertEquals(0x1F600, v.codePoint(17));
        assertEquals(0xFF01, v.codePoint(15));
        assertEquals(' ', v.codePoint(0));
        assertEquals(9, v.indexOf('é'));
        assertEquals(-1, v.indexOf('z'));
        assertEquals(-1, v.indexOf(0xD83D), "a lone high surrogate of the emoji is not a character of the vocabulary");
        assertTrue(v.contains(0x65E5));
        assertFalse(v.contains('Z'));
    }

    @Test
    void encodeCountsCodePointsAndDecodeRoundTrips() {
        Vocabulary v = Vocabulary.of(TEXT);
        int[] ids = v.encode(TEXT);
        assertEquals(TEXT.codePointCount(0, TEXT.length()), ids.length);
        assertEquals(TEXT.length() - 1, ids.length, "one surrogate pair in the text");
        assertEquals(TEXT, v.decode(ids));
        // "😀a": the emoji is index 17, 'a' index 2.
        assertArrayEquals(new int[] {17, 2, 11}, v.encode("😀aΩ"));
        assertArrayEquals(new int[0], v.encode(""));
    }

    @Test
    void encodeNamesTheFirstUnknownCharacterAndItsPositionInCharacters() {
        Vocabulary v = Vocabulary.of("ab😀");
        // 'z' is at code-point position 3 (UTF-16 index 4: the emoji takes two chars).
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.encode("a😀bzq"));
        assertTrue(e.getMessage().contains("'z' (U+007A)"), e.getMessage());
        assertTrue(e.getMessage().contains("at position 3"), e.getMessage());
        assertTrue(e.getMessage().contains("3 characters"), e.getMessage());

        // An emoji not in the vocabulary is named whole, by its code point.
        e = assertThrows(IllegalArgumentException.class, () -> v.encode("ab😁"));
        assertTrue(e.getMessage().contains("U+1F601") && e.getMessage().contains("position 2"), e.getMessage());

        // Unprintable characters by code only.
        e = assertThrows(IllegalArgumentException.class, () -> v.encode("a\nb"));
        assertTrue(e.getMessage().contains("U+000A") && e.getMessage().contains("position 1"), e.getMessage());
        assertFalse(e.getMessage().contains("'\n'"), e.getMessage());
    }

    @Test
    void fromCharactersRoundTripsAndRefusesUnsortedOrRepeatedCharacters() {
        Vocabulary v = Vocabulary.of(TEXT);
        Vocabulary back = Vocabulary.fromCharacters(v.characters());
        assertEquals(v, back);
        assertEquals(v.hashCode(), back.hashCode());
        assertArrayEquals(v.encode(TEXT), back.encode(TEXT));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Vocabulary.fromCharacters("acb"));
        assertTrue(e.getMessage().contains("'b' (U+0062) at index 2 follows 'c' (U+0063)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Vocabulary.fromCharacters("abb"));
        assertTrue(e.getMessage().contains("distinct") && e.getMessage().contains("index 2"), e.getMessage());
        // UTF-16 order (the emoji's surrogates below U+FF01) is not code-point order.
        e = assertThrows(IllegalArgumentException.class, () -> Vocabulary.fromCharacters("a😀！"));
        assertTrue(e.getMessage().contains("U+FF01") && e.getMessage().contains("index 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.fromCharacters(""));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(""));
        assertThrows(NullPointerException.class, () -> Vocabulary.fromCharacters(null));
    }

    @Test
    void equalityIsByCharacters() {
        assertEquals(Vocabulary.of("cabbage"), Vocabulary.fromCharacters("abceg"));
        assertNotEquals(Vocabulary.of("cabbage"), Vocabulary.of("cabbages"));
        assertEquals("Vocabulary(5 characters)", Vocabulary.of("cabbage").toString());
    }
}
