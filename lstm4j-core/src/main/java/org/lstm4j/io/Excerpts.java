package org.lstm4j.io;

import java.util.Iterator;

/**
 * Bounded renderings of names and lists for error messages: a corrupt or hostile file can hold names of
 * megabytes and lists of millions, and an error message must stay readable whatever the file holds.
 */
final class Excerpts {
    /** Characters of a name shown before it is cut. */
    static final int MAX_NAME_CHARS = 100;
    /** Names of a list shown before "and N more". */
    static final int MAX_LISTED = 40;

    private Excerpts() {}

    /** {@code 'name'}, or its first {@value #MAX_NAME_CHARS} characters and its length if longer. */
    static String quote(String name) {
        if (name.length() <= MAX_NAME_CHARS) {
            return "'" + name + "'";
        }
        return "'" + name.substring(0, MAX_NAME_CHARS) + "...' (" + name.length() + " characters)";
    }

    /**
     * {@code "3: 'a', 'b', 'c'"}: the count, then at most {@link #MAX_LISTED} quoted names, then
     * {@code "and N more"}; {@code "none"} for no names.
     */
    static String list(Iterable<String> names) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (Iterator<String> it = names.iterator(); it.hasNext(); n++) {
            String name = it.next();
            if (n < MAX_LISTED) {
                sb.append(n == 0 ? "" : ", ").append(quote(name));
            }
        }
        if (n == 0) {
            return "none";
        }
        if (n > MAX_LISTED) {
            sb.append(" and ").append(n - MAX_LISTED).append(" more");
        }
        return n + ": " + sb;
    }

    /** {@code [2, 3, 4]}, or the first 8 sizes and the rank if there are more. */
    static String shape(int[] shape, int rank) {
        final int shown = 8;
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < Math.min(rank, shown); i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        if (rank > shown) {
            sb.append(", ... (").append(rank).append(" dimensions)");
        }
        return sb.append(']').toString();
    }

    /** The first {@code max} characters of {@code text}, and its length if it is longer. */
    static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "... (" + text.length() + " characters)";
    }
}
