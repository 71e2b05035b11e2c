package org.lstm4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.models.RecurrentClassifier;
import org.lstm4j.nn.CrossEntropyLoss;
import org.lstm4j.optim.Adam;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.train.Checkpoint;

/**
 * {@link SparkTrainer} in local mode against single-process training of the same model, seed and batches.
 * One context for the class ({@code local[2,2]}: two task threads, and a failed task is tried once more).
 */
class LocalModeTrainingTest {
    private static final int STEPS = 12;
    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        org.junit.jupiter.api.Assumptions.assumeTrue(SparkDatasetTraining.sparkRunsOnThisJava(),
                "Apache Spark 4.0 does not run on Java " + Runtime.version().feature());
        sc = SparkContexts.start("local[2,2]", "lstm4j-spark-test", Map.of("spark.driver.host", "127.0.0.1",
                "spark.driver.bindAddress", "127.0.0.1"));
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) {
            sc.stop();
        }
    }

    static SparkTrainer.Builder<RecurrentClassifier, LabeledSequence, IndexTensor> builder(int partitions,
            ForwardFunction<RecurrentClassifier> forward) {
        JavaRDD<LabeledSequence> rdd = sc.parallelize(TrainingFixture.examples(), partitions);
        return SparkTrainer.builder(rdd, LabeledSequence::collate, TrainingFixture::newModel, forward,
                        CrossEntropyLoss::new, params -> new Adam(params, TrainingFixture.LR))
                .batchSize(TrainingFixture.BATCH).shuffleSeed(TrainingFixture.SHUFFLE_SEED).maxSteps(STEPS);
    }

    static RecurrentClassifier trainOnSpark(int partitions) {
        SparkTrainer<RecurrentClassifier, LabeledSequence, IndexTensor> trainer =
                builder(partitions, RecurrentClassifier::forward).build();
        SparkTrainingSummary summary = trainer.fit(100);
        assertEquals(STEPS, summary.step());
        trainer.release();
        return trainer.model();
    }

    @Test
    void onePartitionGivesExactlyTheSingleProcessParameters() {
        // One share of the whole batch, weighted by 1: the same arithmetic as the single process.
        assertArrayEquals(TrainingFixture.flat(TrainingFixture.trainSingleProcess(STEPS)),
                TrainingFixture.flat(trainOnSpark(1)));
    }

    @Test
    void twoAndFourPartitionsMatchSingleProcessToFloatRounding() {
        RecurrentClassifier single = TrainingFixture.trainSingleProcess(STEPS);
        RecurrentClassifier untrained = TrainingFixture.newModel();
        double moved = TrainingFixture.maxDifference(single, untrained);
        for (int partitions : new int[] {2, 4}) {
            double difference = TrainingFixture.maxDifference(single, trainOnSpark(partitions));
            System.out.printf("%d partitions, %d steps: largest parameter difference from single-process %.3g"
                    + " (training moved the parameters by up to %.3g)%n", partitions, STEPS, difference, moved);
            assertTrue(difference < 1e-5, partitions + " partitions: largest parameter difference " + difference
                    + ", expected float rounding (< 1e-5)");
        }
        assertTrue(moved > 0.05, "training must move the parameters for the comparison to mean anything: " + moved);
    }

    @Test
    void twoRunsWithTheSameSettingsGiveIdenticalParameters() {
        assertArrayEquals(TrainingFixture.flat(trainOnSpark(4)), TrainingFixture.flat(trainOnSpark(4)));
    }

    @Test
    void stepsReportTheirTraffic() {
        List<SparkStepEvent> events = new ArrayList<>();
        SparkTrainer<RecurrentClassifier, LabeledSequence, IndexTensor> trainer = builder(2, RecurrentClassifier::forward)
                .maxSteps(3).listener(new SparkTrainingListener() {
                    @Override
                    public void onStep(SparkTrainer<?, ?, ?> t, SparkStepEvent event) {
                        events.add(event);
                    }
                }).build();
        trainer.fit(1);
        long parameters = trainer.model().parameterCount();
        assertEquals(3, events.size());
        for (SparkStepEvent e : events) {
            assertEquals(4 * parameters, e.broadcastBytes(), "the parameters, 4 bytes each");
            assertEquals(2, e.partitions(), "a batch of 32 out of 200 examples has examples in both halves");
            assertEquals(2 * 4 * parameters, e.gradientBytes(), "one gradient per partition");
            assertTrue(e.taskBytes() > 4 * TrainingFixture.BATCH, "the step function carries the batch's indices: "
                    + e.taskBytes());
            assertTrue(Float.isFinite(e.loss()) && e.loss() > 0, "loss " + e.loss());
        }
        trainer.release();
    }

    /** Throws in the forward pass of partition 1 at its third call, once in the whole JVM. */
    static final class FailsOnce implements ForwardFunction<RecurrentClassifier> {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger CALLS_ON_PARTITION_ONE = new AtomicInteger();
        static final AtomicInteger FAILURES = new AtomicInteger();

        @Override
        public Tensor forward(RecurrentClassifier model, Tensor inputs) {
            Tensor out = model.forward(inputs);
            if (TaskContext.get().partitionId() == 1 && CALLS_ON_PARTITION_ONE.incrementAndGet() == 3) {
                FAILURES.incrementAndGet();
                // After the forward pass: the model holds a half-done step when the task dies.
                throw new IllegalStateException("injected failure in the forward pass of step 3, partition 1");
            }
            return out;
        }
    }

    @Test
    void aTaskThatFailsMidStepIsRetriedAndTheStepIsNeitherLostNorAppliedTwice() {
        RecurrentClassifier undisturbed = trainOnSpark(2);
        SparkTrainer<RecurrentClassifier, LabeledSequence, IndexTensor> trainer = builder(2, new FailsOnce()).build();
        SparkTrainingSummary summary = trainer.fit(100);
        assertEquals(1, FailsOnce.FAILURES.get(), "the failure must have been injected");
        assertEquals(1, summary.retriedTasks(), "one task result came from a retry");
        assertEquals(STEPS, summary.step());
        assertArrayEquals(TrainingFixture.flat(undisturbed), TrainingFixture.flat(trainer.model()));
        trainer.release();
    }

    @Test
    void checkpointsEveryNStepsAndResumesExactly(@TempDir Path dir) throws Exception {
        RecurrentClassifier uninterrupted = trainOnSpark(2);
        String root = dir.resolve("run").toUri().toString();
        // 9 steps: checkpoints after steps 4 and 8, and 9 at the end; a new trainer continues to 12.
        List<Long> saved = new ArrayList<>();
        SparkTrainer<RecurrentClassifier, LabeledSequence, IndexTensor> first =
                builder(2, RecurrentClassifier::forward).maxSteps(9).checkpointEvery(4, root)
                        .modelConfig(Checkpoint.toJson(TrainingFixture.CONFIG))
                        .listener(new SparkTrainingListener() {
                            @Override
                            public void onCheckpoint(SparkTrainer<?, ?, ?> t, long step, String path) {
                                saved.add(step);
                            }
                        }).build();
        first.fit(100);
        first.release();
        assertEquals(List.of(4L, 8L, 9L), saved);

        // The core's reader reads what the Hadoop writer wrote: one version, named by the index.
        Checkpoint onDisk = Checkpoint.load(dir.resolve("run"));
        assertEquals(9, onDisk.training().step());
        assertEquals("step-000000009", onDisk.directory().getFileName().toString());
        try (var versions = Files.list(dir.resolve("run"))) {
            assertEquals(List.of("index.json", "step-000000009"),
                    versions.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(TrainingFixture.CONFIG, Checkpoint.fromJson(onDisk.modelConfig(), RecurrentClassifier.Config.class, "config"));

        SparkTrainer<RecurrentClassifier, LabeledSequence, IndexTensor> resumed =
                builder(2, RecurrentClassifier::forward).build();
        resumed.restore(root);
        assertEquals(9, resumed.step());
        resumed.fit(100);
        resumed.release();
        assertEquals(STEPS, resumed.step());
        assertArrayEquals(TrainingFixture.flat(uninterrupted), TrainingFixture.flat(resumed.model()));
    }

    @Test
    void aResumeWithOtherBatchSettingsIsRefusedNamingThem(@TempDir Path dir) throws Exception {
        String root = dir.toUri().toString();
        SparkTrainer<RecurrentClassifier, LabeledSequence, IndexTensor> trainer =
                builder(2, RecurrentClassifier::forward).maxSteps(1).checkpointEvery(1, root).build();
        trainer.fit(1);
        trainer.release();
        SparkTrainer<RecurrentClassifier, LabeledSequence, IndexTensor> other =
                builder(2, RecurrentClassifier::forward).batchSize(16).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.restore(root));
        assertTrue(e.getMessage().contains("batchSize 32, this trainer has 16"), e.getMessage());
        assertEquals(0, other.step(), "nothing restored");
    }

    @Test
    void aBadCheckpointPathIsRefusedWhenTheTrainerIsBuilt(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        IllegalArgumentException underFile = assertThrows(IllegalArgumentException.class,
                () -> builder(2, RecurrentClassifier::forward).checkpointEvery(5, file.resolve("run").toString()).build());
        assertTrue(underFile.getMessage().startsWith("checkpoint path " + file.resolve("run")), underFile.getMessage());

        IllegalArgumentException scheme = assertThrows(IllegalArgumentException.class,
                () -> builder(2, RecurrentClassifier::forward).checkpointEvery(5, "nosuchfs://bucket/run").build());
        assertTrue(scheme.getMessage().contains("no file system for scheme 'nosuchfs'"), scheme.getMessage());

        NoSuchFileException none = assertThrows(NoSuchFileException.class,
                () -> builder(2, RecurrentClassifier::forward).build().restore(dir.toString()));
        assertTrue(none.getMessage().contains(dir.toString()), none.getMessage());
    }

    @Test
    void aMissingBatchSizeIsRefused() {
        JavaRDD<LabeledSequence> rdd = sc.parallelize(TrainingFixture.examples(), 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SparkTrainer.builder(rdd,
                LabeledSequence::collate, TrainingFixture::newModel, RecurrentClassifier::forward, CrossEntropyLoss::new,
                params -> new Adam(params, 0.01)).build());
        assertEquals("batchSize is not set: call batchSize(n) with the global batch size", e.getMessage());
    }
}
