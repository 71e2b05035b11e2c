package org.lstm4j.spark;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.lstm4j.data.Dataset;
import org.lstm4j.nn.Module;
import org.lstm4j.optim.LRScheduler;
import org.lstm4j.optim.Optimizer;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.train.Checkpoint;
import org.lstm4j.train.EpochResult;
import org.lstm4j.train.Evaluation;
import org.lstm4j.train.Evaluator;
import org.lstm4j.train.SchedulerInterval;
import org.lstm4j.train.StepEvent;

/**
 * {@link SparkTrainer} on an in-memory lstm4j {@link Dataset} with class targets, behind signatures that use
 * only JDK and lstm4j types: a caller (the {@code lstm4j} command) compiles and loads without Spark, and
 * needs Spark on the class path only when it {@link #start}s a session. The examples are parallelized as
 * {@link MultiTargetExample}s (one class each, or, for truncated BPTT, {@link Job#truncatedBptt}, a window's
 * next characters); everything else is {@link SparkTrainer}'s.
 *
 * <pre>{@code
 * if (!SparkDatasetTraining.sparkOnClassPath()) { ...tell the user how to get Spark... }
 * try (var session = SparkDatasetTraining.start(new SparkDatasetTraining.Job<>("local[2]", "mnist", trainSet,
 *         () -> new RecurrentClassifier(config, new Generator(seed)), RecurrentClassifier::forward,
 *         CrossEntropyLoss::new, params -> new Adam(params, 1e-3)).batchSize(100).shuffleSeed(seed + 1))) {
 *     session.fit(5);
 * }
 * }</pre>
 */
public final class SparkDatasetTraining {
    private SparkDatasetTraining() {}

    /** A class every Spark installation has: its presence means Spark is on the class path. */
    static final String SPARK_CONTEXT_CLASS = "org.apache.spark.SparkContext";

    /** The newest Java release Spark 4.0 runs on. */
    static final int NEWEST_SPARK_JAVA = 22;

    /**
     * Whether Spark 4.0 runs on this Java: not on 23 and later, where its Hadoop client (3.4.1) calls
     * {@code Subject.getSubject}, which those releases refuse ("getSubject is not supported").
     */
    public static boolean sparkRunsOnThisJava() {
        return Runtime.version().feature() <= NEWEST_SPARK_JAVA;
    }

