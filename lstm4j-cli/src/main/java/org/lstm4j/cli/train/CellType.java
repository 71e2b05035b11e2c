package org.lstm4j.cli.train;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.lstm4j.nn.RNNBase;

/** The recurrent cell a task is built with; the lower-case name is what users type ({@code --cell gru}). */
public enum CellType {
    LSTM,
    GRU,
    RNN;

    /** A one-layer, unidirectional, sequence-first layer of this cell (RNN: tanh). */
    public RNNBase create(int inputSize, int hiddenSize) {
        return switch (this) {
            case LSTM -> new org.lstm4j.nn.LSTM(inputSize, hiddenSize);
            case GRU -> new org.lstm4j.nn.GRU(inputSize, hiddenSize);
            case RNN -> new org.lstm4j.nn.RNN(inputSize, hiddenSize);
        };
    }

    /** The user-facing name, also shown by picocli in usage and "expected one of" errors. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code lstm}, {@code gru} or {@code rnn} (any case). */
    public static CellType parse(String name) {
        for (CellType c : values()) {
            if (c.name().equalsIgnoreCase(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown cell '" + name + "': expected one of " + names());
    }

    /** {@code lstm, gru, rnn}. */
    public static String names() {
        return Arrays.stream(values()).map(CellType::toString).collect(Collectors.joining(", "));
    }
}
