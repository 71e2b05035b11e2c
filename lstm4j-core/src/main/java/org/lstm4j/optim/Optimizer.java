package org.lstm4j.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.lstm4j.tensor.Shape;
import org.lstm4j.tensor.Tensor;

/**
 * Base of the optimizers, PyTorch's {@code torch.optim.Optimizer} with one parameter group: it owns the
 * parameter list, the learning rate and the per-parameter state (step counter and named buffers), and
 * saves/restores that state as a flat map of tensors.
 *
 * <p>{@link #step()} updates, in place, every parameter whose {@link Tensor#grad()} is set; parameters
 * without a gradient are skipped and get no state, as in PyTorch.
 *
 * <p>State dict layout (PyTorch's {@code state_dict()} flattened with dots):
 * <ul>
 *   <li>{@code state.<i>.step}: 0-d step count of parameter {@code i} (optimizers that count steps);
 *   <li>{@code state.<i>.<buffer>}: a buffer of the parameter's shape, e.g. {@code state.0.exp_avg};
 *   <li>{@code param_groups.0.<name>}: a hyperparameter, e.g. {@code param_groups.0.lr}, stored exactly as
 *       three floats summing (in double) to the value; booleans are 0 or 1.
 * </ul>
 */
public abstract class Optimizer {
    private static final String STATE = "state.";
    private static final String GROUP = "param_groups.0.";
    private static final String INITIAL_LR = "initial_lr";

    private final List<Tensor> params;
    private final ParamState[] states;
    private double lr;
    /** Set by the first scheduler attached, like PyTorch's {@code group.setdefault('initial_lr', lr)}. */
    private Double initialLr;

    /**
     * @throws IllegalArgumentException if the list is empty, has a duplicate or a non-leaf tensor, or lr < 0
     */
    protected Optimizer(Iterable<Tensor> params, double lr) {
        Objects.requireNonNull(params, "params");
        List<Tensor> list = new ArrayList<>();
        Map<Tensor, Integer> seen = new IdentityHashMap<>();
        for (Tensor p : params) {
            Objects.requireNonNull(p, "params contains null");
            if (!p.isLeaf()) {
                throw new IllegalArgumentException("can't optimize a non-leaf tensor (parameter " + list.size()
                        + " was computed by " + p.gradFn() + "); optimize the leaf it came from");
            }
            Integer previous = seen.put(p, list.size());
            if (previous != null) {
                throw new IllegalArgumentException("parameter " + list.size() + " is the same tensor as parameter "
                        + previous + "; each parameter may appear only once");
            }
            list.add(p);
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("optimizer got an empty parameter list");
        }
        checkLr(lr);
        this.params = Collections.unmodifiableList(list);
        this.states = new ParamState[list.size()];
        this.lr = lr;
    }

    /** The optimized parameters, in order; index {@code i} is the {@code i} of {@code state.<i>.*}. */
    public final List<Tensor> params() {
        return params;
    }

    public final double getLr() {
        return lr;
    }

    /** Sets the learning rate used by the next {@link #step()} (what LR schedulers do). */
    public final void setLr(double lr) {
        checkLr(lr);
        this.lr = lr;
    }

