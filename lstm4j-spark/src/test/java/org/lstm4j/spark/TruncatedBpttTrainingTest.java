package org.lstm4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lstm4j.data.DataLoader;
import org.lstm4j.data.ParallelStreams;
import org.lstm4j.models.CharLanguageModel;
import org.lstm4j.nn.CrossEntropyLoss;
import org.lstm4j.nn.RecurrentOutput;
import org.lstm4j.nn.RecurrentState;
import org.lstm4j.optim.Adam;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.train.Checkpoint;
import org.lstm4j.train.Trainer;
import org.lstm4j.train.TruncatedBptt;

/**
 * Truncated BPTT through {@link SparkTrainer#truncatedBptt} on {@code local[2,2]} against single-process
 * {@link Trainer} with {@link TruncatedBptt}: a 2-layer char model over 6 parallel streams of 4 windows each,
 * 10 steps, so two epoch boundaries (where the state restarts from zeros) are crossed.
 */
class TruncatedBpttTrainingTest {
    private static final int STREAMS = 6;
    private static final int WINDOW = 8;
    private static final int STEPS = 10;
    private static final double LR = 0.01;
    private static final String VOCABULARY = "abcdefghijkl";
    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        org.junit.jupiter.api.Assumptions.assumeTrue(SparkDatasetTraining.sparkRunsOnThisJava(),
                "Apache Spark 4.0 does not run on Java " + Runtime.version().feature());
        sc = SparkContexts.start("local[2,2]", "lstm4j-spark-tbptt-test", Map.of("spark.driver.host", "127.0.0.1",
                "spark.driver.bindAddress", "127.0.0.1"));
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) {
            sc.stop();
        }
    }

    /**
     * A text with structure (each token mostly the one after the previous) and some noise: 6 streams of 35
     * tokens, 4 windows of 8 per stream.
     */
    static int[] tokens() {
        Generator g = new Generator(5);
        int[] tokens = new int[STREAMS * 35 + 1];
        for (int i = 1; i < tokens.length; i++) {
            tokens[i] = g.uniform(0, 1) < 0.8f ? (tokens[i - 1] + 1) % VOCABULARY.length() : g.nextInt(VOCABULARY.length());
        }
        return tokens;
    }

    static ParallelStreams streams() {
        ParallelStreams streams = new ParallelStreams(tokens(), STREAMS, WINDOW);
        assertEquals(4, streams.windows());
        return streams;
    }

    static CharLanguageModel newLstm() {
        return new CharLanguageModel(new CharLanguageModel.Config(VOCABULARY, "lstm", 6, 10, 2, 0.0,
                CharLanguageModel.Head.EVERY_STEP), new Generator(9));
    }

    static CharLanguageModel newGru() {
        return new CharLanguageModel(new CharLanguageModel.Config(VOCABULARY, "gru", 6, 10, 2, 0.0,
                CharLanguageModel.Head.EVERY_STEP), new Generator(9));
    }

    static ModelFactory<CharLanguageModel> factory(String cell) {
        return cell.equals("lstm") ? TruncatedBpttTrainingTest::newLstm : TruncatedBpttTrainingTest::newGru;
    }

    /** Single-process TBPTT: the model, and the state it carries after the last step. */
    record SingleProcess(CharLanguageModel model, RecurrentState state) {}

    static SingleProcess trainSingleProcess(String cell, boolean carryState) {
        CharLanguageModel model = factory(cell).create();
        TruncatedBptt bptt = new TruncatedBptt(model::forward);
        DataLoader<IndexTensor> loader = DataLoader.builder(streams()).batchSize(STREAMS).build();
        Function<Tensor, Tensor> forward = carryState ? bptt : model::forward;
        Trainer.Builder<IndexTensor> b = Trainer.builder(model, forward, new CrossEntropyLoss(),
                new Adam(model.parameters(), LR)).maxSteps(STEPS);
        if (carryState) {
            b.carriedState(bptt);
        }
        b.build().fit(loader, 100);
        return new SingleProcess(model, bptt.state());
    }

    static SparkTrainer.Builder<CharLanguageModel, MultiTargetExample, IndexTensor> builder(String cell, int partitions,
            StatefulForwardFunction<CharLanguageModel> forward) {
        JavaRDD<MultiTargetExample> rdd = sc.parallelize(MultiTargetExample.all(streams()), partitions);
        return SparkTrainer.truncatedBptt(rdd, MultiTargetExample::collate, factory(cell), forward, CrossEntropyLoss::new,
                        params -> new Adam(params, LR))
                .batchSize(STREAMS).shuffle(false).maxSteps(STEPS);
    }

    static SparkTrainer<CharLanguageModel, MultiTargetExample, IndexTensor> trainOnSpark(String cell, int partitions) {
        SparkTrainer<CharLanguageModel, MultiTargetExample, IndexTensor> trainer =
                builder(cell, partitions, CharLanguageModel::forward).build();
        SparkTrainingSummary summary = trainer.fit(100);
        assertEquals(STEPS, summary.step());
        assertEquals(2, summary.epochsDone(), "10 steps of 4 per epoch cross two epoch boundaries");
        trainer.release();
        return trainer;
    }

    static double maxDifference(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }

    static float[] flat(CharLanguageModel model) {
        return ParameterVector.flatten(model.parameters());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru"})
    void twoAndFourPartitionsMatchSingleProcessTruncatedBpttToFloatRounding(String cell) {
        SingleProcess single = trainSingleProcess(cell, true);
        double moved = maxDifference(flat(single.model()), flat(factory(cell).create()));
        // Without the carried state the run is measurably another one: the comparison can tell the two apart.
        double withoutState = maxDifference(flat(single.model()), flat(trainSingleProcess(cell, false).model()));
        for (int partitions : new int[] {2, 4}) {
            SparkTrainer<CharLanguageModel, MultiTargetExample, IndexTensor> trainer = trainOnSpark(cell, partitions);
            double parameters = maxDifference(flat(single.model()), flat(trainer.model()));
            Map<String, Tensor> carried = trainer.checkpoint().carriedState();
            double h = maxDifference(single.state().h().data(), carried.get("h").data());
            assertArrayEquals(single.state().h().shape(), carried.get("h").shape());
            double c = cell.equals("lstm") ? maxDifference(single.state().c().data(), carried.get("c").data()) : 0;
            assertEquals(cell.equals("lstm"), carried.containsKey("c"));
            System.out.printf("%s TBPTT, %d partitions, %d steps: largest parameter difference from single-process %.3g,"
                    + " carried h %.3g, c %.3g (training moved the parameters by up to %.3g; not carrying the state"
                    + " gives parameters up to %.3g away)%n", cell, partitions, STEPS, parameters, h, c, moved, withoutState);
            assertTrue(parameters < 1e-5, partitions + " partitions: largest parameter difference " + parameters);
            assertTrue(h < 1e-5 && c < 1e-5, "carried state differs by " + h + " (h), " + c + " (c)");
        }
        assertTrue(moved > 0.01, "training must move the parameters: " + moved);
        assertTrue(withoutState > 1e-3, "the carried state must change the result for the test to mean anything: "
                + withoutState);
    }

    @Test
    void onePartitionGivesExactlyTheSingleProcessParametersAndState() {
        SingleProcess single = trainSingleProcess("lstm", true);
        SparkTrainer<CharLanguageModel, MultiTargetExample, IndexTensor> trainer = trainOnSpark("lstm", 1);
        assertArrayEquals(flat(single.model()), flat(trainer.model()));
        assertArrayEquals(single.state().h().data(), trainer.checkpoint().carriedState().get("h").data());
        assertArrayEquals(single.state().c().data(), trainer.checkpoint().carriedState().get("c").data());
    }

    @Test
    void eachPartitionContinuesItsOwnRowsEveryStepAndTheStateIsCountedInTheTraffic() {
        List<SparkStepEvent> events = new java.util.ArrayList<>();
        SparkTrainer<CharLanguageModel, MultiTargetExample, IndexTensor> trainer =
                builder("lstm", 2, CharLanguageModel::forward).maxSteps(3).listener(new SparkTrainingListener() {
                    @Override
                    public void onStep(SparkTrainer<?, ?, ?> t, SparkStepEvent event) {
                        events.add(event);
                    }
                }).build();
        trainer.fit(1);
        trainer.release();
        // h and c of 2 layers × 6 rows × 10 hidden, 4 bytes each, returned every step.
        long stateBytes = 2L * 2 * STREAMS * 10 * 4;
        for (SparkStepEvent e : events) {
            assertEquals(2, e.partitions(), "rows are split by partition: both work on every batch");
            assertEquals(stateBytes, e.stateBytes());
            assertEquals(e.broadcastBytes() + e.taskBytes() + e.gradientBytes() + stateBytes, e.totalBytes());
        }
        // The first step starts from zeros; later steps ship every row's state inside the task.
        assertTrue(events.get(1).taskBytes() >= events.get(0).taskBytes() + stateBytes,
                events.get(0).taskBytes() + " then " + events.get(1).taskBytes());
    }

    /** Throws in the forward pass of partition 1 at its third call, once in the whole JVM. */
    static final class FailsOnce implements StatefulForwardFunction<CharLanguageModel> {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger CALLS_ON_PARTITION_ONE = new AtomicInteger();
        static final AtomicInteger FAILURES = new AtomicInteger();

        @Override
        public RecurrentOutput forward(CharLanguageModel model, Tensor inputs, RecurrentState state) {
            RecurrentOutput out = model.forward(inputs, state);
            if (TaskContext.get().partitionId() == 1 && CALLS_ON_PARTITION_ONE.incrementAndGet() == 3) {
                FAILURES.incrementAndGet();
                throw new IllegalStateException("injected failure in the forward pass of step 3, partition 1");
            }
            return out;
        }
    }

    @Test
    void aRetriedTaskContinuesFromTheSameCarriedState() {
        float[] undisturbed = flat(trainOnSpark("lstm", 2).model());
        SparkTrainer<CharLanguageModel, MultiTargetExample, IndexTensor> trainer =
                builder("lstm", 2, new FailsOnce()).build();
        SparkTrainingSummary summary = trainer.fit(100);
        trainer.release();
        assertEquals(1, FailsOnce.FAILURES.get(), "the failure must have been injected");
        assertEquals(1, summary.retriedTasks());
        assertArrayEquals(undisturbed, flat(trainer.model()));
    }

    @Test
    void aCheckpointMidEpochResumesExactlyWithTheCarriedState(@TempDir Path dir) throws Exception {
        SparkTrainer<CharLanguageModel, MultiTargetExample, IndexTensor> uninterrupted = trainOnSpark("lstm", 2);
        String root = dir.resolve("run").toUri().toString();
        // 6 steps: the second batch of epoch 2, so the resumed run continues a carried state, then crosses a reset.
        SparkTrainer<CharLanguageModel, MultiTargetExample, IndexTensor> first =
                builder("lstm", 2, CharLanguageModel::forward).maxSteps(6).checkpointEvery(100, root).build();
        first.fit(100);
        first.release();
        Checkpoint saved = Checkpoint.load(dir.resolve("run"));
        assertEquals(6, saved.training().step());
        assertTrue(Files.isRegularFile(saved.directory().resolve(Checkpoint.CARRIED_STATE)));
        assertNotNull(saved.contents().carriedState().get("h"));
        assertArrayEquals(new int[] {2, STREAMS, 10}, saved.contents().carriedState().get("h").shape());

        SparkTrainer<CharLanguageModel, MultiTargetExample, IndexTensor> resumed =
                builder("lstm", 2, CharLanguageModel::forward).build();
        resumed.restore(root);
        resumed.fit(100);
        resumed.release();
        assertEquals(STEPS, resumed.step());
        assertArrayEquals(flat(uninterrupted.model()), flat(resumed.model()));
        assertArrayEquals(uninterrupted.checkpoint().carriedState().get("c").data(),
                resumed.checkpoint().carriedState().get("c").data());
    }

    @Test
    void settingsThatCannotCarryTheStateAreRefusedNamingWhy(@TempDir Path dir) throws Exception {
        IllegalStateException shuffled = assertThrows(IllegalStateException.class,
                () -> builder("lstm", 2, CharLanguageModel::forward).shuffle(true).build());
        assertTrue(shuffled.getMessage().contains("the batches must come in order: shuffle must be false"), shuffled.getMessage());

        // 24 examples in batches of 5: the last rows would have no stream to continue.
        IllegalArgumentException partial = assertThrows(IllegalArgumentException.class,
                () -> builder("lstm", 2, CharLanguageModel::forward).batchSize(5).build().fit(1));
        assertTrue(partial.getMessage().contains("24 examples are not a whole number of batches of 5"), partial.getMessage());

        // A checkpoint of training without a carried state does not continue a truncated BPTT run, nor the reverse.
        String root = dir.toUri().toString();
        SparkTrainer<CharLanguageModel, MultiTargetExample, IndexTensor> tbptt =
                builder("lstm", 2, CharLanguageModel::forward).maxSteps(1).checkpointEvery(1, root).build();
        tbptt.fit(1);
        tbptt.release();
        JavaRDD<MultiTargetExample> rdd = sc.parallelize(MultiTargetExample.all(streams()), 2);
        SparkTrainer<CharLanguageModel, MultiTargetExample, IndexTensor> plain = SparkTrainer.builder(rdd,
                MultiTargetExample::collate, TruncatedBpttTrainingTest::newLstm, CharLanguageModel::forward,
                CrossEntropyLoss::new, params -> new Adam(params, LR)).batchSize(STREAMS).shuffle(false).build();
        IllegalArgumentException crossed = assertThrows(IllegalArgumentException.class, () -> plain.restore(root));
        assertTrue(crossed.getMessage().contains("the checkpoint carries recurrent state between batches (truncated BPTT),"
                + " this trainer does not"), crossed.getMessage());
        assertEquals(0, plain.step(), "nothing restored");
    }
}
