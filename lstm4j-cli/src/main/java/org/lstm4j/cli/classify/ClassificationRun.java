package org.lstm4j.cli.classify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.lstm4j.cli.spark.SparkClassification;
import org.lstm4j.cli.train.RunListener;
import org.lstm4j.data.DataLoader;
import org.lstm4j.models.RecurrentClassifier;
import org.lstm4j.nn.CrossEntropyLoss;
import org.lstm4j.optim.Adam;
import org.lstm4j.optim.CosineAnnealingLR;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.train.Checkpoint;
import org.lstm4j.train.ClassificationEvaluator;
import org.lstm4j.train.EpochResult;
import org.lstm4j.train.Evaluation;
import org.lstm4j.train.SchedulerInterval;
import org.lstm4j.train.Trainer;

/**
 * One classification training run over the library's training API: the model, loaders, Adam, the optional
 * cosine schedule and clipping, evaluation after every epoch, and a checkpoint after every epoch (the best
 * by test accuracy kept too). Pure logic: no printing; listeners report. With a Spark master the same run goes
 * through {@link SparkClassification} (the pieces below are shared, so both build the same model, optimizer,
 * schedule, data order, evaluation and checkpoints).
 */
public final class ClassificationRun {
    /** Batch size of evaluation (it does not change the figures, only the speed). */
    public static final int EVAL_BATCH = 1000;
    /** The model type recorded in checkpoints. */
    static final String MODEL_TYPE = "recurrent-classifier";
    /** The name of the model's generator (weights and dropout) in checkpoints. */
    static final String MODEL_GENERATOR = "model";

    /**
     * What a run produced.
     *
     * @param history         every completed epoch (validation = the test set)
     * @param finalEvaluation the test set after the last step, with its confusion matrix
     * @param steps           optimisation steps taken in all
     * @param trainSeconds    training wall time in all (evaluation excluded)
     * @param parameters      the model's parameter count
     */
    public record Outcome(ClassifyConfig config, List<EpochResult> history, Evaluation finalEvaluation, long steps,
            double trainSeconds, long parameters) {}

    private ClassificationRun() {}

    /** The architecture a configuration describes, for a dataset of 28-pixel rows. */
    public static RecurrentClassifier.Config modelConfig(ClassifyConfig c, int inputSize, int numClasses) {
        ModelKind kind = c.modelKind();
        return new RecurrentClassifier.Config(kind.cell(), inputSize, c.hidden(), c.layers(), kind.bidirectional(),
                c.dropout(), numClasses, c.init());
    }

    /** The model configuration as checkpoints store it: {"type": ..., "config": {...}}. */
    public static JsonNode modelJson(RecurrentClassifier.Config config) {
        ObjectNode node = Checkpoint.json().createObjectNode();
        node.put("type", MODEL_TYPE);
        node.set("config", Checkpoint.toJson(config));
        return node;
    }

    /** Rebuilds the model a checkpoint describes (weights not yet loaded). */
    static RecurrentClassifier.Config modelConfigOf(Checkpoint checkpoint) {
        JsonNode node = checkpoint.modelConfig();
        String where = checkpoint.directory().resolve(Checkpoint.DESCRIPTION).toString();
        if (!MODEL_TYPE.equals(node.path("type").asText())) {
            throw new IllegalArgumentException(where + ": the model is a '" + node.path("type").asText()
                    + "', not a " + MODEL_TYPE);
        }
        return Checkpoint.fromJson(node.get("config"), RecurrentClassifier.Config.class, where + " model config");
    }

    /** The run's own settings as saved in the checkpoint. */
    static ClassifyConfig runConfigOf(Checkpoint checkpoint) {
        String where = checkpoint.directory().resolve(Checkpoint.DESCRIPTION).toString();
        JsonNode extra = checkpoint.training().extra();
        if (extra == null || extra.get("classify") == null) {
            throw new IllegalArgumentException(where + ": not a checkpoint of lstm4j classify (no 'classify' settings)");
        }
        return Checkpoint.fromJson(extra.get("classify"), ClassifyConfig.class, where + " classify settings");
    }

    /** The run's settings as checkpoints store them (what {@code --resume} and {@code evaluate} read back). */
    public static JsonNode checkpointExtra(ClassifyConfig config) {
        ObjectNode extra = Checkpoint.json().createObjectNode();
        extra.set("classify", Checkpoint.toJson(config));
        return extra;
    }

    /** The seed of the training order's generator (the model's is the run's seed). */
    public static long shuffleSeed(ClassifyConfig config) {
        return config.seed() + 1;
    }

