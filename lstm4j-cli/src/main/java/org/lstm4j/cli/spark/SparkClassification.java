package org.lstm4j.cli.spark;

import java.nio.file.Path;
import java.util.List;
import org.lstm4j.cli.classify.ClassificationData;
import org.lstm4j.cli.classify.ClassificationRun;
import org.lstm4j.cli.classify.ClassifyConfig;
import org.lstm4j.cli.train.RunListener;
import org.lstm4j.models.RecurrentClassifier;
import org.lstm4j.nn.CrossEntropyLoss;
import org.lstm4j.optim.Adam;
import org.lstm4j.optim.CosineAnnealingLR;
import org.lstm4j.spark.SparkDatasetTraining;
import org.lstm4j.tensor.Generator;
import org.lstm4j.train.Checkpoint;
import org.lstm4j.train.ClassificationEvaluator;
import org.lstm4j.train.EpochResult;
import org.lstm4j.train.Evaluation;
import org.lstm4j.train.SchedulerInterval;

/**
 * {@code classify --spark MASTER}: {@link ClassificationRun}'s run with each step's gradient computed on Spark.
 * The same model and seed, Adam, cosine schedule over the same planned steps, clipping, step limit, order of
 * the batches ({@link ClassificationRun#shuffleSeed}), evaluation of the test set after every epoch (on the
 * driver) and checkpoints after every epoch; so the same parameters, to float rounding.
 */
public final class SparkClassification {
    private SparkClassification() {}

    /**
     * Trains (or continues, from a checkpoint of an earlier {@code --spark} run) one model on {@code master}.
     *
     * @see ClassificationRun#train
     */
    public static ClassificationRun.Outcome train(ClassifyConfig config, ClassificationData data, Path checkpointRoot,
            Checkpoint resume, List<RunListener> listeners, String master) {
        SparkMaster.check(master);
        RecurrentClassifier.Config modelConfig = ClassificationRun.modelConfig(config, data.train().cols(), data.numClasses());
        if (resume != null) {
            ClassificationRun.checkResumedModel(resume, modelConfig);
        }
        long seed = config.seed();
        double lr = config.lr();
        // Batches per epoch as the single-process loader counts them (shuffled, last batch kept).
        int batchesPerEpoch = (data.train().size() + config.batch() - 1) / config.batch();
        SparkDatasetTraining.Job<RecurrentClassifier> job = new SparkDatasetTraining.Job<>(master,
                "lstm4j classify " + config.dataset() + " " + config.model(), data.train(),
                () -> new RecurrentClassifier(modelConfig, new Generator(seed)), RecurrentClassifier::forward,
                CrossEntropyLoss::new, params -> new Adam(params, lr))
                .batchSize(config.batch())
                .shuffleSeed(ClassificationRun.shuffleSeed(config))
                .clipGradNorm(config.clip())
                .maxSteps(config.maxSteps())
                .evaluator(model -> new ClassificationEvaluator(model, model::forward, ClassificationRun.testLoader(data),
                        data.numClasses()), 0)
                .checkpointDescription(ClassificationRun.modelJson(modelConfig), ClassificationRun.checkpointExtra(config));
        if (config.schedule().equals("cosine")) {
            int planned = ClassificationRun.plannedSteps(config, batchesPerEpoch);
            job.scheduler(adam -> new CosineAnnealingLR(adam, planned), SchedulerInterval.STEP);
        }
        SessionHolder<RecurrentClassifier> session = new SessionHolder<>();
        ClassificationRun.EpochCheckpoints checkpoints = new ClassificationRun.EpochCheckpoints(checkpointRoot,
                () -> session.get().checkpoint());
        job.listener(new RunListenerBridge<>(checkpoints, listeners));
        // The default generator as the single-process run leaves it (nothing on the driver draws from it).
        Generator.manualSeed(seed);
        try (SparkDatasetTraining.Session<RecurrentClassifier> s = SparkDatasetTraining.start(job)) {
            session.set(s);
            if (resume != null) {
                s.restore(resume, resume.directory().toString());
                checkpoints.resumedWith(s.history());
            }
            s.fit(config.epochs());
            Evaluation last = checkpoints.finalEvaluation(s.step(), s::evaluate);
            List<EpochResult> history = s.history();
            return new ClassificationRun.Outcome(config, history, last, s.step(), s.elapsedSeconds(),
                    s.model().parameterCount());
        }
    }
}
