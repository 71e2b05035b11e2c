package org.lstm4j.cli.classify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
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
import org.lstm4j.train.TrainingListener;

/**
 * One classification training run over the library's training API: the model, loaders, Adam, the optional
 * cosine schedule and clipping, evaluation after every epoch, and a checkpoint after every epoch (the best
 * by test accuracy kept too). Pure logic: no printing; listeners report.
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
    static JsonNode modelJson(RecurrentClassifier.Config config) {
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

    /**
     * Trains (or continues) one model.
     *
     * @param checkpointRoot where to write checkpoints, or null for none
     * @param resume         a checkpoint to continue from (made by this command with the same settings), or null
     */
    public static Outcome train(ClassifyConfig config, ClassificationData data, Path checkpointRoot, Checkpoint resume,
            List<TrainingListener> listeners) {
        Generator.manualSeed(config.seed());
        Generator modelGenerator = new Generator(config.seed());
        RecurrentClassifier.Config modelConfig = modelConfig(config, data.train().cols(), data.numClasses());
        RecurrentClassifier model = new RecurrentClassifier(modelConfig, modelGenerator);
        DataLoader<IndexTensor> trainLoader = DataLoader.builder(data.train()).batchSize(config.batch()).shuffle(true)
                .generator(new Generator(config.seed() + 1)).build();
        DataLoader<IndexTensor> testLoader = DataLoader.builder(data.test()).batchSize(EVAL_BATCH).build();
        Adam adam = new Adam(model.parameters(), config.lr());
        ClassificationEvaluator evaluator = new ClassificationEvaluator(model, model::forward, testLoader,
                data.numClasses());

        long plannedSteps = (long) config.epochs() * trainLoader.numBatches();
        if (config.maxSteps() > 0) {
            plannedSteps = Math.min(plannedSteps, config.maxSteps());
        }
        Trainer.Builder<IndexTensor> builder = Trainer.builder(model, model::forward, new CrossEntropyLoss(), adam)
                .evaluator(evaluator)
                .generator(MODEL_GENERATOR, modelGenerator);
        if (config.schedule().equals("cosine")) {
            if (plannedSteps > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("the cosine schedule counts at most " + Integer.MAX_VALUE
                        + " steps, this run plans " + plannedSteps);
            }
            builder.scheduler(new CosineAnnealingLR(adam, (int) plannedSteps), SchedulerInterval.STEP);
        }
        if (config.clip() > 0) {
            builder.clipGradNorm(config.clip());
        }
        if (config.maxSteps() > 0) {
            builder.maxSteps(config.maxSteps());
        }
        JsonNode modelJson = modelJson(modelConfig);
        ObjectNode extra = Checkpoint.json().createObjectNode();
        extra.set("classify", Checkpoint.toJson(config));
        EpochCheckpoints checkpoints = new EpochCheckpoints(checkpointRoot, modelJson, extra);
        builder.listener(checkpoints);
        listeners.forEach(builder::listener);
        Trainer<IndexTensor> trainer = builder.build();
        if (resume != null) {
            RecurrentClassifier.Config saved = modelConfigOf(resume);
            if (!saved.equals(modelConfig)) {
                throw new IllegalArgumentException(resume.directory() + ": the checkpoint's model is " + saved
                        + ", these settings build " + modelConfig);
            }
            trainer.restore(resume, trainLoader);
            checkpoints.bestAccuracy = trainer.history().stream().filter(r -> r.validation() != null)
                    .mapToDouble(r -> r.validation().accuracy()).max().orElse(Double.NEGATIVE_INFINITY);
        }

        List<EpochResult> history = trainer.fit(trainLoader, config.epochs());
        Evaluation last = checkpoints.lastEvaluation;
        if (last == null || checkpoints.lastEvaluationStep != trainer.step()) {
            // Stopped inside an epoch (step limit) or resumed at the end: measure and save the final weights.
            last = evaluator.evaluate();
            checkpoints.save(trainer, false);
        }
        return new Outcome(config, history, last, trainer.step(), trainer.elapsedSeconds(), model.parameterCount());
    }

    /** Saves a checkpoint after every epoch, and remembers the last evaluation with its confusion matrix. */
    private static final class EpochCheckpoints implements TrainingListener {
        private final Path root;
        private final JsonNode modelJson;
        private final JsonNode extra;
        double bestAccuracy = Double.NEGATIVE_INFINITY;
        Evaluation lastEvaluation;
        long lastEvaluationStep = -1;

        EpochCheckpoints(Path root, JsonNode modelJson, JsonNode extra) {
            this.root = root;
            this.modelJson = modelJson;
            this.extra = extra;
        }

        @Override
        public void onEpochEnd(Trainer<?> trainer, EpochResult epoch) {
            lastEvaluation = epoch.validation();
            lastEvaluationStep = epoch.step();
            boolean best = epoch.validation().accuracy() > bestAccuracy;
            if (best) {
                bestAccuracy = epoch.validation().accuracy();
            }
            save(trainer, best);
        }

        void save(Trainer<?> trainer, boolean best) {
            if (root == null) {
                return;
            }
            try {
                trainer.saveCheckpoint(root, modelJson, extra, best);
            } catch (IOException e) {
                throw new UncheckedIOException("could not save the checkpoint in " + root + ": " + e.getMessage(), e);
            }
        }
    }
}
