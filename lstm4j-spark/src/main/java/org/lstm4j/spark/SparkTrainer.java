package org.lstm4j.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.lstm4j.data.Batch;
import org.lstm4j.data.DataLoader;
import org.lstm4j.data.Dataset;
import org.lstm4j.nn.Module;
import org.lstm4j.nn.utils.ClipGrad;
import org.lstm4j.optim.LRScheduler;
import org.lstm4j.optim.Optimizer;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.train.Checkpoint;
import org.lstm4j.train.EpochResult;
import org.lstm4j.train.Evaluation;
import org.lstm4j.train.Evaluator;
import org.lstm4j.train.NonFiniteLossException;
import org.lstm4j.train.SchedulerInterval;
import org.lstm4j.train.TrainingState;

/**
 * Synchronous data-parallel training on Spark with the result of single-process training.
 *
 * <p>Every step: the driver takes the next global batch of example indices from a seeded permutation
 * (a {@link DataLoader} over the example indices, so the order is exactly the single-process loader's with
 * the same seed, batch size, shuffle and dropLast), splits it by partition, broadcasts its parameters, and
 * runs one Spark job in which each partition computes the gradient of its share, the mean loss over the
 * share weighted by share / batch size, so the shares add up to the gradient of the batch mean. The driver
 * sums the gradients in partition order (the same float additions whatever the scheduling), clips, and
 * applies one optimizer update (and the scheduler) to its own model. The difference from single-process
 * training is float rounding only: the batch's sums are split at partition boundaries.
 *
 * <p>Faults: a task that fails is retried by Spark and computes the same gradient again; the driver updates
 * only after the whole job returned, so a step is never lost nor applied twice. A lost executor's tasks and
 * cached partitions are recomputed elsewhere (the examples RDD must give the same partitions in the same order
 * each time it is computed: parallelized collections and files do, an unsorted shuffle does not). Checkpoints
 * every N steps ({@link Builder#checkpointEvery}) go to a Hadoop-compatible path in lstm4j's format;
 * {@link #restore} continues from one exactly.
 *
 * <pre>{@code
 * SparkTrainer<RecurrentClassifier, LabeledSequence, IndexTensor> trainer = SparkTrainer.builder(
 *                 examples, LabeledSequence::collate,
 *                 Rows::newModel, RecurrentClassifier::forward,   // a static factory: Config is not serializable
 *                 CrossEntropyLoss::new, params -> new Adam(params, 1e-3))
 *         .batchSize(100).shuffleSeed(1)
 *         .checkpointEvery(100, "hdfs:///user/me/run1")
 *         .build();
 * trainer.fit(5);
 * }</pre>
 *
 * <p>Truncated BPTT ({@link #truncatedBptt}): batch rows are streams whose recurrent state carries from one
 * batch to the next, as with {@link org.lstm4j.train.TruncatedBptt} in one process. Rows are independent in a
 * recurrence, so a partition needs only its rows' state: the driver keeps the whole state, sends each partition
 * its rows with the step's task, takes back their new final state (detached) with the gradient and writes it
 * in after the job. The examples are cached by row (partition p holds the same rows of every batch), the state
 * starts at zeros each epoch and is saved in checkpoints, so retries, lost executors and restores continue
 * exactly.
 *
 * <p>Models with dropout train, but not to single-process results: each share draws its own masks.
 *
 * @param <M> the model type
 * @param <E> the example type held by the RDD
 * @param <T> the batch target type
 */
public final class SparkTrainer<M extends Module, E, T> {
    /** The name of the example order's generator in checkpoints (the single-process Trainer's name too). */
    public static final String ORDER_GENERATOR = "loader";

    private final JavaSparkContext sc;
    private final JavaRDD<E> examples;
    private final Collator<E, T> collator;
    private final ModelFactory<M> modelFactory;
    /** The forward pass; null with truncated BPTT. */
    private final ForwardFunction<M> forward;
    /** The forward pass from a carried state (truncated BPTT), or null. */
    private final StatefulForwardFunction<M> statefulForward;
    /** With truncated BPTT, every batch row's carried state; else null. */
    private final StreamStates streamStates;
    private final LossFactory<T> lossFactory;
    private final M model;
    private final List<Tensor> params;
    private final int[] parameterSizes;
    private final Optimizer optimizer;
    private final LRScheduler scheduler;
    private final SchedulerInterval schedulerInterval;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long shuffleSeed;
    private final double clipGradNorm;
    private final long maxSteps;
    private final String checkpointPath;
    private final long checkpointEvery;
    private final JsonNode modelConfig;
    private final JsonNode checkpointExtra;
    private final Evaluator evaluator;
    /** Evaluate every this many steps; 0: after every epoch. */
    private final long evaluateEvery;
    private final Duration executorTimeout;
    private final List<SparkTrainingListener> listeners;
    /** Keys this run's models in the executors' caches. */
    private final String runId = UUID.randomUUID().toString();

