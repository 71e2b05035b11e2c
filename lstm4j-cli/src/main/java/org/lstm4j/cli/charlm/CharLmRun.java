package org.lstm4j.cli.charlm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.lstm4j.data.DataLoader;
import org.lstm4j.data.Dataset;
import org.lstm4j.data.NextTokenWindows;
import org.lstm4j.data.ParallelStreams;
import org.lstm4j.models.CharLanguageModel;
import org.lstm4j.nn.CrossEntropyLoss;
import org.lstm4j.optim.Adam;
import org.lstm4j.optim.AdamW;
import org.lstm4j.optim.LRScheduler;
import org.lstm4j.optim.Optimizer;
import org.lstm4j.optim.RMSprop;
import org.lstm4j.optim.StepLR;
import org.lstm4j.optim.WarmupCosineLR;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.cli.spark.SparkCharLm;
import org.lstm4j.cli.train.RunListener;
import org.lstm4j.text.CharCorpus;
import org.lstm4j.train.Checkpoint;
import org.lstm4j.train.ClassificationEvaluator;
import org.lstm4j.train.Evaluation;
import org.lstm4j.train.Evaluator;
import org.lstm4j.train.LanguageModelEvaluator;
import org.lstm4j.train.SchedulerInterval;
import org.lstm4j.train.StepEvent;
import org.lstm4j.train.Trainer;
import org.lstm4j.train.TrainingListener;
import org.lstm4j.train.TruncatedBptt;

/**
 * One char-LM training run over the library's training API: the model, the data cut into streams (or
 * windows), the optimizer, schedule and clipping, an evaluation every {@code evalEvery} steps with a sample,
 * a checkpoint at each (latest, and best by validation loss), and the stop on a step or time budget. Pure
 * logic: the caller's {@link Reporter} prints.
 */
public final class CharLmRun {
    /** The name of the model's generator (weights and dropout) in checkpoints. */
    static final String MODEL_GENERATOR = "model";
    /** Windows per evaluation batch in "windows" mode (it changes the speed only). */
    public static final int EVAL_BATCH = 256;

    /** What the caller hears of a run. */
    public interface Reporter {
        /** After every evaluation and its checkpoint; {@code sample} is empty when samples are off. */
        void evaluated(CharLmMetrics metrics, boolean best, String sample);
    }

    /**
     * @param metrics      every evaluation, oldest first (earlier sessions' too, after a resume)
     * @param steps        optimisation steps in all
     * @param parameters   the model's parameter count
     * @param stoppedEarly whether the time budget or a stop ended the run before its epochs and steps
     */
    public record Outcome(CharLmConfig config, List<CharLmMetrics> metrics, long steps, long parameters, boolean stoppedEarly) {
        public CharLmMetrics last() {
            return metrics.get(metrics.size() - 1);
        }

        public CharLmMetrics best() {
            return metrics.stream().min(java.util.Comparator.comparingDouble(CharLmMetrics::valLoss)).orElseThrow();
        }
    }

    /**
     * What resuming needs besides the checkpoint: the metrics of the earlier sessions and their wall time.
     */
    public record Previous(List<CharLmMetrics> metrics, double wallSeconds, double bestValLoss) {
        static final Previous NONE = new Previous(List.of(), 0, Double.POSITIVE_INFINITY);
    }

    private CharLmRun() {}

    /** The architecture of a configuration over a vocabulary. */
    public static CharLanguageModel.Config modelConfig(CharLmConfig c, String vocabulary) {
        return new CharLanguageModel.Config(vocabulary, c.cell(), c.embedding(), c.hidden(), c.layers(), c.dropout(), c.head());
    }

    /** The model a checkpoint describes (weights not loaded). */
    static CharLanguageModel.Config modelConfigOf(Checkpoint checkpoint) {
        try {
            return CharLanguageModel.configOf(checkpoint);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (not a checkpoint of lstm4j charlm)", e);
        }
    }

