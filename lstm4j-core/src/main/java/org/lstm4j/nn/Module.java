package org.lstm4j.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.lstm4j.io.SafeTensors;
import org.lstm4j.tensor.Shape;
import org.lstm4j.tensor.Tensor;

/**
 * Base of every layer and model, as {@code torch.nn.Module}: named parameters (registration order, dotted
 * names for submodules), train/eval mode, and a state dict that can be saved to and loaded from
 * safetensors with PyTorch's names.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Registers a parameter under {@code name} (marking it as requiring grad) and returns it. */
    protected final Tensor registerParameter(String name, Tensor tensor) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tensor, "tensor");
        if (parameters.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("name '" + name + "' is already registered in " + getClass().getSimpleName());
        }
        parameters.put(name, tensor.requiresGrad(true));
        return tensor;
    }

    /** Registers a submodule whose parameters appear as {@code name.param}; returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(module, "module");
        if (parameters.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("name '" + name + "' is already registered in " + getClass().getSimpleName());
        }
        children.put(name, module);
        return module;
    }

    /** Every parameter of this module and its submodules, with PyTorch's dotted names. */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>(parameters);
        for (Map.Entry<String, Module> child : children.entrySet()) {
            for (Map.Entry<String, Tensor> p : child.getValue().namedParameters().entrySet()) {
                out.put(child.getKey() + "." + p.getKey(), p.getValue());
            }
        }
        return out;
    }

    public List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Number of scalar parameters (PyTorch's {@code sum(p.numel() for p in model.parameters())}). */
    public long parameterCount() {
        return parameters().stream().mapToLong(Tensor::numel).sum();
    }

    /** Direct submodules by name. */
    public Map<String, Module> children() {
        return new LinkedHashMap<>(children);
    }

    /** Sets training mode here and in all submodules (dropout is active only in training); returns this. */
    public Module train(boolean mode) {
        training = mode;
        for (Module child : children.values()) {
            child.train(mode);
        }
        return this;
    }

    public Module train() {
        return train(true);
    }

    public Module eval() {
        return train(false);
    }

    public boolean isTraining() {
        return training;
    }

    /** Clears every parameter's gradient (PyTorch's default {@code set_to_none=True}). */
    public void zeroGrad() {
        for (Tensor p : parameters()) {
            p.setGrad(null);
        }
    }

    /** Detached tensors sharing the parameters' storage, keyed by PyTorch's names. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : namedParameters().entrySet()) {
            out.put(e.getKey(), e.getValue().detach());
        }
        return out;
    }

    /**
     * What {@link #loadStateDict(Map, boolean)} found besides the entries it copied: PyTorch's
     * {@code _IncompatibleKeys(missing_keys, unexpected_keys)}.
     *
     * @param missingKeys parameters of this module absent from the state dict, in registration order
     * @param unexpectedKeys entries of the state dict that are no parameter of this module, in the dict's order
     */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
        public LoadResult {
            missingKeys = List.copyOf(missingKeys);
            unexpectedKeys = List.copyOf(unexpectedKeys);
        }

        /** Whether the state dict held exactly this module's parameters. */
        public boolean isExactMatch() {
            return missingKeys.isEmpty() && unexpectedKeys.isEmpty();
        }
    }

    /** Names shown in an error message, at most: a dict of a million keys must not make a message of millions. */
    static final int MAX_NAMES_SHOWN = 10;

    /** Strict load ({@code loadStateDict(state, true)}): names and shapes must match exactly. */
    public void loadStateDict(Map<String, Tensor> state) {
        loadStateDict(state, true);
    }

    /**
     * Copies the state dict's values into this module's parameters, PyTorch's
     * {@code load_state_dict(state_dict, strict)}. Strict, every parameter must be present and nothing else;
     * otherwise the entries whose names match are copied and the others reported. Either way a matching name
     * with another shape is an error, and an error leaves every parameter unchanged.
     *
     * @return the missing and unexpected keys (both empty after a strict load)
     * @throws IllegalArgumentException on a shape mismatch, or when strict and the names differ; the lists of
     *     names in the message are cut after {@value #MAX_NAMES_SHOWN} names ("and N more")
     */
    public LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        Objects.requireNonNull(state, "state");
        Map<String, Tensor> own = namedParameters();
        List<String> missing = new ArrayList<>();
        for (String name : own.keySet()) {
            if (!state.containsKey(name)) {
                missing.add(name);
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : state.keySet()) {
            if (!own.containsKey(name)) {
                unexpected.add(String.valueOf(name));
            }
        }
        if (strict && (!missing.isEmpty() || !unexpected.isEmpty())) {
            throw new IllegalArgumentException("state dict does not match " + getClass().getSimpleName()
                    + ": missing keys " + boundedList(missing) + ", unexpected keys " + boundedList(unexpected)
                    + " (expected exactly " + boundedList(own.keySet())
                    + "); loadStateDict(state, false) copies the matching entries and returns the others");
        }
        // Everything is checked before anything is written, so that a refused load changes nothing.
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            if (!state.containsKey(e.getKey())) {
                continue;
            }
            Tensor src = Objects.requireNonNull(state.get(e.getKey()), () -> "state['" + e.getKey() + "']");
            if (!Arrays.equals(src.shape(), e.getValue().shape())) {
                mismatches.add("size mismatch for " + e.getKey() + ": expected shape "
                        + Shape.toString(e.getValue().shape()) + ", got " + Shape.toString(src.shape()));
            }
        }
        if (!mismatches.isEmpty()) {
            throw new IllegalArgumentException(mismatches.size() == 1 ? mismatches.get(0)
                    : mismatches.size() + " size mismatches loading " + getClass().getSimpleName() + ": "
                            + boundedList(mismatches));
        }
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src != null) {
                System.arraycopy(src.data(), 0, e.getValue().data(), 0, src.numel());
            }
        }
        return new LoadResult(missing, unexpected);
    }

    /** {@code [a, b, c]}, or the first {@value #MAX_NAMES_SHOWN} names and "and N more". */
    static String boundedList(java.util.Collection<String> names) {
        StringBuilder s = new StringBuilder("[");
        int shown = 0;
        for (String name : names) {
            if (shown == MAX_NAMES_SHOWN) {
                s.append(", and ").append(names.size() - shown).append(" more");
                break;
            }
            s.append(shown > 0 ? ", " : "").append(name);
            shown++;
        }
        return s.append(']').toString();
    }

    /** Writes the state dict as safetensors (atomically: temporary file, then rename). */
    public void save(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        SafeTensors.write(path, stateDict(), Map.of("format", "pt"));
    }

    /** Loads a safetensors state dict written by {@link #save} or by PyTorch (strict). */
    public void load(Path path) throws IOException {
        load(path, true);
    }

    /**
     * Loads a safetensors state dict written by {@link #save} or by PyTorch, as
     * {@link #loadStateDict(Map, boolean)}; errors name the file.
     */
    public LoadResult load(Path path, boolean strict) throws IOException {
        Objects.requireNonNull(path, "path");
        try {
            return loadStateDict(SafeTensors.read(path).tensors(), strict);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + extraRepr() + ")";
    }

    /** The constructor arguments, for {@link #toString()}. */
    protected String extraRepr() {
        return "";
    }
}
