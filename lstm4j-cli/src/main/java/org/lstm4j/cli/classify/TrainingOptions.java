package org.lstm4j.cli.classify;

import java.nio.file.Path;
import org.lstm4j.cli.train.Numbers;
import picocli.CommandLine.Option;

/**
 * The options {@code classify} and {@code compare} share. Each is unset unless given, so that the recipe's
 * value applies; {@link #resolve} puts the given ones on top of the recipe.
 */
public final class TrainingOptions {
    @Option(names = "--recipe", paramLabel = "NAME", description = "Settings to start from: seed-fmnist (default), seed-keras-mnist, best.")
    String recipe = Recipe.SEED_FMNIST.toString();

    @Option(names = "--dataset", paramLabel = "NAME", description = "mnist or fashion-mnist (default: the recipe's).")
    String dataset;

    @Option(names = "--layers", paramLabel = "L", description = "Recurrent layers (default: the recipe's).")
    Integer layers;

    @Option(names = "--hidden", paramLabel = "H", description = "Hidden units per direction (default: the recipe's).")
    Integer hidden;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the 60,000 training images (default: the recipe's).")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "B", description = "Images per step (default: the recipe's).")
    Integer batch;

    @Option(names = "--lr", paramLabel = "RATE", description = "Adam learning rate (default: the recipe's).")
    Double lr;

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed of weights, dropout and shuffling (default: the recipe's, 0).")
    Long seed;

    @Option(names = "--init", paramLabel = "pytorch|keras", description = "Weight initialisation (default: the recipe's).")
    String init;

    @Option(names = "--dropout", paramLabel = "P", description = "Dropout between recurrent layers (default: the recipe's).")
    Double dropout;

    @Option(names = "--schedule", paramLabel = "constant|cosine", description = "Learning-rate schedule; cosine anneals to 0 over the run (default: the recipe's).")
    String schedule;

    @Option(names = "--clip", paramLabel = "NORM", description = "Clip the gradient norm, 0 for none (default: the recipe's).")
    Double clip;

    @Option(names = "--max-steps", paramLabel = "N", description = "Stop after N steps in all (default: no limit).")
    Long maxSteps;

    @Option(names = "--data", paramLabel = "DIR", description = "Dataset directory; missing files are downloaded (default: ~/.lstm4j/datasets).")
    Path data;

    @Option(names = "--threads", paramLabel = "N", description = "Kernel threads (default: all cores).")
    Integer threads;

    @Option(names = "--no-progress", description = "No progress bar or progress lines.")
    boolean noProgress;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Train on Apache Spark: local[N] in this process,"
            + " or spark://HOST:PORT, yarn, k8s://... under spark-submit (same results, to float rounding; see docs/spark.md).")
    String spark;

    /** The Spark master URL, or null to train in this process. */
    public String sparkMaster() {
        return spark;
    }

    /** The recipe with the given options on top. */
    ClassifyConfig resolve(String modelOverride) {
        Recipe r = Recipe.parse(recipe);
        ClassifyConfig d = r.defaults();
        return new ClassifyConfig(r.toString(), or(dataset, d.dataset()), or(modelOverride, d.model()), or(layers, d.layers()),
                or(hidden, d.hidden()), or(epochs, d.epochs()), or(batch, d.batch()), or(lr, d.lr()), or(seed, d.seed()),
                or(init, d.init()), or(dropout, d.dropout()), or(schedule, d.schedule()), or(clip, d.clip()),
                or(maxSteps, d.maxSteps()));
    }

    Path dataRoot() {
        return data != null ? data : ClassificationData.defaultRoot();
    }

    /** The kernel threads, checked (the rest is checked by {@link ClassifyConfig}); default: all cores. */
    int threadsOrDefault(int available) {
        return threads == null ? available : org.lstm4j.cli.ThreadCount.check(threads);
    }

    private static <V> V or(V given, V recipeValue) {
        return given != null ? given : recipeValue;
    }

    static String describe(ClassifyConfig c) {
        return c.model() + " " + c.layers() + "x" + c.hidden() + ", " + c.epochs() + " epoch" + (c.epochs() == 1 ? "" : "s")
                + ", batch " + c.batch() + ", Adam lr " + Numbers.compact(c.lr()) + (c.schedule().equals("cosine") ? " cosine" : "")
                + (c.dropout() > 0 ? ", dropout " + Numbers.compact(c.dropout()) : "")
                + (c.clip() > 0 ? ", clip " + Numbers.compact(c.clip()) : "") + ", " + c.init() + " init, seed " + c.seed();
    }
}