    /** The trained model of a checkpoint, weights loaded. */
    public static CharLanguageModel loadModel(Checkpoint checkpoint) {
        modelConfigOf(checkpoint);
        return CharLanguageModel.load(checkpoint);
    }

    /** The run's settings as saved in the checkpoint. */
    static CharLmConfig runConfigOf(Checkpoint checkpoint) {
        String where = checkpoint.directory().resolve(Checkpoint.DESCRIPTION).toString();
        JsonNode extra = checkpoint.training().extra();
        if (extra == null || extra.get("charlm") == null) {
            throw new IllegalArgumentException(where + ": not a checkpoint of lstm4j charlm train (no 'charlm' settings)");
        }
        return Checkpoint.fromJson(extra.get("charlm"), CharLmConfig.class, where + " charlm settings");
    }

    /** The saved text source ({"text": path} or {"dataset": name}) of a checkpoint. */
    static JsonNode textSourceOf(Checkpoint checkpoint) {
        JsonNode extra = checkpoint.training().extra();
        return extra == null ? null : extra.get("source");
    }

    /**
     * Trains (or continues) one model.
     *
     * @param source         how the text was named ({"text": ...} or {"dataset": ...}), saved for resumes
     * @param checkpointRoot where checkpoints go
     * @param resume         the checkpoint to continue, or null
     * @param previous       the earlier sessions' metrics and wall time (from the checkpoint), or {@link Previous#NONE}
     * @param maxSeconds     this session's wall-time budget, or infinity
     */
    public static Outcome train(CharLmConfig config, CharCorpus corpus, JsonNode source, Path checkpointRoot,
            Checkpoint resume, Previous previous, double maxSeconds, List<RunListener> listeners, Reporter reporter,
            String sparkMaster) {
        if (sparkMaster != null) {
            return SparkCharLm.train(config, corpus, source, checkpointRoot, resume, previous, maxSeconds, listeners,
                    reporter, sparkMaster);
        }
        long sessionStart = System.nanoTime();
        Generator.manualSeed(config.seed());
        Generator modelGenerator = new Generator(config.seed());
        CharLanguageModel.Config modelConfig = modelConfig(config, corpus.vocabulary().characters());
        checkResumedModel(resume, modelConfig);
        CharLanguageModel model = new CharLanguageModel(modelConfig, modelGenerator);
        int vocabularySize = corpus.vocabulary().size();

        Function<Tensor, Tensor> forward;
        TruncatedBptt bptt = null;
        Dataset<IndexTensor> trainSet;
        Evaluator evaluator;
        DataLoader<IndexTensor> trainLoader;
        if (config.mode().equals(CharLmConfig.STREAMS)) {
            bptt = new TruncatedBptt(model::forward);
            forward = bptt;
            trainSet = new ParallelStreams(corpus.train(), config.batch(), config.seq());
            trainLoader = DataLoader.builder(trainSet).batchSize(config.batch()).build();
            evaluator = new LanguageModelEvaluator(model, model::forward, validationStreams(corpus.validation(), config));
        } else {
            forward = model::forward;
            trainSet = new NextTokenWindows(corpus.train(), config.seq(), config.stride());
            trainLoader = DataLoader.builder(trainSet).batchSize(config.batch()).shuffle(true)
                    .generator(new Generator(config.seed() + 1)).build();
            DataLoader<IndexTensor> valLoader = DataLoader.builder(validationWindows(corpus.validation(), config))
                    .batchSize(EVAL_BATCH).build();
            evaluator = new ClassificationEvaluator(model, model::forward, valLoader, vocabularySize);
        }
        Optimizer optimizer = optimizer(config, model);
        long plannedSteps = plannedSteps(config, trainLoader.numBatches());
        Trainer.Builder<IndexTensor> builder = Trainer.builder(model, forward, new CrossEntropyLoss(), optimizer)
                .evaluator(evaluator)
                .evaluateEvery(config.evalEvery())
                .generator(MODEL_GENERATOR, modelGenerator);
        if (bptt != null) {
            builder.carriedState(bptt);
        }
        LRScheduler scheduler = scheduler(config, optimizer, plannedSteps);
        if (scheduler != null) {
            builder.scheduler(scheduler, SchedulerInterval.STEP);
        }
        if (config.clip() > 0) {
            builder.clipGradNorm(config.clip());
        }
        if (config.maxSteps() > 0) {
            builder.maxSteps(config.maxSteps());
        }
        Evaluations evaluations = new Evaluations(config, model, source, checkpointRoot, previous, sessionStart,
                maxSeconds, reporter, tokensPerStep(config, trainSet.size(), trainLoader.numBatches()));
        Trainer<IndexTensor>[] built = trainerHolder();
        Loop loop = new Loop() {
            @Override
            public long step() {
                return built[0].step();
            }

            @Override
            public double elapsedSeconds() {
                return built[0].elapsedSeconds();
            }

            @Override
            public void requestStop() {
                built[0].requestStop();
            }

            @Override
            public Checkpoint.Contents checkpoint(JsonNode modelJson, JsonNode extra) {
                return built[0].checkpoint(modelJson, extra);
            }
        };
        builder.listener(new TrainingListener() {
            @Override
            public void onStep(Trainer<?> trainer, StepEvent e) {
                evaluations.onStep(loop, e);
            }

            @Override
            public void onEvaluation(Trainer<?> trainer, long step, Evaluation evaluation) {
                evaluations.onEvaluation(loop, step, evaluation);
            }
        });
        listeners.forEach(l -> builder.listener(RunListener.asTrainingListener(l)));
        Trainer<IndexTensor> trainer = builder.build();
        built[0] = trainer;
        if (resume != null) {
            trainer.restore(resume, trainLoader);
        }
        evaluations.startedAt(loop);
        trainer.fit(trainLoader, config.epochs());
        if (evaluations.lastStep != trainer.step()) {
            // Stopped between evaluations (budget, step limit, end of the epochs): measure and save the final weights.
            trainer.evaluate();
        }
        boolean early = trainer.stopRequested();
        return new Outcome(config, evaluations.metrics(), trainer.step(), model.parameterCount(), early);
    }

