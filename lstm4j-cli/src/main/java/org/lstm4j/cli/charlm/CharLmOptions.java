package org.lstm4j.cli.charlm;

import java.nio.file.Path;
import org.lstm4j.cli.ResumeConflicts;
import picocli.CommandLine.Option;

/**
 * The options of {@code charlm train}. Each is unset unless given, so the recipe's value applies; the
 * char-rnn spellings ({@code -rnn_size}, {@code -seq_length}, ...) are accepted beside the long ones.
 */
public final class CharLmOptions {
    @Option(names = "--recipe", paramLabel = "NAME", description = "Settings to start from: default, seed, best (default: default).")
    String recipe = CharLmRecipe.DEFAULT.toString();

    @Option(names = {"--text", "-data_dir"}, paramLabel = "FILE", description = "Train on this UTF-8 text file.")
    Path text;

    @Option(names = "--dataset", paramLabel = "NAME", description = "Train on a known text: tinyshakespeare (the default without --text).")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "Dataset directory; missing files are downloaded (default: ~/.lstm4j/datasets).")
    Path data;

    @Option(names = {"--val-frac", "-val_frac"}, paramLabel = "F", description = "Validation share, from the end of the text (default 0.1).")
    Double valFrac;

    @Option(names = {"--cell", "-model"}, paramLabel = "lstm|gru|rnn", description = "Recurrent cell (default: the recipe's).")
    String cell;

    @Option(names = "--embedding", paramLabel = "E", description = "Embedding width, 0 for one-hot input (default: the recipe's).")
    Integer embedding;

    @Option(names = {"--hidden", "-rnn_size"}, paramLabel = "H", description = "Hidden units per layer (default: the recipe's).")
    Integer hidden;

    @Option(names = {"--layers", "-num_layers"}, paramLabel = "L", description = "Recurrent layers (default: the recipe's).")
    Integer layers;

    @Option(names = {"--dropout", "-dropout"}, paramLabel = "P", description = "Dropout between layers and before the read-out (default: the recipe's).")
    Double dropout;

    @Option(names = {"--batch", "-batch_size"}, paramLabel = "B", description = "Parallel streams per step (default: the recipe's).")
    Integer batch;

    @Option(names = {"--seq", "-seq_length"}, paramLabel = "T", description = "Time steps per update (default: the recipe's).")
    Integer seq;

    @Option(names = "--stride", paramLabel = "S", description = "Seed recipe: characters between window starts (default 1).")
    Integer stride;

    @Option(names = "--optimizer", paramLabel = "adam|adamw|rmsprop", description = "Optimizer (default: the recipe's).")
    String optimizer;

    @Option(names = {"--lr", "-learning_rate"}, paramLabel = "RATE", description = "Learning rate (default: the recipe's).")
    Double lr;

    @Option(names = "--weight-decay", paramLabel = "W", description = "Weight decay (default 0).")
    Double weightDecay;

    @Option(names = {"--clip", "-grad_clip"}, paramLabel = "NORM", description = "Clip the gradient norm, 0 for none (default: the recipe's).")
    Double clip;

    @Option(names = "--schedule", paramLabel = "constant|step|cosine", description = "Learning-rate schedule (default: the recipe's); cosine anneals to 0 at --max-steps after --warmup steps.")
    String schedule;

    @Option(names = "--warmup", paramLabel = "N", description = "Warm-up steps of the cosine schedule.")
    Integer warmup;

    @Option(names = "--step-size", paramLabel = "N", description = "Step schedule: steps between decays.")
    Integer stepSize;

    @Option(names = "--gamma", paramLabel = "G", description = "Step schedule: decay factor.")
    Double gamma;

    @Option(names = {"--epochs", "-max_epochs"}, paramLabel = "N", description = "Passes over the training text (default: the recipe's).")
    Integer epochs;

    @Option(names = "--max-steps", paramLabel = "N", description = "Stop after N steps in all, with a final checkpoint.")
    Long maxSteps;

    @Option(names = "--max-minutes", paramLabel = "M", description = "Stop after M minutes of this session (evaluations included), with a final checkpoint.")
    Double maxMinutes;

    @Option(names = {"--eval-every", "-eval_val_every"}, paramLabel = "N", description = "Steps between validations, samples and checkpoints (default: the recipe's).")
    Integer evalEvery;

    @Option(names = {"--seed", "-seed"}, paramLabel = "SEED", description = "Seed of weights, dropout and data order (default 0).")
    Long seed;

    @Option(names = "--sample-prime", paramLabel = "TEXT", description = "Text the samples at each evaluation start from.")
    String samplePrime;

    @Option(names = "--sample-length", paramLabel = "N", description = "Characters sampled at each evaluation, 0 for none.")
    Integer sampleLength;

    @Option(names = "--sample-temperature", paramLabel = "T", description = "Temperature of those samples, 0 for greedy.")
    Double sampleTemperature;

    @Option(names = "--threads", paramLabel = "N", description = "Kernel threads (default: all cores).")
    Integer threads;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Train on Apache Spark, any recipe (streams: each"
            + " partition continues its streams' carried state): local[N] in this process, or spark://HOST:PORT, yarn,"
            + " k8s://... under spark-submit (see docs/spark.md).")
    String spark;

    @Option(names = "--no-progress", description = "No progress bar or progress lines.")
    boolean noProgress;

    /** The recipe with the given options on top. */
    CharLmConfig resolve() {
        CharLmRecipe r = CharLmRecipe.parse(recipe);
        CharLmConfig d = r.defaults();
        return new CharLmConfig(r.toString(), d.mode(), or(cell, d.cell()), or(embedding, d.embedding()), or(hidden, d.hidden()),
                or(layers, d.layers()), or(dropout, d.dropout()), or(batch, d.batch()), or(seq, d.seq()), or(stride, d.stride()),
                or(valFrac, d.valFrac()), or(optimizer, d.optimizer()), or(lr, d.lr()), or(weightDecay, d.weightDecay()),
                or(clip, d.clip()), or(schedule, d.schedule()), or(warmup, d.warmup()), or(stepSize, d.stepSize()),
                or(gamma, d.gamma()), or(epochs, d.epochs()), or(maxSteps, d.maxSteps()), or(evalEvery, d.evalEvery()),
                or(seed, d.seed()), or(samplePrime, d.samplePrime()), or(sampleLength, d.sampleLength()),
                or(sampleTemperature, d.sampleTemperature()));
    }

    /**
     * The checkpoint's settings with the budget and the evaluation samples open to change ({@code --epochs},
     * {@code --max-steps} unless a cosine schedule is laid over them, {@code --eval-every}, the sample
     * options); any other option given with another value is refused, as the run would no longer be the one
     * the checkpoint continues.
     */
    CharLmConfig mergeForResume(CharLmConfig saved) {
        ResumeConflicts conflicts = new ResumeConflicts();
        if (!recipe.equalsIgnoreCase(saved.recipe()) && !recipe.equals(CharLmRecipe.DEFAULT.toString())) {
            conflicts.add("--recipe " + recipe + " (checkpoint: " + saved.recipe() + ")");
        }
        conflicts.check("--val-frac", valFrac, saved.valFrac());
        conflicts.check("--cell", cell, saved.cell());
        conflicts.check("--embedding", embedding, saved.embedding());
        conflicts.check("--hidden", hidden, saved.hidden());
        conflicts.check("--layers", layers, saved.layers());
        conflicts.check("--dropout", dropout, saved.dropout());
        conflicts.check("--batch", batch, saved.batch());
        conflicts.check("--seq", seq, saved.seq());
        conflicts.check("--stride", stride, saved.stride());
        conflicts.check("--optimizer", optimizer, saved.optimizer());
        conflicts.check("--lr", lr, saved.lr());
        conflicts.check("--weight-decay", weightDecay, saved.weightDecay());
        conflicts.check("--clip", clip, saved.clip());
        conflicts.check("--schedule", schedule, saved.schedule());
        conflicts.check("--warmup", warmup, saved.warmup());
        conflicts.check("--step-size", stepSize, saved.stepSize());
        conflicts.check("--gamma", gamma, saved.gamma());
        conflicts.check("--seed", seed, saved.seed());
        if (saved.schedule().equals("cosine")) {
            conflicts.check("--max-steps (a cosine schedule is laid over them)", maxSteps, saved.maxSteps());
        }
        if (!conflicts.isEmpty()) {
            throw new IllegalArgumentException("--resume continues the checkpoint's run; these options differ from it: "
                    + conflicts);
        }
        return new CharLmConfig(saved.recipe(), saved.mode(), saved.cell(), saved.embedding(), saved.hidden(), saved.layers(),
                saved.dropout(), saved.batch(), saved.seq(), saved.stride(), saved.valFrac(), saved.optimizer(), saved.lr(),
                saved.weightDecay(), saved.clip(), saved.schedule(), saved.warmup(), saved.stepSize(), saved.gamma(),
                or(epochs, saved.epochs()), or(maxSteps, saved.maxSteps()), or(evalEvery, saved.evalEvery()), saved.seed(),
                or(samplePrime, saved.samplePrime()), or(sampleLength, saved.sampleLength()),
                or(sampleTemperature, saved.sampleTemperature()));
    }

    private static <V> V or(V given, V recipeValue) {
        return given != null ? given : recipeValue;
    }
}
