package org.lstm4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.testing.BadInputsDoc;

/** The command line's rows of docs/bad-inputs.md: each bad command run in-process, its exit code and error kept. */
class BadInputsDocTest {
    @TempDir
    Path tmp;

    /** A failed run as the table shows it: the exit code and the first line of stderr. */
    static final class Failed extends Exception implements BadInputsDoc.Labelled {
        private static final long serialVersionUID = 1L;
        private final int code;

        Failed(int code, String firstLine) {
            super(firstLine);
            this.code = code;
        }

        @Override
        public String label() {
            return "exit " + code;
        }
    }

    private static BadInputsDoc.Action run(String... args) {
        return () -> {
            CliRun r = CliRun.of(args);
            if (r.exitCode() == 0) {
                return;
            }
            throw new Failed(r.exitCode(), r.err().strip().lines().findFirst().orElse(""));
        };
    }

    @Test
    void commandLineErrorsAreThoseThePageLists() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        String nowhere = tmp.resolve("nowhere").toString();
        int cores = Runtime.getRuntime().availableProcessors();
        Path empty = Files.writeString(tmp.resolve("empty.txt"), "");
        Path shortText = Files.writeString(tmp.resolve("short.txt"), "To be, or not to be.\n".repeat(20));
        Path binary = Files.write(tmp.resolve("image.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n'});
        Path shakespeareLike = Files.writeString(tmp.resolve("verse.txt"), "To be, or not to be, that is the question.\n".repeat(400));
        Path classifyRun = tmp.resolve("classify-run");
        CliRun classify = CliRun.of("classify", "--dataset", "mnist", "--data",
                org.lstm4j.testing.Datasets.require("mnist").getParent().toString(), "--out", classifyRun.toString(),
                "--layers", "1", "--hidden", "8", "--max-steps", "1", "--no-progress");
        if (classify.exitCode() != 0) {
            throw new AssertionError("a one-step classify run failed: " + classify.err());
        }
        new BadInputsDoc("cli")
                .replacing(tmp.toString(), "<dir>")
                // The thread limit depends on the machine; the page shows it for any.
                .replacing("at most " + 4 * cores + " (4 per core on this machine of " + cores + " cores)", "at most 4 × cores (4 per core on this machine of <cores> cores)")
                .add("`classify --dataset cifar`", run("classify", "--dataset", "cifar", "--no-progress"))
                .add("`classify --model transformer`", run("classify", "--model", "transformer", "--no-progress"))
                .add("`classify --epochs 0`", run("classify", "--epochs", "0", "--no-progress"))
                .add("`classify --lr -1`", run("classify", "--lr", "-1", "--no-progress"))
                .add("`classify --dropout 1`", run("classify", "--dropout", "1", "--no-progress"))
                .add("`classify --schedule linear`", run("classify", "--schedule", "linear", "--no-progress"))
                .add("`classify --threads 100000`", run("classify", "--threads", "100000", "--no-progress"))
                .add("`classify --recipe fastest`", run("classify", "--recipe", "fastest", "--no-progress"))
                .add("`classify --out` a file", run("classify", "--out", file.toString(), "--data", nowhere, "--no-progress"))
                .add("`classify --resume` a directory with no checkpoint", run("classify", "--resume", nowhere, "--no-progress"))
                .add("`evaluate` without `--checkpoint`", run("evaluate"))
                .add("`evaluate --which worst`", run("evaluate", "--checkpoint", nowhere, "--which", "worst"))
                .add("`compare --models lstm,lstm`", run("compare", "--models", "lstm,lstm", "--no-progress"))
                .add("`charlm train --text` an empty file", run("charlm", "train", "--text", empty.toString(), "--out", nowhere, "--no-progress"))
                .add("`charlm train --text` shorter than one batch", run("charlm", "train", "--text", shortText.toString(), "--out", nowhere, "--no-progress"))
                .add("`charlm train --text` a binary file", run("charlm", "train", "--text", binary.toString(), "--out", nowhere, "--no-progress"))
                .add("`charlm train --recipe huge`", run("charlm", "train", "--recipe", "huge", "--no-progress"))
                .add("`charlm train --cell transformer`", run("charlm", "train", "--cell", "transformer", "--no-progress"))
                .add("`charlm train --schedule cosine --warmup 500 --max-steps 100`", run("charlm", "train", "--schedule", "cosine", "--warmup", "500", "--max-steps", "100", "--text", shakespeareLike.toString(), "--out", nowhere, "--no-progress"))
                .add("`charlm train --val-frac 1`", run("charlm", "train", "--val-frac", "1", "--no-progress"))
                .add("`charlm train --max-minutes 0`", run("charlm", "train", "--max-minutes", "0", "--no-progress"))
                .add("`charlm train --resume` a directory with no checkpoint", run("charlm", "train", "--resume", nowhere, "--no-progress"))
                .add("`charlm sample --temperature -1`", run("charlm", "sample", "--checkpoint", nowhere, "--temperature", "-1"))
                .add("`charlm sample --top-k 0`", run("charlm", "sample", "--checkpoint", nowhere, "--top-k", "0"))
                .add("`charlm sample --checkpoint` a classify checkpoint", run("charlm", "sample", "--checkpoint", classifyRun.toString(), "--which", "latest"))
                .add("`sine --steps 0`", run("sine", "--steps", "0", "--no-progress"))
                .add("`sine --steps 2147483647`", run("sine", "--steps", "2147483647", "--no-progress"))
                .add("`sine --hidden 20000`", run("sine", "--hidden", "20000", "--no-progress"))
                .add("`sine --threads 100000`", run("sine", "--threads", "100000", "--no-progress"))
                .add("`sine --out /dev/null`", run("sine", "--out", "/dev/null", "--no-progress"))
                .add("`sine --out` a file", run("sine", "--out", file.toString(), "--no-progress"))
                .add("`bench --rep-time 1e300`", run("bench", "--rep-time", "1e300"))
                .add("`bench --repeat 100000`", run("bench", "--repeat", "100000"))
                .check(Path.of("../docs/bad-inputs.md"));
    }
}
