package org.lstm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.data.DataLoader;
import org.lstm4j.data.ParallelStreams;
import org.lstm4j.models.CharLanguageModel;
import org.lstm4j.models.CharLanguageModel.Config;
import org.lstm4j.models.CharLanguageModel.Head;
import org.lstm4j.nn.CrossEntropyLoss;
import org.lstm4j.nn.RecurrentOutput;
import org.lstm4j.optim.Adam;
import org.lstm4j.optim.WarmupCosineLR;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.testing.Datasets;
import org.lstm4j.text.CharCorpus;
import org.lstm4j.text.TextFiles;

/**
 * Character-level language modelling end to end on the first 4,000 characters of Tiny Shakespeare:
 * {@link ParallelStreams} read in order, {@link TruncatedBptt} as the forward function and carried state of
 * the {@link Trainer}, {@link LanguageModelEvaluator} on the held-out end of the text.
 */
class TruncatedBpttTrainerTest {
    @TempDir
    Path tmp;

    static final int STREAMS = 8;
    static final int STEPS = 25;

    private static CharCorpus corpus;

    /** The first 4,000 characters of Tiny Shakespeare, the last 400 held out (3,600 train 8 streams of 17 windows). */
    static synchronized CharCorpus corpus() throws Exception {
        if (corpus == null) {
            String text = TextFiles.readUtf8(Datasets.require("tinyshakespeare/input.txt")).substring(0, 4000);
            corpus = CharCorpus.split(text, null, 0.1);
        }
        return corpus;
    }

    /** Entropy in nats of the characters' frequencies in {@code ids}: the loss of the best context-free model. */
    static double unigramEntropy(int[] ids, int v) {
        double[] counts = new double[v];
        for (int id : ids) {
            counts[id]++;
        }
        double h = 0;
        for (double c : counts) {
            if (c > 0) {
                double p = c / ids.length;
                h -= p * Math.log(p);
            }
        }
        return h;
    }

    /** A complete set-up; the seed decides every initial state. */
    static final class Setup {
        final Config config;
        final CharLanguageModel model;
        final Generator modelGen;
        final ParallelStreams train;
        final DataLoader<IndexTensor> loader;
        final Adam adam;
        final WarmupCosineLR scheduler;
        final TruncatedBptt bptt;
        final Trainer<IndexTensor> trainer;
        final List<Float> losses = new ArrayList<>();
        final List<Long> evaluationSteps = new ArrayList<>();
        final List<Evaluation> evaluations = new ArrayList<>();
        /** Per training forward: whether it started from the zero state. */
        final List<Boolean> startedFromZeros = new ArrayList<>();

        Setup(CharCorpus corpus, long seed, Config config, double lr, int epochs, long maxSteps, long evaluateEvery,
                boolean carried, TrainingListener... extra) {
            this.config = config;
            Generator.manualSeed(seed);
            modelGen = new Generator(seed);
            model = new CharLanguageModel(config, modelGen);
            train = new ParallelStreams(corpus.train(), STREAMS, STEPS);
            loader = DataLoader.builder(train).batchSize(STREAMS).generator(new Generator(seed + 1)).build();
            adam = new Adam(model.parameters(), lr);
            scheduler = new WarmupCosineLR(adam, 5, epochs * train.windows(), lr / 20);
            RecurrentOutput[] previous = new RecurrentOutput[1];
            bptt = new TruncatedBptt((x, state) -> {
                startedFromZeros.add(state == null);
                if (state != null) {
                    // The carried state is the previous batch's final state, cut from its graph (after a restore,
                    // the checkpoint's: no previous batch in this process).
                    assertFalse(state.h().requiresGrad() || state.c().requiresGrad());
                }
                if (state != null && previous[0] != null) {
                    assertArrayEquals(previous[0].hN().data(), state.h().data(), 0f);
                    assertArrayEquals(previous[0].cN().data(), state.c().data(), 0f);
                }
                previous[0] = model.forward(x, state);
                return previous[0];
            });
            LanguageModelEvaluator evaluator = new LanguageModelEvaluator(model, model::forward,
                    new ParallelStreams(corpus.validation(), 2, STEPS));
            Trainer.Builder<IndexTensor> b = Trainer.builder(model, carried ? bptt : x -> model.forward(x),
                            new CrossEntropyLoss(), adam)
                    .scheduler(scheduler, SchedulerInterval.STEP)
                    .clipGradNorm(1.0)
                    .evaluator(evaluator)
                    .generator("model", modelGen)
                    .listener(new TrainingListener() {
                        @Override
                        public void onStep(Trainer<?> t, StepEvent e) {
                            losses.add(e.loss());
                        }

                        @Override
                        public void onEvaluation(Trainer<?> t, long step, Evaluation evaluation) {
                            evaluationSteps.add(step);
                            evaluations.add(evaluation);
                        }
                    });
            for (TrainingListener l : extra) {
                b.listener(l);
            }
            if (carried) {
                b.carriedState(bptt);
            }
            if (evaluateEvery > 0) {
                b.evaluateEvery(evaluateEvery);
            }
            if (maxSteps > 0) {
                b.maxSteps(maxSteps);
            }
            trainer = b.build();
        }

