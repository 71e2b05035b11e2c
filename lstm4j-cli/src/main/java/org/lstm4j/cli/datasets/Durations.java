package org.lstm4j.cli.datasets;

import java.time.Duration;

/** Durations as people read them in messages. */
final class Durations {
    private Durations() {}

    /** {@code 30 s}, {@code 1.5 s} or {@code 300 ms}. */
    static String describe(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 1000 == 0) {
            return millis / 1000 + " s";
        }
        return millis >= 1000 ? millis / 1000.0 + " s" : millis + " ms";
    }
}
