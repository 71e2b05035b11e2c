package org.lstm4j.cli.charlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.cli.CliRun;
import org.lstm4j.io.SafeTensors;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.testing.Datasets;
import org.lstm4j.train.Checkpoint;

/** {@code charlm train} and {@code charlm sample} end to end on a few kilobytes of Tiny Shakespeare. */
class CharLmCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path text;

    @BeforeEach
    void smallText() throws Exception {
        String shakespeare = Files.readString(Datasets.require("tinyshakespeare").resolve("input.txt"));
        text = tmp.resolve("small.txt");
        Files.writeString(text, shakespeare.substring(0, 12_000));
    }

    private String[] small(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("charlm", "train", "--text", text.toString(), "--out", out.toString(),
                "--batch", "8", "--seq", "32", "--embedding", "16", "--hidden", "48", "--eval-every", "20",
                "--sample-length", "40", "--no-progress"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static List<JsonNode> metrics(Path out) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    private static Map<String, Tensor> weights(Path out, String which) throws Exception {
        return Checkpoint.load(out.resolve("checkpoint"), which).contents().modelState();
    }

    @Test
    void aShortRunLearnsAndWritesCheckpointMetricsCurvesAndSamples() throws Exception {
        Path out = tmp.resolve("run");
        CliRun run = CliRun.of(small(out, "--max-steps", "60"));
        assertEquals(0, run.exitCode(), run.err() + run.out());
        List<JsonNode> m = metrics(out);
        assertEquals(List.of(20L, 40L, 60L), m.stream().map(n -> n.get("step").asLong()).toList());
        double first = m.get(0).get("valLoss").asDouble();
        double last = m.get(2).get("valLoss").asDouble();
        assertTrue(last < first, "validation loss should fall: " + first + " -> " + last);
        assertEquals(last / Math.log(2), m.get(2).get("valBpc").asDouble(), 1e-9);
        assertTrue(m.get(2).get("wallSeconds").asDouble() >= m.get(2).get("trainSeconds").asDouble());
        assertTrue(Files.size(out.resolve("curves.png")) > 1000);
        assertTrue(run.out().contains("--- sample ---"), run.out());
        assertTrue(run.out().contains("done after 60 steps"), run.out());
        // The best checkpoint is the evaluation with the lowest validation loss.
        JsonNode best = m.stream().min(java.util.Comparator.comparingDouble(n -> n.get("valLoss").asDouble())).orElseThrow();
        assertEquals(best.get("step").asLong(), Checkpoint.load(out.resolve("checkpoint"), Checkpoint.BEST).training().step());
        assertEquals(60, Checkpoint.load(out.resolve("checkpoint")).training().step());
        try (Stream<Path> files = Files.walk(out)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary files left");
        }
    }

    @Test
    void resumingContinuesExactlyAsAnUninterruptedRun() throws Exception {
        Path straight = tmp.resolve("straight");
        assertEquals(0, CliRun.of(small(straight, "--max-steps", "70", "--dropout", "0.2", "--layers", "2")).exitCode());

        Path resumed = tmp.resolve("resumed");
        // Stops at step 30 (between evaluations: the final checkpoint is taken there, mid-epoch).
        CliRun first = CliRun.of(small(resumed, "--max-steps", "30", "--dropout", "0.2", "--layers", "2"));
        assertEquals(0, first.exitCode(), first.err());
        CliRun rest = CliRun.of("charlm", "train", "--resume", resumed.toString(), "--max-steps", "70", "--no-progress");
        assertEquals(0, rest.exitCode(), rest.err() + rest.out());
        assertTrue(rest.out().contains("resumed at step 30"), rest.out());

        List<JsonNode> a = metrics(straight);
        List<JsonNode> b = metrics(resumed);
        List<Long> stepsA = a.stream().map(n -> n.get("step").asLong()).toList();
        assertEquals(List.of(20L, 40L, 60L, 70L), stepsA);
        for (JsonNode mb : b) {
            JsonNode ma = a.stream().filter(n -> n.get("step").asLong() == mb.get("step").asLong()).findFirst().orElse(null);
            if (ma == null) {
                assertEquals(30, mb.get("step").asLong(), "only the interruption adds an evaluation");
                continue;
            }
            assertEquals(ma.get("valLoss").asDouble(), mb.get("valLoss").asDouble(), 0.0, "step " + mb.get("step"));
        }
        Map<String, Tensor> wa = weights(straight, Checkpoint.LATEST);
        Map<String, Tensor> wb = weights(resumed, Checkpoint.LATEST);
        assertEquals(wa.keySet(), wb.keySet());
        for (String k : wa.keySet()) {
            assertArrayEquals(wa.get(k).data(), wb.get(k).data(), 0f, k);
        }
    }

    @Test
    void samplingIsDeterministicPerSeedGreedyAtTemperatureZeroAndStreamsThePrime() throws Exception {
        Path out = tmp.resolve("run");
        assertEquals(0, CliRun.of(small(out, "--max-steps", "40")).exitCode());
        CliRun a = CliRun.of("charlm", "sample", "--checkpoint", out.toString(), "--prime", "ROMEO:", "--length", "80", "--seed", "7");
        CliRun b = CliRun.of("charlm", "sample", "--checkpoint", out.toString(), "--prime", "ROMEO:", "--length", "80", "--seed", "7");
        CliRun c = CliRun.of("charlm", "sample", "--checkpoint", out.toString(), "--prime", "ROMEO:", "--length", "80", "--seed", "8");
        assertEquals(0, a.exitCode(), a.err());
        assertEquals(a.out(), b.out());
        assertNotEquals(a.out(), c.out());
        assertTrue(a.out().startsWith("ROMEO:"), a.out());
        String written = a.out().substring(0, a.out().length() - System.lineSeparator().length());
        assertEquals("ROMEO:".length() + 80, written.codePointCount(0, written.length()), "the prime, then 80 characters");
        CliRun greedy1 = CliRun.of("charlm", "sample", "--checkpoint", out.toString(), "--prime", "ROMEO:", "--length", "60",
                "--temperature", "0", "--seed", "1");
        CliRun greedy2 = CliRun.of("charlm", "sample", "--checkpoint", out.toString(), "--prime", "ROMEO:", "--length", "60",
                "--temperature", "0", "--seed", "2");
        assertEquals(greedy1.out(), greedy2.out(), "greedy output does not depend on the seed");
        CliRun topOne = CliRun.of("charlm", "sample", "--checkpoint", out.toString(), "--prime", "ROMEO:", "--length", "60",
                "--top-k", "1", "--seed", "3");
        assertEquals(greedy1.out(), topOne.out(), "top-k 1 is greedy");
    }

    @Test
    void theSeedRecipeRunsAsWrittenWithAStepLimit() throws Exception {
        Path out = tmp.resolve("seed");
        CliRun run = CliRun.of("charlm", "train", "--recipe", "seed", "--text", text.toString(), "--out", out.toString(),
                "--max-steps", "4", "--eval-every", "2", "--sample-length", "30", "--no-progress");
        assertEquals(0, run.exitCode(), run.err() + run.out());
        assertTrue(run.out().contains("lstm 2x128, one-hot input, windows (stride 1) predict the next character, batch 64 x 100"),
                run.out());
        assertTrue(run.out().contains("To be, or not to be, that is the question:\n"), run.out());
        JsonNode model = Checkpoint.load(out.resolve("checkpoint")).modelConfig().get("config");
        assertEquals(0, model.get("embeddingDim").asInt());
        assertEquals("LAST_STEP", model.get("head").asText());
        assertEquals(2, metrics(out).size());
    }

    @Test
    void badInputsAreRefusedBeforeAnythingIsWritten() throws Exception {
        Path out = tmp.resolve("run");
        assertEquals(0, CliRun.of(small(out, "--max-steps", "20")).exitCode());
        byte[] indexBefore = Files.readAllBytes(out.resolve("checkpoint").resolve(Checkpoint.INDEX));
        byte[] metricsBefore = Files.readAllBytes(out.resolve("metrics.jsonl"));

        Path empty = Files.writeString(tmp.resolve("empty.txt"), "");
        assertError(CliRun.of("charlm", "train", "--text", empty.toString(), "--out", tmp.resolve("e").toString(), "--no-progress"),
                "the text is empty");
        Path shortText = Files.writeString(tmp.resolve("short.txt"), "To be, or not to be.\n".repeat(20));
        assertError(CliRun.of("charlm", "train", "--text", shortText.toString(), "--out", tmp.resolve("s").toString(), "--no-progress"),
                "shorter than one batch");
        Path binary = tmp.resolve("image.png");
        Files.write(binary, new byte[] {'a', 'b', (byte) 0x89, 'P', 'N', 'G'});
        assertError(CliRun.of("charlm", "train", "--text", binary.toString(), "--out", tmp.resolve("b").toString(), "--no-progress"),
                "at byte offset 2");
        assertFalse(Files.exists(tmp.resolve("e")) || Files.exists(tmp.resolve("s")) || Files.exists(tmp.resolve("b")),
                "refused runs create no output directory");

        // Another text (another vocabulary) on --resume.
        Path other = Files.writeString(tmp.resolve("other.txt"), "Wir lieben die Stürme, die brausenden Wogen. ".repeat(400));
        assertError(CliRun.of("charlm", "train", "--resume", out.toString(), "--text", other.toString(), "--no-progress"),
                "trained on another text");
        // Another configuration on --resume.
        assertError(CliRun.of("charlm", "train", "--resume", out.toString(), "--hidden", "64", "--no-progress"),
                "--hidden 64 (checkpoint: 48)");
        // A fresh run into a run's directory.
        assertError(CliRun.of(small(out, "--max-steps", "20")), "already holds a run");
        assertArrayEquals(indexBefore, Files.readAllBytes(out.resolve("checkpoint").resolve(Checkpoint.INDEX)));
        assertArrayEquals(metricsBefore, Files.readAllBytes(out.resolve("metrics.jsonl")));

        assertError(CliRun.of("charlm", "sample", "--checkpoint", out.toString(), "--temperature", "-0.5"),
                "--temperature must be >= 0");
        assertError(CliRun.of("charlm", "sample", "--checkpoint", out.toString(), "--top-k", "0"),
                "--top-k must be a positive number");
        assertError(CliRun.of("charlm", "sample", "--checkpoint", out.toString(), "--prime", "To bé"),
                "character 'é' (U+00E9) at position 4 is not in the model's vocabulary");
    }

    private static void assertError(CliRun run, String expected) {
        assertNotEquals(0, run.exitCode(), run.out());
        assertTrue(run.err().contains(expected), "expected '" + expected + "' in: " + run.err());
    }

    @Test
    void textsAreCharactersNotBytes() throws Exception {
        String verse = "Über den Wipfeln ist Ruh — 静かな湖畔の森の影から 😀\n";
        Path unicode = Files.writeString(tmp.resolve("unicode.txt"), verse.repeat(120), StandardCharsets.UTF_8);
        Path out = tmp.resolve("u");
        CliRun run = CliRun.of("charlm", "train", "--text", unicode.toString(), "--out", out.toString(), "--batch", "4",
                "--seq", "16", "--hidden", "16", "--embedding", "8", "--max-steps", "4", "--eval-every", "4", "--no-progress");
        assertEquals(0, run.exitCode(), run.err() + run.out());
        long distinct = verse.codePoints().distinct().count();
        assertTrue(run.out().contains("vocabulary " + distinct + ";"), run.out());
        CliRun sample = CliRun.of("charlm", "sample", "--checkpoint", out.toString(), "--prime", "静かな", "--length", "5");
        assertEquals(0, sample.exitCode(), sample.err());
        assertTrue(sample.out().startsWith("静かな"));
    }
}
