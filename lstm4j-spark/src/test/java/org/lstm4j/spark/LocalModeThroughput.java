package org.lstm4j.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.lstm4j.data.DataLoader;
import org.lstm4j.data.TensorDataset;
import org.lstm4j.kernels.Parallelism;
import org.lstm4j.models.RecurrentClassifier;
import org.lstm4j.nn.CrossEntropyLoss;
import org.lstm4j.optim.Adam;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.train.Trainer;

/**
 * The figures of docs/spark.md: steps/s of the rows model (LSTM 2×128 on 28 inputs, Linear 10, batch 100,
 * Adam) trained single-process and with {@link SparkTrainer} in local mode on 1 and 2 partitions, the bytes
 * per step and the overhead per step. Not a test (it asserts nothing and takes about a minute); run with
 * <pre>
 * mvn -B -o -q test-compile dependency:build-classpath -pl lstm4j-spark -am \
 *     -Dmdep.outputFile=/tmp/spark-cp.txt -Dmdep.includeScope=test
 * SPARK_LOCAL_IP=127.0.0.1 java --add-modules=jdk.incubator.vector \
 *     $(sed -n 's:.*&lt;spark.jvm.args&gt;\(.*\)&lt;/spark.jvm.args&gt;.*:\1:p' lstm4j-spark/pom.xml) \
 *     -cp lstm4j-spark/target/test-classes:lstm4j-spark/target/classes:$(cat /tmp/spark-cp.txt) \
 *     -Dlstm4j.spark.jvmArgs="--add-modules=jdk.incubator.vector $(same flags)" \
 *     org.lstm4j.spark.LocalModeThroughput [steps [cluster]] 2&gt;/dev/null
 * </pre>
 * With {@code cluster}, the rows model is also trained on a standalone cluster on 127.0.0.1 (the SIGKILL
 * test's {@link LoopbackCluster}): one worker of 2 cores (1 partition, {@code spark.task.cpus=2}), then two
 * workers of 1 core (2 partitions).
 * <pre>
 * </pre>
 */
public final class LocalModeThroughput {
    private static final int EXAMPLES = 6000;
    private static final int BATCH = 100;
    private static final RecurrentClassifier.Config ROWS =
            new RecurrentClassifier.Config("lstm", 28, 128, 2, false, 0.0, 10, "pytorch");

    private LocalModeThroughput() {}

    static RecurrentClassifier rowsModel() {
        return new RecurrentClassifier(ROWS, new Generator(0));
    }

