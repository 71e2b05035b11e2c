package org.lstm4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.lstm4j.data.Batch;
import org.lstm4j.data.DataLoader;
import org.lstm4j.nn.Module;
import org.lstm4j.nn.utils.ClipGrad;
import org.lstm4j.optim.LRScheduler;
import org.lstm4j.optim.Optimizer;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/**
 * The training loop as a library call: for every batch of a {@link DataLoader}, forward, loss, a check that
 * the loss is finite, backward, optional gradient clipping, the optimizer's update and the scheduler; after
 * every epoch an optional {@link Evaluator}; {@link TrainingListener}s see every step and epoch.
 *
 * <pre>{@code
 * Trainer<IndexTensor> trainer = Trainer.builder(model, model::forward, new CrossEntropyLoss(), adam)
 *         .evaluator(new ClassificationEvaluator(model, model::forward, testLoader, 10))
 *         .listener(progress)
 *         .build();
 * trainer.fit(trainLoader, 5);
 * }</pre>
 *
 * <p>Everything a bit-exact resume needs is the trainer's to save: the model's weights, the optimizer's and
 * the scheduler's state, the position in the epoch (the loader's order and the batches done), the states
 * of the loader's generator, of the process-wide default generator and of the generators registered with
 * {@link Builder#generator}, and the history. {@link #checkpoint} captures them, {@link #restore} puts them
 * back, so the losses after a resume are exactly those of an uninterrupted run.
 *
 * @param <T> the target type of the batches (class indices, or tensors for regression)
 */
public final class Trainer<T> {
    /** The name under which the loader's generator is saved. */
    public static final String LOADER_GENERATOR = "loader";
    /** The name under which the process-wide default generator is saved. */
    public static final String DEFAULT_GENERATOR = "default";

    private final Module model;
    private final Function<Tensor, Tensor> forward;
    private final Loss<T> loss;
    private final Optimizer optimizer;
    private final LRScheduler scheduler;
    private final SchedulerInterval schedulerInterval;
    private final double clipGradNorm;
    private final long maxSteps;
    private final Evaluator evaluator;
    /** Evaluate every this many steps; 0: after every epoch. */
    private final long evaluateEvery;
    private final CarriedState carriedState;
    private final List<TrainingListener> listeners;
    private final Map<String, Generator> generators;

    // Progress, all saved in checkpoints.
    private int epochsDone;
    private long step;
    /** Where the current epoch stands; null between epochs. */
    private DataLoader.Position epochPosition;
    private double epochLossSum;
    private long epochExamples;
    private double epochSeconds;
    private double elapsedSeconds;
    private final List<EpochResult> history = new ArrayList<>();

    private volatile boolean stopRequested;
    private DataLoader<T> loader;
    /** The loader generator's state from a {@link #restore} without a loader, applied by the next fit. */
    private Generator.State pendingLoaderState;

    private Trainer(Builder<T> b) {
        this.model = b.model;
        this.forward = b.forward;
        this.loss = b.loss;
        this.optimizer = b.optimizer;
        this.scheduler = b.scheduler;
        this.schedulerInterval = b.schedulerInterval;
        this.clipGradNorm = b.clipGradNorm;
        this.maxSteps = b.maxSteps;
        this.evaluator = b.evaluator;
        this.evaluateEvery = b.evaluateEvery;
        this.carriedState = b.carriedState;
        this.listeners = List.copyOf(b.listeners);
        this.generators = Collections.unmodifiableMap(new LinkedHashMap<>(b.generators));
    }

    /**
     * @param model     the module whose parameters the optimizer updates (switched to training mode by fit)
     * @param forward   the model's forward pass, batch inputs to outputs, e.g. {@code model::forward}
     * @param loss      outputs and batch targets to a 0-d loss
     * @param optimizer updates the model's parameters
     */
    public static <T> Builder<T> builder(Module model, Function<Tensor, Tensor> forward, Loss<T> loss, Optimizer optimizer) {
        return new Builder<>(model, forward, loss, optimizer);
    }

