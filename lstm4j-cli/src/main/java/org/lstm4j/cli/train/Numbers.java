package org.lstm4j.cli.train;

import java.util.Locale;

/** Number formatting for messages. */
public final class Numbers {
    private Numbers() {}

    /** Compact {@code %g}-style number as Python prints it: {@code 0.02}, {@code 1e+06}, {@code NaN}. */
    public static String compact(double x) {
        if (!Double.isFinite(x)) {
            return Double.isNaN(x) ? "NaN" : (x > 0 ? "Inf" : "-Inf");
        }
        String s = String.format(Locale.ROOT, "%.6g", x);
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e);
        String exponent = e < 0 ? "" : s.substring(e);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return mantissa + exponent;
    }
}
