package org.lstm4j.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.lstm4j.tensor.Tensor;

/**
 * Base of the learning-rate schedulers, PyTorch's {@code torch.optim.lr_scheduler.LRScheduler}: each
 * {@link #step()} advances the epoch counter and writes a new learning rate into the optimizer.
 * Construction performs the initial step (epoch 0), which sets the optimizer's lr to the schedule's first
 * value; call {@code step()} after each epoch's {@code optimizer.step()}, as in PyTorch.
 *
 * <p>Schedules use PyTorch's chainable (recursive) form: each value is computed from the optimizer's
 * current lr, so values agree with PyTorch's to double rounding.
 */
public abstract class LRScheduler {
    private static final String LAST_EPOCH = "last_epoch";
    private static final String STEP_COUNT = "_step_count";
    private static final String BASE_LR = "base_lrs.0";
    private static final String LAST_LR = "_last_lr.0";
    private static final List<String> KEYS = List.of(LAST_EPOCH, STEP_COUNT, BASE_LR, LAST_LR);

    protected final Optimizer optimizer;
    /** The lr the schedule starts from: the optimizer's {@code initial_lr}. */
    protected final double baseLr;
    /** The epoch counter: 0 after construction, +1 per {@link #step()}. */
    protected int lastEpoch = -1;
    /** Number of {@link #step()} calls including the initial one (PyTorch's {@code _step_count}). */
    protected int stepCount;
    private double lastLr = Double.NaN;

    protected LRScheduler(Optimizer optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.baseLr = optimizer.initialLr();
    }

    /**
     * Performs the initial step; subclass constructors call it last, once their own fields are set (Java
     * runs the base constructor first, so the base cannot do it).
     */
    protected final void initialStep() {
        if (stepCount != 0) {
            throw new IllegalStateException("initialStep() called twice");
        }
        step();
    }

    /**
     * Advances one epoch and sets the optimizer's learning rate.
     *
     * @throws IllegalStateException if the epoch counter would pass {@link Integer#MAX_VALUE}
     */
    public final void step() {
        if (stepCount == Integer.MAX_VALUE || lastEpoch == Integer.MAX_VALUE) {
            throw new IllegalStateException("scheduler counters would overflow (last_epoch " + lastEpoch
                    + ", _step_count " + stepCount + ")");
        }
        stepCount++;
        lastEpoch++;
        double lr = computeLr();
        optimizer.setLr(lr);
        lastLr = lr;
    }

    /** The lr set by the latest {@link #step()}: PyTorch's {@code get_last_lr()} (one group). */
    public final double getLastLr() {
        return lastLr;
    }

    /** The optimizer whose learning rate this schedule sets. */
    public final Optimizer optimizer() {
        return optimizer;
    }

    public final int lastEpoch() {
        return lastEpoch;
    }

    /**
     * The lr for {@link #lastEpoch}, already advanced: PyTorch's chainable {@code get_lr()}, which may read
     * the optimizer's current lr.
     */
    protected abstract double computeLr();

    /** Epoch and step counters plus the last lr (scalars encoded as in {@link Optimizer#stateDict()}). */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put(LAST_EPOCH, StateDicts.encodeDouble(lastEpoch));
        out.put(STEP_COUNT, StateDicts.encodeDouble(stepCount));
        out.put(BASE_LR, StateDicts.encodeDouble(baseLr));
        out.put(LAST_LR, StateDicts.encodeDouble(lastLr));
        return out;
    }

    /**
     * Restores counters saved by {@link #stateDict()}. The optimizer's lr is restored by its own state dict.
     * Everything is checked before anything changes: exactly the four keys of {@link #stateDict()}, each a
     * scalar (0-d, one element, or the exact three-float form); {@code last_epoch} a whole number >= 0 (the
     * initial step of the constructor leaves it at 0, so -1 is never saved); {@code _step_count} a whole
     * number >= 1 (the initial step counts); both at most {@link Integer#MAX_VALUE}; the lrs finite in float32
     * and >= 0, the base lr equal to this scheduler's. The subclasses keep no state of their own: their
     * settings come from the constructor.
     *
     * @throws IllegalArgumentException naming the offending key, what was expected and what it held
     */
    public void loadStateDict(Map<String, Tensor> stateDict) {
        Objects.requireNonNull(stateDict, "stateDict");
        for (String key : stateDict.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown scheduler state dict key '" + key + "' (expected exactly "
                        + KEYS + ")");
            }
        }
        int epoch = counter(stateDict, LAST_EPOCH, 0, "the epoch counter, 0 right after construction");
        int count = counter(stateDict, STEP_COUNT, 1, "step() calls including the constructor's initial one");
        double base = learningRate(stateDict, BASE_LR);
        double last = learningRate(stateDict, LAST_LR);
        if (base != baseLr) {
            throw new IllegalArgumentException("scheduler state dict entry '" + BASE_LR + "' should be this scheduler's"
                    + " base lr " + baseLr + ", got " + base + "; load the optimizer's state dict before creating the"
                    + " scheduler");
        }
        lastEpoch = epoch;
        stepCount = count;
        lastLr = last;
    }

    private static int counter(Map<String, Tensor> stateDict, String key, int min, String meaning) {
        double v = StateDicts.decodeDouble(get(stateDict, key), key);
        if (!(v >= min && v <= Integer.MAX_VALUE && v == Math.rint(v))) {
            throw new IllegalArgumentException("scheduler state dict entry '" + key + "' should be a whole number in ["
                    + min + ", " + Integer.MAX_VALUE + "] (" + meaning + "), got " + v);
        }
        return (int) v;
    }

    private static double learningRate(Map<String, Tensor> stateDict, String key) {
        double v = StateDicts.decodeDouble(get(stateDict, key), key);
        if (!Optimizer.Range.NON_NEGATIVE.admits(v)) {
            throw new IllegalArgumentException("scheduler state dict entry '" + key + "' should be "
                    + Optimizer.Range.NON_NEGATIVE.expected() + ", got " + v);
        }
        return v;
    }

    private static Tensor get(Map<String, Tensor> stateDict, String key) {
        Tensor t = stateDict.get(key);
        if (t == null) {
            throw new IllegalArgumentException("scheduler state dict has no '" + key + "' (expected exactly " + KEYS
                    + ")");
        }
        return t;
    }
}