    /** The steps the run plans (its epochs, capped by --max-steps), over which a cosine schedule anneals. */
    public static int plannedSteps(ClassifyConfig config, int batchesPerEpoch) {
        long plannedSteps = (long) config.epochs() * batchesPerEpoch;
        if (config.maxSteps() > 0) {
            plannedSteps = Math.min(plannedSteps, config.maxSteps());
        }
        if (plannedSteps > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the cosine schedule counts at most " + Integer.MAX_VALUE
                    + " steps, this run plans " + plannedSteps);
        }
        return (int) plannedSteps;
    }

    /** The test set in evaluation batches. */
    public static DataLoader<IndexTensor> testLoader(ClassificationData data) {
        return DataLoader.builder(data.test()).batchSize(EVAL_BATCH).build();
    }

    /** Refuses a checkpoint of another architecture than these settings build. */
    public static void checkResumedModel(Checkpoint resume, RecurrentClassifier.Config modelConfig) {
        RecurrentClassifier.Config saved = modelConfigOf(resume);
        if (!saved.equals(modelConfig)) {
            throw new IllegalArgumentException(resume.directory() + ": the checkpoint's model is " + saved
                    + ", these settings build " + modelConfig);
        }
    }

    /**
     * Trains (or continues) one model, in this process or, with a Spark master, on Spark.
     *
     * @param checkpointRoot where to write checkpoints, or null for none
     * @param resume         a checkpoint to continue from (made by this command with the same settings), or null
     * @param sparkMaster    a Spark master URL (e.g. {@code local[2]}) to train on Spark, or null
     */
    public static Outcome train(ClassifyConfig config, ClassificationData data, Path checkpointRoot, Checkpoint resume,
            List<RunListener> listeners, String sparkMaster) {
        if (sparkMaster != null) {
            return SparkClassification.train(config, data, checkpointRoot, resume, listeners, sparkMaster);
        }
        Generator.manualSeed(config.seed());
        Generator modelGenerator = new Generator(config.seed());
        RecurrentClassifier.Config modelConfig = modelConfig(config, data.train().cols(), data.numClasses());
        RecurrentClassifier model = new RecurrentClassifier(modelConfig, modelGenerator);
        DataLoader<IndexTensor> trainLoader = DataLoader.builder(data.train()).batchSize(config.batch()).shuffle(true)
                .generator(new Generator(shuffleSeed(config))).build();
        Adam adam = new Adam(model.parameters(), config.lr());
        ClassificationEvaluator evaluator = new ClassificationEvaluator(model, model::forward, testLoader(data),
                data.numClasses());

        Trainer.Builder<IndexTensor> builder = Trainer.builder(model, model::forward, new CrossEntropyLoss(), adam)
                .evaluator(evaluator)
                .generator(MODEL_GENERATOR, modelGenerator);
        if (config.schedule().equals("cosine")) {
            builder.scheduler(new CosineAnnealingLR(adam, plannedSteps(config, trainLoader.numBatches())),
                    SchedulerInterval.STEP);
        }
        if (config.clip() > 0) {
            builder.clipGradNorm(config.clip());
        }
        if (config.maxSteps() > 0) {
            builder.maxSteps(config.maxSteps());
        }
        JsonNode modelJson = modelJson(modelConfig);
        JsonNode extra = checkpointExtra(config);
        Trainer<IndexTensor>[] built = trainerHolder();
        EpochCheckpoints checkpoints = new EpochCheckpoints(checkpointRoot, () -> built[0].checkpoint(modelJson, extra));
        builder.listener(RunListener.asTrainingListener(checkpoints));
        listeners.forEach(l -> builder.listener(RunListener.asTrainingListener(l)));
        Trainer<IndexTensor> trainer = builder.build();
        built[0] = trainer;
        if (resume != null) {
            checkResumedModel(resume, modelConfig);
            trainer.restore(resume, trainLoader);
            checkpoints.resumedWith(trainer.history());
        }

        List<EpochResult> history = trainer.fit(trainLoader, config.epochs());
        Evaluation last = checkpoints.finalEvaluation(trainer.step(), evaluator::evaluate);
        return new Outcome(config, history, last, trainer.step(), trainer.elapsedSeconds(), model.parameterCount());
    }

    @SuppressWarnings("unchecked")
    private static Trainer<IndexTensor>[] trainerHolder() {
        return new Trainer[1];
    }

    /**
     * Saves a checkpoint after every epoch (marked best when its test accuracy is the best so far), and
     * remembers the last evaluation with its confusion matrix. Listens to either kind of run.
     */
    public static final class EpochCheckpoints implements RunListener {
        private final Path root;
        private final Supplier<Checkpoint.Contents> contents;
        private double bestAccuracy = Double.NEGATIVE_INFINITY;
        private Evaluation lastEvaluation;
        private long lastEvaluationStep = -1;

        /**
         * @param root     where checkpoints go, or null for none
         * @param contents the run's state now, when a checkpoint is due
         */
        public EpochCheckpoints(Path root, Supplier<Checkpoint.Contents> contents) {
            this.root = root;
            this.contents = contents;
        }

        /** After a resume: the best accuracy so far is the restored history's. */
        public void resumedWith(List<EpochResult> history) {
            bestAccuracy = history.stream().filter(r -> r.validation() != null)
                    .mapToDouble(r -> r.validation().accuracy()).max().orElse(Double.NEGATIVE_INFINITY);
        }

        @Override
        public void onEpochEnd(EpochResult epoch) {
            lastEvaluation = epoch.validation();
            lastEvaluationStep = epoch.step();
            boolean best = epoch.validation().accuracy() > bestAccuracy;
            if (best) {
                bestAccuracy = epoch.validation().accuracy();
            }
            save(best);
        }

        /**
         * The evaluation of the final weights: the last epoch's, or, when the run stopped inside an epoch (step
         * limit) or was resumed at its end, a new one (and a checkpoint of those weights).
         */
        public Evaluation finalEvaluation(long finalStep, Supplier<Evaluation> evaluate) {
            if (lastEvaluation != null && lastEvaluationStep == finalStep) {
                return lastEvaluation;
            }
            Evaluation last = evaluate.get();
            save(false);
            return last;
        }

        private void save(boolean best) {
            if (root == null) {
                return;
            }
            try {
                Checkpoint.save(root, contents.get(), best);
            } catch (IOException e) {
                throw new UncheckedIOException("could not save the checkpoint in " + root + ": " + e.getMessage(), e);
            }
        }
    }
}
