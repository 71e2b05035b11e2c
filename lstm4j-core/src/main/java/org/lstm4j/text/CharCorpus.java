package org.lstm4j.text;

import java.util.Objects;

/**
 * A text as character indices, split by position: the first part trains, the rest validates (as char-rnn
 * and nanoGPT split, so validation is text the model never saw, not a shuffled sample of it).
 *
 * @param vocabulary the characters of the whole text
 * @param train      indices of the first {@code n - floor(n · valFraction)} characters
 * @param validation indices of the rest
 */
public record CharCorpus(Vocabulary vocabulary, int[] train, int[] validation) {

    public CharCorpus {
        Objects.requireNonNull(vocabulary, "vocabulary");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
    }

    /**
     * Builds the vocabulary of {@code text} (or takes {@code vocabulary} when resuming, so indices mean what
     * they meant) and splits it.
     *
     * @param vocabulary  the vocabulary to encode with, or null for the text's own
     * @param valFraction the validation share, in [0, 1)
     * @throws IllegalArgumentException if the text is empty, the fraction is out of range, or (with a given
     *     vocabulary) a character is not in it
     */
    public static CharCorpus split(String text, Vocabulary vocabulary, double valFraction) {
        Objects.requireNonNull(text, "text");
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must be in [0, 1), got " + valFraction);
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the text is empty");
        }
        Vocabulary vocab = vocabulary != null ? vocabulary : Vocabulary.of(text);
        int[] ids = vocab.encode(text);
        int validationLength = (int) Math.floor(ids.length * valFraction);
        int trainLength = ids.length - validationLength;
        return new CharCorpus(vocab, java.util.Arrays.copyOfRange(ids, 0, trainLength),
                java.util.Arrays.copyOfRange(ids, trainLength, ids.length));
    }
}
