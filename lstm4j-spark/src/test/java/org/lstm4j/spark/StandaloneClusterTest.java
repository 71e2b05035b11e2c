package org.lstm4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.models.RecurrentClassifier;
import org.lstm4j.nn.CrossEntropyLoss;
import org.lstm4j.optim.Adam;
import org.lstm4j.tensor.IndexTensor;

/**
 * Training on a standalone cluster of separate JVMs on 127.0.0.1 (a master, two workers of one core, their
 * executors), started and stopped by the test: an application the master gives no executor fails with a
 * clear error, and one executor killed with SIGKILL mid-training changes nothing in the result.
 */
class StandaloneClusterTest {
    @org.junit.jupiter.api.BeforeAll
    static void sparkRunsOnThisJava() {
        org.junit.jupiter.api.Assumptions.assumeTrue(org.lstm4j.spark.SparkDatasetTraining.sparkRunsOnThisJava(),
                "Apache Spark 4.0 does not run on Java " + Runtime.version().feature());
    }

    private static final int STEPS = 12;
    private static final int KILL_AFTER_STEP = 4;

    /**
     * The model's forward pass after a pause, so that each task of the killed run lasts long enough to be killed
     * in the middle (the pause changes no number).
     */
    static final class SlowForward implements ForwardFunction<RecurrentClassifier> {
        private static final long serialVersionUID = 1L;

        @Override
        public org.lstm4j.tensor.Tensor forward(RecurrentClassifier model, org.lstm4j.tensor.Tensor inputs) {
            sleep(TASK_PAUSE_MILLIS);
            return model.forward(inputs);
        }
    }

    private static final long TASK_PAUSE_MILLIS = 400;

    private static SparkTrainer.Builder<RecurrentClassifier, LabeledSequence, IndexTensor> builder(JavaSparkContext sc) {
        return builder(sc, RecurrentClassifier::forward);
    }

    private static SparkTrainer.Builder<RecurrentClassifier, LabeledSequence, IndexTensor> builder(JavaSparkContext sc,
            ForwardFunction<RecurrentClassifier> forward) {
        return SparkTrainer.builder(sc.parallelize(TrainingFixture.examples(), 2), LabeledSequence::collate,
                        TrainingFixture::newModel, forward, CrossEntropyLoss::new,
                        params -> new Adam(params, TrainingFixture.LR))
                .batchSize(TrainingFixture.BATCH).shuffleSeed(TrainingFixture.SHUFFLE_SEED).maxSteps(STEPS);
    }

