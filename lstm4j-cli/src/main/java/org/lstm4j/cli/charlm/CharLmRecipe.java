package org.lstm4j.cli.charlm;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Named starting points for {@code charlm train}; every setting can be overridden by its option. */
public enum CharLmRecipe {
    /**
     * The reference recipe measured against PyTorch: Embedding(V, 64) → LSTM 2×256 → Linear on every step,
     * 64 streams × 100 steps, Adam 2e-3, clip 5, no dropout.
     */
    DEFAULT("default", new CharLmConfig("default", CharLmConfig.STREAMS, "lstm", 64, 256, 2, 0.0, 64, 100, 1, 0.1,
            "adam", 2e-3, 0.0, 5.0, "constant", 0, 1000, 0.5, 1000, 0, 200, 0, "\n", 200, 0.8)),
    /**
     * The seed's own program: one-hot input, LSTM 2×128, windows of 100 characters predicting the next one
     * (many-to-one, every window start), batch 64, Adam 2e-3, 20 epochs, greedy samples of 200 characters from
     * "To be, or not to be, that is the question:\n".
     */
    SEED("seed", new CharLmConfig("seed", CharLmConfig.WINDOWS, "lstm", 0, 128, 2, 0.0, 64, 100, 1, 0.1,
            "adam", 2e-3, 0.0, 0.0, "constant", 0, 1000, 0.5, 20, 0, 1000, 0,
            "To be, or not to be, that is the question:\n", 200, 0.0)),
    /**
     * The lowest validation loss in 30 minutes on 2 cores: Embedding(V, 64) → LSTM 2×384 with dropout 0.25
     * between the layers and before the read-out, 64 × 100, Adam peaking at 3e-3 after 100 warm-up steps and
     * annealed to 0 by a cosine over 2,600 steps (~17 passes over Tiny Shakespeare, ~28 minutes on a 2-core
     * Zen 5), clip 5.
     */
    BEST("best", new CharLmConfig("best", CharLmConfig.STREAMS, "lstm", 64, 384, 2, 0.25, 64, 100, 1, 0.1,
            "adam", 3e-3, 0.0, 5.0, "cosine", 100, 1000, 0.5, 1000, 2600, 200, 0, "\n", 300, 0.8));

    private final String cliName;
    private final CharLmConfig defaults;

    CharLmRecipe(String cliName, CharLmConfig defaults) {
        this.cliName = cliName;
        this.defaults = defaults;
    }

    public CharLmConfig defaults() {
        return defaults;
    }

    @Override
    public String toString() {
        return cliName;
    }

    public static CharLmRecipe parse(String name) {
        for (CharLmRecipe r : values()) {
            if (r.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown recipe '" + name + "': expected one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(CharLmRecipe::toString).collect(Collectors.joining(", "));
    }
}
