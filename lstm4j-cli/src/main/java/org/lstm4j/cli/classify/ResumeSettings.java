package org.lstm4j.cli.classify;

import org.lstm4j.cli.ResumeConflicts;

/**
 * The settings of a resumed run: the checkpoint's, with only the budget ({@code --epochs}, {@code --max-steps})
 * open to change; any other option given with a different value is an error, since the run would no longer
 * be the one the checkpoint continues.
 */
final class ResumeSettings {
    private ResumeSettings() {}

    static ClassifyConfig merge(ClassifyConfig saved, TrainingOptions o, String model) {
        ResumeConflicts conflicts = new ResumeConflicts();
        conflicts.check("--dataset", o.dataset, saved.dataset());
        conflicts.check("--model", model, saved.model());
        conflicts.check("--layers", o.layers, saved.layers());
        conflicts.check("--hidden", o.hidden, saved.hidden());
        conflicts.check("--batch", o.batch, saved.batch());
        conflicts.check("--lr", o.lr, saved.lr());
        conflicts.check("--seed", o.seed, saved.seed());
        conflicts.check("--init", o.init, saved.init());
        conflicts.check("--dropout", o.dropout, saved.dropout());
        conflicts.check("--schedule", o.schedule, saved.schedule());
        conflicts.check("--clip", o.clip, saved.clip());
        if (!conflicts.isEmpty()) {
            throw new IllegalArgumentException("--resume continues the checkpoint's run; these options differ from it: "
                    + conflicts + " (only --epochs and --max-steps may change)");
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
}
