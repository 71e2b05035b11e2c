package org.lstm4j.spark;

import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.lstm4j.nn.Module;
import org.lstm4j.optim.Optimizer;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.train.Checkpoint;
import org.lstm4j.train.EpochResult;
import org.lstm4j.train.Evaluation;
import org.lstm4j.train.StepEvent;

/**
 * The Spark side of {@link SparkDatasetTraining}: the context, the parallelized examples and the
 * {@link SparkTrainer}. Loaded only once Spark is known to be on the class path.
 */
final class DatasetTrainingSession<M extends Module> implements SparkDatasetTraining.Session<M> {
    private final JavaSparkContext sc;
    private final SparkTrainer<M, ?, IndexTensor> trainer;
    private final SparkDatasetTraining.Job<M> job;
    /** The epochs of the fit in progress: a step's share of the run ({@link StepEvent#totalSteps()}). */
    private int fitEpochs;

    private DatasetTrainingSession(JavaSparkContext sc, SparkTrainer<M, ?, IndexTensor> trainer,
            SparkDatasetTraining.Job<M> job) {
        this.sc = sc;
        this.trainer = trainer;
        this.job = job;
    }

    static <M extends Module> DatasetTrainingSession<M> start(SparkDatasetTraining.Job<M> job) {
        // Read before the context starts: a malformed dataset fails without a context to stop.
        if (job.statefulForward != null) {
            List<MultiTargetExample> examples = MultiTargetExample.all(job.train);
            return start(job, examples, rdd -> SparkTrainer.truncatedBptt(rdd, MultiTargetExample::collate,
                    job.model, job.statefulForward, job.loss, job.optimizer));
        }
        List<MultiTargetExample> examples = MultiTargetExample.oneTargetEach(job.train);
        return start(job, examples, rdd -> SparkTrainer.builder(rdd, MultiTargetExample::collate, job.model,
                job.forward, job.loss, job.optimizer));
    }

    /** Starts the context, parallelizes the examples and builds the trainer with {@code builder}'s forward pass. */
    private static <M extends Module, E> DatasetTrainingSession<M> start(SparkDatasetTraining.Job<M> job, List<E> examples,
            java.util.function.Function<JavaRDD<E>, SparkTrainer.Builder<M, E, IndexTensor>> builder) {
        JavaSparkContext sc = SparkContexts.start(job.master, job.appName, settings(job));
        try {
            int partitions = job.partitions > 0 ? job.partitions : sc.defaultParallelism();
            JavaRDD<E> rdd = sc.parallelize(examples, partitions);
            SparkTrainer.Builder<M, E, IndexTensor> b = builder.apply(rdd)
                    .batchSize(job.batchSize).shuffle(job.shuffle).shuffleSeed(job.shuffleSeed);
            if (job.scheduler != null) {
                b.scheduler(job.scheduler, job.schedulerInterval);
            }
            if (job.clipGradNorm > 0) {
                b.clipGradNorm(job.clipGradNorm);
            }
            if (job.maxSteps > 0) {
                b.maxSteps(job.maxSteps);
            }
            if (job.evaluator != null) {
                b.evaluator(job.evaluator, job.evaluateEvery);
            }
            if (job.modelConfig != null) {
                b.modelConfig(job.modelConfig);
            }
            if (job.checkpointExtra != null) {
                b.checkpointExtra(job.checkpointExtra);
            }
            if (job.executorTimeout != null) {
                b.executorTimeout(job.executorTimeout);
            }
            DatasetTrainingSession<M>[] self = holder();
            if (job.listener != null) {
                b.listener(new Forwarder<>(job.listener, self));
            }
            self[0] = new DatasetTrainingSession<>(sc, b.build(), job);
            return self[0];
        } catch (RuntimeException | Error e) {
            sc.stop();
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private static <M extends Module> DatasetTrainingSession<M>[] holder() {
        return new DatasetTrainingSession[1];
    }

    /**
     * The context's settings: the job's over these defaults. Local masters bind the loopback address (an
     * embedded run needs no network, nor a resolvable host name); executors get the Vector API module unless
     * the cluster sets their JVM options.
     */
    private static Map<String, String> settings(SparkDatasetTraining.Job<?> job) {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        if (job.master.trim().startsWith("local")) {
            settings.put("spark.driver.host", "127.0.0.1");
            settings.put("spark.driver.bindAddress", "127.0.0.1");
        } else if (System.getProperty("spark.executor.extraJavaOptions") == null) {
            settings.put("spark.executor.extraJavaOptions", "--add-modules=jdk.incubator.vector");
        }
        settings.putAll(job.sparkSettings);
        return settings;
    }

    @Override
    public SparkTrainingSummary fit(int epochs) {
        fitEpochs = epochs;
        return trainer.fit(epochs);
    }

    @Override
    public void restore(Checkpoint checkpoint, String where) {
        trainer.restore(checkpoint, where);
    }

    @Override
    public Checkpoint.Contents checkpoint() {
        return trainer.checkpoint();
    }

    @Override
    public Checkpoint.Contents checkpoint(com.fasterxml.jackson.databind.JsonNode modelDescription,
            com.fasterxml.jackson.databind.JsonNode extra) {
        return trainer.checkpoint(modelDescription, extra);
    }

    @Override
    public Evaluation evaluate() {
        return trainer.evaluate();
    }

    @Override
    public M model() {
        return trainer.model();
    }

    @Override
    public Optimizer optimizer() {
        return trainer.optimizer();
    }

    @Override
    public long step() {
        return trainer.step();
    }

    @Override
    public int epochsDone() {
        return trainer.epochsDone();
    }

    @Override
    public double elapsedSeconds() {
        return trainer.elapsedSeconds();
    }

    @Override
    public List<EpochResult> history() {
        return trainer.history();
    }

    @Override
    public void requestStop() {
        trainer.requestStop();
    }

    @Override
    public boolean stopRequested() {
        return trainer.stopRequested();
    }

    @Override
    public int partitions() {
        return trainer.partitions();
    }

    @Override
    public int batchesPerEpoch() {
        return trainer.batchesPerEpoch();
    }

    @Override
    public String master() {
        return sc.master();
    }

    @Override
    public void close() {
        trainer.release();
        sc.stop();
    }

    /** The single-process {@link StepEvent} of a Spark step: what progress bars and loggers read. */
    private StepEvent stepEvent(SparkStepEvent e) {
        long total = (long) fitEpochs * e.batchesPerEpoch();
        if (job.maxSteps > 0) {
            total = Math.min(total, job.maxSteps);
        }
        return new StepEvent(e.step(), total, e.epoch(), e.batchInEpoch(), e.batchesPerEpoch(), e.loss(), e.batchSize(),
                e.lr(), trainer.elapsedSeconds());
    }

    /** Passes the trainer's events on, as the session's. */
    private record Forwarder<M extends Module>(SparkDatasetTraining.Listener<M> listener,
            DatasetTrainingSession<M>[] session) implements SparkTrainingListener {
        @Override
        public void onStart(SparkTrainer<?, ?, ?> trainer) {
            listener.onStart(session[0]);
        }

        @Override
        public void onStep(SparkTrainer<?, ?, ?> trainer, SparkStepEvent event) {
            listener.onStep(session[0], session[0].stepEvent(event), event);
        }

        @Override
        public void onEpochEnd(SparkTrainer<?, ?, ?> trainer, EpochResult epoch) {
            listener.onEpochEnd(session[0], epoch);
        }

        @Override
        public void onEvaluation(SparkTrainer<?, ?, ?> trainer, long step, Evaluation evaluation) {
            listener.onEvaluation(session[0], step, evaluation);
        }
    }
}
