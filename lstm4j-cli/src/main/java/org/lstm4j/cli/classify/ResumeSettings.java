package org.lstm4j.cli.classify;

import java.util.ArrayList;
import java.util.List;

/**
 * The settings of a resumed run: the checkpoint's, with only the budget ({@code --epochs}, {@code --max-steps})
 * open to change; any other option given with a different value is an error, since the run would no longer
 * be the one the checkpoint continues.
 */
final class ResumeSettings {
    private ResumeSettings() {}

    static ClassifyConfig merge(ClassifyConfig saved, TrainingOptions o, String model) {
        List<String> conflicts = new ArrayList<>();
        check(conflicts, "--dataset", o.dataset, saved.dataset());
        check(conflicts, "--model", model, saved.model());
        check(conflicts, "--layers", o.layers, saved.layers());
        check(conflicts, "--hidden", o.hidden, saved.hidden());
        check(conflicts, "--batch", o.batch, saved.batch());
        check(conflicts, "--lr", o.lr, saved.lr());
        check(conflicts, "--seed", o.seed, saved.seed());
        check(conflicts, "--init", o.init, saved.init());
        check(conflicts, "--dropout", o.dropout, saved.dropout());
        check(conflicts, "--schedule", o.schedule, saved.schedule());
        check(conflicts, "--clip", o.clip, saved.clip());
        if (!conflicts.isEmpty()) {
            throw new IllegalArgumentException("--resume continues the checkpoint's run; these options differ from it: "
                    + String.join(", ", conflicts) + " (only --epochs and --max-steps may change)");
        }
        if (saved.schedule().equals("cosine") && (o.epochs != null && o.epochs != saved.epochs()
                || o.maxSteps != null && o.maxSteps != saved.maxSteps())) {
            throw new IllegalArgumentException("--resume: a cosine schedule is laid out over the run's planned steps;"
                    + " --epochs and --max-steps cannot change with it");
        }
        return new ClassifyConfig(saved.recipe(), saved.dataset(), saved.model(), saved.layers(), saved.hidden(),
                o.epochs != null ? o.epochs : saved.epochs(), saved.batch(), saved.lr(), saved.seed(), saved.init(),
                saved.dropout(), saved.schedule(), saved.clip(), o.maxSteps != null ? o.maxSteps : saved.maxSteps());
    }

    private static void check(List<String> conflicts, String option, Object given, Object saved) {
        if (given == null) {
            return;
        }
        boolean same = given instanceof String s ? s.equalsIgnoreCase(String.valueOf(saved)) : given.equals(saved);
        if (!same) {
            conflicts.add(option + " " + given + " (checkpoint: " + saved + ")");
        }
    }
}
