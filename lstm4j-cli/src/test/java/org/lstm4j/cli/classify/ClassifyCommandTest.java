package org.lstm4j.cli.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.cli.CliRun;
import org.lstm4j.testing.Datasets;
import org.lstm4j.train.Checkpoint;

/** {@code classify}, {@code evaluate} and {@code compare} end to end on the real datasets, with small budgets. */
class ClassifyCommandTest {
    @TempDir
    Path tmp;

    private static final Pattern ACCURACY = Pattern.compile("test accuracy: (\\d+\\.\\d\\d)% \\((\\d+)/10000\\)");

    private static String accuracyLine(String out) {
        Matcher m = ACCURACY.matcher(out);
        assertTrue(m.find(), out);
        return m.group();
    }

    private static double accuracy(String out) {
        Matcher m = ACCURACY.matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }

    private String[] small(String dataRoot, String out, String... extra) {
        String[] base = {"classify", "--dataset", "mnist", "--data", dataRoot, "--out", out, "--layers", "1", "--hidden",
            "32", "--batch", "50", "--lr", "0.005", "--no-progress"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void aShortRunLearnsWritesItsFilesAndEvaluateRepeatsItsAccuracy() throws Exception {
        String data = Datasets.require("mnist").getParent().toString();
        Path out = tmp.resolve("run");
        CliRun run = CliRun.of(small(data, out.toString(), "--max-steps", "120"));
        assertEquals(0, run.exitCode(), run.err() + run.out());
        double acc = accuracy(run.out());
        assertTrue(acc > 50, "120 steps of 50 images should be far above chance (10%): " + run.out());
        assertTrue(run.out().contains("rows: actual, columns: predicted"), run.out());
        for (String f : new String[] {"confusion.png", "summary.json"}) {
            assertTrue(Files.size(out.resolve(f)) > 1000, f);
        }
        JsonNode summary = Checkpoint.json().readTree(out.resolve("summary.json").toFile());
        assertEquals(120, summary.path("final").path("step").asLong());
        assertEquals(acc / 100, summary.path("final").path("testAccuracy").asDouble(), 1e-9);
        assertTrue(summary.path("machine").path("cores").asInt() >= 1);
        assertTrue(summary.path("wallSeconds").asDouble() >= summary.path("trainSeconds").asDouble());

        CliRun eval = CliRun.of("evaluate", "--checkpoint", out.toString(), "--data", data, "--no-progress");
        assertEquals(0, eval.exitCode(), eval.err());
        assertEquals(accuracyLine(run.out()), accuracyLine(eval.out()));
    }

    @Test
    void resumingContinuesExactlyAsAnUninterruptedRun() throws Exception {
        String data = Datasets.require("mnist").getParent().toString();
        CliRun straight = CliRun.of(small(data, tmp.resolve("straight").toString(), "--max-steps", "60"));
        assertEquals(0, straight.exitCode(), straight.err());

        CliRun first = CliRun.of(small(data, tmp.resolve("resumed").toString(), "--max-steps", "25"));
        assertEquals(0, first.exitCode(), first.err());
        CliRun rest = CliRun.of("classify", "--resume", tmp.resolve("resumed").toString(), "--max-steps", "60",
                "--data", data, "--no-progress");
        assertEquals(0, rest.exitCode(), rest.err() + rest.out());
        assertTrue(rest.out().contains("resumed at step 25"), rest.out());
        assertEquals(accuracyLine(straight.out()), accuracyLine(rest.out()));
        byte[] a = Files.readAllBytes(Checkpoint.load(tmp.resolve("straight")).directory().resolve(Checkpoint.MODEL));
        byte[] b = Files.readAllBytes(Checkpoint.load(tmp.resolve("resumed")).directory().resolve(Checkpoint.MODEL));
        assertTrue(java.util.Arrays.equals(a, b), "the weights after the resumed run differ from the uninterrupted run's");

        CliRun changed = CliRun.of("classify", "--resume", tmp.resolve("resumed").toString(), "--hidden", "64",
                "--data", data, "--no-progress");
        assertEquals(2, changed.exitCode(), changed.err());
        assertTrue(changed.err().contains("--hidden 64 (checkpoint: 32)"), changed.err());
    }

    @Test
    void badOptionsAndOutputsFailBeforeTraining() throws Exception {
        CliRun badDataset = CliRun.of("classify", "--dataset", "cifar", "--no-progress");
        assertEquals(2, badDataset.exitCode());
        assertTrue(badDataset.err().contains("unknown dataset 'cifar'"), badDataset.err());

        CliRun badModel = CliRun.of("classify", "--model", "transformer", "--no-progress");
        assertEquals(2, badModel.exitCode());
        assertTrue(badModel.err().contains("lstm, bilstm, gru, bigru, rnn"), badModel.err());

        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        long start = System.nanoTime();
        CliRun badOut = CliRun.of("classify", "--out", file.toString(), "--data", tmp.resolve("nowhere").toString(),
                "--no-progress");
        assertEquals(1, badOut.exitCode());
        assertTrue(badOut.err().contains("--out " + file + " exists and is not a directory"), badOut.err());
        assertTrue((System.nanoTime() - start) / 1e9 < 5, "the bad --out was found only after other work");
        assertFalse(Files.exists(tmp.resolve("nowhere")), "nothing was downloaded for a run that cannot write its output");

        CliRun threads = CliRun.of("classify", "--threads", "100000", "--no-progress");
        assertEquals(2, threads.exitCode());
        assertTrue(threads.err().contains("Invalid value for option '--threads': must be at most "), threads.err());
    }

    @Test
    void compareTrainsEachModelWithTheSameBudget() throws Exception {
        String data = Datasets.require("mnist").getParent().toString();
        Path out = tmp.resolve("cmp");
        CliRun run = CliRun.of("compare", "--dataset", "mnist", "--models", "lstm,gru", "--data", data, "--out",
                out.toString(), "--layers", "1", "--hidden", "16", "--batch", "100", "--max-steps", "15", "--no-progress");
        assertEquals(0, run.exitCode(), run.err() + run.out());
        assertTrue(run.out().matches("(?s).*model +test acc +parameters.*\nlstm .*\ngru .*"), run.out());
        assertTrue(Files.exists(out.resolve("compare.json")));
        assertTrue(Files.exists(out.resolve("lstm").resolve("checkpoint").resolve("index.json")));
        assertTrue(Files.exists(out.resolve("gru").resolve("checkpoint").resolve("index.json")));
    }
}
