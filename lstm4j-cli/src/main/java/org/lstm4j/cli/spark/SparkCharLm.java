package org.lstm4j.cli.spark;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.lstm4j.cli.charlm.CharLmConfig;
import org.lstm4j.cli.charlm.CharLmRun;
import org.lstm4j.cli.train.RunListener;
import org.lstm4j.data.DataLoader;
import org.lstm4j.data.NextTokenWindows;
import org.lstm4j.models.CharLanguageModel;
import org.lstm4j.nn.CrossEntropyLoss;
import org.lstm4j.spark.SparkDatasetTraining;
import org.lstm4j.spark.SparkStepEvent;
import org.lstm4j.tensor.Generator;
import org.lstm4j.text.CharCorpus;
import org.lstm4j.train.Checkpoint;
import org.lstm4j.train.ClassificationEvaluator;
import org.lstm4j.train.EpochResult;
import org.lstm4j.train.Evaluation;
import org.lstm4j.train.SchedulerInterval;
import org.lstm4j.train.StepEvent;

/**
 * {@code charlm train --spark MASTER}: {@link CharLmRun}'s run in "windows" mode (the seed recipe) with each
 * step's gradient computed on Spark: the same model, optimizer, schedule, clipping, shuffled order of the
 * windows, evaluations every {@code --eval-every} steps with samples, metrics and checkpoints. "streams" mode
 * is refused: truncated BPTT carries every stream's state from one batch to the next, which partitions holding
 * different rows of the batch cannot share.
 */
public final class SparkCharLm {
    private SparkCharLm() {}

    /** Why streams mode cannot run on Spark, and what to do. */
    static String streamsRefusal(CharLmConfig config) {
        return "--spark trains many-to-one windows only (--recipe seed): recipe '" + config.recipe() + "' trains in "
                + config.mode() + " mode, truncated BPTT whose state carries from one batch to the next, which"
                + " partitions holding different rows of a batch cannot share";
    }

    /** Refuses settings that cannot run on Spark, naming the option. */
    public static void check(CharLmConfig config) {
        if (!config.mode().equals(CharLmConfig.WINDOWS)) {
            throw new IllegalArgumentException(streamsRefusal(config));
        }
    }

    /** @see CharLmRun#train */
    public static CharLmRun.Outcome train(CharLmConfig config, CharCorpus corpus, JsonNode source, Path checkpointRoot,
            Checkpoint resume, CharLmRun.Previous previous, double maxSeconds, List<RunListener> listeners,
            CharLmRun.Reporter reporter, String master) {
        long sessionStart = System.nanoTime();
        check(config);
        SparkMaster.check(master);
        CharLanguageModel.Config modelConfig = CharLmRun.modelConfig(config, corpus.vocabulary().characters());
        CharLmRun.checkResumedModel(resume, modelConfig);
        NextTokenWindows trainSet = new NextTokenWindows(corpus.train(), config.seq(), config.stride());
        int batchesPerEpoch = (trainSet.size() + config.batch() - 1) / config.batch();
        long plannedSteps = CharLmRun.plannedSteps(config, batchesPerEpoch);
        int vocabularySize = corpus.vocabulary().size();
        DataLoader<org.lstm4j.tensor.IndexTensor> validation = DataLoader.builder(
                CharLmRun.validationWindows(corpus.validation(), config)).batchSize(CharLmRun.EVAL_BATCH).build();
        long seed = config.seed();
        SparkDatasetTraining.Job<CharLanguageModel> job = new SparkDatasetTraining.Job<>(master,
                "lstm4j charlm " + config.cell() + " " + config.layers() + "x" + config.hidden(), trainSet,
                () -> new CharLanguageModel(modelConfig, new Generator(seed)), CharLanguageModel::forward,
                CrossEntropyLoss::new, params -> CharLmRun.optimizer(config, params))
                .batchSize(config.batch())
                .shuffleSeed(config.seed() + 1)
                .clipGradNorm(config.clip())
                .maxSteps(config.maxSteps())
                .evaluator(model -> new ClassificationEvaluator(model, model::forward, validation, vocabularySize),
                        config.evalEvery());
        if (config.schedule().equals("cosine")) {
            CharLmRun.checkCosine(config, plannedSteps); // now, before Spark starts
        }
        if (!config.schedule().equals("constant")) {
            job.scheduler(optimizer -> CharLmRun.scheduler(config, optimizer, plannedSteps), SchedulerInterval.STEP);
        }
        SessionHolder<CharLanguageModel> holder = new SessionHolder<>();
        CharLmRun.Loop loop = new CharLmRun.Loop() {
            @Override
            public long step() {
                return holder.get().step();
            }

            @Override
            public double elapsedSeconds() {
                return holder.get().elapsedSeconds();
            }

            @Override
            public void requestStop() {
                holder.get().requestStop();
            }

            @Override
            public Checkpoint.Contents checkpoint(JsonNode modelJson, JsonNode extra) {
                return holder.get().checkpoint(modelJson, extra);
            }
        };
        // Evaluations needs the driver's model (samples, its description), which the session builds: the
        // listener is registered now and finds it through the holder once the session has started.
        CharLmRun.Evaluations[] evaluations = new CharLmRun.Evaluations[1];
        job.listener(new SparkDatasetTraining.Listener<>() {
            private final RunListenerBridge<CharLanguageModel> others = new RunListenerBridge<>(new RunListener() {}, listeners);

            @Override
            public void onStart(SparkDatasetTraining.Session<CharLanguageModel> session) {
                others.onStart(session);
            }

            @Override
            public void onStep(SparkDatasetTraining.Session<CharLanguageModel> session, StepEvent step, SparkStepEvent spark) {
                evaluations[0].onStep(loop, step);
                others.onStep(session, step, spark);
            }

            @Override
            public void onEpochEnd(SparkDatasetTraining.Session<CharLanguageModel> session, EpochResult epoch) {
                others.onEpochEnd(session, epoch);
            }

            @Override
            public void onEvaluation(SparkDatasetTraining.Session<CharLanguageModel> session, long step, Evaluation evaluation) {
                evaluations[0].onEvaluation(loop, step, evaluation);
            }
        });
        Generator.manualSeed(seed);
        try (SparkDatasetTraining.Session<CharLanguageModel> session = SparkDatasetTraining.start(job)) {
            holder.set(session);
            evaluations[0] = new CharLmRun.Evaluations(config, session.model(), source, checkpointRoot, previous,
                    sessionStart, maxSeconds, reporter, CharLmRun.tokensPerStep(config, trainSet.size(), batchesPerEpoch));
            if (resume != null) {
                session.restore(resume, resume.directory().toString());
            }
            evaluations[0].startedAt(loop);
            session.fit(config.epochs());
            if (evaluations[0].lastStep() != session.step()) {
                // Stopped between evaluations (budget, step limit, end of the epochs): measure and save the final weights.
                session.evaluate();
            }
            return new CharLmRun.Outcome(config, evaluations[0].metrics(), session.step(), session.model().parameterCount(),
                    session.stopRequested());
        }
    }
}