    /**
     * Trains until {@code epochs} epochs are complete (counting those done before a {@link #restore}), the
     * step limit is reached, or a listener requests a stop. Returns the history of completed epochs.
     *
     * @throws NonFiniteLossException when a loss is NaN or infinite (the weights stay those before that step)
     */
    public List<EpochResult> fit(DataLoader<T> trainLoader, int epochs) {
        Objects.requireNonNull(trainLoader, "trainLoader");
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (trainLoader.numBatches() == 0) {
            throw new IllegalArgumentException("the training loader yields no batch (dataset of " + trainLoader.dataset().size()
                    + " examples, batch size " + trainLoader.batchSize() + (trainLoader.dropLast() ? ", dropLast" : "") + ")");
        }
        this.loader = trainLoader;
        if (pendingLoaderState != null) {
            trainLoader.generator().setState(pendingLoaderState);
            pendingLoaderState = null;
        }
        stopRequested = false;
        long totalSteps = Math.min(maxSteps, (long) epochs * trainLoader.numBatches());
        listeners.forEach(l -> l.onStart(this));
        while (epochsDone < epochs && step < maxSteps && !stopRequested) {
            if (epochPosition == null && carriedState != null) {
                carriedState.reset();
            }
            DataLoader.Epoch<T> epoch = epochPosition == null ? trainLoader.epoch() : trainLoader.resume(epochPosition);
            epochPosition = epoch.position();
            model.train();
            while (epoch.hasNext() && step < maxSteps && !stopRequested) {
                long start = System.nanoTime();
                Batch<T> batch = epoch.next();
                double lr = optimizer.getLr();
                float lossValue = trainStep(batch);
                step++;
                if (scheduler != null && schedulerInterval == SchedulerInterval.STEP) {
                    scheduler.step();
                }
                epochPosition = epoch.position();
                epochLossSum += (double) lossValue * batch.size();
                epochExamples += batch.size();
                double seconds = (System.nanoTime() - start) / 1e9;
                epochSeconds += seconds;
                elapsedSeconds += seconds;
                StepEvent event = new StepEvent(step, totalSteps, epochsDone + 1, epochPosition.batchesDone(),
                        trainLoader.numBatches(), lossValue, batch.size(), lr, elapsedSeconds);
                for (TrainingListener l : listeners) {
                    l.onStep(this, event);
                }
                if (evaluator != null && evaluateEvery > 0 && step % evaluateEvery == 0) {
                    evaluate();
                }
            }
            if (!epoch.hasNext()) {
                finishEpoch();
            }
        }
        listeners.forEach(l -> l.onEnd(this));
        return history();
    }

    /** One update from one batch; returns the batch's loss. */
    private float trainStep(Batch<T> batch) {
        optimizer.zeroGrad();
        Tensor output = forward.apply(batch.inputs());
        Tensor lossTensor = loss.forward(output, batch.targets());
        float value = lossTensor.item();
        if (!Float.isFinite(value)) {
            throw new NonFiniteLossException(step + 1, value, optimizer.getLr());
        }
        lossTensor.backward();
        if (clipGradNorm > 0) {
            ClipGrad.clipGradNorm(optimizer.params(), clipGradNorm);
        }
        optimizer.step();
        return value;
    }

    private void finishEpoch() {
        if (scheduler != null && schedulerInterval == SchedulerInterval.EPOCH) {
            scheduler.step();
        }
        Evaluation validation = evaluator == null || evaluateEvery > 0 ? null : evaluate();
        epochsDone++;
        EpochResult result = new EpochResult(epochsDone, step, epochLossSum / epochExamples, epochExamples, epochSeconds,
                elapsedSeconds, validation);
        history.add(result.withoutConfusion());
        epochPosition = null;
        epochLossSum = 0;
        epochExamples = 0;
        epochSeconds = 0;
        for (TrainingListener l : listeners) {
            l.onEpochEnd(this, result);
        }
    }

