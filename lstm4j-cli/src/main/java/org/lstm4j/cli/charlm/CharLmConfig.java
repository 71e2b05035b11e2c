package org.lstm4j.cli.charlm;

import java.util.List;
import java.util.Locale;
import org.lstm4j.models.CharLanguageModel;

/**
 * Everything that defines a char-LM training run (saved in its checkpoints, so a resume is the same run);
 * the session's budget ({@code --max-minutes}), threads and output directory are not part of it.
 *
 * @param recipe            the recipe the settings started from
 * @param mode              "streams": truncated BPTT over parallel streams, a prediction at every step;
 *                          "windows": many-to-one windows predicting the next character (the seed's program)
 * @param cell              lstm, gru or rnn
 * @param embedding         embedding width, 0 for one-hot inputs
 * @param hidden            hidden units per layer
 * @param layers            recurrent layers
 * @param dropout           dropout between layers and before the read-out
 * @param batch             parallel streams (or windows per step)
 * @param seq               time steps per update (window length)
 * @param stride            characters between window starts ("windows" mode)
 * @param valFrac           the validation share of the text, taken from its end
 * @param optimizer         adam, adamw or rmsprop
 * @param lr                learning rate
 * @param weightDecay       weight decay (AdamW's decoupled, else L2)
 * @param clip              gradient-norm clip, 0 for none
 * @param schedule          constant, step or cosine
 * @param warmup            warm-up steps of the cosine schedule
 * @param stepSize          steps between decays of the step schedule
 * @param gamma             decay factor of the step schedule
 * @param epochs            passes over the training text
 * @param maxSteps          optimisation steps in all, 0 for no limit
 * @param evalEvery         steps between evaluations (and checkpoints)
 * @param seed              seeds weights, dropout and shuffling
 * @param samplePrime       the text each evaluation's sample starts from
 * @param sampleLength      characters of each evaluation's sample, 0 for none
 * @param sampleTemperature temperature of those samples (0: greedy)
 */
public record CharLmConfig(String recipe, String mode, String cell, int embedding, int hidden, int layers, double dropout,
        int batch, int seq, int stride, double valFrac, String optimizer, double lr, double weightDecay, double clip,
        String schedule, int warmup, int stepSize, double gamma, int epochs, long maxSteps, int evalEvery, long seed,
        String samplePrime, int sampleLength, double sampleTemperature) {

    public static final String STREAMS = "streams";
    public static final String WINDOWS = "windows";
    public static final List<String> MODES = List.of(STREAMS, WINDOWS);
    public static final List<String> OPTIMIZERS = List.of("adam", "adamw", "rmsprop");
    public static final List<String> SCHEDULES = List.of("constant", "step", "cosine");

    public CharLmConfig {
        mode = oneOf("mode", mode, MODES);
        cell = oneOf("--cell", cell, CharLanguageModel.CELLS);
        optimizer = oneOf("--optimizer", optimizer, OPTIMIZERS);
        schedule = oneOf("--schedule", schedule, SCHEDULES);
        atLeast("--embedding", embedding, 0);
        atLeast("--hidden", hidden, 1);
        atLeast("--layers", layers, 1);
        atLeast("--batch", batch, 1);
        atLeast("--seq", seq, 1);
        atLeast("--stride", stride, 1);
        atLeast("--warmup", warmup, 0);
        atLeast("--step-size", stepSize, 1);
        atLeast("--epochs", epochs, 1);
        atLeast("--eval-every", evalEvery, 1);
        atLeast("--sample-length", sampleLength, 0);
        if (maxSteps < 0) {
            throw new IllegalArgumentException("--max-steps must be >= 0 (0: no limit), got " + maxSteps);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("--dropout must be in [0, 1), got " + dropout);
        }
        if (!(valFrac > 0 && valFrac < 1)) {
            throw new IllegalArgumentException("--val-frac must be in (0, 1), got " + valFrac);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("--lr must be positive and finite, got " + lr);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("--weight-decay must be >= 0 and finite, got " + weightDecay);
        }
        if (!(clip >= 0) || Double.isInfinite(clip)) {
            throw new IllegalArgumentException("--clip must be >= 0 and finite (0: none), got " + clip);
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("--gamma must be in (0, 1], got " + gamma);
        }
        if (!(sampleTemperature >= 0) || Double.isInfinite(sampleTemperature)) {
            throw new IllegalArgumentException("--sample-temperature must be >= 0 and finite, got " + sampleTemperature);
        }
        if (samplePrime == null) {
            samplePrime = "";
        }
    }

    /** Whether every step predicts (streams) or only the last (windows). */
    public CharLanguageModel.Head head() {
        return mode.equals(STREAMS) ? CharLanguageModel.Head.EVERY_STEP : CharLanguageModel.Head.LAST_STEP;
    }

    /** One line for the console. */
    public String describe() {
        return String.format(Locale.ROOT, "%s %dx%d, %s, %s, batch %d x %d, %s lr %s%s%s%s, seed %d", cell, layers, hidden,
                embedding > 0 ? "embedding " + embedding : "one-hot input",
                mode.equals(STREAMS) ? "truncated BPTT, every step predicts" : "windows (stride " + stride + ") predict the next character",
                batch, seq, optimizer, compact(lr),
                schedule.equals("constant") ? "" : schedule.equals("cosine") ? " cosine (warm-up " + warmup + ")"
                        : " step (" + stepSize + ", " + compact(gamma) + ")",
                dropout > 0 ? ", dropout " + compact(dropout) : "", clip > 0 ? ", clip " + compact(clip) : "", seed);
    }

    static String compact(double v) {
        return org.lstm4j.cli.train.Numbers.compact(v);
    }

    private static String oneOf(String option, String value, List<String> allowed) {
        if (value == null) {
            throw new IllegalArgumentException(option + " is required (one of " + String.join(", ", allowed) + ")");
        }
        String v = value.toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException(option + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
        }
        return v;
    }

    private static void atLeast(String option, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be at least " + min + ", got " + value);
        }
    }
}
