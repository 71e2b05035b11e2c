package org.lstm4j.cli.classify;

import java.util.List;
import java.util.Locale;

/**
 * The resolved settings of one classification run: a recipe's values with the user's options on top.
 * Written into {@code summary.json} and into the checkpoint, so {@code --resume} and {@code evaluate} see
 * exactly what the run used.
 *
 * @param recipe    the recipe the defaults came from
 * @param dataset   {@code mnist} or {@code fashion-mnist}
 * @param model     {@code lstm}, {@code bilstm}, {@code gru}, {@code bigru} or {@code rnn}
 * @param layers    stacked recurrent layers
 * @param hidden    hidden units per direction
 * @param epochs    passes over the training set
 * @param batch     examples per step
 * @param lr        Adam's learning rate (the peak of the cosine schedule)
 * @param seed      seeds the weights and dropout (seed) and the shuffling (seed + 1)
 * @param init      {@code pytorch} or {@code keras}
 * @param dropout   dropout between recurrent layers
 * @param schedule  {@code constant}, or {@code cosine}: annealed to 0 over all steps, stepped every step
 * @param clip      maximum gradient norm, 0 for none
 * @param maxSteps  stop after this many steps in all, 0 for no limit
 */
public record ClassifyConfig(String recipe, String dataset, String model, int layers, int hidden, int epochs, int batch,
        double lr, long seed, String init, double dropout, String schedule, double clip, long maxSteps) {

    public static final List<String> DATASETS = List.of("mnist", "fashion-mnist");
    public static final List<String> SCHEDULES = List.of("constant", "cosine");

    public ClassifyConfig {
        dataset = dataset.toLowerCase(Locale.ROOT);
        model = ModelKind.parse(model).toString();
        if (!DATASETS.contains(dataset)) {
            throw new IllegalArgumentException("unknown dataset '" + dataset + "': expected one of " + DATASETS);
        }
        if (!SCHEDULES.contains(schedule)) {
            throw new IllegalArgumentException("unknown schedule '" + schedule + "': expected one of " + SCHEDULES);
        }
        positive("layers", layers, 100);
        positive("hidden", hidden, 8192);
        positive("epochs", epochs, 100_000);
        positive("batch", batch, 60_000);
        if (!(lr > 0) || !(lr <= 10)) {
            throw new IllegalArgumentException("lr must be in (0, 10], was " + lr);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), was " + dropout);
        }
        if (!(clip >= 0) || Double.isInfinite(clip)) {
            throw new IllegalArgumentException("clip must be 0 (none) or a positive finite norm, was " + clip);
        }
        if (maxSteps < 0) {
            throw new IllegalArgumentException("max steps must be 0 (no limit) or positive, was " + maxSteps);
        }
    }

    private static void positive(String what, int value, int max) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(what + " must be in [1, " + max + "], was " + value);
        }
    }

    public ModelKind modelKind() {
        return ModelKind.parse(model);
    }

    /** The same settings for another model (what {@code compare} trains). */
    public ClassifyConfig withModel(ModelKind kind) {
        return new ClassifyConfig(recipe, dataset, kind.toString(), layers, hidden, epochs, batch, lr, seed, init, dropout,
                schedule, clip, maxSteps);
    }
}
