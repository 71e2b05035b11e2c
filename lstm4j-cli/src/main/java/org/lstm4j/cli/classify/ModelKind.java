package org.lstm4j.cli.classify;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The recurrent part of a classifier as users name it: {@code lstm}, {@code bilstm}, {@code gru}, {@code bigru}, {@code rnn}. */
public enum ModelKind {
    LSTM("lstm", false),
    BILSTM("lstm", true),
    GRU("gru", false),
    BIGRU("gru", true),
    RNN("rnn", false);

    private final String cell;
    private final boolean bidirectional;

    ModelKind(String cell, boolean bidirectional) {
        this.cell = cell;
        this.bidirectional = bidirectional;
    }

    /** The cell of {@link org.lstm4j.models.RecurrentClassifier.Config}. */
    public String cell() {
        return cell;
    }

    public boolean bidirectional() {
        return bidirectional;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a user's name (any case); the error lists the valid names. */
    public static ModelKind parse(String name) {
        for (ModelKind k : values()) {
            if (k.toString().equalsIgnoreCase(name.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown model '" + name + "': expected one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(ModelKind::toString).collect(Collectors.joining(", "));
    }
}