    /** Whether Spark (spark-core) can be loaded, without loading it. */
    public static boolean sparkOnClassPath() {
        try {
            Class.forName(SPARK_CONTEXT_CLASS, false, SparkDatasetTraining.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Checks a master URL's form, and that a standalone master accepts connections ({@link SparkContexts#checkMaster}).
     *
     * @throws IllegalStateException if Spark is not on the class path
     * @throws IllegalArgumentException naming the URL and what was expected, or the master that cannot be reached
     */
    public static void checkMaster(String master) {
        if (!sparkOnClassPath()) {
            throw new IllegalStateException("Apache Spark is not on the class path (" + SPARK_CONTEXT_CLASS + " not found)");
        }
        SparkContexts.checkMaster(master);
    }

    /**
     * Starts a Spark context on the job's master (refusing a malformed or unreachable master at once, naming it),
     * parallelizes the examples and builds the trainer. Close the session to stop the context.
     *
     * @throws IllegalStateException if Spark is not on the class path
     * @throws IllegalArgumentException naming the master URL or checkpoint path that cannot work
     */
    public static <M extends Module> Session<M> start(Job<M> job) {
        if (!sparkOnClassPath()) {
            throw new IllegalStateException("Apache Spark is not on the class path (" + SPARK_CONTEXT_CLASS + " not found)");
        }
        return DatasetTrainingSession.start(job);
    }

    /** Sees the session's steps, epochs and evaluations, on the driver. */
    public interface Listener<M extends Module> {
        /** Before the first step of a fit (after the data is on the executors). */
        default void onStart(Session<M> session) {}

        /** After every step: as a single-process {@link org.lstm4j.train.Trainer} reports it, and Spark's figures. */
        default void onStep(Session<M> session, StepEvent step, SparkStepEvent spark) {}

        default void onEpochEnd(Session<M> session, EpochResult epoch) {}

        default void onEvaluation(Session<M> session, long step, Evaluation evaluation) {}
    }

    /** A started training: the driver's side of a {@link SparkTrainer}, with the Spark context it owns. */
    public interface Session<M extends Module> extends AutoCloseable {
        /** Trains until {@code epochs} epochs are complete in all, the step limit, or a stop; see {@link SparkTrainer#fit}. */
        SparkTrainingSummary fit(int epochs);

        /** Continues from a checkpoint of a session with the same settings ({@link SparkTrainer#restore(Checkpoint, String)}). */
        void restore(Checkpoint checkpoint, String where);

        /** Everything needed to continue from here, with the job's model configuration and checkpoint extra data. */
        Checkpoint.Contents checkpoint();

        /** As {@link #checkpoint()}, with this model description and extra data (for data that changes as it runs). */
        Checkpoint.Contents checkpoint(JsonNode modelDescription, JsonNode extra);

        /** Evaluates the driver's model now (the job needs an evaluator). */
        Evaluation evaluate();

        /** The driver's model: the one trained. */
        M model();

        Optimizer optimizer();

        long step();

        int epochsDone();

        /** Training wall time across resumes (evaluations and checkpoints excluded). */
        double elapsedSeconds();

        /** Completed epochs, with their evaluations (without confusion matrices). */
        List<EpochResult> history();

        /** Ends the fit after the step in progress. */
        void requestStop();

        boolean stopRequested();

        /** The examples' partitions (the shares each step is split into). */
        int partitions();

        /** Batches per epoch (known once the first fit has started), or 0. */
        int batchesPerEpoch();

        /** The master the context runs on, e.g. {@code local[2]}. */
        String master();

        /** Stops the Spark context (the driver's model stays usable). */
        @Override
        void close();
    }

    /**
     * What to train and how: a {@link SparkTrainer}'s settings, the dataset and the Spark context's.
     *
     * @param <M> the model type
     */
    public static final class Job<M extends Module> {
        final String master;
        final String appName;
        final Dataset<IndexTensor> train;
        final ModelFactory<M> model;
        /** The forward pass; null with truncated BPTT. */
        final ForwardFunction<M> forward;
        /** The forward pass from a carried state (truncated BPTT), or null. */
        final StatefulForwardFunction<M> statefulForward;
        final LossFactory<IndexTensor> loss;
        final Function<List<Tensor>, Optimizer> optimizer;
        final Map<String, String> sparkSettings = new LinkedHashMap<>();
        int partitions;
        int batchSize;
        boolean shuffle = true;
        long shuffleSeed;
        Function<Optimizer, LRScheduler> scheduler;
        SchedulerInterval schedulerInterval = SchedulerInterval.EPOCH;
        double clipGradNorm;
        long maxSteps;
        Function<M, Evaluator> evaluator;
        long evaluateEvery;
        JsonNode modelConfig;
        JsonNode checkpointExtra;
        Duration executorTimeout;
        Listener<M> listener;

        /**
         * @param master    a Spark master URL ({@link SparkContexts#EXPECTED})
         * @param appName   the application's name in Spark
         * @param train     the training examples (collected to the driver and parallelized)
         * @param model     builds the model on the driver and the executors (serializable)
         * @param forward   the forward pass (serializable), e.g. {@code RecurrentClassifier::forward}
         * @param loss      the mean loss over a batch (serializable), e.g. {@code CrossEntropyLoss::new}
         * @param optimizer the driver's optimizer over the model's parameters
         */
        public Job(String master, String appName, Dataset<IndexTensor> train, ModelFactory<M> model,
                ForwardFunction<M> forward, LossFactory<IndexTensor> loss, Function<List<Tensor>, Optimizer> optimizer) {
            this(master, appName, train, model, Objects.requireNonNull(forward, "forward"), null, loss, optimizer);
        }

        private Job(String master, String appName, Dataset<IndexTensor> train, ModelFactory<M> model,
                ForwardFunction<M> forward, StatefulForwardFunction<M> statefulForward, LossFactory<IndexTensor> loss,
                Function<List<Tensor>, Optimizer> optimizer) {
            this.master = Objects.requireNonNull(master, "master");
            this.appName = Objects.requireNonNull(appName, "appName");
            this.train = Objects.requireNonNull(train, "train");
            this.model = Objects.requireNonNull(model, "model");
            this.forward = forward;
            this.statefulForward = statefulForward;
            this.loss = Objects.requireNonNull(loss, "loss");
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        }

        /**
         * Truncated BPTT over parallel streams ({@link SparkTrainer#truncatedBptt}): {@code train} laid out as
         * {@link org.lstm4j.data.ParallelStreams} with as many streams as the {@link #batchSize}, read in order
         * (shuffle off), each row's state carried to the next batch and reset each epoch.
         *
         * @param forward the forward pass from a state (serializable), e.g. {@code CharLanguageModel::forward}
         */
        public static <M extends Module> Job<M> truncatedBptt(String master, String appName, Dataset<IndexTensor> train,
                ModelFactory<M> model, StatefulForwardFunction<M> forward, LossFactory<IndexTensor> loss,
                Function<List<Tensor>, Optimizer> optimizer) {
            Job<M> job = new Job<>(master, appName, train, model, null, Objects.requireNonNull(forward, "forward"), loss,
                    optimizer);
            job.shuffle = false;
            return job;
        }

        /** Partitions of the examples; 0 (default): the context's default parallelism ({@code N} of {@code local[N]}). */
        public Job<M> partitions(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("partitions must be 0 (Spark's default parallelism) or positive, got " + value);
            }
            this.partitions = value;
            return this;
        }

        /** A Spark setting applied over the defaults and what spark-submit passed (e.g. {@code spark.task.cpus}). */
        public Job<M> sparkSetting(String key, String value) {
            sparkSettings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** See {@link SparkTrainer.Builder#batchSize}. */
        public Job<M> batchSize(int value) {
            this.batchSize = value;
            return this;
        }

        /** See {@link SparkTrainer.Builder#shuffle}. */
        public Job<M> shuffle(boolean value) {
            this.shuffle = value;
            return this;
        }

        /** See {@link SparkTrainer.Builder#shuffleSeed}. */
        public Job<M> shuffleSeed(long value) {
            this.shuffleSeed = value;
            return this;
        }

        /** See {@link SparkTrainer.Builder#scheduler}. */
        public Job<M> scheduler(Function<Optimizer, LRScheduler> factory, SchedulerInterval interval) {
            this.scheduler = Objects.requireNonNull(factory, "scheduler");
            this.schedulerInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** See {@link SparkTrainer.Builder#clipGradNorm}; 0: none. */
        public Job<M> clipGradNorm(double value) {
            this.clipGradNorm = value;
            return this;
        }

        /** See {@link SparkTrainer.Builder#maxSteps}; 0: no limit. */
        public Job<M> maxSteps(long value) {
            this.maxSteps = value;
            return this;
        }

        /** See {@link SparkTrainer.Builder#evaluator}. */
        public Job<M> evaluator(Function<M, Evaluator> factory, long everySteps) {
            this.evaluator = Objects.requireNonNull(factory, "evaluator");
            this.evaluateEvery = everySteps;
            return this;
        }

        /** What checkpoints store to rebuild the model, and the application's own settings (a JSON object). */
        public Job<M> checkpointDescription(JsonNode modelConfig, JsonNode extra) {
            this.modelConfig = Objects.requireNonNull(modelConfig, "modelConfig");
            this.checkpointExtra = extra;
            return this;
        }

        /** See {@link SparkTrainer.Builder#executorTimeout}. */
        public Job<M> executorTimeout(Duration value) {
            this.executorTimeout = value;
            return this;
        }

        public Job<M> listener(Listener<M> value) {
            this.listener = value;
            return this;
        }
    }
}