        com.fasterxml.jackson.databind.JsonNode json() {
            return Checkpoint.toJson(config);
        }
    }

    static Config config(CharCorpus corpus, int hidden, int layers, double dropout) {
        return new Config(corpus.vocabulary().characters(), "lstm", 16, hidden, layers, dropout, Head.EVERY_STEP);
    }

    @Test
    void validationLossFallsWellBelowTheUnigramEntropy() throws Exception {
        CharCorpus corpus = corpus();
        int v = corpus.vocabulary().size();
        double entropy = unigramEntropy(corpus.train(), v);
        assertTrue(entropy > 2.5 && entropy < Math.log(v), "unigram entropy " + entropy + " nats");
        int epochs = 12;
        Setup s = new Setup(corpus, 1, config(corpus, 96, 1, 0.0), 0.01, epochs, 0, 0, true);
        assertEquals(17, s.train.windows());
        List<EpochResult> history = s.trainer.fit(s.loader, epochs);
        assertEquals(epochs, history.size());
        double first = history.get(0).validation().loss();
        double last = history.get(epochs - 1).validation().loss();
        // Measured: 3.01 nats after the first epoch, 2.20 after the twelfth (context-free best: 3.18).
        assertTrue(last < first - 0.5, "validation loss from " + first + " to " + last + " nats");
        assertTrue(last < entropy - 0.6, "validation loss " + last + " nats, unigram entropy " + entropy + " nats");
        assertEquals(2 * 7 * STEPS, history.get(epochs - 1).validation().examples(), "every validation character");
        assertTrue(history.get(epochs - 1).validation().accuracy() > 0.3,
                "accuracy " + history.get(epochs - 1).validation().accuracy());
        assertEquals(epochs, s.evaluationSteps.size(), "one evaluation per epoch without evaluateEvery");
    }

    @Test
    void theCarriedStateStartsFromZerosAtEveryEpochAndIsCarriedWithin() throws Exception {
        CharCorpus corpus = corpus();
        Setup s = new Setup(corpus, 2, config(corpus, 32, 1, 0.0), 0.01, 3, 0, 0, true);
        int windows = s.train.windows();
        s.trainer.fit(s.loader, 3);
        // Every forward checks (in the Setup) that a non-zero start is the previous batch's final state, detached.
        assertEquals(3 * windows, s.startedFromZeros.size());
        for (int i = 0; i < s.startedFromZeros.size(); i++) {
            assertEquals(i % windows == 0, s.startedFromZeros.get(i), "training step " + (i + 1));
        }
        // The state left by the last batch stays until the next epoch starts (a checkpoint saves it).
        assertNotNull(s.bptt.state());
        assertArrayEquals(new int[] {1, STREAMS, 32}, s.bptt.state().h().shape());
        assertEquals(java.util.Set.of("h", "c"), s.bptt.stateDict().keySet());

        // A second fit (more epochs) starts its first epoch from zeros too, though the state is not null now.
        s.trainer.fit(s.loader, 4);
        assertEquals(4 * windows, s.startedFromZeros.size());
        assertTrue(s.startedFromZeros.get(3 * windows), "the fourth epoch starts from zeros");
        assertFalse(s.startedFromZeros.get(3 * windows + 1));
    }

