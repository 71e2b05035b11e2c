package org.lstm4j.workloads;

import java.util.Arrays;

/**
 * Minimum, median and maximum of repeated measurements.
 *
 * @param min    smallest value
 * @param median middle value (mean of the two middle ones for an even count)
 * @param max    largest value
 */
public record Summary(double min, double median, double max) {
    /** Summarises at least one value. */
    public static Summary of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to summarise");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Summary(sorted[0], median, sorted[n - 1]);
    }

    /** Every statistic times {@code factor} (a positive factor keeps min ≤ median ≤ max). */
    public Summary scaled(double factor) {
        return new Summary(min * factor, median * factor, max * factor);
    }

    /** {@code numerator / x} of each statistic: min and max swap (rates to times). */
    public Summary reciprocal(double numerator) {
        return new Summary(numerator / max, numerator / median, numerator / min);
    }
}