    /** Performs one update of every parameter that has a gradient. */
    public final void step() {
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            Tensor g = p.grad();
            if (g == null) {
                continue;
            }
            if (!Arrays.equals(g.shape(), p.shape())) {
                throw new IllegalStateException("gradient of shape " + Shape.toString(g.shape()) + " for parameter " + i
                        + " of shape " + Shape.toString(p.shape()));
            }
            if (states[i] == null) {
                states[i] = new ParamState();
            }
            ParamState s = states[i];
            s.step++;
            update(p.data(), g.data(), s);
        }
    }

    /** Clears every parameter's gradient: {@code zero_grad()} with PyTorch's default {@code set_to_none=True}. */
    public final void zeroGrad() {
        zeroGrad(true);
    }

    /** Clears gradients: to null when {@code setToNone}, otherwise fills existing ones with zeros. */
    public final void zeroGrad(boolean setToNone) {
        for (Tensor p : params) {
            if (setToNone) {
                p.setGrad(null);
            } else if (p.grad() != null) {
                Arrays.fill(p.grad().data(), 0f);
            }
        }
    }

    /**
     * Applies one update to a parameter. {@code state.step} is already incremented (1 on the first call);
     * buffers are created by the implementation on first use.
     */
    protected abstract void update(float[] param, float[] grad, ParamState state);

    /** Whether {@code state.<i>.step} belongs in the state dict (false for SGD, which has no counter). */
    protected abstract boolean countsSteps();

    /** Names of the buffers a parameter's state holds under the current hyperparameters. */
    protected abstract List<String> bufferNames();

    /** Adds every hyperparameter except lr (booleans as 0/1) under its PyTorch name. */
    protected abstract void putHyperparameters(Map<String, Double> out);

    /**
     * Validates and applies hyperparameters (all names of {@link #putHyperparameters}, lr excluded), or
     * throws without changing anything.
     */
    protected abstract void applyHyperparameters(Map<String, Double> values);

    /** All hyperparameters by PyTorch name, lr first. */
    public final Map<String, Double> hyperparameters() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("lr", lr);
        if (initialLr != null) {
            m.put(INITIAL_LR, initialLr);
        }
        putHyperparameters(m);
        return Collections.unmodifiableMap(m);
    }

    /**
     * Everything needed to resume training bit-exactly: per-parameter step counters and buffers (copies)
     * plus the hyperparameters. See the class comment for the key layout.
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < states.length; i++) {
            ParamState s = states[i];
            if (s == null) {
                continue;
            }
            if (countsSteps()) {
                out.put(STATE + i + ".step", StateDicts.encodeStep(s.step));
            }
            int[] shape = params.get(i).shape();
            for (Map.Entry<String, float[]> e : s.buffers.entrySet()) {
                out.put(STATE + i + "." + e.getKey(), Tensor.of(e.getValue().clone(), shape));
            }
        }
        for (Map.Entry<String, Double> e : hyperparameters().entrySet()) {
            out.put(GROUP + e.getKey(), StateDicts.encodeDouble(e.getValue()));
        }
        return out;
    }

    /**
     * Restores a {@link #stateDict()} (copying the tensors). Hyperparameters present in the map replace the
     * current ones; parameters without state entries start fresh. Validates everything before changing
     * anything.
     *
     * @throws IllegalArgumentException on an unknown key, a parameter index out of range, a buffer of the
     *     wrong shape, or a missing buffer
     */
    public final void loadStateDict(Map<String, Tensor> stateDict) {
        Objects.requireNonNull(stateDict, "stateDict");
        Map<String, Double> hyper = new LinkedHashMap<>(hyperparameters());
        Map<Integer, Map<String, Tensor>> perParam = new HashMap<>();
        for (Map.Entry<String, Tensor> e : stateDict.entrySet()) {
            String key = e.getKey();
            Tensor value = Objects.requireNonNull(e.getValue(), () -> "state dict entry '" + key + "' is null");
            if (key.startsWith(GROUP)) {
                String name = key.substring(GROUP.length());
                if (!hyper.containsKey(name) && !name.equals(INITIAL_LR)) {
                    throw new IllegalArgumentException("unknown hyperparameter '" + key + "' for "
                            + getClass().getSimpleName() + " (known: " + hyper.keySet() + ")");
                }
                hyper.put(name, StateDicts.decodeDouble(value, key));
            } else if (key.startsWith(STATE)) {
                String rest = key.substring(STATE.length());
                int dot = rest.indexOf('.');
                int index = -1;
                try {
                    index = dot > 0 ? Integer.parseInt(rest.substring(0, dot)) : -1;
                } catch (NumberFormatException ignored) {
                    // reported below
                }
                if (index < 0 || index >= params.size()) {
                    throw new IllegalArgumentException("state dict key '" + key + "' does not name one of the "
                            + params.size() + " parameters (expected state.<0.." + (params.size() - 1) + ">.<name>)");
                }
                perParam.computeIfAbsent(index, k -> new HashMap<>()).put(rest.substring(dot + 1), value);
            } else {
                throw new IllegalArgumentException("unknown state dict key '" + key
                        + "' (expected state.<i>.<name> or param_groups.0.<name>)");
            }
        }

        double newLr = hyper.remove("lr");
        checkLr(newLr);
        Double newInitialLr = hyper.remove(INITIAL_LR);
        Map<String, Double> before = new LinkedHashMap<>();
        putHyperparameters(before);
        applyHyperparameters(hyper); // throws, unchanged, on an invalid value
        ParamState[] loaded;
        try {
            loaded = parseStates(perParam);
        } catch (RuntimeException ex) {
            applyHyperparameters(before);
            throw ex;
        }
        this.lr = newLr;
        this.initialLr = newInitialLr;
        System.arraycopy(loaded, 0, states, 0, states.length);
    }

    private ParamState[] parseStates(Map<Integer, Map<String, Tensor>> perParam) {
        ParamState[] loaded = new ParamState[states.length];
        List<String> names = bufferNames();
        for (Map.Entry<Integer, Map<String, Tensor>> e : perParam.entrySet()) {
            int i = e.getKey();
            Map<String, Tensor> entries = new HashMap<>(e.getValue());
            ParamState s = new ParamState();
            Tensor step = entries.remove("step");
            if (countsSteps()) {
                if (step == null) {
                    throw new IllegalArgumentException("state dict has no 'state." + i + ".step'");
                }
                s.step = StateDicts.decodeStep(step, "state." + i + ".step");
            } else if (step != null) {
                throw new IllegalArgumentException("unexpected 'state." + i + ".step': "
                        + getClass().getSimpleName() + " keeps no step counter");
            }
            int[] shape = params.get(i).shape();
            for (String name : names) {
                Tensor t = entries.remove(name);
                if (t == null) {
                    throw new IllegalArgumentException("state dict has no 'state." + i + "." + name + "' (needed by "
                            + getClass().getSimpleName() + " with " + hyperparameters() + ")");
                }
                if (!Arrays.equals(t.shape(), shape)) {
                    throw new IllegalArgumentException("state dict entry 'state." + i + "." + name + "' has shape "
                            + Shape.toString(t.shape()) + " but parameter " + i + " has shape " + Shape.toString(shape));
                }
                s.buffers.put(name, t.data().clone());
            }
            if (!entries.isEmpty()) {
                throw new IllegalArgumentException("unknown state dict entries for parameter " + i + ": "
                        + entries.keySet() + " (" + getClass().getSimpleName() + " keeps " + names + ")");
            }
            loaded[i] = s;
        }
        return loaded;
    }

    /** The learning rate schedulers start from: PyTorch's {@code initial_lr}, set on first use. */
    final double initialLr() {
        if (initialLr == null) {
            initialLr = lr;
        }
        return initialLr;
    }

    private static void checkLr(double lr) {
        if (!(lr >= 0)) {
            throw new IllegalArgumentException("Invalid learning rate: " + lr + " (must be >= 0)");
        }
    }

    /** Throws unless {@code value >= 0} (NaN fails too); {@code what} names it, e.g. "epsilon value". */
    protected static void checkNonNegative(String what, double value) {
        if (!(value >= 0)) {
            throw new IllegalArgumentException("Invalid " + what + ": " + value + " (must be >= 0)");
        }
    }

    /** Throws unless {@code 0 <= beta < 1}. */
    protected static void checkBeta(int index, double beta) {
        if (!(beta >= 0 && beta < 1)) {
            throw new IllegalArgumentException("Invalid beta parameter at index " + index + ": " + beta
                    + " (must be in [0, 1))");
        }
    }

    /** Reads a hyperparameter that {@link #applyHyperparameters} requires. */
    protected static double require(Map<String, Double> values, String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing hyperparameter '" + name + "'");
        }
        return v;
    }

    /** Per-parameter state: the step count (1 during the first update) and named buffers. */
    protected static final class ParamState {
        private long step;
        private final Map<String, float[]> buffers = new LinkedHashMap<>();

        /** Number of updates applied, this one included. */
        public long step() {
            return step;
        }

        /** The named buffer, or null if it does not exist yet. */
        public float[] buffer(String name) {
            return buffers.get(name);
        }

        /** The named buffer, created as zeros of length {@code n} on first use. */
        public float[] zeros(String name, int n) {
            return buffers.computeIfAbsent(name, k -> new float[n]);
        }

        /** Stores a buffer (adopted, not copied). */
        public void put(String name, float[] buffer) {
            buffers.put(name, buffer);
        }
    }
}
