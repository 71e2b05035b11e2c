package org.lstm4j.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.lstm4j.tensor.Tensor;

/**
 * The contents of a safetensors file: tensors (in data-offset order when read from a file) and the
 * string metadata ({@code __metadata__}). Both maps are unmodifiable and keep their iteration order.
 */
public record SafeTensorsFile(Map<String, Tensor> tensors, Map<String, String> metadata) {

    public SafeTensorsFile {
        Objects.requireNonNull(tensors, "tensors");
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * The tensor called {@code name}.
     *
     * @throws IllegalArgumentException naming the missing key and listing the tensors that are there (the first 40)
     */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor named " + Excerpts.quote(name) + "; the file holds "
                    + describeKeys(tensors.keySet()));
        }
        return t;
    }

    /** Whether a tensor called {@code name} is present. */
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /**
     * The metadata value for {@code key}.
     *
     * @throws IllegalArgumentException naming the missing key and listing the metadata keys that are there (the first 40)
     */
    public String meta(String key) {
        String v = metadata.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no metadata key " + Excerpts.quote(key) + "; the file has "
                    + describeKeys(metadata.keySet()));
        }
        return v;
    }

    private static String describeKeys(Iterable<String> keys) {
        return Excerpts.list(keys);
    }
}
