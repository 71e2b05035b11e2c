package org.lstm4j.cli.spark;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.lstm4j.cli.charlm.CharLmConfig;
import org.lstm4j.cli.charlm.CharLmRun;
import org.lstm4j.cli.train.RunListener;
import org.lstm4j.data.DataLoader;
import org.lstm4j.data.Dataset;
import org.lstm4j.data.NextTokenWindows;
import org.lstm4j.data.ParallelStreams;
import org.lstm4j.models.CharLanguageModel;
import org.lstm4j.nn.CrossEntropyLoss;
import org.lstm4j.spark.ForwardFunction;
import org.lstm4j.spark.ModelFactory;
import org.lstm4j.spark.SparkDatasetTraining;
import org.lstm4j.spark.SparkStepEvent;
import org.lstm4j.spark.StatefulForwardFunction;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.text.CharCorpus;
import org.lstm4j.train.Checkpoint;
import org.lstm4j.train.ClassificationEvaluator;
import org.lstm4j.train.EpochResult;
import org.lstm4j.train.Evaluation;
import org.lstm4j.train.LanguageModelEvaluator;
import org.lstm4j.train.SchedulerInterval;
import org.lstm4j.train.StepEvent;

/**
 * {@code charlm train --spark MASTER}: {@link CharLmRun}'s run with each step's gradient computed on Spark: the
 * same model, optimizer, schedule, clipping, evaluations every {@code --eval-every} steps with samples, metrics
 * and checkpoints. In "streams" mode (the default and best recipes) the same truncated BPTT: the parallel
 * streams in order, each partition continuing its rows (streams) from the carried state the driver keeps
 * ({@link SparkDatasetTraining.Job#truncatedBptt}); in "windows" mode (the seed recipe) the same shuffled
 * order of the windows.
 */
public final class SparkCharLm {
    private SparkCharLm() {}

    /** @see CharLmRun#train */
    public static CharLmRun.Outcome train(CharLmConfig config, CharCorpus corpus, JsonNode source, Path checkpointRoot,
            Checkpoint resume, CharLmRun.Previous previous, double maxSeconds, List<RunListener> listeners,
            CharLmRun.Reporter reporter, String master) {
        long sessionStart = System.nanoTime();
        SparkMaster.check(master);
        CharLanguageModel.Config modelConfig = CharLmRun.modelConfig(config, corpus.vocabulary().characters());
        CharLmRun.checkResumedModel(resume, modelConfig);
        long seed = config.seed();
        String appName = "lstm4j charlm " + config.cell() + " " + config.layers() + "x" + config.hidden();
        ModelFactory<CharLanguageModel> factory = () -> new CharLanguageModel(modelConfig, new Generator(seed));
        Dataset<IndexTensor> trainSet;
        int batchesPerEpoch;
        SparkDatasetTraining.Job<CharLanguageModel> job;
        if (config.mode().equals(CharLmConfig.STREAMS)) {
            ParallelStreams streams = new ParallelStreams(corpus.train(), config.batch(), config.seq());
            trainSet = streams;
            batchesPerEpoch = streams.windows();
            ParallelStreams validation = CharLmRun.validationStreams(corpus.validation(), config);
            // The stateful overload: each partition starts its rows from the state the driver carries for them.
            StatefulForwardFunction<CharLanguageModel> forward = CharLanguageModel::forward;
            job = SparkDatasetTraining.Job.truncatedBptt(master, appName, streams, factory, forward, CrossEntropyLoss::new,
                            params -> CharLmRun.optimizer(config, params))
                    .evaluator(model -> new LanguageModelEvaluator(model, model::forward, validation), config.evalEvery());
        } else {
            NextTokenWindows windows = new NextTokenWindows(corpus.train(), config.seq(), config.stride());
            trainSet = windows;
            batchesPerEpoch = (windows.size() + config.batch() - 1) / config.batch();
            int vocabularySize = corpus.vocabulary().size();
            DataLoader<IndexTensor> validation = DataLoader.builder(
                    CharLmRun.validationWindows(corpus.validation(), config)).batchSize(CharLmRun.EVAL_BATCH).build();
            ForwardFunction<CharLanguageModel> forward = CharLanguageModel::forward;
            job = new SparkDatasetTraining.Job<>(master, appName, windows, factory, forward, CrossEntropyLoss::new,
                            params -> CharLmRun.optimizer(config, params))
                    .shuffleSeed(config.seed() + 1)
                    .evaluator(model -> new ClassificationEvaluator(model, model::forward, validation, vocabularySize),
                            config.evalEvery());
        }
        long plannedSteps = CharLmRun.plannedSteps(config, batchesPerEpoch);
        job.batchSize(config.batch())
                .clipGradNorm(config.clip())
                .maxSteps(config.maxSteps());
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