    /** Refuses a checkpoint of another text or architecture than these settings build (none: nothing to check). */
    public static void checkResumedModel(Checkpoint resume, CharLanguageModel.Config modelConfig) {
        if (resume == null) {
            return;
        }
        CharLanguageModel.Config saved = modelConfigOf(resume);
        if (!saved.vocabulary().equals(modelConfig.vocabulary())) {
            throw new IllegalArgumentException(resume.directory() + ": the checkpoint's vocabulary ("
                    + saved.vocabularySize() + " characters) is not this text's (" + modelConfig.vocabularySize()
                    + " characters): it was trained on another text");
        }
        if (!saved.equals(modelConfig)) {
            throw new IllegalArgumentException(resume.directory() + ": the checkpoint's model is " + saved
                    + ", these settings build " + modelConfig);
        }
    }

    @SuppressWarnings("unchecked")
    private static Trainer<IndexTensor>[] trainerHolder() {
        return new Trainer[1];
    }

    /** Characters predicted per step, for the rate: one window (or stream) row is {@code seq} of them. */
    public static long tokensPerStep(CharLmConfig config, int trainExamples, int batchesPerEpoch) {
        return (long) trainExamples / batchesPerEpoch * config.seq();
    }

    /** What {@link Evaluations} needs of the training loop: a single-process {@link Trainer} or a Spark session. */
    public interface Loop {
        long step();

        double elapsedSeconds();

        void requestStop();

        /** The state to checkpoint now, with this model description and extra data. */
        Checkpoint.Contents checkpoint(JsonNode modelJson, JsonNode extra);
    }

