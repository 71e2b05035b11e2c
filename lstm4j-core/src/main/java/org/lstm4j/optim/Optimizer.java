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
 *   <li>{@code state.<i>.step}: step count of parameter {@code i} (optimizers that count steps): a 0-d float
 *       as in PyTorch up to 2<sup>24</sup>, the largest count float32 holds exactly, and beyond it the exact
 *       three-float form of the hyperparameters (see {@code StateDicts});
 *   <li>{@code state.<i>.<buffer>}: a buffer of the parameter's shape, e.g. {@code state.0.exp_avg};
 *   <li>{@code param_groups.0.<name>}: a hyperparameter, e.g. {@code param_groups.0.lr}, stored exactly as
 *       three floats summing (in double) to the value; booleans are 0 or 1.
 * </ul>
 *
 * <p>{@link #loadStateDict} checks more than PyTorch does, so that a corrupted or hand-edited state dict is
 * refused with the offending key instead of turning the weights into NaN at the next step.
 */
public abstract class Optimizer {
    private static final String STATE = "state.";
    private static final String GROUP = "param_groups.0.";
    private static final String INITIAL_LR = "initial_lr";

    /**
     * The values a hyperparameter may take, checked on construction and again on {@link #loadStateDict}.
     * Every range excludes NaN.
     */
    protected enum Range {
        /**
         * lr, eps, weight_decay, momentum, dampening, initial_lr. Capped at float32's largest value because
         * updates run in float32, where anything larger is infinite.
         */
        NON_NEGATIVE("a number >= 0 that is finite in float32, at most " + Float.MAX_VALUE),
        /** Adam's betas: beta^t must decay so that the bias corrections 1 - beta^t stay positive. */
        UNIT_INTERVAL_OPEN("a number in [0, 1)"),
        /**
         * RMSprop's alpha: above 1 the weight 1 - alpha of g² is negative, square_avg turns negative and its
         * square root NaN. (PyTorch only asks for alpha >= 0.)
         */
        UNIT_INTERVAL("a number in [0, 1]"),
        /** Flags such as amsgrad, stored as 0 or 1. */
        BOOLEAN("0 or 1 (a boolean)");

        private final String expected;

        Range(String expected) {
            this.expected = expected;
        }

        /** Whether {@code value} lies in the range. */
        public boolean admits(double value) {
            switch (this) {
                case NON_NEGATIVE:
                    return value >= 0 && value <= Float.MAX_VALUE;
                case UNIT_INTERVAL_OPEN:
                    return value >= 0 && value < 1;
                case UNIT_INTERVAL:
                    return value >= 0 && value <= 1;
                default:
                    return value == 0 || value == 1;
            }
        }

        /** What the range admits, in words, for error messages. */
        public String expected() {
            return expected;
        }
    }

    /** Where a checked value came from, which decides how an error names it. */
    protected enum ValueSource {
        /** A constructor or setter argument: "Invalid epsilon value: -1.0 (must be ...)". */
        ARGUMENT,
        /** A {@link #loadStateDict} entry: "state dict entry 'param_groups.0.eps' (epsilon value) should be ...". */
        STATE_DICT
    }

    private final List<Tensor> params;
    private final ParamState[] states;
    private double lr;
    /** Set by the first scheduler attached, like PyTorch's {@code group.setdefault('initial_lr', lr)}. */
    private Double initialLr;

    /**
     * @throws IllegalArgumentException if the list is empty, has a duplicate or a non-leaf tensor, or lr is
     *     negative or not finite in float32
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

    /**
     * Sets the learning rate used by the next {@link #step()} (what LR schedulers do).
     *
     * @throws IllegalArgumentException if lr is negative or not finite in float32
     */
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
            if (s.step == StateDicts.MAX_STEP) {
                // Unreachable in practice; past it the state dict could no longer hold the count exactly.
                throw new IllegalStateException("parameter " + i + " has taken " + StateDicts.MAX_STEP
                        + " steps, the most a state dict records exactly");
            }
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

    /**
     * Names of the hyperparameters that decide {@link #bufferNames()} (such as amsgrad), so that an error about a
     * missing or unexpected buffer can say under which values; none unless overridden.
     */
    protected List<String> hyperparametersDecidingBuffers() {
        return List.of();
    }

    /**
     * Whether the named buffer is a running average of squared gradients, which can't be negative (and whose
     * square root the update takes, so a negative value would make it NaN). False unless overridden.
     */
    protected boolean averagesSquares(String bufferName) {
        return false;
    }

    /**
     * Checks what one buffer alone can't show, for a state about to be loaded under the current (already
     * loaded) hyperparameters; buffers are already known to be finite and of the right shape. Throws an
     * {@link IllegalArgumentException} naming the key (see {@link #stateKey}); does nothing unless overridden.
     */
    protected void checkLoadedState(int index, ParamState state) {}

    /** Adds every hyperparameter except lr (booleans as 0/1) under its PyTorch name. */
    protected abstract void putHyperparameters(Map<String, Double> out);

    /**
     * Validates and applies hyperparameters (all names of {@link #putHyperparameters}, lr excluded), or
     * throws without changing anything. Only {@link #loadStateDict} calls it, so errors name the entry
     * ({@link ValueSource#STATE_DICT}).
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
                out.put(stateKey(i, "step"), StateDicts.encodeStep(s.step));
            }
            int[] shape = params.get(i).shape();
            for (Map.Entry<String, float[]> e : s.buffers.entrySet()) {
                out.put(stateKey(i, e.getKey()), Tensor.of(e.getValue().clone(), shape));
            }
        }
        for (Map.Entry<String, Double> e : hyperparameters().entrySet()) {
            out.put(GROUP + e.getKey(), StateDicts.encodeDouble(e.getValue()));
        }
        return out;
    }

    /**
     * Restores a {@link #stateDict()} (copying the tensors). Hyperparameters present in the map replace the
     * current ones; parameters without state entries start fresh. Everything is validated before anything
     * changes, so on failure the optimizer is exactly as before. Beyond PyTorch's own checks it requires:
     * <ul>
     *   <li>keys {@code state.<i>.<name>} with {@code i} a parameter index in canonical decimal (no sign, no
     *       leading zero, ASCII digits), so that no two keys name one entry, and {@code param_groups.0.<name>}
     *       with a known name;
     *   <li>scalars 0-d, of one element, or the exact three-float form {@link #stateDict()} writes, consistent
     *       as written;
     *   <li>hyperparameters in the ranges the constructors enforce (see {@link Range}): lr and initial_lr
     *       finite and >= 0, betas in [0, 1), booleans exactly 0 or 1, and so on;
     *   <li>step counts whole numbers >= 1, at most 2<sup>24</sup> as one float (2<sup>53</sup> in the
     *       three-float form);
     *   <li>every buffer of the parameter's shape, finite, and >= 0 where it averages squares
     *       ({@code exp_avg_sq}, {@code max_exp_avg_sq}, {@code square_avg}); plus any optimizer-specific
     *       check (centered RMSprop: {@code grad_avg²} within rounding of {@code square_avg}).
     * </ul>
     *
     * @throws IllegalArgumentException naming the first offending key, what was expected and what it held
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
                int index = parseParamIndex(key, dot < 0 ? rest : rest.substring(0, dot));
                String name = dot < 0 ? "" : rest.substring(dot + 1);
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("state dict key '" + key + "' names no entry after the parameter"
                            + " index (expected state." + index + ".<name>)");
                }
                Tensor previous = perParam.computeIfAbsent(index, k -> new HashMap<>()).put(name, value);
                if (previous != null) {
                    // Canonical indices make distinct keys name distinct entries; this guards that invariant.
                    throw new IllegalStateException("two state dict keys name '" + stateKey(index, name) + "'");
                }
            } else {
                throw new IllegalArgumentException("unknown state dict key '" + key
                        + "' (expected state.<i>.<name> or param_groups.0.<name>)");
            }
        }

        double newLr = hyper.remove("lr");
        checkHyperparameter(ValueSource.STATE_DICT, "lr", "learning rate", Range.NON_NEGATIVE, newLr);
        Double newInitialLr = hyper.remove(INITIAL_LR);
        if (newInitialLr != null) {
            checkHyperparameter(ValueSource.STATE_DICT, INITIAL_LR, "initial learning rate", Range.NON_NEGATIVE,
                    newInitialLr);
        }
        Map<String, Double> before = new LinkedHashMap<>();
        putHyperparameters(before);
        applyHyperparameters(hyper); // throws, unchanged, on an invalid value
        ParamState[] loaded;
        try {
            loaded = parseStates(perParam); // reads bufferNames() under the hyperparameters just applied
        } catch (RuntimeException ex) {
            applyHyperparameters(before);
            throw ex;
        }
        this.lr = newLr;
        this.initialLr = newInitialLr;
        System.arraycopy(loaded, 0, states, 0, states.length);
    }

    /**
     * The {@code i} of a {@code state.<i>.<name>} key. Only canonical decimal is accepted: "00", "+0", " 0" or
     * "0x1" would otherwise alias parameter 0 or 1, letting two keys fill one entry.
     */
    private int parseParamIndex(String key, String text) {
        boolean canonical = !text.isEmpty() && text.length() <= 10 && (text.length() == 1 || text.charAt(0) != '0');
        for (int k = 0; k < text.length() && canonical; k++) {
            char c = text.charAt(k);
            canonical = c >= '0' && c <= '9'; // not Character.isDigit, which admits other scripts' digits
        }
        long index = canonical ? Long.parseLong(text) : -1;
        if (index < 0 || index >= params.size()) {
            throw new IllegalArgumentException("state dict key '" + key + "' does not name one of the " + params.size()
                    + " parameters: expected state.<i>.<name> with i in 0.." + (params.size() - 1)
                    + " written in plain decimal (no sign, space or leading zero), got '" + text + "'");
        }
        return (int) index;
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
                    throw new IllegalArgumentException("state dict has no '" + stateKey(i, "step") + "'");
                }
                s.step = StateDicts.decodeStep(step, stateKey(i, "step"));
            } else if (step != null) {
                throw new IllegalArgumentException("unexpected '" + stateKey(i, "step") + "': "
                        + getClass().getSimpleName() + " keeps no step counter");
            }
            int[] shape = params.get(i).shape();
            for (String name : names) {
                String key = stateKey(i, name);
                Tensor t = entries.remove(name);
                if (t == null) {
                    throw new IllegalArgumentException("state dict has no '" + key + "' (" + getClass().getSimpleName()
                            + " keeps " + names + " for each parameter with state" + decidingValues() + ")");
                }
                if (!Arrays.equals(t.shape(), shape)) {
                    throw new IllegalArgumentException("state dict entry '" + key + "' has shape "
                            + Shape.toString(t.shape()) + " but parameter " + i + " has shape " + Shape.toString(shape));
                }
                float[] values = t.data().clone();
                checkBufferValues(key, values, shape, averagesSquares(name));
                s.buffers.put(name, values);
            }
            if (!entries.isEmpty()) {
                List<String> unknown = new ArrayList<>();
                entries.keySet().stream().sorted().forEach(name -> unknown.add("'" + stateKey(i, name) + "'"));
                throw new IllegalArgumentException("unknown state dict entries " + unknown + " ("
                        + getClass().getSimpleName() + " keeps " + names + " for each parameter with state"
                        + decidingValues() + ")");
            }
            checkLoadedState(i, s);
            loaded[i] = s;
        }
        return loaded;
    }

    /** For buffer errors: " under 'param_groups.0.amsgrad' = 0.0", or "" if no hyperparameter decides the buffers. */
    private String decidingValues() {
        List<String> parts = new ArrayList<>();
        Map<String, Double> values = hyperparameters();
        for (String name : hyperparametersDecidingBuffers()) {
            parts.add("'" + GROUP + name + "' = " + values.get(name));
        }
        return parts.isEmpty() ? "" : " under " + String.join(", ", parts);
    }

    /** Refuses the first non-finite value, or negative one when {@code nonNegative}, naming where it is. */
    private static void checkBufferValues(String key, float[] values, int[] shape, boolean nonNegative) {
        for (int k = 0; k < values.length; k++) {
            float v = values[k];
            if (!Float.isFinite(v) || (nonNegative && v < 0)) {
                throw new IllegalArgumentException("state dict entry '" + key + "' should hold finite numbers"
                        + (nonNegative ? " >= 0 (it averages squared gradients)" : "") + ", got " + v + " at index "
                        + multiIndex(k, shape));
            }
        }
    }

    /** The multi-index of flat position {@code flat} in a tensor of {@code shape}, e.g. "[1, 2]". */
    static String multiIndex(int flat, int[] shape) {
        int[] index = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return Arrays.toString(index);
    }

    /** The state dict key of a parameter's entry: {@code state.<index>.<name>}. */
    protected static String stateKey(int index, String name) {
        return STATE + index + "." + name;
    }

    /** The learning rate schedulers start from: PyTorch's {@code initial_lr}, set on first use. */
    final double initialLr() {
        if (initialLr == null) {
            initialLr = lr;
        }
        return initialLr;
    }

    private static void checkLr(double lr) {
        checkHyperparameter(ValueSource.ARGUMENT, "lr", "learning rate", Range.NON_NEGATIVE, lr);
    }

    /**
     * Throws unless {@code range} admits {@code value}; {@code name} is the PyTorch name (e.g. "eps"),
     * {@code description} what an argument error calls it (e.g. "epsilon value"; the name itself for flags).
     */
    protected static void checkHyperparameter(ValueSource source, String name, String description, Range range,
            double value) {
        if (range.admits(value)) {
            return;
        }
        if (source == ValueSource.STATE_DICT) {
            String what = description.equals(name) ? "" : " (" + description + ")";
            throw new IllegalArgumentException("state dict entry '" + GROUP + name + "'" + what + " should be "
                    + range.expected() + ", got " + value);
        }
        throw new IllegalArgumentException("Invalid " + description + ": " + value + " (must be " + range.expected()
                + ")");
    }

    /** Reads a hyperparameter that {@link #applyHyperparameters} requires. */
    protected static double require(Map<String, Double> values, String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing hyperparameter '" + name + "'");
        }
        return v;
    }

    /** Reads a boolean hyperparameter for {@link #applyHyperparameters}: exactly 0 or 1. */
    protected static boolean requireBoolean(Map<String, Double> values, String name) {
        double v = require(values, name);
        checkHyperparameter(ValueSource.STATE_DICT, name, name, Range.BOOLEAN, v);
        return v == 1;
    }

    /** The state dict key of a hyperparameter, for messages: {@code param_groups.0.<name>}. */
    protected static String groupKey(String name) {
        return GROUP + name;
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