    /**
     * Runs the evaluator now (in eval mode, then back to training mode) and tells the listeners. {@link #fit}
     * calls it after every epoch, or every {@link Builder#evaluateEvery} steps; call it yourself for a final
     * figure after a stop.
     *
     * @throws IllegalStateException if the trainer has no evaluator
     */
    public Evaluation evaluate() {
        if (evaluator == null) {
            throw new IllegalStateException("this trainer has no evaluator");
        }
        Evaluation evaluation;
        try {
            evaluation = evaluator.evaluate();
        } finally {
            model.train();
        }
        for (TrainingListener l : listeners) {
            l.onEvaluation(this, step, evaluation);
        }
        return evaluation;
    }

    /** Ends {@link #fit} after the step in progress (callable from listeners and other threads). */
    public void requestStop() {
        stopRequested = true;
    }

    /** Whether a stop was requested during the current (or last) {@link #fit}. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** Optimisation steps taken, across resumes. */
    public long step() {
        return step;
    }

    /** Completed epochs, across resumes. */
    public int epochsDone() {
        return epochsDone;
    }

    /** Training wall time so far, across resumes (validation and checkpoints excluded). */
    public double elapsedSeconds() {
        return elapsedSeconds;
    }

    /** The completed epochs so far (validation without confusion matrices), oldest first. */
    public List<EpochResult> history() {
        return List.copyOf(history);
    }

    public Module model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The scheduler, or null. */
    public LRScheduler scheduler() {
        return scheduler;
    }

    // ------------------------------------------------------------------ checkpoints

    /**
     * Everything needed to continue exactly from here, for {@link Checkpoint#save}.
     *
     * @param modelConfig what rebuilds the model with no other input (e.g. {@code RecurrentClassifier.Config})
     * @param extra       anything the application wants back on resume (e.g. its command-line settings); may be null
     */
    public Checkpoint.Contents checkpoint(JsonNode modelConfig, JsonNode extra) {
        Objects.requireNonNull(modelConfig, "modelConfig");
        Map<String, int[]> generatorStates = new LinkedHashMap<>();
        if (loader != null) {
            generatorStates.put(LOADER_GENERATOR, loader.generator().getState().toInts());
        }
        generatorStates.put(DEFAULT_GENERATOR, Generator.getDefault().getState().toInts());
        generators.forEach((name, g) -> generatorStates.put(name, g.getState().toInts()));
        TrainingState state = new TrainingState(epochsDone, step,
                epochPosition == null ? null : TrainingState.Position.of(epochPosition), epochLossSum, epochExamples,
                epochSeconds, elapsedSeconds, generatorStates, TrainingState.History.of(history), extra);
        return new Checkpoint.Contents(modelConfig, model.stateDict(), optimizer.getClass().getSimpleName(),
                optimizer.stateDict(), scheduler == null ? null : scheduler.getClass().getSimpleName(),
                scheduler == null ? null : scheduler.stateDict(), state,
                carriedState == null ? null : carriedState.stateDict());
    }

    /** {@link #checkpoint} written by {@link Checkpoint#save}; returns the directory of this version. */
    public Path saveCheckpoint(Path root, JsonNode modelConfig, JsonNode extra, boolean best) throws IOException {
        return Checkpoint.save(root, checkpoint(modelConfig, extra), best);
    }

