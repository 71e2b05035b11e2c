package org.lstm4j.cli.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.cli.CliRun;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.testing.Datasets;
import org.lstm4j.train.Checkpoint;

/**
 * {@code charlm train --spark local[2]}: the seed recipe's windows and the default recipe's streams (truncated
 * BPTT), each to the single-process run's parameters and metrics.
 */
class SparkCharLmCommandTest {
    @org.junit.jupiter.api.BeforeAll
    static void sparkRunsOnThisJava() {
        org.junit.jupiter.api.Assumptions.assumeTrue(org.lstm4j.spark.SparkDatasetTraining.sparkRunsOnThisJava(),
                "Apache Spark 4.0 does not run on Java " + Runtime.version().feature());
    }

    @TempDir
    Path tmp;

    private String[] args(Path text, Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("charlm", "train", "--recipe", "seed", "--text", text.toString(),
                "--out", out.toString(), "--hidden", "32", "--layers", "1", "--batch", "16", "--seq", "24", "--stride", "3",
                "--max-steps", "6", "--eval-every", "3", "--sample-length", "20", "--no-progress"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void windowsTrainOnLocalModeToTheSingleProcessParametersAndMetrics() throws Exception {
        String shakespeare = Files.readString(Datasets.require("tinyshakespeare").resolve("input.txt"));
        Path text = Files.writeString(tmp.resolve("small.txt"), shakespeare.substring(0, 6_000));

        CliRun single = CliRun.of(args(text, tmp.resolve("single")));
        assertEquals(0, single.exitCode(), single.err() + single.out());
        CliRun spark = CliRun.of(args(text, tmp.resolve("spark"), "--spark", "local[2]"));
        assertEquals(0, spark.exitCode(), spark.err() + spark.out());
        assertTrue(spark.out().contains("spark: local[2]"), spark.out());

        double largest = SparkClassifyCommandTest.largestParameterDifference(tmp.resolve("single"), tmp.resolve("spark"));
        System.out.println("charlm --spark local[2], largest parameter difference after 6 steps: " + largest);
        assertTrue(largest < 1e-5, "largest difference " + largest);
        // Two evaluations (steps 3 and 6), each a validation loss equal to float rounding.
        List<String> a = Files.readAllLines(tmp.resolve("single").resolve("metrics.jsonl"));
        List<String> b = Files.readAllLines(tmp.resolve("spark").resolve("metrics.jsonl"));
        assertEquals(2, a.size());
        assertEquals(2, b.size());
        for (int i = 0; i < 2; i++) {
            double va = org.lstm4j.train.Checkpoint.json().readTree(a.get(i)).get("valLoss").asDouble();
            double vb = org.lstm4j.train.Checkpoint.json().readTree(b.get(i)).get("valLoss").asDouble();
            assertEquals(va, vb, 1e-5, "validation loss of evaluation " + (i + 1));
        }
    }

    /** The default recipe (streams, truncated BPTT) scaled down: 5 batches per epoch of 16 streams × 64 characters. */
    private String[] streamsArgs(Path text, Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("charlm", "train", "--text", text.toString(),
                "--out", out.toString(), "--embedding", "8", "--hidden", "16", "--layers", "2", "--batch", "16",
                "--seq", "64", "--sample-length", "20", "--no-progress"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static List<JsonNode> metrics(Path out) throws Exception {
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            lines.add(Checkpoint.json().readTree(line));
        }
        return lines;
    }

    private static double largestDifference(Map<String, Tensor> a, Map<String, Tensor> b) {
        assertEquals(a.keySet(), b.keySet());
        double largest = 0;
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).shape(), b.get(k).shape(), k);
            float[] x = a.get(k).data();
            float[] y = b.get(k).data();
            for (int i = 0; i < x.length; i++) {
                largest = Math.max(largest, Math.abs(x[i] - y[i]));
            }
        }
        return largest;
    }

    private Path shakespeare() throws Exception {
        String text = Files.readString(Datasets.require("tinyshakespeare").resolve("input.txt"));
        return Files.writeString(tmp.resolve("small.txt"), text.substring(0, 6_000));
    }

