package org.lstm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.data.DataLoader;
import org.lstm4j.data.TensorDataset;
import org.lstm4j.models.RecurrentClassifier;
import org.lstm4j.nn.CrossEntropyLoss;
import org.lstm4j.optim.Adam;
import org.lstm4j.optim.CosineAnnealingLR;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;

class TrainerTest {
    @TempDir
    Path tmp;

    private static final RecurrentClassifier.Config MODEL =
            new RecurrentClassifier.Config("lstm", 3, 8, 2, false, 0.3, 4, "pytorch");

    /** 200 sequences of 5 steps of 3 features; the class is which quarter the first feature's sum falls in. */
    static TensorDataset<IndexTensor> dataset(int n) {
        Generator g = new Generator(123);
        Tensor x = Tensor.randn(g, n, 5, 3);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            float s = 0;
            for (int t = 0; t < 5; t++) {
                s += x.get(i, t, 0);
            }
            labels[i] = s < -1.5f ? 0 : s < 0 ? 1 : s < 1.5f ? 2 : 3;
        }
        return TensorDataset.ofClasses(x, IndexTensor.of(labels));
    }

    /** A complete set-up: model, loader, optimizer, scheduler, trainer; the seed decides every initial state. */
    static final class Setup {
        final RecurrentClassifier model;
        final DataLoader<IndexTensor> loader;
        final Trainer<IndexTensor> trainer;
        final List<Float> losses = new ArrayList<>();

        Setup(long seed, long maxSteps, TrainingListener... listeners) {
            Generator.manualSeed(seed);
            Generator modelGen = new Generator(seed);
            model = new RecurrentClassifier(MODEL, modelGen);
            loader = DataLoader.builder(dataset(200)).batchSize(32).shuffle(true).generator(new Generator(seed + 1)).build();
            Adam adam = new Adam(model.parameters(), 0.01);
            DataLoader<IndexTensor> test = DataLoader.builder(dataset(64)).batchSize(20).build();
            Trainer.Builder<IndexTensor> b = Trainer.builder(model, model::forward, new CrossEntropyLoss(), adam)
                    .scheduler(new CosineAnnealingLR(adam, 3 * 7), SchedulerInterval.STEP)
                    .clipGradNorm(1.0)
                    .evaluator(new ClassificationEvaluator(model, model::forward, test, 4))
                    .generator("model", modelGen)
                    .listener(new TrainingListener() {
                        @Override
                        public void onStep(Trainer<?> t, StepEvent e) {
                            losses.add(e.loss());
                        }
                    });
            if (maxSteps > 0) {
                b.maxSteps(maxSteps);
            }
            for (TrainingListener l : listeners) {
                b.listener(l);
            }
            trainer = b.build();
        }
    }

    private static JsonNode modelJson() {
        return Checkpoint.toJson(MODEL);
    }

    @Test
    void resumingFromACheckpointGivesExactlyTheLossesOfAnUninterruptedRun() throws Exception {
        Setup straight = new Setup(7, 0);
        List<EpochResult> straightHistory = straight.trainer.fit(straight.loader, 3);
        assertEquals(21, straight.losses.size());
        assertEquals(3, straightHistory.size());

        // Interrupted inside the second epoch (step 10 of 7 per epoch), saved, and the process "ends".
        Setup first = new Setup(7, 10);
        first.trainer.fit(first.loader, 3);
        assertEquals(straight.losses.subList(0, 10), first.losses);
        first.trainer.saveCheckpoint(tmp.resolve("ckpt"), modelJson(), null, false);
        Generator.manualSeed(999); // whatever ran in between moved the default generator

        // A new process: everything built from another seed, then restored.
        Setup resumed = new Setup(31, 0);
        resumed.trainer.restore(Checkpoint.load(tmp.resolve("ckpt")), resumed.loader);
        List<EpochResult> resumedHistory = resumed.trainer.fit(resumed.loader, 3);

        List<Float> expected = straight.losses.subList(10, 21);
        assertEquals(expected.size(), resumed.losses.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(Float.floatToRawIntBits(expected.get(i)), Float.floatToRawIntBits(resumed.losses.get(i)),
                    "loss of step " + (11 + i) + ": " + expected.get(i) + " vs " + resumed.losses.get(i));
        }
        Map<String, Tensor> a = straight.model.stateDict();
        Map<String, Tensor> b = resumed.model.stateDict();
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name).data(), b.get(name).data(), name);
        }
        for (int e = 0; e < 3; e++) {
            assertEquals(straightHistory.get(e).trainLoss(), resumedHistory.get(e).trainLoss(), "train loss of epoch " + (e + 1));
            assertEquals(straightHistory.get(e).validation().accuracy(), resumedHistory.get(e).validation().accuracy());
        }
        assertEquals(21, resumed.trainer.step());
    }

    @Test
    void aCheckpointOfAnotherModelIsRefusedByNameAndChangesNothing() throws Exception {
        Setup saved = new Setup(1, 3);
        saved.trainer.fit(saved.loader, 1);
        saved.trainer.saveCheckpoint(tmp.resolve("ckpt"), modelJson(), null, false);

        Generator g = new Generator(5);
        RecurrentClassifier other = new RecurrentClassifier(new RecurrentClassifier.Config("lstm", 3, 6, 2, false, 0, 4,
                "pytorch"), g);
        Adam adam = new Adam(other.parameters(), 0.01);
        Trainer<IndexTensor> trainer = Trainer.builder(other, other::forward, new CrossEntropyLoss(), adam)
                .scheduler(new CosineAnnealingLR(adam, 21), SchedulerInterval.STEP).generator("model", g).build();
        float[] before = other.parameters().get(0).data().clone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer.restore(Checkpoint.load(tmp.resolve("ckpt")), null));
        assertTrue(e.getMessage().contains("rnn.weight_ih_l0") && e.getMessage().contains(tmp.toString()), e.getMessage());
        assertArrayEquals(before, other.parameters().get(0).data());
        assertEquals(0, trainer.step());
        assertTrue(adam.stateDict().keySet().stream().noneMatch(k -> k.startsWith("state.")), "optimizer state changed");

        // The same model without the scheduler the checkpoint has.
        RecurrentClassifier same = new RecurrentClassifier(MODEL, g);
        Trainer<IndexTensor> noScheduler = Trainer.builder(same, same::forward, new CrossEntropyLoss(),
                new Adam(same.parameters(), 0.01)).generator("model", g).build();
        e = assertThrows(IllegalArgumentException.class, () -> noScheduler.restore(Checkpoint.load(tmp.resolve("ckpt")), null));
        assertTrue(e.getMessage().contains("scheduler is CosineAnnealingLR") && e.getMessage().contains("none"), e.getMessage());
    }

    @Test
    void aNonFiniteLossStopsBeforeTheUpdate() {
        Generator g = new Generator(2);
        RecurrentClassifier model = new RecurrentClassifier(MODEL, g);
        Adam adam = new Adam(model.parameters(), 0.01);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        int[] calls = {0};
        Loss<IndexTensor> poisoned = (out, target) -> ++calls[0] == 3 ? out.sum().mul(Float.NaN) : ce.forward(out, target);
        Trainer<IndexTensor> trainer = Trainer.builder(model, model::forward, poisoned, adam).build();
        DataLoader<IndexTensor> loader = DataLoader.builder(dataset(200)).batchSize(32).build();
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> trainer.fit(loader, 1));
        assertEquals(3, e.step());
        assertTrue(Float.isNaN(e.loss()));
        assertEquals(2, trainer.step());
        assertEquals(2f, adam.stateDict().get("state.0.step").item());
    }

    @Test
    void listenersSeeEveryStepAndEpochAndCanStop() {
        List<String> seen = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onStart(Trainer<?> t) {
                seen.add("start");
            }

            @Override
            public void onStep(Trainer<?> t, StepEvent e) {
                seen.add("step " + e.step() + " e" + e.epoch() + " b" + e.batchInEpoch() + "/" + e.batchesPerEpoch()
                        + " of " + e.totalSteps() + " n" + e.batchSize());
                if (e.step() == 9) {
                    t.requestStop();
                }
            }

            @Override
            public void onEpochEnd(Trainer<?> t, EpochResult r) {
                seen.add("epoch " + r.epoch() + " at " + r.step() + " n" + r.examples());
            }

            @Override
            public void onEnd(Trainer<?> t) {
                seen.add("end");
            }
        };
        Setup s = new Setup(4, 0, recorder);
        s.trainer.fit(s.loader, 3);
        assertEquals("start", seen.get(0));
        assertEquals("step 1 e1 b1/7 of 21 n32", seen.get(1));
        assertEquals("step 7 e1 b7/7 of 21 n8", seen.get(7)); // 200 = 6 x 32 + 8: the partial last batch
        assertEquals("epoch 1 at 7 n200", seen.get(8));
        assertEquals("step 9 e2 b2/7 of 21 n32", seen.get(10));
        assertEquals("end", seen.get(11));
        assertEquals(12, seen.size());
        assertTrue(s.trainer.stopRequested());
    }
}
