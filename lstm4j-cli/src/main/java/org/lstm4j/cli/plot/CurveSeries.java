package org.lstm4j.cli.plot;

import java.util.List;

/**
 * One model's training curve: a legend label (e.g. "lstm") and its epochs in order.
 *
 * <p>Rejected with an {@link IllegalArgumentException}: a null or blank label, no points, a null point,
 * epochs that do not strictly increase, and an elapsed time that goes backwards.
 *
 * @param label legend label, not blank
 * @param points the epochs, at least one, epoch numbers strictly increasing (gaps allowed)
 */
public record CurveSeries(String label, List<EpochPoint> points) {
    public CurveSeries {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("series label must not be blank, was " + (label == null ? "null" : "'" + label + "'"));
        }
        if (points == null || points.isEmpty()) {
            throw new IllegalArgumentException("series '" + label + "' has no points");
        }
        for (int i = 0; i < points.size(); i++) {
            EpochPoint p = points.get(i);
            if (p == null) {
                throw new IllegalArgumentException("series '" + label + "': point " + i + " is null");
            }
            if (i > 0) {
                EpochPoint previous = points.get(i - 1);
                if (p.epoch() <= previous.epoch()) {
                    throw new IllegalArgumentException("series '" + label + "': epochs must strictly increase, but epoch "
                            + p.epoch() + " follows epoch " + previous.epoch());
                }
                if (p.elapsedSeconds() < previous.elapsedSeconds()) {
                    throw new IllegalArgumentException("series '" + label + "': elapsed time goes backwards at epoch "
                            + p.epoch() + " (" + p.elapsedSeconds() + " s after " + previous.elapsedSeconds() + " s)");
                }
            }
        }
        points = List.copyOf(points);
    }
}
