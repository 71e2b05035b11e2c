#!/usr/bin/python3
"""Reads the JSON lines of one bench/compare run and prints the side-by-side table.

Usage: compare_table.py DIR   (DIR holds round-N-IMPL.jsonl files and round-N-sgemm.jsonl)
Ratios are per round (lstm4j median / peer median of the same round), then summarised across rounds as
median [min-max]. Tokens/s for every workload (stream: 1 token per step, so it is steps/s).
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
        for line in open(path):
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
        heap_args = [a for a in own[0].get("jvm_args", []) if a.startswith(("-Xmx", "-XX:+Use"))]
        lines.append("  (%d round(s), %d warm-up + %d steps per process; lstm4j JVM %s, %s; peak RSS = VmHWM of the"
                     " whole process; speed during it: lstm4j %.2f, PyTorch %.2f steps/s)"
                     % (len(pairs), own[0]["warmup_steps"], own[0]["steps"], " ".join(heap_args) or "default heap",
                        own[0].get("gc", "?"), med(own, "steps_per_s"), med(peer, "steps_per_s")))
    return lines, misses


def main(directory):
    results, sgemm, memory = load(directory)
    rounds = sorted({k[0] for k in results} | {k[0] for k in memory})
    if sgemm:
        g = [s["gflops"]["median"] for s in sgemm]
        s0 = sgemm[0]
        print("ceiling: sgemm 1024^3 (torch.mm float32, %s intra-op thread(s), OPENBLAS_NUM_THREADS=%s): "
              "%s GFLOP/s median [%s-%s] over %d round(s)" % (s0["threads"], s0.get("openblas_threads"),
                                                            fmt(median(g)), fmt(min(g)), fmt(max(g)), len(g)))
    print("rounds: %d; figures are medians across rounds of each round's median; ratios lstm4j/peer per round,"
          " median [min-max]" % len(rounds))
    print()
    head = "%-12s %-5s %11s %8s %11s %8s %11s %9s" % ("workload", "mode", "lstm4j tok/s", "GFLOP/s",
                                                     "PyTorch", "GFLOP/s", "ORT tok/s", "GFLOP/s")
    head += "  %-31s %-31s" % ("lstm4j/PyTorch (target)", "lstm4j/ORT (target)")
    print(head)
    print("-" * len(head))
    misses = 0
    for w in ORDER:
        own = [results[(r, "lstm4j", w)] for r in rounds if (r, "lstm4j", w) in results]
        if not own:
            continue
        row = "%-12s %-5s %11s %8s" % (w, own[0]["mode"], fmt(median([o["tokens_per_s"]["median"] for o in own])),
                                       fmt(median([o["gflops"]["median"] for o in own])))
        ratio_cells = []
        for impl, label in PEERS:
            peer = [results[(r, impl, w)] for r in rounds if (r, impl, w) in results]
            row += " %11s %8s" % ((fmt(median([p["tokens_per_s"]["median"] for p in peer])),
                                   fmt(median([p["gflops"]["median"] for p in peer]))) if peer else ("-", "-"))
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