    /**
     * Puts this trainer, its model, optimizer, scheduler and generators where the checkpoint left them. The
     * loader passed to the next {@link #fit} must be built the same way (dataset, batch size, shuffle); its
     * generator is restored here if it is given now, else at the start of {@code fit}.
     *
     * @param loader the training loader whose generator to restore, or null to restore it in {@code fit}
     * @throws IllegalArgumentException naming what does not match (weights, optimizer or scheduler type,
     *     generators); nothing is changed then
     */
    public void restore(Checkpoint checkpoint, DataLoader<T> loader) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Checkpoint.Contents c = checkpoint.contents();
        String where = checkpoint.directory().toString();
        String optimizerType = optimizer.getClass().getSimpleName();
        if (!optimizerType.equals(c.optimizerType())) {
            throw new IllegalArgumentException(where + ": the checkpoint's optimizer is " + c.optimizerType()
                    + ", this trainer's is " + optimizerType);
        }
        String schedulerType = scheduler == null ? null : scheduler.getClass().getSimpleName();
        if (!Objects.equals(schedulerType, c.schedulerType())) {
            throw new IllegalArgumentException(where + ": the checkpoint's scheduler is " + describe(c.schedulerType())
                    + ", this trainer's is " + describe(schedulerType));
        }
        TrainingState s = c.training();
        List<String> expected = new ArrayList<>();
        // A checkpoint taken before the first fit has no loader yet, hence no loader state.
        if (s.generators().containsKey(LOADER_GENERATOR)) {
            expected.add(LOADER_GENERATOR);
        }
        expected.add(DEFAULT_GENERATOR);
        expected.addAll(generators.keySet());
        if (!new java.util.TreeSet<>(s.generators().keySet()).equals(new java.util.TreeSet<>(expected))) {
            throw new IllegalArgumentException(where + ": the checkpoint saved the generators " + s.generators().keySet()
                    + ", this trainer has " + expected);
        }
        Map<String, Generator.State> states = new LinkedHashMap<>();
        s.generators().forEach((name, words) -> states.put(name,
                Generator.State.fromInts(words, where + " generator '" + name + "'")));
        DataLoader.Position position = s.position() == null ? null : s.position().toPosition(where);
        if ((carriedState != null) != (c.carriedState() != null)) {
            throw new IllegalArgumentException(where + ": the checkpoint " + (c.carriedState() != null ? "carries" : "carries no")
                    + " recurrent state between batches, this trainer " + (carriedState != null ? "does" : "does not"));
        }

