package org.lstm4j.nn;

/** How a loss combines its per-element values: PyTorch's {@code reduction='mean' | 'sum' | 'none'}. */
public enum Reduction {
    /** Average over elements (the default, as in PyTorch). */
    MEAN,
    /** Sum over elements. */
    SUM,
    /** No reduction: one loss value per element (per sample for cross-entropy). */
    NONE;

    /** Parses PyTorch's spelling ({@code "mean"}, {@code "sum"}, {@code "none"}), case-insensitively. */
    public static Reduction fromString(String name) {
        java.util.Objects.requireNonNull(name, "name");
        for (Reduction r : values()) {
            if (r.name().equalsIgnoreCase(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown reduction '" + name + "' (expected mean, sum or none)");
    }
}