    private static Map<String, String> clusterSettings(String classPath) {
        Map<String, String> s = new HashMap<>();
        s.put("spark.driver.host", LoopbackCluster.HOST);
        s.put("spark.driver.bindAddress", LoopbackCluster.HOST);
        // The executors run this test's classes (the model factory, the fixture) from its own class path.
        s.put("spark.executor.extraClassPath", classPath);
        // The vector module for the kernels, and Spark's --add-opens (which the context may add itself; twice is harmless).
        s.put("spark.executor.extraJavaOptions", System.getProperty("lstm4j.spark.jvmArgs", "--add-modules=jdk.incubator.vector"));
        s.put("spark.executor.memory", "512m");
        s.put("spark.executor.cores", "1");
        s.put("spark.cores.max", "2");
        s.put("spark.task.maxFailures", "8");
        return s;
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void trainingSurvivesAnExecutorKilledWithSigkillAndEndsWithTheUndisturbedParameters(@TempDir Path dir)
            throws Exception {
        // The undisturbed run: local mode with the same partitions does the same arithmetic as any cluster.
        float[] undisturbed;
        JavaSparkContext local = SparkContexts.start("local[2]", "lstm4j-reference", Map.of(
                "spark.driver.host", LoopbackCluster.HOST, "spark.driver.bindAddress", LoopbackCluster.HOST));
        try {
            SparkTrainer<RecurrentClassifier, LabeledSequence, IndexTensor> reference = builder(local).build();
            reference.fit(100);
            undisturbed = TrainingFixture.flat(reference.model());
        } finally {
            local.stop();
        }

        String classPath = System.getProperty("java.class.path");
        List<String> jvmArgs = Arrays.asList(System.getProperty("lstm4j.spark.jvmArgs", "").trim().split("\\s+"));
        try (LoopbackCluster cluster = new LoopbackCluster(dir, classPath, jvmArgs)) {
            cluster.startMaster();
            cluster.awaitMaster(90_000);

            // A master with no worker: the application gets no executor, and says so instead of waiting forever.
            JavaSparkContext idle = SparkContexts.start(cluster.masterUrl(), "lstm4j-no-workers", clusterSettings(classPath));
            try {
                SparkTrainer<RecurrentClassifier, LabeledSequence, IndexTensor> waiting =
                        builder(idle).executorTimeout(Duration.ofSeconds(3)).build();
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> waiting.fit(1));
                assertTrue(e.getMessage().startsWith("no executor registered with the application within 3 s (master "
                        + cluster.masterUrl() + ")"), e.getMessage());
            } finally {
                idle.stop();
            }

            cluster.startWorker(1, "1g");
            cluster.startWorker(1, "1g");
            JavaSparkContext sc = SparkContexts.start(cluster.masterUrl(), "lstm4j-sigkill", clusterSettings(classPath));
            try {
                ProcessHandle[] killed = new ProcessHandle[1];
                int[] executorsBeforeKill = new int[1];
                Thread[] killer = new Thread[1];
                SparkTrainer<RecurrentClassifier, LabeledSequence, IndexTensor> observed =
                        builder(sc, new SlowForward()).listener(new SparkTrainingListener() {
                                    @Override
                                    public void onStep(SparkTrainer<?, ?, ?> t, SparkStepEvent event) {
                                        if (event.step() == KILL_AFTER_STEP) {
                                            // Kill while the next step's tasks run (they pause TASK_PAUSE_MILLIS).
                                            killer[0] = new Thread(() -> {
                                                awaitRunningTasks(sc);
                                                sleep(TASK_PAUSE_MILLIS / 4);
                                                killed[0] = killOneExecutor(cluster, executorsBeforeKill);
                                            });
                                            killer[0].start();
                                        }
                                    }
                                }).build();
                long start = System.nanoTime();
                SparkTrainingSummary summary = observed.fit(100);
                killer[0].join(60_000);
                System.out.printf("standalone cluster, 2 executors, one SIGKILLed during step %d: %d steps in %.1f s,"
                        + " %d task results from retries, %d executors before the kill%n", KILL_AFTER_STEP + 1,
                        summary.steps(), (System.nanoTime() - start) / 1e9, summary.retriedTasks(), executorsBeforeKill[0]);
                assertNotNull(killed[0], "an executor must have been killed");
                assertFalse(killed[0].isAlive());
                assertEquals(STEPS, summary.step());
                assertArrayEquals(undisturbed, TrainingFixture.flat(observed.model()),
                        "the parameters after a lost executor differ from the undisturbed run's");
            } finally {
                sc.stop();
            }
        }
    }

    /** Waits until a stage of the application has tasks running. */
    private static void awaitRunningTasks(JavaSparkContext sc) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            for (int stage : sc.statusTracker().getActiveStageIds()) {
                var info = sc.statusTracker().getStageInfo(stage);
                if (info != null && info.numActiveTasks() > 0) {
                    return;
                }
            }
            sleep(2);
        }
    }

    /** SIGKILLs one executor JVM (waiting until the workers launched both) and waits until it is gone. */
    private static ProcessHandle killOneExecutor(LoopbackCluster cluster, int[] executorsSeen) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (cluster.executors().size() < 2 && System.currentTimeMillis() < deadline) {
            sleep(100);
        }
        executorsSeen[0] = cluster.executors().size();
        ProcessHandle victim = cluster.anyExecutor().orElseThrow(() -> new AssertionError("no executor JVM to kill"));
        victim.destroyForcibly(); // SIGKILL on Unix
        try {
            victim.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the executor " + victim.pid() + " did not die: " + e, e);
        }
        return victim;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
