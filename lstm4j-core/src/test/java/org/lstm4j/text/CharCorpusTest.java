package org.lstm4j.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CharCorpusTest {

    @Test
    void theLastFloorOfNTimesFractionCharactersValidate() {
        CharCorpus c = CharCorpus.split("abcdefghij", null, 0.25); // floor(2.5) = 2
        assertEquals("abcdefgh", c.vocabulary().decode(c.train()));
        assertEquals("ij", c.vocabulary().decode(c.validation()));

        c = CharCorpus.split("abcdefghij", null, 0.19); // floor(1.9) = 1
        assertEquals(9, c.train().length);
        assertEquals("j", c.vocabulary().decode(c.validation()));

        c = CharCorpus.split("abcdefg", null, 0.3); // floor(2.1) = 2
        assertEquals("fg", c.vocabulary().decode(c.validation()));

        c = CharCorpus.split("abc", null, 0.0);
        assertEquals(3, c.train().length);
        assertEquals(0, c.validation().length);

        c = CharCorpus.split("abc", null, 0.99); // floor(2.97) = 2: one character still trains
        assertEquals("a", c.vocabulary().decode(c.train()));
    }

    @Test
    void lengthsCountCharactersNotUtf16Units() {
        // 6 characters in 10 UTF-16 units: half of 6 is 3.
        CharCorpus c = CharCorpus.split("😀😀😀😀ab", null, 0.5);
        assertEquals(3, c.train().length);
        assertEquals(3, c.validation().length);
        assertEquals("😀ab", c.vocabulary().decode(c.validation()));
    }

    @Test
    void theVocabularyIsTheWholeTextsAndIndicesAreItsOrder() {
        // 'z' occurs only in the validation part, yet is in the vocabulary.
        CharCorpus c = CharCorpus.split("cabbagez", null, 0.125);
        assertEquals("abcegz", c.vocabulary().characters());
        assertArrayEquals(new int[] {2, 0, 1, 1, 0, 4, 3}, c.train());
        assertArrayEquals(new int[] {5}, c.validation());
    }

    @Test
    void aGivenVocabularyIsUsedForEncoding() {
        Vocabulary saved = Vocabulary.fromCharacters("\n abcxyz");
        CharCorpus c = CharCorpus.split("cab\nxa", saved, 0.5);
        assertEquals(saved, c.vocabulary());
        assertArrayEquals(new int[] {4, 2, 3}, c.train());
        assertArrayEquals(new int[] {0, 5, 2}, c.validation());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CharCorpus.split("cab!", saved, 0.1));
        assertTrue(e.getMessage().contains("'!'") && e.getMessage().contains("position 3"), e.getMessage());
    }

    @Test
    void emptyTextsAndBadFractionsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CharCorpus.split("", null, 0.1));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        for (double bad : new double[] {-0.01, 1.0, 1.5, Double.NaN}) {
            e = assertThrows(IllegalArgumentException.class, () -> CharCorpus.split("abc", null, bad));
            assertTrue(e.getMessage().contains("[0, 1)") && e.getMessage().contains(String.valueOf(bad)), e.getMessage());
        }
        assertThrows(NullPointerException.class, () -> CharCorpus.split(null, null, 0.1));
    }
}