        // Each load below validates before it changes anything; if a later one fails, the earlier are undone
        // (the carried state is loaded last, so it never needs undoing).
        Map<String, Tensor> weightsBefore = copy(model.stateDict());
        Map<String, Tensor> optimizerBefore = optimizer.stateDict();
        Map<String, Tensor> schedulerBefore = scheduler == null ? null : scheduler.stateDict();
        try {
            model.loadStateDict(c.modelState());
            optimizer.loadStateDict(c.optimizerState());
            if (scheduler != null) {
                scheduler.loadStateDict(c.schedulerState());
            }
            if (carriedState != null) {
                carriedState.loadStateDict(c.carriedState());
            }
        } catch (RuntimeException e) {
            IllegalArgumentException refused = new IllegalArgumentException(where + ": " + e.getMessage(), e);
            model.loadStateDict(weightsBefore);
            try {
                optimizer.loadStateDict(optimizerBefore);
            } catch (RuntimeException rollback) {
                // A live state the checks refuse (non-finite moments after a diverged step) cannot be put back
                // through them; the refusal of the checkpoint is still what the caller needs to see.
                refused.addSuppressed(rollback);
            }
            if (scheduler != null) {
                scheduler.loadStateDict(schedulerBefore);
            }
            throw refused;
        }
        Generator.getDefault().setState(states.get(DEFAULT_GENERATOR));
        generators.forEach((name, g) -> g.setState(states.get(name)));
        pendingLoaderState = states.get(LOADER_GENERATOR);
        if (loader != null && pendingLoaderState != null) {
            loader.generator().setState(pendingLoaderState);
            pendingLoaderState = null;
        }
        epochsDone = s.epochsDone();
        step = s.step();
        epochPosition = position;
        epochLossSum = s.epochLossSum();
        epochExamples = s.epochExamples();
        epochSeconds = s.epochSeconds();
        elapsedSeconds = s.elapsedSeconds();
        history.clear();
        history.addAll(s.history().stream().map(TrainingState.History::toResult).toList());
    }

    private static String describe(String type) {
        return type == null ? "none" : type;
    }

    private static Map<String, Tensor> copy(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k, v.copy()));
        return out;
    }

    /** Configures a {@link Trainer}. */
    public static final class Builder<T> {
        private final Module model;
        private final Function<Tensor, Tensor> forward;
        private final Loss<T> loss;
        private final Optimizer optimizer;
        private LRScheduler scheduler;
        private SchedulerInterval schedulerInterval = SchedulerInterval.EPOCH;
        private double clipGradNorm;
        private long maxSteps = Long.MAX_VALUE;
        private Evaluator evaluator;
        private long evaluateEvery;
        private CarriedState carriedState;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private final Map<String, Generator> generators = new LinkedHashMap<>();

        private Builder(Module model, Function<Tensor, Tensor> forward, Loss<T> loss, Optimizer optimizer) {
            this.model = Objects.requireNonNull(model, "model");
            this.forward = Objects.requireNonNull(forward, "forward");
            this.loss = Objects.requireNonNull(loss, "loss");
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        }

        /** A learning-rate scheduler on this trainer's optimizer, stepped every step or every epoch. */
        public Builder<T> scheduler(LRScheduler value, SchedulerInterval interval) {
            this.scheduler = Objects.requireNonNull(value, "scheduler");
            this.schedulerInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** Clips the gradients' global L2 norm to {@code maxNorm} before each update ({@code clip_grad_norm_}). */
        public Builder<T> clipGradNorm(double maxNorm) {
            if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
                throw new IllegalArgumentException("clipGradNorm must be positive and finite, got " + maxNorm);
            }
            this.clipGradNorm = maxNorm;
            return this;
        }

        /** Stops after this many optimisation steps in all (counting those before a resume). */
        public Builder<T> maxSteps(long value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxSteps must be at least 1, got " + value);
            }
            this.maxSteps = value;
            return this;
        }

        /** Runs after every epoch; its figures go into {@link EpochResult#validation()}. */
        public Builder<T> evaluator(Evaluator value) {
            this.evaluator = Objects.requireNonNull(value, "evaluator");
            return this;
        }

        /**
         * Runs the evaluator every {@code steps} optimisation steps instead of after every epoch (for long
         * epochs, as a language model's); its figures reach {@link TrainingListener#onEvaluation}.
         */
        public Builder<T> evaluateEvery(long steps) {
            if (steps < 1) {
                throw new IllegalArgumentException("evaluateEvery must be at least 1 step, got " + steps);
            }
            this.evaluateEvery = steps;
            return this;
        }

        /**
         * State carried from batch to batch (the recurrent state of truncated BPTT, usually the
         * {@link TruncatedBptt} that is also the forward function): reset at every epoch's start, saved in
         * checkpoints and restored with them.
         */
        public Builder<T> carriedState(CarriedState value) {
            this.carriedState = Objects.requireNonNull(value, "carriedState");
            return this;
        }

        public Builder<T> listener(TrainingListener value) {
            listeners.add(Objects.requireNonNull(value, "listener"));
            return this;
        }

        /**
         * A generator whose state belongs in checkpoints, e.g. the one a model draws its dropout masks from.
         * The loader's and the default generator are saved anyway.
         */
        public Builder<T> generator(String name, Generator value) {
            Objects.requireNonNull(name, "name");
            if (name.equals(LOADER_GENERATOR) || name.equals(DEFAULT_GENERATOR) || generators.containsKey(name)) {
                throw new IllegalArgumentException("generator name '" + name + "' is taken");
            }
            generators.put(name, Objects.requireNonNull(value, "generator"));
            return this;
        }

        public Trainer<T> build() {
            if (scheduler != null && scheduler.optimizer() != optimizer) {
                throw new IllegalArgumentException("the scheduler drives another optimizer than the trainer's");
            }
            if (evaluateEvery > 0 && evaluator == null) {
                throw new IllegalArgumentException("evaluateEvery needs an evaluator");
            }
            return new Trainer<>(this);
        }
    }
}
