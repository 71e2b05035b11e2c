package org.lstm4j.cli.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;
import org.lstm4j.workloads.BenchResult;
import org.lstm4j.workloads.FlopCount;
import org.lstm4j.workloads.MemoryMeter;
import org.lstm4j.workloads.MemoryRun;
import org.lstm4j.workloads.Mode;
import org.lstm4j.workloads.Summary;
import org.lstm4j.workloads.WorkloadSpec;

/**
 * Prints {@link BenchResult}s: an aligned text table, or one JSON object per line (the format the PyTorch
 * and ONNX Runtime runners print too, which {@code bench/compare} reads).
 */
public final class BenchOutput {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROW = "%-12s %-5s %8s %24s %24s %20s %7s %26s %14s %12s%n";

    private BenchOutput() {}

    /** The column titles of the text table. */
    public static void printHeader(PrintWriter out) {
        out.printf(Locale.ROOT, ROW, "workload", "mode", "B x T", "steps/s med [min-max]", "tokens/s med [min-max]",
                "GFLOP/s med [min-max]", "% roof", "us/step med [min-max]", "alloc/step", "alloc/token");
    }

    /** One table row; {@code % roof} is the median GFLOP/s over the machine's FMA roof. */
    public static void printRow(PrintWriter out, BenchResult r, BenchMachine machine) {
        WorkloadSpec s = r.spec();
        double fraction = machine.roofFraction(r.gflops().median());
        out.printf(Locale.ROOT, ROW, s.name(), s.mode(), s.batch() + "x" + s.seq(), range(r.stepsPerSecond()),
                range(r.tokensPerSecond()), range(r.gflops()), Double.isNaN(fraction) ? "-" : percent(fraction),
                range(r.microsPerStep()), bytes(r.allocBytesPerStep()),
                s.mode() == Mode.TRAIN ? bytes(r.allocBytesPerToken()) : "-");
        out.flush();
    }

    /** The fields that identify a workload run, first in every JSON line (the same on every side of a comparison). */
    private static ObjectNode identity(WorkloadSpec s, int threads) {
        ObjectNode node = JSON.createObjectNode();
        node.put("workload", s.name());
        node.put("impl", "lstm4j");
        node.put("mode", s.mode().toString());
        node.put("threads", threads);
        node.put("batch", s.batch());
        node.put("seq", s.seq());
        return node;
    }

    /**
     * The JSON object of one result, on one line; the machine's fields ({@code cpu_model}, {@code java_version}, {@code vector_bits},
     * {@code vector_bits_forced}, {@code vector_width_source}, {@code fma_roof_gflops} (the fastest run), {@code fma_roof_median_gflops},
     * {@code fma_roof_threads})
     * and {@code roof_fraction} (median GFLOP/s over the roof) come last, null where the roof was not measured.
     */
    public static String json(BenchResult r, BenchMachine machine) {
        WorkloadSpec s = r.spec();
        ObjectNode node = identity(s, r.threads());
        node.put("flops_per_step", FlopCount.perStep(s));
        putSummary(node, "steps_per_s", r.stepsPerSecond());
        putSummary(node, "tokens_per_s", r.tokensPerSecond());
        putSummary(node, "gflops", r.gflops());
        putSummary(node, "us_per_step", r.microsPerStep());
        if (r.allocBytesPerStep() >= 0) {
            node.put("alloc_bytes_per_step", Math.round(r.allocBytesPerStep()));
            node.put("alloc_bytes_per_token", Math.round(r.allocBytesPerToken()));
            node.put("alloc_bytes_per_step_least_rep", Math.round(r.leastAllocBytesPerStep()));
        } else {
            node.putNull("alloc_bytes_per_step");
            node.putNull("alloc_bytes_per_token");
            node.putNull("alloc_bytes_per_step_least_rep");
        }
        node.put("cpu_model", machine.cpuModel());
        node.put("java_version", machine.java());
        node.put("vector_bits", machine.width().bits());
        node.put("vector_bits_forced", machine.width().forced());
        node.put("vector_width_source", machine.width().source());
        if (machine.roof() != null) {
            node.put("fma_roof_gflops", machine.roof().roofGflops());
            node.put("fma_roof_median_gflops", machine.roof().gflops().median());
            node.put("fma_roof_threads", machine.roof().threads());
            node.put("roof_fraction", machine.roofFraction(r.gflops().median()));
        } else {
            node.putNull("fma_roof_gflops");
            node.putNull("fma_roof_median_gflops");
            node.putNull("fma_roof_threads");
            node.putNull("roof_fraction");
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write benchmark JSON", e); // plain numbers and strings: never
        }
    }