    @Test
    void evaluateEveryRunsTheEvaluatorEveryNStepsWithItsFigures() throws Exception {
        CharCorpus corpus = corpus();
        Setup[] setup = new Setup[1];
        LanguageModelEvaluator[] twin = new LanguageModelEvaluator[1];
        List<Evaluation> twinFigures = new ArrayList<>();
        List<Boolean> trainingMode = new ArrayList<>();
        // At each evaluation, what a separate evaluator computes from the same weights; at each step, the mode.
        TrainingListener check = new TrainingListener() {
            @Override
            public void onEvaluation(Trainer<?> t, long step, Evaluation e) {
                twinFigures.add(twin[0].evaluate());
            }

            @Override
            public void onStep(Trainer<?> t, StepEvent e) {
                trainingMode.add(setup[0].model.isTraining());
            }
        };
        Setup s = new Setup(corpus, 3, config(corpus, 32, 1, 0.0), 0.01, 2, 0, 5, true, check);
        setup[0] = s;
        twin[0] = new LanguageModelEvaluator(s.model, s.model::forward, new ParallelStreams(corpus.validation(), 2, STEPS));
        List<EpochResult> history = s.trainer.fit(s.loader, 2);
        int steps = 2 * s.train.windows(); // 34
        assertEquals(List.of(5L, 10L, 15L, 20L, 25L, 30L), s.evaluationSteps);
        assertEquals(s.evaluations.size(), twinFigures.size());
        for (int i = 0; i < s.evaluations.size(); i++) {
            Evaluation e = s.evaluations.get(i);
            assertEquals(twinFigures.get(i).loss(), e.loss(), 0.0, "evaluation " + i);
            assertEquals(twinFigures.get(i).accuracy(), e.accuracy(), 0.0);
            assertEquals(2 * 7 * STEPS, e.examples(), "every validation character");
            assertTrue(e.loss() > 0 && e.loss() < 5, "loss " + e.loss());
        }
        assertTrue(s.evaluations.get(5).loss() < s.evaluations.get(0).loss(), "the evaluations follow the training");
        assertEquals(steps, trainingMode.size());
        assertTrue(trainingMode.stream().allMatch(b -> b), "training mode at every step, evaluations between");
        for (EpochResult r : history) {
            assertNull(r.validation(), "with evaluateEvery the epochs carry no validation of their own");
        }
        // An evaluation on demand reports the current step.
        Evaluation now = s.trainer.evaluate();
        assertEquals(7, s.evaluationSteps.size());
        assertEquals((long) steps, s.evaluationSteps.get(6));
        assertEquals(twin[0].evaluate().loss(), now.loss(), 0.0);
        assertTrue(s.model.isTraining());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder(s.model, s.bptt, new CrossEntropyLoss(), s.adam).evaluateEvery(5).build());
        assertTrue(e.getMessage().contains("evaluateEvery needs an evaluator"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder(s.model, s.bptt, new CrossEntropyLoss(), s.adam).evaluateEvery(0));
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> Trainer.builder(s.model, s.bptt, new CrossEntropyLoss(), s.adam).build().evaluate());
        assertTrue(none.getMessage().contains("no evaluator"), none.getMessage());
    }

    @Test
    void resumingMidEpochGivesExactlyTheLossesAndWeightsOfAnUninterruptedRun() throws Exception {
        CharCorpus corpus = corpus();
        Config config = config(corpus, 40, 2, 0.2);
        int epochs = 2;
        Setup straight = new Setup(corpus, 7, config, 0.005, epochs, 0, 6, true);
        int windows = straight.train.windows();
        int total = epochs * windows;
        straight.trainer.fit(straight.loader, epochs);
        assertEquals(total, straight.losses.size());

        // Interrupted in the middle of the first epoch, with a carried state that is not zeros.
        int k = 9;
        Setup first = new Setup(corpus, 7, config, 0.005, epochs, k, 6, true);
        first.trainer.fit(first.loader, epochs);
        assertEquals(straight.losses.subList(0, k), first.losses);
        Path saved = first.trainer.saveCheckpoint(tmp.resolve("ckpt"), first.json(), null, false);
        assertTrue(Files.isRegularFile(saved.resolve(Checkpoint.CARRIED_STATE)));
        Generator.manualSeed(999);

        // A new process: everything built from another seed, then restored.
        Setup resumed = new Setup(corpus, 31, config, 0.005, epochs, 0, 6, true);
        resumed.trainer.restore(Checkpoint.load(tmp.resolve("ckpt")), resumed.loader);
        assertArrayEquals(first.bptt.state().h().data(), resumed.bptt.state().h().data(), 0f);
        assertArrayEquals(first.bptt.state().c().data(), resumed.bptt.state().c().data(), 0f);
        assertEquals(first.scheduler.getLastLr(), resumed.adam.getLr(), 0.0);
        resumed.trainer.fit(resumed.loader, epochs);

        List<Float> expected = straight.losses.subList(k, total);
        assertEquals(expected.size(), resumed.losses.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(Float.floatToRawIntBits(expected.get(i)), Float.floatToRawIntBits(resumed.losses.get(i)),
                    "loss of step " + (k + 1 + i) + ": " + expected.get(i) + " vs " + resumed.losses.get(i));
        }
        Map<String, Tensor> a = straight.model.stateDict();
        Map<String, Tensor> b = resumed.model.stateDict();
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name).data(), b.get(name).data(), 0f, name);
        }
        // The evaluations after the resume are those of the uninterrupted run (steps 12, 18, 24, 30).
        int skipped = k / 6;
        assertEquals(straight.evaluationSteps.subList(skipped, straight.evaluationSteps.size()), resumed.evaluationSteps);
        for (int i = 0; i < resumed.evaluations.size(); i++) {
            assertEquals(straight.evaluations.get(skipped + i).loss(), resumed.evaluations.get(i).loss(), 0.0);
        }
        assertEquals(total, resumed.trainer.step());

        // The carried state is what makes the first resumed step exact: from zeros it is another loss.
        Setup zeroed = new Setup(corpus, 31, config, 0.005, epochs, k + 1, 6, true);
        zeroed.trainer.restore(Checkpoint.load(tmp.resolve("ckpt")), zeroed.loader);
        zeroed.bptt.reset();
        zeroed.trainer.fit(zeroed.loader, epochs);
        assertNotEquals(expected.get(0), zeroed.losses.get(0));
    }

    @Test
    void aCheckpointWithoutCarriedStateIsRefusedByATrainerWithOneAndViceVersa() throws Exception {
        CharCorpus corpus = corpus();
        Config config = config(corpus, 24, 1, 0.0);
        Setup plain = new Setup(corpus, 4, config, 0.01, 1, 3, 0, false);
        plain.trainer.fit(plain.loader, 1);
        plain.trainer.saveCheckpoint(tmp.resolve("plain"), plain.json(), null, false);
        assertFalse(Files.exists(Checkpoint.load(tmp.resolve("plain")).directory().resolve(Checkpoint.CARRIED_STATE)));
        Setup carried = new Setup(corpus, 4, config, 0.01, 1, 3, 0, true);
        carried.trainer.fit(carried.loader, 1);
        carried.trainer.saveCheckpoint(tmp.resolve("carried"), carried.json(), null, false);

        Setup target = new Setup(corpus, 5, config, 0.01, 1, 0, 0, true);
        float[] before = target.model.parameters().get(0).data().clone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> target.trainer.restore(Checkpoint.load(tmp.resolve("plain")), target.loader));
        assertTrue(e.getMessage().contains("carries no recurrent state between batches, this trainer does"), e.getMessage());
        assertTrue(e.getMessage().contains(tmp.resolve("plain").toString()), e.getMessage());
        assertArrayEquals(before, target.model.parameters().get(0).data(), 0f);
        assertEquals(0, target.trainer.step());
        assertNull(target.bptt.state());

        Setup plainTarget = new Setup(corpus, 5, config, 0.01, 1, 0, 0, false);
        e = assertThrows(IllegalArgumentException.class,
                () -> plainTarget.trainer.restore(Checkpoint.load(tmp.resolve("carried")), plainTarget.loader));
        assertTrue(e.getMessage().contains("carries recurrent state between batches, this trainer does not"), e.getMessage());
        assertEquals(0, plainTarget.trainer.step());

        // Each restores into its own kind.
        target.trainer.restore(Checkpoint.load(tmp.resolve("carried")), target.loader);
        assertEquals(3, target.trainer.step());
        assertArrayEquals(carried.bptt.state().h().data(), target.bptt.state().h().data(), 0f);
    }

    @Test
    void aBadCarriedStateIsRefusedAndChangesNothing() throws Exception {
        CharCorpus corpus = corpus();
        Config config = config(corpus, 24, 1, 0.0);
        Setup source = new Setup(corpus, 6, config, 0.01, 1, 4, 0, true);
        source.trainer.fit(source.loader, 1);
        Checkpoint.Contents good = source.trainer.checkpoint(source.json(), null);
        Map<String, Tensor> bad = new HashMap<>(good.carriedState());
        bad.put("x", Tensor.zeros(1, STREAMS, 24));
        Checkpoint.save(tmp.resolve("bad"), new Checkpoint.Contents(good.modelConfig(), good.modelState(),
                good.optimizerType(), good.optimizerState(), good.schedulerType(), good.schedulerState(), good.training(),
                bad), false);

        Setup target = new Setup(corpus, 8, config, 0.01, 1, 0, 0, true);
        target.trainer.fit(target.loader, 1); // some progress of its own, then a refused restore
        Map<String, Tensor> weights = target.model.stateDict();
        Map<String, Tensor> optimizerState = target.adam.stateDict();
        Map<String, Tensor> schedulerState = target.scheduler.stateDict();
        float[] carriedH = target.bptt.state().h().data().clone();
        long step = target.trainer.step();
        double lr = target.adam.getLr();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> target.trainer.restore(Checkpoint.load(tmp.resolve("bad")), target.loader));
        assertTrue(e.getMessage().contains("unexpected entry 'x'"), e.getMessage());
        assertEquals(step, target.trainer.step());
        assertEquals(lr, target.adam.getLr(), 0.0);
        assertArrayEquals(carriedH, target.bptt.state().h().data(), 0f);
        for (String name : weights.keySet()) {
            assertArrayEquals(weights.get(name).data(), target.model.stateDict().get(name).data(), 0f, name);
        }
        Map<String, Tensor> optimizerAfter = target.adam.stateDict();
        for (String key : optimizerState.keySet()) {
            assertArrayEquals(optimizerState.get(key).data(), optimizerAfter.get(key).data(), 0f, key);
        }
        Map<String, Tensor> schedulerAfter = target.scheduler.stateDict();
        for (String key : schedulerState.keySet()) {
            assertArrayEquals(schedulerState.get(key).data(), schedulerAfter.get(key).data(), 0f, "scheduler " + key);
        }
    }

    @Test
    void aCheckpointBeforeTheFirstStepHasAnEmptyCarriedState() throws Exception {
        CharCorpus corpus = corpus();
        Config config = config(corpus, 24, 1, 0.0);
        Setup fresh = new Setup(corpus, 9, config, 0.01, 1, 0, 0, true);
        fresh.trainer.saveCheckpoint(tmp.resolve("fresh"), fresh.json(), null, false);
        Checkpoint loaded = Checkpoint.load(tmp.resolve("fresh"));
        assertEquals(Map.of(), loaded.contents().carriedState());
        Setup target = new Setup(corpus, 10, config, 0.01, 1, 0, 0, true);
        target.trainer.fit(target.loader, 1);
        assertNotNull(target.bptt.state());
        target.trainer.restore(loaded, target.loader);
        assertNull(target.bptt.state(), "restored to zeros");
        assertEquals(0, target.trainer.step());
    }
}
