package org.lstm4j.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The options given with {@code --resume} that differ from the checkpoint's run: a resumed run must be the run
 * the checkpoint continues, so each is reported, all at once, as {@code --option given (checkpoint: saved)}.
 */
public final class ResumeConflicts {
    private final List<String> conflicts = new ArrayList<>();

    /** Records {@code option} if it was given ({@code given} not null) with another value than {@code saved}; strings compare ignoring case. */
    public ResumeConflicts check(String option, Object given, Object saved) {
        if (given == null) {
            return this;
        }
        boolean same = given instanceof String s ? s.equalsIgnoreCase(String.valueOf(saved)) : given.equals(saved);
        if (!same) {
            conflicts.add(option + " " + given + " (checkpoint: " + saved + ")");
        }
        return this;
    }

    /** Records a conflict worded by the caller. */
    public ResumeConflicts add(String conflict) {
        conflicts.add(conflict);
        return this;
    }

    public boolean isEmpty() {
        return conflicts.isEmpty();
    }

    /** The conflicts, comma-separated. */
    @Override
    public String toString() {
        return String.join(", ", conflicts);
    }
}