    /** The steps a run plans: its epochs, or fewer with --max-steps. */
    public static long plannedSteps(CharLmConfig config, int batchesPerEpoch) {
        long planned = (long) config.epochs() * batchesPerEpoch;
        return config.maxSteps() > 0 ? Math.min(planned, config.maxSteps()) : planned;
    }

    /** A cosine schedule is laid over the planned steps: they must outlast the warm-up and fit its counter. */
    public static void checkCosine(CharLmConfig config, long plannedSteps) {
        if (plannedSteps > Integer.MAX_VALUE || plannedSteps <= config.warmup()) {
            throw new IllegalArgumentException("--schedule cosine is laid over the run's planned steps (" + plannedSteps
                    + "), which must exceed --warmup (" + config.warmup() + ") and be at most " + Integer.MAX_VALUE
                    + "; set --max-steps");
        }
    }

    /** The validation text in streams: the run's batch, or fewer streams if the text is short. */
    public static ParallelStreams validationStreams(int[] validation, CharLmConfig config) {
        int streams = Math.min(config.batch(), Math.max(1, (validation.length - 1) / config.seq()));
        if (validation.length < streams * config.seq() + 1) {
            throw new IllegalArgumentException("the validation part of the text (" + validation.length
                    + " characters) is shorter than one window of " + config.seq() + " steps and the character after it;"
                    + " use a longer text, a larger --val-frac or a smaller --seq");
        }
        return new ParallelStreams(validation, streams, config.seq());
    }

    /**
     * The validation text as many-to-one windows that do not overlap: every validation character predicted
     * once, not seq times.
     */
    public static NextTokenWindows validationWindows(int[] validation, CharLmConfig config) {
        if (validation.length < config.seq() + 1) {
            throw new IllegalArgumentException("the validation part of the text (" + validation.length
                    + " characters) is shorter than one window of " + config.seq() + " and its next character");
        }
        return new NextTokenWindows(validation, config.seq(), config.seq());
    }

    static Optimizer optimizer(CharLmConfig c, CharLanguageModel model) {
        return optimizer(c, model.parameters());
    }

    /** The configuration's optimizer over these parameters. */
    public static Optimizer optimizer(CharLmConfig c, List<Tensor> parameters) {
        return switch (c.optimizer()) {
            case "adamw" -> new AdamW(parameters, c.lr(), 0.9, 0.999, 1e-8, c.weightDecay(), false);
            case "rmsprop" -> new RMSprop(parameters, c.lr(), 0.99, 1e-8, c.weightDecay(), 0.0, false);
            default -> new Adam(parameters, c.lr(), 0.9, 0.999, 1e-8, c.weightDecay(), false);
        };
    }

    /** The configuration's schedule over the planned steps (checked), stepped every step; null for constant. */
    public static LRScheduler scheduler(CharLmConfig config, Optimizer optimizer, long plannedSteps) {
        return switch (config.schedule()) {
            case "step" -> new StepLR(optimizer, config.stepSize(), config.gamma());
            case "cosine" -> {
                checkCosine(config, plannedSteps);
                yield new WarmupCosineLR(optimizer, config.warmup(), (int) plannedSteps, 0.0);
            }
            default -> null;
        };
    }

    /** Evaluation bookkeeping: metrics, checkpoints, samples, the time budget; for either kind of {@link Loop}. */
    public static final class Evaluations {
        private final CharLmConfig config;
        private final CharLanguageModel model;
        private final JsonNode modelJson;
        private final JsonNode source;
        private final Path root;
        private final double previousWall;
        private final long sessionStart;
        private final double maxSeconds;
        private final Reporter reporter;
        private final long tokensPerStep;
        private final List<CharLmMetrics> metrics;
        private double bestValLoss;
        private long lastStep = -1;
        private double lossSum;
        private long lossSteps;
        private int epoch = 1;
        private double lr;
        private double trainSecondsAtLastEval;
        private long stepAtLastEval;