    // The data, prepared by the first fit.
    private JavaRDD<List<E>> partitions;
    private ExamplePlacement placement;
    private int exampleCount;
    private DataLoader<int[]> order;

    // Progress, saved in checkpoints.
    private int epochsDone;
    private long step;
    private DataLoader.Position epochPosition;
    private double epochLossSum;
    private long epochExamples;
    private double epochSeconds;
    private double elapsedSeconds;
    private final List<EpochResult> history = new ArrayList<>();
    /** The step of the last checkpoint written, so the end of a fit does not write the same one again. */
    private long lastCheckpointStep = -1;
    /** The order generator's state from a restore before the data was prepared. */
    private Generator.State pendingOrderState;
    private volatile boolean stopRequested;

    private SparkTrainer(Builder<M, E, T> b) {
        this.examples = b.examples;
        this.sc = JavaSparkContext.fromSparkContext(b.examples.context());
        this.collator = b.collator;
        this.modelFactory = b.modelFactory;
        this.forward = b.forward;
        this.statefulForward = b.statefulForward;
        this.streamStates = b.statefulForward == null ? null : new StreamStates(b.batchSize);
        this.lossFactory = b.lossFactory;
        this.model = Objects.requireNonNull(b.modelFactory.create(), "the model factory returned null");
        this.params = model.parameters();
        this.parameterSizes = ParameterVector.sizes(params);
        this.optimizer = Objects.requireNonNull(b.optimizerFactory.apply(params), "the optimizer factory returned null");
        if (!optimizer.params().equals(params)) {
            throw new IllegalArgumentException("the optimizer must optimize exactly the model's parameters, in order");
        }
        this.scheduler = b.schedulerFactory == null ? null : b.schedulerFactory.apply(optimizer);
        this.schedulerInterval = b.schedulerInterval;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.shuffleSeed = b.shuffleSeed;
        this.clipGradNorm = b.clipGradNorm;
        this.maxSteps = b.maxSteps;
        this.checkpointPath = b.checkpointPath;
        this.checkpointEvery = b.checkpointEvery;
        this.modelConfig = b.modelConfig;
        this.checkpointExtra = b.checkpointExtra;
        this.evaluator = b.evaluatorFactory == null ? null : b.evaluatorFactory.apply(model);
        this.evaluateEvery = b.evaluateEvery;
        this.executorTimeout = b.executorTimeout;
        this.listeners = List.copyOf(b.listeners);
        if (checkpointPath != null) {
            HadoopCheckpoints.checkWritable(checkpointPath, sc.hadoopConfiguration());
        }
    }

    /**
     * @param examples         the training examples; partitions are the unit of parallelism
     * @param collator         a partition's share of a batch (examples in batch order) to one {@link Batch}
     * @param modelFactory     builds the same model on the driver and the executors
     * @param forward          the forward pass, e.g. {@code RecurrentClassifier::forward}
     * @param lossFactory      the mean loss over a batch, e.g. {@code CrossEntropyLoss::new}
     * @param optimizerFactory the optimizer of the driver's model, e.g. {@code p -> new Adam(p, 1e-3)}
     */
    public static <M extends Module, E, T> Builder<M, E, T> builder(JavaRDD<E> examples, Collator<E, T> collator,
            ModelFactory<M> modelFactory, ForwardFunction<M> forward, LossFactory<T> lossFactory,
            Function<List<Tensor>, Optimizer> optimizerFactory) {
        return new Builder<>(examples, collator, modelFactory, Objects.requireNonNull(forward, "forward"), null,
                lossFactory, optimizerFactory);
    }

    /**
     * A trainer for truncated BPTT: the examples are windows of parallel streams laid out as
     * {@link org.lstm4j.data.ParallelStreams} (example w × B + s is window w of stream s, B = the batch size),
     * read in order (no shuffle), each batch row starting from the final state of the
     * same row of the previous batch, detached; zeros at the start of every epoch. The same training as
     * {@code Trainer.builder(model, new TruncatedBptt(model::forward), ...).carriedState(bptt)} in one process.
     *
     * @param forward the forward pass from a state, e.g. {@code CharLanguageModel::forward}
     * @see #builder
     */
    public static <M extends Module, E, T> Builder<M, E, T> truncatedBptt(JavaRDD<E> examples, Collator<E, T> collator,
            ModelFactory<M> modelFactory, StatefulForwardFunction<M> forward, LossFactory<T> lossFactory,
            Function<List<Tensor>, Optimizer> optimizerFactory) {
        return new Builder<>(examples, collator, modelFactory, null, Objects.requireNonNull(forward, "forward"),
                lossFactory, optimizerFactory);
    }