    /**
     * The JSON object of a {@code --memory} run, on one line: the workload's identity fields, then a
     * {@code memory} object (bytes; {@code null} where the figure is unknown).
     */
    public static String memoryJson(MemoryRun r) {
        ObjectNode node = identity(r.spec(), r.threads());
        ObjectNode m = node.putObject("memory");
        m.put("warmup_steps", r.warmupSteps());
        m.put("steps", r.steps());
        m.put("steps_per_s", r.stepsPerSecond());
        putSeconds(m, "cpu_s_per_step", r.cpuSecondsPerStep());
        putSeconds(m, "gc_cpu_s_per_step", r.gcCpuSecondsPerStep());
        putBytes(m, "peak_rss_bytes", r.peakRss());
        putBytes(m, "baseline_rss_bytes", r.baselineRss());
        putBytes(m, "over_baseline_bytes", r.overBaseline());
        MemoryMeter.HeapFigures h = r.heap();
        putBytes(m, "heap_peak_used_bytes", h.peakUsed());
        putBytes(m, "heap_live_max_bytes", h.peakLive());
        putBytes(m, "heap_max_bytes", h.max());
        m.put("gc_count", h.collections());
        m.put("gc_ms", h.gcMillis());
        m.put("gc", h.collectors());
        var args = m.putArray("jvm_args");
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().forEach(args::add);
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write benchmark JSON", e);
        }
    }

    /** The text line of a {@code --memory} run. */
    public static void printMemory(PrintWriter out, MemoryRun r) {
        MemoryMeter.HeapFigures h = r.heap();
        out.printf(Locale.ROOT, "%s %s %dx%d, %d threads, %d warm-up + %d steps (%s steps/s, %s CPU s/step of which GC threads %s): peak RSS %s"
                        + " (baseline %s, over baseline %s); heap peak used %s, peak live %s, max %s (%s); %d GCs, %d ms%n",
                r.spec().name(), r.spec().mode(), r.spec().batch(), r.spec().seq(), r.threads(), r.warmupSteps(),
                r.steps(), num(r.stepsPerSecond()), num(r.cpuSecondsPerStep()), num(r.gcCpuSecondsPerStep()), bytes(r.peakRss()), bytes(r.baselineRss()), bytes(r.overBaseline()),
                bytes(h.peakUsed()), bytes(h.peakLive()), bytes(h.max()), h.collectors(), h.collections(), h.gcMillis());
        out.flush();
    }

    private static void putSeconds(ObjectNode node, String name, double seconds) {
        if (seconds >= 0) {
            node.put(name, seconds);
        } else {
            node.putNull(name);
        }
    }

    private static void putBytes(ObjectNode node, String name, long bytes) {
        if (bytes >= 0) {
            node.put(name, bytes);
        } else {
            node.putNull(name);
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

    /**
     * A fraction as a percentage: {@code 0.534} is {@code 53%}, {@code 0.025} {@code 2.5%}, {@code 0.00046}
     * {@code 0.05%}, anything below 0.005% {@code <0.01%} (latency-bound workloads use a tiny part of the roof).
     */
    static String percent(double fraction) {
        double p = fraction * 100;
        if (p < 0.005) {
            return "<0.01%";
        }
        return String.format(Locale.ROOT, p >= 10 ? "%.0f%%" : p >= 1 ? "%.1f%%" : "%.2f%%", p);
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