        public Evaluations(CharLmConfig config, CharLanguageModel model, JsonNode source,
                Path root, Previous previous, long sessionStart, double maxSeconds, Reporter reporter, long tokensPerStep) {
            this.config = config;
            this.model = model;
            this.modelJson = model.checkpointDescription();
            this.source = source;
            this.root = root;
            this.previousWall = previous.wallSeconds();
            this.bestValLoss = previous.bestValLoss();
            this.metrics = new ArrayList<>(previous.metrics());
            this.sessionStart = sessionStart;
            this.maxSeconds = maxSeconds;
            this.reporter = reporter;
            this.tokensPerStep = tokensPerStep;
        }

        /** The metrics so far, oldest first. */
        public List<CharLmMetrics> metrics() {
            return List.copyOf(metrics);
        }

        /** The step of the last evaluation, or -1. */
        public long lastStep() {
            return lastStep;
        }

        public void startedAt(Loop trainer) {
            lastStep = metrics.isEmpty() ? -1 : metrics.get(metrics.size() - 1).step();
            if (lastStep != trainer.step()) {
                lastStep = -1;
            }
            trainSecondsAtLastEval = trainer.elapsedSeconds();
            stepAtLastEval = trainer.step();
        }

        double wallSeconds() {
            return previousWall + (System.nanoTime() - sessionStart) / 1e9;
        }

        public void onStep(Loop trainer, StepEvent e) {
            lossSum += e.loss();
            lossSteps++;
            epoch = e.epoch();
            lr = e.lr();
            if ((System.nanoTime() - sessionStart) / 1e9 >= maxSeconds) {
                trainer.requestStop();
            }
        }

        public void onEvaluation(Loop trainer, long step, Evaluation evaluation) {
            double trainSeconds = trainer.elapsedSeconds();
            double dt = trainSeconds - trainSecondsAtLastEval;
            long steps = step - stepAtLastEval;
            boolean best = evaluation.loss() < bestValLoss;
            if (best) {
                bestValLoss = evaluation.loss();
            }
            String sample = sample(step);
            // The wall time is read after the sample, so that it counts everything up to the checkpoint.
            CharLmMetrics m = new CharLmMetrics(step, epoch, step * tokensPerStep, trainSeconds, wallSeconds(),
                    lossSteps > 0 ? lossSum / lossSteps : Double.NaN, evaluation.loss(), evaluation.loss() / Math.log(2),
                    evaluation.accuracy(), lr, dt > 0 ? steps * tokensPerStep / dt : Double.NaN);
            metrics.add(m);
            save(trainer, best, m.wallSeconds());
            lastStep = step;
            lossSum = 0;
            lossSteps = 0;
            trainSecondsAtLastEval = trainSeconds;
            stepAtLastEval = step;
            reporter.evaluated(m, best, sample);
        }

        private String sample(long step) {
            if (config.sampleLength() == 0) {
                return "";
            }
            StringBuilder out = new StringBuilder(config.samplePrime());
            // Its own generator: sampling leaves the training's random streams untouched.
            model.sampler(new Generator(config.seed() * 1_000_003L + step)).generate(config.samplePrime(),
                    config.sampleLength(), config.sampleTemperature(), 0, out::appendCodePoint);
            return out.toString();
        }

        private void save(Loop trainer, boolean best, double wallSeconds) {
            ObjectNode extra = Checkpoint.json().createObjectNode();
            extra.set("charlm", Checkpoint.toJson(config));
            extra.set("source", source);
            extra.put("wallSeconds", wallSeconds);
            extra.put("bestValLoss", bestValLoss);
            try {
                Checkpoint.save(root, trainer.checkpoint(modelJson, extra), best);
            } catch (IOException e) {
                throw new UncheckedIOException("could not save the checkpoint in " + root + ": " + e.getMessage(), e);
            }
        }
    }
}