    /**
     * Trains until {@code epochs} epochs are complete (counting those before a {@link #restore}), the step
     * limit is reached or a stop is requested; with a checkpoint path, saves a checkpoint at the end too.
     *
     * @throws NonFiniteLossException when a batch's loss is NaN or infinite (the weights stay those before it)
     * @throws IllegalStateException when no executor registers within the executor timeout
     */
    public SparkTrainingSummary fit(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        prepare();
        stopRequested = false;
        long stepsBefore = step;
        double secondsBefore = elapsedSeconds;
        long bytes = 0;
        int retried = 0;
        float lastLoss = Float.NaN;
        for (SparkTrainingListener l : listeners) {
            l.onStart(this);
        }
        while (epochsDone < epochs && step < maxSteps && !stopRequested) {
            if (epochPosition == null && streamStates != null) {
                // A new epoch reads every stream from its start: from zeros, as TruncatedBptt under Trainer.
                streamStates.reset();
            }
            DataLoader.Epoch<int[]> epoch = epochPosition == null ? order.epoch() : order.resume(epochPosition);
            epochPosition = epoch.position();
            while (epoch.hasNext() && step < maxSteps && !stopRequested) {
                SparkStepEvent event = trainStep(epoch.next().targets());
                epochPosition = epoch.position();
                lastLoss = event.loss();
                bytes += event.totalBytes();
                retried += event.retriedTasks();
                for (SparkTrainingListener l : listeners) {
                    l.onStep(this, event);
                }
                if (checkpointPath != null && step % checkpointEvery == 0) {
                    saveCheckpoint();
                }
                if (evaluator != null && evaluateEvery > 0 && step % evaluateEvery == 0) {
                    evaluate();
                }
            }
            if (!epoch.hasNext()) {
                finishEpoch();
            }
        }
        if (checkpointPath != null && step > stepsBefore && lastCheckpointStep != step) {
            saveCheckpoint();
        }
        long steps = step - stepsBefore;
        double seconds = elapsedSeconds - secondsBefore;
        return new SparkTrainingSummary(step, epochsDone, steps, lastLoss, seconds, steps == 0 ? 0 : bytes / steps,
                retried);
    }

