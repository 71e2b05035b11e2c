package org.lstm4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps {@code docs/bad-inputs.md} current: a test lists bad inputs with the action that feeds each one in,
 * runs them all, and compares the errors they get with its section of the page (between
 * {@code <!-- NAME:begin -->} and {@code <!-- NAME:end -->}). Run the tests with
 * {@code -Dlstm4j.updateDocs=true} to rewrite the sections instead of comparing.
 */
public final class BadInputsDoc {
    /** Feeds one bad input in; expected to throw. */
    @FunctionalInterface
    public interface Action {
        void run() throws Throwable;
    }

    /** An outcome that names itself in the table (e.g. a command's exit code) instead of an exception class. */
    public interface Labelled {
        String label();
    }

    private final String section;
    private final Map<String, Action> cases = new LinkedHashMap<>();
    private final Map<String, String> replacements = new LinkedHashMap<>();

    public BadInputsDoc(String section) {
        this.section = section;
    }

    /** A bad input, described as a user would say what they did. */
    public BadInputsDoc add(String input, Action action) {
        if (cases.put(input, action) != null) {
            throw new IllegalArgumentException("duplicate case: " + input);
        }
        return this;
    }

    /** Replaces a run-specific text (a temporary directory) by a stable one in messages. */
    public BadInputsDoc replacing(String text, String with) {
        replacements.put(text, with);
        return this;
    }

    /** Runs every case (each must throw) and checks the page's section, or rewrites it when asked. */
    public void check(Path page) throws IOException {
        List<String> rows = new ArrayList<>();
        for (Map.Entry<String, Action> c : cases.entrySet()) {
            Throwable thrown = null;
            try {
                c.getValue().run();
            } catch (Throwable t) {
                thrown = t;
            }
            if (thrown == null) {
                fail("bad input was accepted: " + c.getKey());
            }
            if (thrown instanceof Error && !(thrown instanceof AssertionError)) {
                fail("bad input ended in " + thrown + ": " + c.getKey(), thrown);
            }
            String message = String.valueOf(thrown.getMessage());
            for (Map.Entry<String, String> r : replacements.entrySet()) {
                message = message.replace(r.getKey(), r.getValue());
            }
            String outcome = thrown instanceof Labelled l ? l.label() : thrown.getClass().getSimpleName();
            rows.add("| " + cell(c.getKey()) + " | `" + outcome + "` | " + cell(message) + " |");
        }
        String begin = "<!-- " + section + ":begin -->";
        String end = "<!-- " + section + ":end -->";
        String table = begin + "\n| input | outcome | message |\n| --- | --- | --- |\n" + String.join("\n", rows) + "\n" + end;
        String text = Files.readString(page);
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            fail(page + " has no section " + begin + " ... " + end);
        }
        String updated = text.substring(0, from) + table + text.substring(to + end.length());
        if (Boolean.getBoolean("lstm4j.updateDocs")) {
            Files.writeString(page, updated);
        } else {
            assertEquals(text, updated, page + " is out of date: rerun the tests with -Dlstm4j.updateDocs=true and commit it");
        }
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", "<br>");
    }
}
