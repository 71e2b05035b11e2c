package org.lstm4j.cli.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.cli.CliRun;
import org.lstm4j.testing.Datasets;

/** {@code charlm train --spark local[2]}: the seed recipe's windows, the single-process run's parameters and metrics. */
class SparkCharLmCommandTest {
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

    @Test
    void streamsModeIsRefusedNamingTheOptionBeforeSparkStarts() throws Exception {
        Path text = Files.writeString(tmp.resolve("t.txt"), "To be, or not to be, that is the question.\n".repeat(200));
        long start = System.nanoTime();
        CliRun run = CliRun.of("charlm", "train", "--text", text.toString(), "--out", tmp.resolve("s").toString(),
                "--spark", "local[2]", "--no-progress");
        assertEquals(2, run.exitCode(), run.out());
        assertTrue(run.err().contains("--spark trains many-to-one windows only (--recipe seed)"), run.err());
        assertTrue(run.err().contains("streams mode"), run.err());
        assertTrue((System.nanoTime() - start) / 1e9 < 10);
        assertTrue(!Files.exists(tmp.resolve("s")), "nothing written");
    }
}
