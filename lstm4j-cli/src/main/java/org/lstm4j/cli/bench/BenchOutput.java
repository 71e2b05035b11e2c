package org.lstm4j.cli.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints {@link BenchResult}s: an aligned text table, or one JSON object per line (the format the PyTorch
 * and ONNX Runtime runners print too, which {@code bench/compare} reads).
 */
public final class BenchOutput {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROW = "%-12s %-5s %8s %24s %24s %20s %26s %14s %12s%n";

    private BenchOutput() {}

    /** The column titles of the text table. */
    public static void printHeader(PrintWriter out) {
        out.printf(Locale.ROOT, ROW, "workload", "mode", "B x T", "steps/s med [min-max]", "tokens/s med [min-max]",
                "GFLOP/s med [min-max]", "us/step med [min-max]", "alloc/step", "alloc/token");
    }

    /** One table row. */
    public static void printRow(PrintWriter out, BenchResult r) {
        WorkloadSpec s = r.spec();
        out.printf(Locale.ROOT, ROW, s.name(), s.mode(), s.batch() + "x" + s.seq(), range(r.stepsPerSecond()),
                range(r.tokensPerSecond()), range(r.gflops()), range(r.microsPerStep()), bytes(r.allocBytesPerStep()),
                s.mode() == Mode.TRAIN ? bytes(r.allocBytesPerToken()) : "-");
        out.flush();
    }

    /** The JSON object of one result, on one line. */
    public static String json(BenchResult r) {
        WorkloadSpec s = r.spec();
        ObjectNode node = JSON.createObjectNode();
        node.put("workload", s.name());
        node.put("impl", "lstm4j");
        node.put("mode", s.mode().toString());
        node.put("threads", r.threads());
        node.put("batch", s.batch());
        node.put("seq", s.seq());
        node.put("flops_per_step", FlopCount.perStep(s));
        putSummary(node, "steps_per_s", r.stepsPerSecond());
        putSummary(node, "tokens_per_s", r.tokensPerSecond());
        putSummary(node, "gflops", r.gflops());
        putSummary(node, "us_per_step", r.microsPerStep());
        if (r.allocBytesPerStep() >= 0) {
            node.put("alloc_bytes_per_step", Math.round(r.allocBytesPerStep()));
            node.put("alloc_bytes_per_token", Math.round(r.allocBytesPerToken()));
        } else {
            node.putNull("alloc_bytes_per_step");
            node.putNull("alloc_bytes_per_token");
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write benchmark JSON", e); // plain numbers and strings: never
        }
    }

    private static void putSummary(ObjectNode parent, String name, Summary s) {
        ObjectNode node = parent.putObject(name);
        node.put("min", s.min());
        node.put("median", s.median());
        node.put("max", s.max());
    }

    private static String range(Summary s) {
        return num(s.median()) + " [" + num(s.min()) + "-" + num(s.max()) + "]";
    }

    /** Three significant digits, without scientific notation for the usual magnitudes. */
    static String num(double x) {
        if (x >= 100) {
            return String.format(Locale.ROOT, "%.0f", x);
        }
        if (x >= 10) {
            return String.format(Locale.ROOT, "%.1f", x);
        }
        return String.format(Locale.ROOT, "%.2f", x);
    }

    private static String bytes(double b) {
        if (b < 0) {
            return "n/a";
        }
        if (b >= 1 << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (1 << 20));
        }
        if (b >= 1 << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", b / (1 << 10));
        }
        return String.format(Locale.ROOT, "%.0f B", b);
    }
}