    /** As {@link org.lstm4j.train.Trainer}'s: scheduler, evaluation, the epoch's result to the listeners. */
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
        for (SparkTrainingListener l : listeners) {
            l.onEpochEnd(this, result);
        }
    }

    /**
     * Runs the evaluator on the driver's model now (in eval mode; the executors' copies are not involved) and
     * tells the listeners.
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
        for (SparkTrainingListener l : listeners) {
            l.onEvaluation(this, step, evaluation);
        }
        return evaluation;
    }

    /** One synchronous step over the batch of these example indices. */
    private SparkStepEvent trainStep(int[] batch) {
        long start = System.nanoTime();
        int partitionCount = placement.partitions();
        int[][] batchPositions = batchPositions(batch, partitionCount);
        int[][] shares = new int[partitionCount][];
        CarriedRows[] carriedIn = streamStates == null ? null : new CarriedRows[partitionCount];
        for (int p = 0; p < partitionCount; p++) {
            shares[p] = new int[batchPositions[p].length];
            for (int j = 0; j < shares[p].length; j++) {
                shares[p][j] = placement.positionOf(batch[batchPositions[p][j]], p);
            }
            if (carriedIn != null && shares[p].length > 0) {
                carriedIn[p] = streamStates.rows(batchPositions[p]);
            }
        }
        long nextStep = step + 1;
        double lr = optimizer.getLr();
        Broadcast<float[]> broadcast = sc.broadcast(ParameterVector.flatten(params));
        GradientTask<M, E, T> task = new GradientTask<>(runId, nextStep, modelFactory, forward, statefulForward,
                lossFactory, collator, broadcast, parameterSizes, shares, batch.length, carriedIn);
        // Measured while the broadcast is alive: a destroyed broadcast refuses to be serialized.
        long taskBytes = serializedSize(task);
        List<ShareGradient> results;
        long jobStart = System.nanoTime();
        try {
            sc.setJobDescription("lstm4j step " + nextStep);
            results = partitions.mapPartitionsWithIndex(task, false).collect();
        } finally {
            broadcast.destroy();
        }
        long jobEnd = System.nanoTime();
        if (results.size() != partitionCount) {
            throw new IllegalStateException("step " + nextStep + ": expected one gradient per partition (" + partitionCount
                    + "), got " + results.size());
        }
        float[] sum = null;
        boolean[] reached = new boolean[params.size()];
        double loss = 0;
        long computeNanos = 0;
        int computed = 0;
        int retried = 0;
        for (int p = 0; p < partitionCount; p++) {
            ShareGradient r = results.get(p);
            if (r.partition() != p) {
                throw new IllegalStateException("step " + nextStep + ": gradient " + p + " came from partition " + r.partition());
            }
            if (r.attempt() > 0) {
                retried++;
            }
            if (r.gradient() == null) {
                continue;
            }
            computed++;
            computeNanos = Math.max(computeNanos, r.computeNanos());
            loss += r.scaledLoss();
            // In partition order: the same additions whatever order the tasks finished in.
            if (sum == null) {
                sum = r.gradient();
            } else {
                float[] g = r.gradient();
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += g[i];
                }
            }
            for (int i = 0; i < reached.length; i++) {
                reached[i] |= r.hasGradient()[i];
            }
        }
        float lossValue = (float) loss;
        if (!Float.isFinite(lossValue)) {
            throw new NonFiniteLossException(nextStep, lossValue, optimizer.getLr());
        }
        long stateBytes = 0;
        if (streamStates != null) {
            for (int p = 0; p < partitionCount; p++) {
                CarriedRows carried = results.get(p).carried();
                if (batchPositions[p].length > 0) {
                    if (carried == null) {
                        throw new IllegalStateException("step " + nextStep + ": partition " + p + " returned no carried state");
                    }
                    streamStates.write(batchPositions[p], carried, nextStep);
                    stateBytes += carried.bytes();
                }
            }
        }
        int offset = 0;
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            int n = parameterSizes[i];
            p.setGrad(reached[i] ? Tensor.of(Arrays.copyOfRange(sum, offset, offset + n), p.shape()) : null);
            offset += n;
        }
        if (clipGradNorm > 0) {
            ClipGrad.clipGradNorm(params, clipGradNorm);
        }
        optimizer.step();
        if (scheduler != null && schedulerInterval == SchedulerInterval.STEP) {
            scheduler.step();
        }
        step = nextStep;
        epochLossSum += (double) lossValue * batch.length;
        epochExamples += batch.length;
        long end = System.nanoTime();
        double seconds = (end - start) / 1e9;
        epochSeconds += seconds;
        elapsedSeconds += seconds;
        long parameterBytes = 4L * sum.length;
        return new SparkStepEvent(step, epochsDone + 1, epochPosition.batchesDone() + 1, order.numBatches(), lossValue, lr,
                batch.length, computed, seconds,
                (jobEnd - jobStart) / 1e9, computeNanos / 1e9, (end - jobEnd) / 1e9, parameterBytes,
                taskBytes, parameterBytes * computed, stateBytes, retried);
    }

    /**
     * Per partition, the positions in the batch (its rows) of the examples that partition holds, in batch order:
     * which examples its share gathers, and, with truncated BPTT, which rows of the carried state it continues.
     */
    private int[][] batchPositions(int[] batch, int partitionCount) {
        int[] counts = new int[partitionCount];
        int[] owner = new int[batch.length];
        for (int i = 0; i < batch.length; i++) {
            owner[i] = placement.partitionOf(batch[i]);
            counts[owner[i]]++;
        }
        int[][] positions = new int[partitionCount][];
        for (int p = 0; p < partitionCount; p++) {
            positions[p] = new int[counts[p]];
        }
        int[] filled = new int[partitionCount];
        for (int i = 0; i < batch.length; i++) {
            int p = owner[i];
            positions[p][filled[p]++] = i;
        }
        return positions;
    }

    /** Caches the examples by partition, counts them and sets up the order of the batches (once). */
    private void prepare() {
        if (partitions != null) {
            return;
        }
        waitForExecutors();
        List<Integer> sizes = examples.mapPartitions(SparkTrainer::count).collect();
        int[] offsets = new int[sizes.size() + 1];
        long total = 0;
        for (int p = 0; p < sizes.size(); p++) {
            total += sizes.get(p);
            if (total > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("more than " + (Integer.MAX_VALUE - 8) + " examples: not supported");
            }
            offsets[p + 1] = (int) total;
        }
        exampleCount = (int) total;
        if (exampleCount == 0) {
            throw new IllegalArgumentException("the examples RDD is empty (" + sizes.size() + " partitions)");
        }
        if (streamStates != null && exampleCount % batchSize != 0 && !dropLast) {
            throw new IllegalArgumentException("truncated BPTT needs full batches, every row a stream: " + exampleCount
                    + " examples are not a whole number of batches of " + batchSize + " (expected windows × streams,"
                    + " as ParallelStreams lays them out; or set dropLast)");
        }
        ExamplePlacement placed = streamStates == null ? ExamplePlacement.indexRanges(offsets)
                : ExamplePlacement.streamRows(batchSize, sizes.size());
        List<Integer> expected = placed.sizes(exampleCount);
        // Through a shuffle by placement, so that each partition holds its examples in index order, and the
        // cached partitions no longer descend from the source's partitions: a parallelized collection's
        // partitions hold their data, and Spark ships a task's partition with the task, every step.
        JavaRDD<List<E>> byPartition = examples.zipWithIndex()
                .mapToPair(SparkTrainer::indexFirst)
                .repartitionAndSortWithinPartitions(placed.partitioner())
                .values().glom().setName("lstm4j examples by partition");
        byPartition.persist(StorageLevel.MEMORY_AND_DISK());
        List<Integer> cached = byPartition.map(List::size).collect();
        if (!cached.equals(expected)) {
            byPartition.unpersist(false);
            throw new IllegalStateException("the examples RDD gave " + exampleCount + " examples in partitions of " + sizes
                    + ", placed as " + expected + ", then " + cached
                    + ": it must give the same partitions every time it is computed");
        }
        order = DataLoader.builder(new ExampleIndices(exampleCount)).batchSize(batchSize).shuffle(shuffle)
                .dropLast(dropLast).generator(new Generator(shuffleSeed)).build();
        if (order.numBatches() == 0) {
            byPartition.unpersist(false);
            throw new IllegalArgumentException("an epoch has no batch: " + exampleCount + " examples, batch size "
                    + batchSize + ", dropLast");
        }
        if (pendingOrderState != null) {
            order.generator().setState(pendingOrderState);
            pendingOrderState = null;
        }
        placement = placed;
        partitions = byPartition;
    }

    private static <E> java.util.Iterator<Integer> count(java.util.Iterator<E> examples) {
        int n = 0;
        for (; examples.hasNext(); examples.next()) {
            n++;
        }
        return List.of(n).iterator();
    }

    private static <E> scala.Tuple2<Long, E> indexFirst(scala.Tuple2<E, Long> exampleAndIndex) {
        return new scala.Tuple2<>(exampleAndIndex._2(), exampleAndIndex._1());
    }

    /** Waits until a cluster gave the application an executor, or fails naming the master and what to check. */
    private void waitForExecutors() {
        if (sc.isLocal()) {
            return;
        }
        long deadline = System.nanoTime() + executorTimeout.toNanos();
        // The status tracker lists the driver too.
        while (sc.sc().statusTracker().getExecutorInfos().length < 2) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no executor registered with the application within "
                        + executorTimeout.toSeconds() + " s (master " + sc.master() + "): the master gave it no"
                        + " executor. Check that workers are registered with the master and have free cores and"
                        + " memory for spark.executor.cores / spark.executor.memory / spark.task.cpus");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for executors", e);
            }
        }
    }

    /** Ends {@link #fit} after the step in progress (callable from a listener or another thread). */
    public void requestStop() {
        stopRequested = true;
    }

    // ------------------------------------------------------------------ checkpoints

    /** Everything needed to continue from here, in {@link Checkpoint}'s format. */
    public Checkpoint.Contents checkpoint() {
        return checkpoint(modelConfig, checkpointExtra);
    }

    /**
     * As {@link #checkpoint()}, with this model description and extra data (a JSON object, or null) instead of the
     * builder's: for applications whose extra data changes during the run.
     */
    public Checkpoint.Contents checkpoint(JsonNode modelDescription, JsonNode extra) {
        Map<String, int[]> generators = new LinkedHashMap<>();
        Generator.State orderState = order != null ? order.generator().getState()
                : pendingOrderState != null ? pendingOrderState : new Generator(shuffleSeed).getState();
        generators.put(ORDER_GENERATOR, orderState.toInts());
        TrainingState.Position position = epochPosition == null ? null : new TrainingState.Position(
                epochPosition.orderState() == null ? null : epochPosition.orderState().toInts(), epochPosition.batchesDone());
        TrainingState state = new TrainingState(epochsDone, step, position, epochLossSum, epochExamples, epochSeconds,
                elapsedSeconds, generators, TrainingState.History.of(history), settings(extra));
        return new Checkpoint.Contents(modelDescription, model.stateDict(), optimizer.getClass().getSimpleName(),
                optimizer.stateDict(), scheduler == null ? null : scheduler.getClass().getSimpleName(),
                scheduler == null ? null : scheduler.stateDict(), state,
                streamStates == null ? null : streamStates.stateDict());
    }

    /** The settings a resumed run must share with this one, saved as the checkpoint's extra data. */
    private JsonNode settings(JsonNode applicationExtra) {
        ObjectNode spark = Checkpoint.json().createObjectNode();
        spark.put("batchSize", batchSize);
        spark.put("shuffle", shuffle);
        spark.put("dropLast", dropLast);
        spark.put("shuffleSeed", shuffleSeed);
        if (order != null) {
            spark.put("examples", exampleCount);
        }
        ObjectNode extra = applicationExtra == null ? Checkpoint.json().createObjectNode() : applicationExtra.deepCopy();
        extra.set("spark", spark);
        return extra;
    }

    private void saveCheckpoint() {
        lastCheckpointStep = step;
        try {
            String path = HadoopCheckpoints.save(checkpointPath, checkpoint(), sc.hadoopConfiguration());
            for (SparkTrainingListener l : listeners) {
                l.onCheckpoint(this, step, path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the checkpoint of step " + step + " under " + checkpointPath
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Continues from the latest checkpoint under {@code path} (any Hadoop-compatible path): weights, optimizer
     * and scheduler state, step, epoch and position in it, the order's generator, and with truncated BPTT the
     * carried state.
     *
     * @throws IllegalArgumentException naming what does not match this trainer (optimizer or scheduler type,
     *     batch settings, number of examples, weights); nothing is changed then
     * @throws IOException if the checkpoint cannot be read (a missing one: {@link java.nio.file.NoSuchFileException})
     */
    public void restore(String path) throws IOException {
        restore(HadoopCheckpoints.load(path, sc.hadoopConfiguration()), path);
    }

    /**
     * Continues from a checkpoint already read (e.g. by {@link Checkpoint#load} from a local directory);
     * {@code where} names it in messages. As {@link #restore(String)} otherwise.
     */
    public void restore(Checkpoint checkpoint, String where) {
        Checkpoint.Contents c = checkpoint.contents();
        String optimizerType = optimizer.getClass().getSimpleName();
        if (!optimizerType.equals(c.optimizerType())) {
            throw new IllegalArgumentException(where + ": the checkpoint's optimizer is " + c.optimizerType()
                    + ", this trainer's is " + optimizerType);
        }
        String schedulerType = scheduler == null ? null : scheduler.getClass().getSimpleName();
        if (!Objects.equals(schedulerType, c.schedulerType())) {
            throw new IllegalArgumentException(where + ": the checkpoint's scheduler is " + c.schedulerType()
                    + ", this trainer's is " + schedulerType);
        }
        TrainingState s = c.training();
        JsonNode saved = s.extra() == null ? null : s.extra().get("spark");
        if (saved == null) {
            throw new IllegalArgumentException(where + ": not a checkpoint of a SparkTrainer (no spark settings)");
        }
        JsonNode mine = settings(null).get("spark");
        for (String key : List.of("batchSize", "shuffle", "dropLast", "shuffleSeed")) {
            // As text: JSON reads a long that fits in an int back as an int node, unequal to the long node.
            if (!Objects.equals(text(saved.get(key)), text(mine.get(key)))) {
                throw new IllegalArgumentException(where + ": the checkpoint was trained with " + key + " " + saved.get(key)
                        + ", this trainer has " + mine.get(key) + ": the batches would not continue the same order");
            }
        }
        if (order != null && saved.has("examples") && saved.get("examples").asInt() != exampleCount) {
            throw new IllegalArgumentException(where + ": the checkpoint was trained on " + saved.get("examples").asInt()
                    + " examples, this trainer's RDD has " + exampleCount);
        }
        int[] orderWords = s.generators().get(ORDER_GENERATOR);
        if (orderWords == null) {
            throw new IllegalArgumentException(where + ": the checkpoint has no '" + ORDER_GENERATOR + "' generator state");
        }
        Generator.State orderState = Generator.State.fromInts(orderWords, where + " generator '" + ORDER_GENERATOR + "'");
        DataLoader.Position position = s.position() == null ? null : new DataLoader.Position(
                s.position().orderState() == null ? null
                        : Generator.State.fromInts(s.position().orderState(), where + " epoch order state"),
                s.position().batchesDone());
        if ((streamStates != null) != (c.carriedState() != null)) {
            throw new IllegalArgumentException(where + ": the checkpoint " + (c.carriedState() != null ? "carries" : "carries no")
                    + " recurrent state between batches (truncated BPTT), this trainer " + (streamStates != null ? "does" : "does not"));
        }
        // Checked now, loaded last: nothing changes when any part is refused.
        Runnable loadCarriedState = streamStates == null ? () -> {} : streamStates.checkedLoad(c.carriedState(), where);
        Map<String, Tensor> weightsBefore = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> weightsBefore.put(k, v.copy()));
        Map<String, Tensor> optimizerBefore = optimizer.stateDict();
        try {
            model.loadStateDict(c.modelState());
            optimizer.loadStateDict(c.optimizerState());
            if (scheduler != null) {
                scheduler.loadStateDict(c.schedulerState());
            }
        } catch (RuntimeException e) {
            model.loadStateDict(weightsBefore);
            optimizer.loadStateDict(optimizerBefore);
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        if (order != null) {
            order.generator().setState(orderState);
        } else {
            pendingOrderState = orderState;
        }
        loadCarriedState.run();
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

    // ------------------------------------------------------------------ accessors

    /** The driver's model: the one trained (the executors' copies get its parameters every step). */
    public M model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** Optimisation steps taken, across resumes. */
    public long step() {
        return step;
    }

    /** Completed epochs, across resumes. */
    public int epochsDone() {
        return epochsDone;
    }

    /** Training wall time so far, across resumes (evaluation and checkpoints excluded). */
    public double elapsedSeconds() {
        return elapsedSeconds;
    }

    /** The completed epochs so far (validation without confusion matrices), oldest first. */
    public List<EpochResult> history() {
        return List.copyOf(history);
    }

    /** Batches in one epoch (known after the first fit has prepared the data), or 0. */
    public int batchesPerEpoch() {
        return order == null ? 0 : order.numBatches();
    }

    /** The scheduler, or null. */
    public LRScheduler scheduler() {
        return scheduler;
    }

    /** Whether a stop was requested during the current (or last) fit. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** Number of partitions of the examples (known after the first fit), or 0. */
    public int partitions() {
        return placement == null ? 0 : placement.partitions();
    }

    /** Drops the cached examples from the executors. */
    public void release() {
        if (partitions != null) {
            partitions.unpersist(false);
        }
    }

    private static String text(JsonNode node) {
        return node == null ? null : node.asText();
    }

    private static long serializedSize(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.size();
    }

    /** The example indices 0..n-1 as a dataset, so a {@link DataLoader} draws the batches' order. */
    private record ExampleIndices(int size) implements Dataset<int[]> {
        @Override
        public Batch<int[]> gather(int[] indices, int from, int count) {
            // The loader needs a batch; only the indices (the targets) are used.
            return new Batch<>(Tensor.zeros(count, 1), Arrays.copyOfRange(indices, from, from + count));
        }
    }

    /** Configures a {@link SparkTrainer}. */
    public static final class Builder<M extends Module, E, T> {
        private final JavaRDD<E> examples;
        private final Collator<E, T> collator;
        private final ModelFactory<M> modelFactory;
        private final ForwardFunction<M> forward;
        private final StatefulForwardFunction<M> statefulForward;
        private final LossFactory<T> lossFactory;
        private final Function<List<Tensor>, Optimizer> optimizerFactory;
        private Function<Optimizer, LRScheduler> schedulerFactory;
        private SchedulerInterval schedulerInterval = SchedulerInterval.EPOCH;
        private int batchSize;
        private boolean shuffle;
        private boolean dropLast;
        private long shuffleSeed;
        private double clipGradNorm;
        private long maxSteps = Long.MAX_VALUE;
        private String checkpointPath;
        private long checkpointEvery;
        private JsonNode modelConfig = Checkpoint.json().createObjectNode();
        private JsonNode checkpointExtra;
        private Function<M, Evaluator> evaluatorFactory;
        private long evaluateEvery;
        private Duration executorTimeout = Duration.ofSeconds(120);
        private final List<SparkTrainingListener> listeners = new ArrayList<>();

        /** Exactly one of {@code forward} and {@code statefulForward}. */
        private Builder(JavaRDD<E> examples, Collator<E, T> collator, ModelFactory<M> modelFactory,
                ForwardFunction<M> forward, StatefulForwardFunction<M> statefulForward, LossFactory<T> lossFactory,
                Function<List<Tensor>, Optimizer> optimizerFactory) {
            this.examples = Objects.requireNonNull(examples, "examples");
            this.collator = Objects.requireNonNull(collator, "collator");
            this.modelFactory = Objects.requireNonNull(modelFactory, "modelFactory");
            this.forward = forward;
            this.statefulForward = statefulForward;
            this.shuffle = statefulForward == null;
            this.lossFactory = Objects.requireNonNull(lossFactory, "lossFactory");
            this.optimizerFactory = Objects.requireNonNull(optimizerFactory, "optimizerFactory");
        }

        /** Examples in the global batch of every step (required). */
        public Builder<M, E, T> batchSize(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("batch size must be positive, got " + value);
            }
            this.batchSize = value;
            return this;
        }

        /**
         * Whether each epoch visits the examples in a new order, as {@link DataLoader}: default true, except with
         * truncated BPTT, which reads the batches in order (and refuses true).
         */
        public Builder<M, E, T> shuffle(boolean value) {
            this.shuffle = value;
            return this;
        }

        /** Leave out the last batch of an epoch when it is partial (default false), as {@link DataLoader}. */
        public Builder<M, E, T> dropLast(boolean value) {
            this.dropLast = value;
            return this;
        }

        /**
         * The seed of the order's generator (default 0): the same orders as a {@link DataLoader} built with
         * {@code generator(new Generator(seed))}.
         */
        public Builder<M, E, T> shuffleSeed(long value) {
            this.shuffleSeed = value;
            return this;
        }

        /** A scheduler on the driver's optimizer, stepped every step or every epoch. */
        public Builder<M, E, T> scheduler(Function<Optimizer, LRScheduler> factory, SchedulerInterval interval) {
            this.schedulerFactory = Objects.requireNonNull(factory, "scheduler factory");
            this.schedulerInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** Clips the summed gradient's global L2 norm before each update ({@code clip_grad_norm_}). */
        public Builder<M, E, T> clipGradNorm(double maxNorm) {
            if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
                throw new IllegalArgumentException("clipGradNorm must be positive and finite, got " + maxNorm);
            }
            this.clipGradNorm = maxNorm;
            return this;
        }

        /** Stops after this many steps in all (counting those before a restore). */
        public Builder<M, E, T> maxSteps(long value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxSteps must be at least 1, got " + value);
            }
            this.maxSteps = value;
            return this;
        }

        /**
         * Saves a checkpoint every {@code steps} steps, and at the end of each fit, under {@code path}: any
         * Hadoop-compatible path ({@code hdfs://...}, {@code s3a://...}, {@code file:///...} or a local path).
         * The path is checked writable when the trainer is built.
         */
        public Builder<M, E, T> checkpointEvery(long steps, String path) {
            if (steps < 1) {
                throw new IllegalArgumentException("checkpointEvery must be at least 1 step, got " + steps);
            }
            this.checkpointEvery = steps;
            this.checkpointPath = Objects.requireNonNull(path, "checkpoint path");
            return this;
        }

        /** What rebuilds the model, stored in checkpoints (e.g. {@code Checkpoint.toJson(config)}). */
        public Builder<M, E, T> modelConfig(JsonNode value) {
            this.modelConfig = Objects.requireNonNull(value, "modelConfig");
            return this;
        }

        /**
         * What the application wants back from its checkpoints besides the trainer's own settings (e.g. its
         * command-line settings): a JSON object, saved as the checkpoint's extra data with a {@code spark} entry
         * added.
         */
        public Builder<M, E, T> checkpointExtra(JsonNode value) {
            if (!Objects.requireNonNull(value, "checkpointExtra").isObject() || value.has("spark")) {
                throw new IllegalArgumentException("checkpointExtra must be a JSON object without a 'spark' entry, got " + value);
            }
            this.checkpointExtra = value;
            return this;
        }

        /**
         * Evaluates the driver's model after every epoch (as {@link org.lstm4j.train.Trainer}'s evaluator), or
         * every {@code everySteps} steps if positive; {@code factory} gets the driver's model.
         */
        public Builder<M, E, T> evaluator(Function<M, Evaluator> factory, long everySteps) {
            if (everySteps < 0) {
                throw new IllegalArgumentException("evaluation interval must be 0 (every epoch) or positive, got " + everySteps);
            }
            this.evaluatorFactory = Objects.requireNonNull(factory, "evaluator factory");
            this.evaluateEvery = everySteps;
            return this;
        }

        /** How long the first fit waits for a cluster to give the application an executor (default 120 s). */
        public Builder<M, E, T> executorTimeout(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("executorTimeout must be positive, got " + value);
            }
            this.executorTimeout = value;
            return this;
        }

        public Builder<M, E, T> listener(SparkTrainingListener value) {
            listeners.add(Objects.requireNonNull(value, "listener"));
            return this;
        }

        /**
         * Builds the driver's model and optimizer.
         *
         * @throws IllegalStateException if the batch size is not set, or truncated BPTT would shuffle
         * @throws IllegalArgumentException if the checkpoint path cannot be written (naming it and why)
         */
        public SparkTrainer<M, E, T> build() {
            if (batchSize == 0) {
                throw new IllegalStateException("batchSize is not set: call batchSize(n) with the global batch size");
            }
            if (statefulForward != null && shuffle) {
                throw new IllegalStateException("truncated BPTT continues each batch row from the same row of the previous"
                        + " batch, so the batches must come in order: shuffle must be false");
            }
            return new SparkTrainer<>(this);
        }
    }
}
