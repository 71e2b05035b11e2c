package org.lstm4j.optim;

import java.util.LinkedHashMap;
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

    /** Advances one epoch and sets the optimizer's learning rate. */
    public final void step() {
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
        out.put("last_epoch", StateDicts.encodeDouble(lastEpoch));
        out.put("_step_count", StateDicts.encodeDouble(stepCount));
        out.put("base_lrs.0", StateDicts.encodeDouble(baseLr));
        out.put("_last_lr.0", StateDicts.encodeDouble(lastLr));
        return out;
    }

    /**
     * Restores counters saved by {@link #stateDict()}. The optimizer's lr is restored by its own state dict.
     *
     * @throws IllegalArgumentException on a missing entry or a base lr different from this scheduler's
     */
    public void loadStateDict(Map<String, Tensor> stateDict) {
        int epoch = (int) StateDicts.decodeDouble(get(stateDict, "last_epoch"), "last_epoch");
        int count = (int) StateDicts.decodeDouble(get(stateDict, "_step_count"), "_step_count");
        double base = StateDicts.decodeDouble(get(stateDict, "base_lrs.0"), "base_lrs.0");
        double last = StateDicts.decodeDouble(get(stateDict, "_last_lr.0"), "_last_lr.0");
        if (base != baseLr) {
            throw new IllegalArgumentException("scheduler state has base lr " + base + " but this scheduler starts from "
                    + baseLr + "; load the optimizer's state dict before creating the scheduler");
        }
        lastEpoch = epoch;
        stepCount = count;
        lastLr = last;
    }

    private static Tensor get(Map<String, Tensor> stateDict, String key) {
        Tensor t = stateDict.get(key);
        if (t == null) {
            throw new IllegalArgumentException("scheduler state dict has no '" + key + "'");
        }
        return t;
    }
}
