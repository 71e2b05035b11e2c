#!/usr/bin/python3
"""Reads the JSON lines of one bench/compare run and prints the side-by-side table.

Usage: compare_table.py DIR   (DIR holds round-N-IMPL.jsonl files and round-N-sgemm.jsonl, and optionally
lstm4j-java-opts.txt: the LSTM4J_JAVA_OPTS of the lstm4j JVMs)
Ratios are per round (lstm4j median / peer median of the same round), then summarised across rounds as
median [min-max]. Tokens/s for every workload (stream: 1 token per step, so it is steps/s).
The machine line gives the CPU, the vector width lstm4j ran at and the FMA roof its JVM measured at that
width (the fastest run over the rounds); every side's GFLOP/s is also given as a fraction of that one roof.
"""
import glob
import json
import os
import re
import sys

ORDER = ["charlm", "rows", "rows-gru", "rows-bi", "sine", "infer-large", "stream"]
# (workload, peer) -> minimum lstm4j/peer ratio (benchmark targets, not tests)
TARGETS = {
    ("charlm", "pytorch"): 1.5, ("rows", "pytorch"): 1.5, ("rows-gru", "pytorch"): 1.5,
    ("rows-bi", "pytorch"): 1.5, ("sine", "pytorch"): 10.0, ("stream", "pytorch"): 10.0,
    ("infer-large", "onnxruntime"): 1.0, ("stream", "onnxruntime"): 1.5,
}
PEERS = [("pytorch", "PyTorch"), ("onnxruntime", "ORT")]


def median(v):
    v = sorted(v)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def fmt(x):
    if x >= 1000:
        return "%.0f" % x
    if x >= 100:
        return "%.0f" % x
    if x >= 10:
        return "%.1f" % x
    return "%.2f" % x


# workload -> maximum lstm4j/PyTorch ratio of the peak resident set of a --memory run (lower is better)
MEMORY_TARGETS = {"charlm": 1.0}


def load(directory):
    """{(round, impl, workload): record}, the sgemm figures per round, and the --memory records
    {(round, impl, workload): record}."""
    results, sgemm, memory = {}, [], {}
    for path in sorted(glob.glob(os.path.join(directory, "round-*.jsonl"))):
        m = re.match(r"round-(\d+)-(.+)\.jsonl", os.path.basename(path))
        rnd = int(m.group(1))
        with open(path) as f:
            lines = f.read().splitlines()
        for line in lines:
            line = line.strip()
            if not line.startswith("{"):
                continue
            r = json.loads(line)
            if "sgemm" in r:
                sgemm.append(r)
            elif "memory" in r:
                memory[(rnd, r["impl"], r["workload"])] = r
            else:
                results[(rnd, r["impl"], r["workload"])] = r
    return results, sgemm, memory


def roof_gflops(results):
    """The FMA roof of the lstm4j JVMs: the fastest run over all rounds (other load only slows a run), or None."""
    roofs = [r["fma_roof_gflops"] for (_, impl, _), r in results.items()
             if impl == "lstm4j" and r.get("fma_roof_gflops") is not None]
    return max(roofs) if roofs else None


def percent_of_roof(gflops, roof):
    """gflops as a percentage of the roof ("53%", "2.5%", "0.05%", "<0.01%"), or "-" without a roof."""
    if roof is None or gflops is None:
        return "-"
    p = 100.0 * gflops / roof
    if p < 0.005:
        return "<0.01%"
    return "%.0f%%" % p if p >= 10 else "%.1f%%" % p if p >= 1 else "%.2f%%" % p


