package org.lstm4j.cli.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.cli.CliRun;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.testing.Datasets;
import org.lstm4j.train.Checkpoint;

/** {@code classify --spark local[2]} end to end on MNIST: the single-process run's parameters and figures. */
class SparkClassifyCommandTest {
    @org.junit.jupiter.api.BeforeAll
    static void sparkRunsOnThisJava() {
        org.junit.jupiter.api.Assumptions.assumeTrue(org.lstm4j.spark.SparkDatasetTraining.sparkRunsOnThisJava(),
                "Apache Spark 4.0 does not run on Java " + Runtime.version().feature());
    }

    @TempDir
    Path tmp;

    private static String[] args(String data, Path out, String... extra) {
        String[] base = {"classify", "--dataset", "mnist", "--data", data, "--out", out.toString(), "--layers", "1",
            "--hidden", "24", "--batch", "64", "--lr", "0.005", "--max-steps", "8", "--no-progress"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    /** The largest absolute difference between the latest checkpoints' parameters of two runs. */
    static double largestParameterDifference(Path runA, Path runB) throws Exception {
        Map<String, Tensor> a = Checkpoint.load(runA.resolve("checkpoint")).contents().modelState();
        Map<String, Tensor> b = Checkpoint.load(runB.resolve("checkpoint")).contents().modelState();
        assertEquals(a.keySet(), b.keySet());
        double largest = 0;
        for (String k : a.keySet()) {
            float[] x = a.get(k).data();
            float[] y = b.get(k).data();
            assertEquals(x.length, y.length, k);
            for (int i = 0; i < x.length; i++) {
                largest = Math.max(largest, Math.abs(x[i] - y[i]));
            }
        }
        return largest;
    }

    @Test
    void localModeGivesTheParametersAndFiguresOfTheSingleProcessRun() throws Exception {
        String data = Datasets.require("mnist").getParent().toString();
        CliRun single = CliRun.of(args(data, tmp.resolve("single")));
        assertEquals(0, single.exitCode(), single.err() + single.out());
        CliRun spark = CliRun.of(args(data, tmp.resolve("spark"), "--spark", "local[2]"));
        assertEquals(0, spark.exitCode(), spark.err() + spark.out());
        assertTrue(spark.out().contains("spark: local[2]"), spark.out());

        double largest = largestParameterDifference(tmp.resolve("single"), tmp.resolve("spark"));
        System.out.println("classify --spark local[2], largest parameter difference after 8 steps: " + largest);
        assertTrue(largest < 1e-5, "largest difference " + largest);
        JsonNode a = Checkpoint.json().readTree(tmp.resolve("single").resolve("summary.json").toFile()).get("final");
        JsonNode b = Checkpoint.json().readTree(tmp.resolve("spark").resolve("summary.json").toFile()).get("final");
        assertEquals(8, b.get("step").asLong());
        assertEquals(a.get("testLoss").asDouble(), b.get("testLoss").asDouble(), 1e-5);
        // Rounding may move a borderline image or two across a decision boundary, no more.
        assertEquals(a.get("testAccuracy").asDouble(), b.get("testAccuracy").asDouble(), 3e-4);

        // The checkpoint is the command's: evaluate reads it, and reports the same accuracy.
        CliRun eval = CliRun.of("evaluate", "--checkpoint", tmp.resolve("spark").toString(), "--data", data, "--no-progress");
        assertEquals(0, eval.exitCode(), eval.err());
        assertTrue(eval.out().contains(String.format(java.util.Locale.ROOT, "test accuracy: %.2f%%",
                100 * b.get("testAccuracy").asDouble())), eval.out());
    }

    @Test
    void aBadOrUnreachableMasterIsRefusedAtOnceNamingIt() throws Exception {
        String data = Datasets.require("mnist").getParent().toString();
        long start = System.nanoTime();
        CliRun bad = CliRun.of(args(data, tmp.resolve("bad"), "--spark", "locl[2]"));
        assertEquals(2, bad.exitCode(), bad.out());
        assertTrue(bad.err().contains("--spark: Spark master URL 'locl[2]' is not one Spark knows; expected local"), bad.err());

        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nobody listens there
        }
        CliRun unreachable = CliRun.of(args(data, tmp.resolve("unreachable"), "--spark", "spark://127.0.0.1:" + port));
        assertEquals(2, unreachable.exitCode(), unreachable.out());
        assertTrue(unreachable.err().contains("--spark: cannot reach the Spark master spark://127.0.0.1:" + port), unreachable.err());
        assertTrue((System.nanoTime() - start) / 1e9 < 15, "refused quickly");
        assertTrue(!Files.exists(tmp.resolve("bad")) && !Files.exists(tmp.resolve("unreachable")), "nothing written");
    }

    @Test
    void withoutSparkOnTheClassPathTheErrorSaysHowToGetIt() {
        assertTrue(SparkMaster.HOW_TO_GET_SPARK.contains("./lstm4j"), SparkMaster.HOW_TO_GET_SPARK);
        assertTrue(SparkMaster.HOW_TO_GET_SPARK.contains("spark-submit"), SparkMaster.HOW_TO_GET_SPARK);
    }

    @Test
    void theLauncherOpensWhatThePomOpensForSpark() throws Exception {
        String pom = System.getProperty("lstm4j.spark.jvmArgs");
        assertTrue(pom != null && pom.contains("--add-opens"), "Surefire passes the pom's spark.jvm.args: " + pom);
        String launcher = Files.readString(Path.of(System.getProperty("user.dir")).getParent().resolve("lstm4j"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("spark_jvm_args=\"([^\"]*)\"").matcher(launcher);
        assertTrue(m.find(), "the launcher sets spark_jvm_args");
        assertEquals(pom.trim(), m.group(1).trim());
    }
}