    static List<LabeledSequence> examples() {
        Generator g = new Generator(5);
        List<LabeledSequence> out = new ArrayList<>(EXAMPLES);
        for (int i = 0; i < EXAMPLES; i++) {
            float[] v = new float[28 * 28];
            g.fillUniform(v, 0, 1);
            out.add(new LabeledSequence(v, 28, 28, g.nextInt(10)));
        }
        return out;
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        List<LabeledSequence> examples = examples();
        for (int threads : new int[] {1, 2}) {
            Parallelism.setThreads(threads);
            singleProcess(examples, 10); // warm-up
            double seconds = singleProcess(examples, steps);
            System.out.printf("single process, %d thread(s): %.2f steps/s (%.1f ms/step)%n", threads, steps / seconds,
                    1000 * seconds / steps);
        }
        Parallelism.setThreads(2);
        Map<String, String> local = Map.of();
        spark("local[1]", 1, 1, examples, steps, local);
        spark("local[2]", 1, 2, examples, steps, local);
        spark("local[2]", 2, 1, examples, steps, local);
        if (args.length > 1 && args[1].equals("cluster")) {
            // The standalone cluster of the SIGKILL test: one worker of 2 cores, then two of 1 core.
            String classPath = System.getProperty("java.class.path");
            List<String> jvmArgs = java.util.Arrays.asList(System.getProperty("lstm4j.spark.jvmArgs", "").trim().split("\\s+"));
            for (int workers : new int[] {1, 2}) {
                try (LoopbackCluster cluster = new LoopbackCluster(java.nio.file.Files.createTempDirectory("lstm4j-cluster"),
                        classPath, jvmArgs)) {
                    cluster.startMaster();
                    cluster.awaitMaster(90_000);
                    for (int w = 0; w < workers; w++) {
                        cluster.startWorker(2 / workers, "1g");
                    }
                    Map<String, String> settings = new java.util.HashMap<>();
                    settings.put("spark.executor.extraClassPath", classPath);
                    settings.put("spark.executor.extraJavaOptions", String.join(" ", jvmArgs));
                    settings.put("spark.executor.memory", "768m");
                    settings.put("spark.executor.cores", String.valueOf(2 / workers));
                    settings.put("spark.cores.max", "2");
                    spark(cluster.masterUrl(), workers, 2 / workers, examples, steps, settings);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static double singleProcess(List<LabeledSequence> examples, int steps) {
        float[] inputs = new float[EXAMPLES * 28 * 28];
        int[] labels = new int[EXAMPLES];
        for (int i = 0; i < EXAMPLES; i++) {
            System.arraycopy(examples.get(i).values(), 0, inputs, i * 784, 784);
            labels[i] = examples.get(i).label();
        }
        TensorDataset<IndexTensor> dataset = TensorDataset.ofClasses(Tensor.of(inputs, EXAMPLES, 28, 28), IndexTensor.of(labels));
        DataLoader<IndexTensor> loader = DataLoader.builder(dataset).batchSize(BATCH).shuffle(true).build();
        RecurrentClassifier model = rowsModel();
        Trainer<IndexTensor> trainer = Trainer.builder(model, model::forward, new CrossEntropyLoss(),
                new Adam(model.parameters(), 1e-3)).maxSteps(steps).build();
        long start = System.nanoTime();
        trainer.fit(loader, 100);
        return (System.nanoTime() - start) / 1e9;
    }

    private static void spark(String master, int partitions, int taskCpus, List<LabeledSequence> examples, int steps,
            Map<String, String> extra) {
        Map<String, String> settings = new java.util.HashMap<>(extra);
        settings.put("spark.task.cpus", String.valueOf(taskCpus));
        settings.put("spark.driver.host", "127.0.0.1");
        settings.put("spark.driver.bindAddress", "127.0.0.1");
        JavaSparkContext sc = SparkContexts.start(master, "lstm4j-throughput", settings);
        try {
            List<SparkStepEvent> events = new ArrayList<>();
            SparkTrainer<RecurrentClassifier, LabeledSequence, IndexTensor> trainer = SparkTrainer.builder(
                            sc.parallelize(examples, partitions), LabeledSequence::collate, LocalModeThroughput::rowsModel,
                            RecurrentClassifier::forward, CrossEntropyLoss::new, p -> new Adam(p, 1e-3))
                    .batchSize(BATCH).maxSteps(10 + steps).listener(new SparkTrainingListener() {
                        @Override
                        public void onStep(SparkTrainer<?, ?, ?> t, SparkStepEvent e) {
                            events.add(e);
                        }
                    }).build();
            trainer.fit(100);
            List<SparkStepEvent> timed = events.subList(10, events.size()); // the first 10 warm up
            double seconds = timed.stream().mapToDouble(SparkStepEvent::seconds).sum();
            double job = timed.stream().mapToDouble(SparkStepEvent::jobSeconds).sum();
            double compute = timed.stream().mapToDouble(SparkStepEvent::maxComputeSeconds).sum();
            double update = timed.stream().mapToDouble(SparkStepEvent::updateSeconds).sum();
            SparkStepEvent last = timed.get(timed.size() - 1);
            System.out.printf("%s, %d partition(s), spark.task.cpus=%d: %.2f steps/s (%.1f ms/step: job %.1f, of which"
                            + " slowest share's forward+backward %.1f; driver sum+update %.1f); bytes/step: parameters %d,"
                            + " step function %d, gradients %d%n", master, partitions, taskCpus, timed.size() / seconds,
                    1000 * seconds / timed.size(), 1000 * job / timed.size(), 1000 * compute / timed.size(),
                    1000 * update / timed.size(), last.broadcastBytes(), last.taskBytes(), last.gradientBytes());
            trainer.release();
        } finally {
            sc.stop();
        }
    }
}