def machine_line(results, java_opts):
    """CPU model, lstm4j's vector width and what chose it, its Java release and JVM options, and the roof; None
    without lstm4j."""
    own = [r for (_, impl, _), r in sorted(results.items()) if impl == "lstm4j"]
    if not own:
        return None
    first = own[0]
    cpu = first.get("cpu_model") or "unknown CPU"
    bits = first.get("vector_bits")
    width = "%s-bit vectors (%s)" % (bits, first.get("vector_width_source", "?")) if bits else \
        first.get("vector_width_source", "vector width unknown")
    opts = "LSTM4J_JAVA_OPTS=%s" % java_opts if java_opts else "no LSTM4J_JAVA_OPTS"
    roof = roof_gflops(results)
    if roof is None:
        roof_text = "FMA roof not measured"
    else:
        roof_text = ("FMA roof %s GFLOP/s on %s threads: the lstm4j JVM's vector FMA peak at this width, fastest"
                     " run over the rounds; roof%% of every side is its GFLOP/s over this one roof"
                     % (fmt(roof), first.get("fma_roof_threads", "?")))
    java = "Java %s, " % first["java_version"] if first.get("java_version") else ""
    return "machine: %s; lstm4j at %s, %s%s; %s" % (cpu, width, java, opts, roof_text)


def read_java_opts(directory):
    """The LSTM4J_JAVA_OPTS bench/compare ran the lstm4j JVMs with (lstm4j-java-opts.txt), or ""."""
    try:
        with open(os.path.join(directory, "lstm4j-java-opts.txt")) as f:
            return f.read().strip()
    except OSError:
        return ""


def mib(x):
    return "%.0f MiB" % (x / 2**20)


def memory_lines(memory):
    """One line per workload measured with --memory; returns the lines and the targets missed."""
    lines, misses = [], 0
    for w in ORDER:
        rounds = sorted({k[0] for k in memory if k[2] == w})
        pairs = [(memory[(r, "lstm4j", w)]["memory"], memory[(r, "pytorch", w)]["memory"]) for r in rounds
                 if (r, "lstm4j", w) in memory and (r, "pytorch", w) in memory]
        if not pairs:
            continue
        own = [p[0] for p in pairs]
        peer = [p[1] for p in pairs]
        ratios = [o["peak_rss_bytes"] / q["peak_rss_bytes"] for o, q in pairs]
        over = [o["over_baseline_bytes"] / q["over_baseline_bytes"] for o, q in pairs]
        med = lambda recs, key: median([x[key] for x in recs])
        line = ("peak memory %s: lstm4j %s (heap %s, live %s, over baseline %s), PyTorch %s (over baseline %s);"
                " ratio %s [%s-%s]" % (w, mib(med(own, "peak_rss_bytes")), mib(med(own, "heap_peak_used_bytes")),
                                       mib(med(own, "heap_live_max_bytes")), mib(med(own, "over_baseline_bytes")),
                                       mib(med(peer, "peak_rss_bytes")), mib(med(peer, "over_baseline_bytes")),
                                       "%.2f" % median(ratios), "%.2f" % min(ratios), "%.2f" % max(ratios)))
        target = MEMORY_TARGETS.get(w)
        if target is not None:
            met = median(ratios) <= target
            misses += 0 if met else 1
            line += ", target <= %g %s" % (target, "ok" if met else "MISS")
        line += "; over-baseline ratio %.2f" % median(over)
        lines.append(line)
        # The heap limit and the collector (not every -XX:+Use... option: -XX:+UseCountedLoopSafepoints is no GC).
        heap_args = [a for a in own[0].get("jvm_args", [])
                     if a.startswith("-Xmx") or (a.startswith("-XX:+Use") and a.endswith("GC"))]
        lines.append("  (%d round(s), %d warm-up + %d steps per process; lstm4j JVM %s, %s; peak RSS = VmHWM of the"
                     " whole process; speed during it: lstm4j %.2f, PyTorch %.2f steps/s)"
                     % (len(pairs), own[0]["warmup_steps"], own[0]["steps"], " ".join(heap_args) or "default heap",
                        own[0].get("gc", "?"), med(own, "steps_per_s"), med(peer, "steps_per_s")))
    return lines, misses


