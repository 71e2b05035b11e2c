package org.lstm4j.workloads;

import java.util.Locale;

/** What one benchmark step does. */
public enum Mode {
    /** A full training step: forward, loss, backward, Adam step. */
    TRAIN,
    /** A forward pass without recording the graph ({@code no_grad}, eval mode). */
    INFER;

    /** {@code train} / {@code infer}, as printed and in JSON. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
