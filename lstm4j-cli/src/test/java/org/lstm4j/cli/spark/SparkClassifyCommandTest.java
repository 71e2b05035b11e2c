package org.lstm4j.cli.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void localModeGivesTheParametersAndFiguresOfTheSingleProcessRun() throws Exception {
        String data = Datasets.require("mnist").getParent().toString();
        long t0 = System.nanoTime();
        CliRun single = CliRun.of(args(data, tmp.resolve("single")));
        long t1 = System.nanoTime();
        assertEquals(0, single.exitCode(), single.err() + single.out());
        CliRun spark = CliRun.of(args(data, tmp.resolve("spark"), "--spark", "local[2]"));
        long t2 = System.nanoTime();
        assertEquals(0, spark.exitCode(), spark.err() + spark.out());
        System.out.printf("single %.1f s, spark %.1f s%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        System.out.println(spark.out());

        Map<String, Tensor> a = Checkpoint.load(tmp.resolve("single").resolve("checkpoint")).contents().modelState();
        Map<String, Tensor> b = Checkpoint.load(tmp.resolve("spark").resolve("checkpoint")).contents().modelState();
        assertEquals(a.keySet(), b.keySet());
        double largest = 0;
        for (String k : a.keySet()) {
            float[] x = a.get(k).data();
            float[] y = b.get(k).data();
            for (int i = 0; i < x.length; i++) {
                largest = Math.max(largest, Math.abs(x[i] - y[i]));
            }
        }
        System.out.println("largest parameter difference after 8 steps: " + largest);
        assertTrue(largest < 1e-5, "largest difference " + largest);
    }
}