def main(directory):
    results, sgemm, memory = load(directory)
    rounds = sorted({k[0] for k in results} | {k[0] for k in memory})
    roof = roof_gflops(results)
    machine = machine_line(results, read_java_opts(directory))
    if machine:
        print(machine)
    if sgemm:
        g = [s["gflops"]["median"] for s in sgemm]
        s0 = sgemm[0]
        print("ceiling: sgemm 1024^3 (torch.mm float32, %s intra-op thread(s), OPENBLAS_NUM_THREADS=%s): "
              "%s GFLOP/s median [%s-%s] over %d round(s), %s of the roof"
              % (s0["threads"], s0.get("openblas_threads"), fmt(median(g)), fmt(min(g)), fmt(max(g)), len(g),
                 percent_of_roof(median(g), roof)))
    print("rounds: %d; figures are medians across rounds of each round's median; ratios lstm4j/peer per round,"
          " median [min-max]" % len(rounds))
    print()
    head = "%-12s %-5s %11s %8s %6s %11s %8s %6s %11s %8s %6s" % (
        "workload", "mode", "lstm4j tok/s", "GFLOP/s", "roof%", "PyTorch", "GFLOP/s", "roof%", "ORT tok/s", "GFLOP/s",
        "roof%")
    head += "  %-31s %-31s" % ("lstm4j/PyTorch (target)", "lstm4j/ORT (target)")
    print(head)
    print("-" * len(head))
    misses = 0
    for w in ORDER:
        own = [results[(r, "lstm4j", w)] for r in rounds if (r, "lstm4j", w) in results]
        if not own:
            continue
        own_gflops = median([o["gflops"]["median"] for o in own])
        row = "%-12s %-5s %11s %8s %6s" % (w, own[0]["mode"], fmt(median([o["tokens_per_s"]["median"] for o in own])),
                                           fmt(own_gflops), percent_of_roof(own_gflops, roof))
        ratio_cells = []
        for impl, label in PEERS:
            peer = [results[(r, impl, w)] for r in rounds if (r, impl, w) in results]
            peer_gflops = median([p["gflops"]["median"] for p in peer]) if peer else None
            row += " %11s %8s %6s" % ((fmt(median([p["tokens_per_s"]["median"] for p in peer])), fmt(peer_gflops),
                                       percent_of_roof(peer_gflops, roof)) if peer else ("-", "-", "-"))
            ratios = [results[(r, "lstm4j", w)]["tokens_per_s"]["median"] / results[(r, impl, w)]["tokens_per_s"]["median"]
                      for r in rounds if (r, "lstm4j", w) in results and (r, impl, w) in results]
            target = TARGETS.get((w, impl))
            if not ratios:
                ratio_cells.append("-")
                continue
            cell = "%sx [%s-%s]" % (fmt(median(ratios)), fmt(min(ratios)), fmt(max(ratios)))
            if target is not None:
                met = median(ratios) >= target
                misses += 0 if met else 1
                cell += " (>=%g %s)" % (target, "ok" if met else "MISS")
            ratio_cells.append(cell)
        row += "  %-31s %s" % tuple(ratio_cells)
        print(row)
    print()
    # Latency-bound workloads read better as time per step.
    for w in ["sine", "stream"]:
        parts = []
        for impl, label in [("lstm4j", "lstm4j")] + PEERS:
            recs = [results[(r, impl, w)] for r in rounds if (r, impl, w) in results]
            if recs:
                parts.append("%s %s us" % (label, fmt(median([x["us_per_step"]["median"] for x in recs]))))
        if parts:
            print("%-12s us/step: %s" % (w, ", ".join(parts)))
    allocs = []
    for w in ORDER:
        recs = [results[(r, "lstm4j", w)] for r in rounds if (r, "lstm4j", w) in results]
        if recs and recs[0].get("alloc_bytes_per_step") is not None:
            b = median([x["alloc_bytes_per_step"] for x in recs])
            allocs.append("%s %s" % (w, "%.1f MiB" % (b / 2**20) if b >= 2**20 else "%.1f KiB" % (b / 2**10)))
    if allocs:
        print("lstm4j allocation per step: " + ", ".join(allocs))
    lines, memory_misses = memory_lines(memory)
    for line in lines:
        print(line)
    print("targets missed: %d" % (misses + memory_misses))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
