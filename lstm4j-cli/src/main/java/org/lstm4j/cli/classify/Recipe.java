package org.lstm4j.cli.classify;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Named settings for {@code classify} and {@code compare}; every value can be overridden option by option.
 * The figures each reaches are in the README.
 */
public enum Recipe {
    /** The classic PyTorch tutorial: 2-layer LSTM 128 on Fashion-MNIST, 5 epochs, batch 100, Adam 1e-3. */
    SEED_FMNIST("seed-fmnist", new ClassifyConfig("seed-fmnist", "fashion-mnist", "lstm", 2, 128, 5, 100, 1e-3, 0,
            "pytorch", 0, "constant", 0, 0), List.of(ModelKind.LSTM, ModelKind.BILSTM, ModelKind.GRU)),
    /**
     * The Keras tutorial comparing LSTM(128) with Bidirectional(LSTM(128)) on MNIST: one layer, Dense softmax,
     * Adam 1e-3, 10 epochs, batch 32, Keras's initialisation.
     */
    SEED_KERAS_MNIST("seed-keras-mnist", new ClassifyConfig("seed-keras-mnist", "mnist", "lstm", 1, 128, 10, 32, 1e-3, 0,
            "keras", 0, "constant", 0, 0), List.of(ModelKind.LSTM, ModelKind.BILSTM)),
    /** The recommended recipe: see the README for what gets it there and the curve. */
    BEST("best", new ClassifyConfig("best", "fashion-mnist", "bigru", 2, 128, 12, 100, 2e-3, 0, "pytorch", 0.2,
            "cosine", 1.0, 0), List.of(ModelKind.BILSTM, ModelKind.BIGRU));

    private final String id;
    private final ClassifyConfig defaults;
    private final List<ModelKind> compared;

    Recipe(String id, ClassifyConfig defaults, List<ModelKind> compared) {
        this.id = id;
        this.defaults = defaults;
        this.compared = compared;
    }

    /** The recipe's settings before any option is applied. */
    public ClassifyConfig defaults() {
        return defaults;
    }

    /** The models {@code compare} trains by default with this recipe. */
    public List<ModelKind> comparedModels() {
        return compared;
    }

    @Override
    public String toString() {
        return id;
    }

    public static Recipe parse(String name) {
        for (Recipe r : values()) {
            if (r.id.equalsIgnoreCase(name.trim())) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown recipe '" + name + "': expected one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(Recipe::toString).collect(Collectors.joining(", "));
    }
}
