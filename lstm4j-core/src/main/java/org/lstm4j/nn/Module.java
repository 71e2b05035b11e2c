package org.lstm4j.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
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
        if (parameters.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("name '" + name + "' is already registered in " + getClass().getSimpleName());
        }
        parameters.put(name, tensor.requiresGrad(true));
        return tensor;
    }

    /** Registers a submodule whose parameters appear as {@code name.param}; returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
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

    /** Strict load: names and shapes must match exactly; values are copied into the parameters. */
    public void loadStateDict(Map<String, Tensor> state) {
        Map<String, Tensor> own = namedParameters();
        TreeSet<String> missing = new TreeSet<>(own.keySet());
        missing.removeAll(state.keySet());
        TreeSet<String> unexpected = new TreeSet<>(state.keySet());
        unexpected.removeAll(own.keySet());
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException("state dict does not match " + getClass().getSimpleName()
                    + ": missing keys " + missing + ", unexpected keys " + unexpected
                    + " (expected exactly " + own.keySet() + ")");
        }
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (!Arrays.equals(src.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("size mismatch for " + e.getKey() + ": expected shape "
                        + Shape.toString(e.getValue().shape()) + ", got " + Shape.toString(src.shape()));
            }
        }
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            float[] src = state.get(e.getKey()).data();
            System.arraycopy(src, 0, e.getValue().data(), 0, src.length);
        }
    }

    /** Writes the state dict as safetensors (atomically: temporary file, then rename). */
    public void save(Path path) throws IOException {
        SafeTensors.write(path, stateDict(), Map.of("format", "pt"));
    }

    /** Loads a safetensors state dict written by {@link #save} or by PyTorch (strict). */
    public void load(Path path) throws IOException {
        try {
            loadStateDict(SafeTensors.read(path).tensors());
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
