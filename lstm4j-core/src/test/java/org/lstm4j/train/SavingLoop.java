package org.lstm4j.train;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lstm4j.nn.LSTM;
import org.lstm4j.nn.Module;
import org.lstm4j.tensor.Tensor;

/**
 * The process {@link CheckpointCrashTest} kills: saves as fast as it can, forever, each step a checkpoint
 * ({@link Checkpoint#save}, 3 MB) and then a plain model file ({@link Module#save}, 1.3 MB), every value of
 * which encodes the step ({@link #valueAt}).
 *
 * <p>Usage: {@code SavingLoop CHECKPOINT_ROOT MODEL_FILE SCRATCH_DIR}. It first warms up by saving into
 * {@code SCRATCH_DIR} (so that class loading and compilation, the bulk of a JVM's start, can overlap the
 * previous saver's run), prints {@code ready} and waits for a line on stdin. Then it resumes after the latest
 * checkpoint in {@code CHECKPOINT_ROOT} and prints each step once both its saves are complete. It halts
 * when its stdin closes, so that it never outlives the test.
 */
public final class SavingLoop {
    /** Floats of the checkpoint's model state (2 MB) and optimizer state (1 MB). */
    static final int MODEL_FLOATS = 1 << 19;
    static final int OPTIMIZER_FLOATS = 1 << 18;
    /** The plain model file: an LSTM of about 1.3 MB. */
    static final int LSTM_INPUT = 64;
    static final int LSTM_HIDDEN = 256;
    /** Steps that are multiples of this are saved as the best too. */
    static final int BEST_EVERY = 3;
    static final String READY = "ready";

    private SavingLoop() {}

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        Path modelFile = Path.of(args[1]);
        Path scratch = Path.of(args[2]);
        LSTM lstm = new LSTM(LSTM_INPUT, LSTM_HIDDEN);

        for (long step = 1; step <= 2; step++) {
            saveStep(scratch.resolve("checkpoint"), lstm, scratch.resolve("model.safetensors"), step);
        }
        Checkpoint.load(scratch.resolve("checkpoint"));
        System.out.println(READY);
        System.out.flush();
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (stdin.readLine() == null) {
            return;
        }
        Thread watchdog = new Thread(() -> {
            try {
                while (stdin.readLine() != null) {
                    // only the end of the stream matters
                }
            } catch (IOException e) {
                // the same as the end
            }
            Runtime.getRuntime().halt(3);
        }, "stdin-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        long step = Files.exists(root.resolve(Checkpoint.INDEX)) ? Checkpoint.load(root).training().step() : 0;
        while (true) {
            step++;
            saveStep(root, lstm, modelFile, step);
            System.out.println(step);
            System.out.flush();
        }
    }

    private static void saveStep(Path root, LSTM lstm, Path modelFile, long step) throws IOException {
        Checkpoint.save(root, contents(step), step % BEST_EVERY == 0);
        for (Tensor p : lstm.parameters()) {
            fill(p, step);
        }
        lstm.save(modelFile);
    }

    /**
     * The value at flat index {@code i} of every tensor saved at {@code step}: the step plus a pattern along the
     * tensor, so that a file mixing two saves' bytes shows. Exact in float for steps below 2^19.
     */
    static float valueAt(long step, int i) {
        return step + (i % 16) / 16f;
    }

    /** The step whose values {@code t} holds; an error naming the first value that fits no single step. */
    static long stepOf(Tensor t, String what) {
        float[] data = t.data();
        long step = (long) Math.floor(data[0]);
        for (int i = 0; i < data.length; i++) {
            if (data[i] != valueAt(step, i)) {
                throw new AssertionError(what + "[" + i + "] = " + data[i] + ", but [0] says step " + step
                        + ", which wants " + valueAt(step, i));
            }
        }
        return step;
    }

    /** What the checkpoint of {@code step} holds. */
    static Checkpoint.Contents contents(long step) {
        Map<String, Tensor> model = new LinkedHashMap<>();
        model.put("layer.weight", filled(step, MODEL_FLOATS / 512, 512));
        model.put("layer.bias", filled(step, 512));
        Map<String, Tensor> optimizer = Map.of("state.0.exp_avg", filled(step, OPTIMIZER_FLOATS));
        TrainingState training = new TrainingState(0, step, null, 0, 0, 0, 0, Map.of(), List.of(), null);
        return new Checkpoint.Contents(Checkpoint.toJson(Map.of("type", "saving-loop")), model, "Adam", optimizer,
                null, null, training);
    }

    private static Tensor filled(long step, int... shape) {
        Tensor t = Tensor.zeros(shape);
        fill(t, step);
        return t;
    }

    private static void fill(Tensor t, long step) {
        float[] data = t.data();
        for (int i = 0; i < data.length; i++) {
            data[i] = valueAt(step, i);
        }
    }
}