    @Test
    void streamsTrainOnLocalModeToTheSingleProcessParametersCarriedStateAndMetrics() throws Exception {
        Path text = shakespeare();
        CliRun single = CliRun.of(streamsArgs(text, tmp.resolve("single"), "--max-steps", "8", "--eval-every", "4"));
        assertEquals(0, single.exitCode(), single.err() + single.out());
        CliRun spark = CliRun.of(streamsArgs(text, tmp.resolve("spark"), "--max-steps", "8", "--eval-every", "4",
                "--spark", "local[2]"));
        assertEquals(0, spark.exitCode(), spark.err() + spark.out());
        assertTrue(spark.out().contains("truncated BPTT"), spark.out());
        assertTrue(spark.out().contains("spark: local[2]"), spark.out());

        double parameters = SparkClassifyCommandTest.largestParameterDifference(tmp.resolve("single"), tmp.resolve("spark"));
        Checkpoint a = Checkpoint.load(tmp.resolve("single").resolve("checkpoint"));
        Checkpoint b = Checkpoint.load(tmp.resolve("spark").resolve("checkpoint"));
        // After step 8 (epoch 2, its third batch): h and c of 2 layers × 16 streams × 16 units.
        assertArrayEquals(new int[] {2, 16, 16}, b.contents().carriedState().get("c").shape());
        double state = largestDifference(a.contents().carriedState(), b.contents().carriedState());
        System.out.println("charlm streams --spark local[2], after 8 steps: largest parameter difference " + parameters
                + ", largest carried-state difference " + state);
        assertTrue(parameters < 1e-5, "largest parameter difference " + parameters);
        assertTrue(state < 1e-5, "largest carried-state difference " + state);
        List<JsonNode> ma = metrics(tmp.resolve("single"));
        List<JsonNode> mb = metrics(tmp.resolve("spark"));
        assertEquals(List.of(4L, 8L), mb.stream().map(n -> n.get("step").asLong()).toList());
        assertEquals(2, mb.get(1).get("epoch").asInt(), "step 8 is in the second epoch: the state was reset once");
        for (int i = 0; i < 2; i++) {
            assertEquals(ma.get(i).get("epoch").asInt(), mb.get(i).get("epoch").asInt());
            assertEquals(ma.get(i).get("trainLoss").asDouble(), mb.get(i).get("trainLoss").asDouble(), 1e-5,
                    "training loss up to evaluation " + (i + 1));
            assertEquals(ma.get(i).get("valLoss").asDouble(), mb.get(i).get("valLoss").asDouble(), 1e-5,
                    "validation loss of evaluation " + (i + 1));
        }
    }

    @Test
    void aStreamsRunResumedMidEpochOnSparkEndsAsTheUninterruptedOne() throws Exception {
        Path text = shakespeare();
        CliRun whole = CliRun.of(streamsArgs(text, tmp.resolve("whole"), "--max-steps", "8", "--eval-every", "3",
                "--spark", "local[2]"));
        assertEquals(0, whole.exitCode(), whole.err() + whole.out());
        // Stopped at step 3 (the third of 5 batches of epoch 1), resumed to step 8 across the epoch boundary.
        CliRun first = CliRun.of(streamsArgs(text, tmp.resolve("parts"), "--max-steps", "3", "--eval-every", "3",
                "--spark", "local[2]"));
        assertEquals(0, first.exitCode(), first.err() + first.out());
        CliRun rest = CliRun.of("charlm", "train", "--resume", tmp.resolve("parts").toString(), "--max-steps", "8",
                "--spark", "local[2]", "--no-progress");
        assertEquals(0, rest.exitCode(), rest.err() + rest.out());
        assertTrue(rest.out().contains("resumed at step 3"), rest.out());

        Checkpoint a = Checkpoint.load(tmp.resolve("whole").resolve("checkpoint"));
        Checkpoint b = Checkpoint.load(tmp.resolve("parts").resolve("checkpoint"));
        assertEquals(8, b.training().step());
        assertEquals(0.0, largestDifference(a.contents().modelState(), b.contents().modelState()),
                "the same partitions and arithmetic: the same bits");
        assertEquals(0.0, largestDifference(a.contents().carriedState(), b.contents().carriedState()));
        List<JsonNode> ma = metrics(tmp.resolve("whole"));
        List<JsonNode> mb = metrics(tmp.resolve("parts"));
        assertEquals(List.of(3L, 6L, 8L), mb.stream().map(n -> n.get("step").asLong()).toList());
        for (int i = 0; i < 3; i++) {
            assertEquals(ma.get(i).get("valLoss").asDouble(), mb.get(i).get("valLoss").asDouble(), 0.0,
                    "validation loss of evaluation " + (i + 1));
        }
    }
}
