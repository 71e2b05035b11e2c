#!/usr/bin/python3
"""PyTorch side of the lstm4j benchmarks: the workloads of `lstm4j bench`, same shapes, same output.

Usage:
  /usr/bin/python3 bench/pytorch_bench.py [--workload NAME|all] [--threads N] [--json] [--quick]
                                          [--warmup S] [--repeat N] [--rep-time S]
  /usr/bin/python3 bench/pytorch_bench.py --export-onnx DIR   # writes infer-large.onnx and stream.onnx
  /usr/bin/python3 bench/pytorch_bench.py --sgemm [--json]    # torch.mm GFLOP/s at 1024^3 (the ceiling)
  /usr/bin/python3 bench/pytorch_bench.py --memory --workload charlm [--json] [--steps N] [--warmup-steps N]
      # peak memory of a fixed number of steps: run it in a fresh process, one workload

--threads sets torch.set_num_threads (intra-op); the BLAS threads come from the environment
(OPENBLAS_NUM_THREADS). On a 2-core machine the fastest setting is 1 intra-op thread with 2 OpenBLAS threads
(see bench/README.md). The JSON lines carry the same fields as lstm4j's (alloc figures are null here).
"""
import argparse
import json
import math
import os
import resource
import sys
import time
import warnings

import torch
import torch.nn as nn

# name: (mode, cell, input, hidden, layers, bidirectional, batch, seq, head, head_out, loss)
WORKLOADS = {
    "charlm": ("train", "lstm", 65, 256, 2, False, 64, 100, "every", 65, "ce"),
    "rows": ("train", "lstm", 28, 128, 2, False, 100, 28, "last", 10, "ce"),
    "rows-gru": ("train", "gru", 28, 128, 2, False, 100, 28, "last", 10, "ce"),
    "rows-bi": ("train", "lstm", 28, 128, 2, True, 100, 28, "last", 10, "ce"),
    "sine": ("train", "lstm", 1, 32, 1, False, 1, 20, "every", 1, "mse"),
    "infer-large": ("infer", "lstm", 256, 512, 1, False, 32, 200, "none", 0, "none"),
    "stream": ("infer", "lstm", 65, 256, 2, False, 1, 1, "none", 0, "none"),
}
SEED = 0
LEARNING_RATE = 1e-3
PLANS = {"default": (3.0, 5, 1.0), "quick": (0.5, 3, 0.2)}
MIN_WARMUP_STEPS = 2


def flops_per_step(name):
    """Matrix-product flops, the formula of lstm4j's FlopCount: 2*G*H*(I+H)*B*T per layer and direction,
    plus 2*(H*D)*out*rows for the head; x3 for a training step."""
    mode, cell, inp, hid, layers, bi, b, t, head, out, _ = WORKLOADS[name]
    gates = {"lstm": 4, "gru": 3, "rnn": 1}[cell]
    d = 2 if bi else 1
    total = 0
    for layer in range(layers):
        i = inp if layer == 0 else hid * d
        total += 2 * gates * hid * (i + hid) * b * t * d
    rows = b * t if head == "every" else b if head == "last" else 0
    total += 2 * hid * d * out * rows
    return 3 * total if mode == "train" else total


def recurrent(name):
    _, cell, inp, hid, layers, bi, *_ = WORKLOADS[name]
    cls = nn.LSTM if cell == "lstm" else nn.GRU
    return cls(inp, hid, num_layers=layers, bidirectional=bi, batch_first=True)


def make_step(name):
    """The workload's step as a no-argument function (model, data, optimizer built once, seeded)."""
    mode, cell, inp, hid, layers, bi, b, t, head, out, loss_kind = WORKLOADS[name]
    torch.manual_seed(SEED)
    rnn = recurrent(name)
    gen = torch.Generator().manual_seed(SEED + 1)
    if mode == "infer":
        rnn.eval()
        if t == 1:  # stream: one time step per call, the state fed back
            x = torch.rand(b, 1, inp, generator=gen) * 2 - 1
            state = [(torch.zeros(layers, b, hid), torch.zeros(layers, b, hid))]

            def stream_step():
                with torch.no_grad():
                    _, state[0] = rnn(x, state[0])
            return stream_step
        x = torch.rand(b, t, inp, generator=gen) * 2 - 1

        def infer_step():
            with torch.no_grad():
                rnn(x)
        return infer_step

    width = hid * (2 if bi else 1)
    linear = nn.Linear(width, out)
    opt = torch.optim.Adam(list(rnn.parameters()) + list(linear.parameters()), lr=LEARNING_RATE)
    if loss_kind == "mse":  # sine: sin(t) in, cos(t) out, state carried (detached)
        tt = torch.arange(b * t, dtype=torch.float64) * math.pi / t
        x = torch.sin(tt).float().reshape(b, t, inp)
        y = torch.cos(tt).float().reshape(b, t, out)
        mse = nn.MSELoss()
        state = [None]

        def sine_step():
            output, (h, c) = rnn(x, state[0])
            loss = mse(linear(output), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            state[0] = (h.detach(), c.detach())
        return sine_step

    every = head == "every"
    if every:  # one-hot tokens
        ids = torch.randint(0, inp, (b, t), generator=gen)
        x = torch.nn.functional.one_hot(ids, inp).float()
    else:
        x = torch.rand(b, t, inp, generator=gen) * 2 - 1
    target = torch.randint(0, out, (b * t if every else b,), generator=gen)
    ce = nn.CrossEntropyLoss()

    def train_step():
        output, _ = rnn(x)
        features = output.reshape(b * t, width) if every else output[:, -1]
        loss = ce(linear(features), target)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return train_step


def measure(step, warmup, reps, rep_time):
    """Per-repetition steps/s, the TimingLoop of lstm4j: warm-up, batch sized from the last warm-up step."""
    start = 0.0  # the warm-up clock starts after the first step, as in TimingLoop
    done = 0
    last = 0.0
    while done < MIN_WARMUP_STEPS or time.perf_counter() - start < warmup:
        t0 = time.perf_counter()
        step()
        t1 = time.perf_counter()
        last = t1 - t0
        if done == 0:
            start = t1
        done += 1
    per_rep = max(1, round(rep_time / max(last, 1e-9)))
    rates = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(per_rep):
            step()
        rates.append(per_rep / (time.perf_counter() - t0))
    return rates


def summary(values):
    v = sorted(values)
    n = len(v)
    med = v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
    return {"min": v[0], "median": med, "max": v[-1]}


def scaled(s, f):
    return {k: x * f for k, x in s.items()}


def result(name, impl, threads, rates):
    mode, *_, b, t, _h, _o, _l = WORKLOADS[name]
    steps = summary(rates)
    return {
        "workload": name, "impl": impl, "mode": mode, "threads": threads, "batch": b, "seq": t,
        "flops_per_step": flops_per_step(name),
        "steps_per_s": steps,
        "tokens_per_s": scaled(steps, b * t),
        "gflops": scaled(steps, flops_per_step(name) / 1e9),
        "us_per_step": {"min": 1e6 / steps["max"], "median": 1e6 / steps["median"], "max": 1e6 / steps["min"]},
        "alloc_bytes_per_step": None, "alloc_bytes_per_token": None,
    }


def print_result(r, as_json):
    if as_json:
        print(json.dumps(r), flush=True)
        return
    def rng(s):
        return "%.3g [%.3g-%.3g]" % (s["median"], s["min"], s["max"])
    print("%-12s %-5s %4dx%-4d steps/s %-24s tokens/s %-26s GFLOP/s %-20s us/step %s" % (
        r["workload"], r["mode"], r["batch"], r["seq"], rng(r["steps_per_s"]), rng(r["tokens_per_s"]),
        rng(r["gflops"]), rng(r["us_per_step"])), flush=True)


def sgemm(reps, as_json, n=1024):
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    for _ in range(2):
        torch.mm(a, b)
    rates = []
    for _ in range(reps):
        t0 = time.perf_counter()
        calls = 0
        while True:
            torch.mm(a, b)
            calls += 1
            if time.perf_counter() - t0 > 0.2:
                break
        rates.append(2 * n ** 3 * calls / (time.perf_counter() - t0) / 1e9)
    s = summary(rates)
    if as_json:
        print(json.dumps({"sgemm": n, "threads": torch.get_num_threads(),
                          "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS"), "gflops": s}), flush=True)
    else:
        print("sgemm %d^3 torch.mm: %.1f GFLOP/s [%.1f-%.1f]" % (n, s["median"], s["min"], s["max"]))


def export_onnx(directory):
    """infer-large.onnx: x (32, 200, 256) -> y; stream.onnx: (x, h, c) -> (y, h', c') for one time step."""
    os.makedirs(directory, exist_ok=True)
    warnings.filterwarnings("ignore")  # torch 1.13 warns about LSTM batch sizes and constant shapes
    torch.manual_seed(SEED)
    large = recurrent("infer-large").eval()

    class Sequence(nn.Module):
        def __init__(self, rnn):
            super().__init__()
            self.rnn = rnn

        def forward(self, x):
            return self.rnn(x)[0]

    class Stream(nn.Module):
        def __init__(self, rnn):
            super().__init__()
            self.rnn = rnn

        def forward(self, x, h, c):
            y, (h1, c1) = self.rnn(x, (h, c))
            return y, h1, c1

    _, _, inp, hid, layers, _, b, t, *_ = WORKLOADS["infer-large"]
    with torch.no_grad():
        torch.onnx.export(Sequence(large), (torch.zeros(b, t, inp),), os.path.join(directory, "infer-large.onnx"),
                          input_names=["x"], output_names=["y"], opset_version=14)
        torch.manual_seed(SEED)
        stream = recurrent("stream").eval()
        _, _, inp, hid, layers, _, b, t, *_ = WORKLOADS["stream"]
        zeros = torch.zeros(layers, b, hid)
        torch.onnx.export(Stream(stream), (torch.zeros(b, 1, inp), zeros, zeros), os.path.join(directory, "stream.onnx"),
                          input_names=["x", "h", "c"], output_names=["y", "h_out", "c_out"], opset_version=14)


def proc_status_bytes(field):
    """A kB field of /proc/self/status (VmRSS: resident now, VmHWM: peak resident) in bytes, or None."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def memory_run(name, threads, warmup_steps, steps):
    """The memory figures of lstm4j bench --memory: the baseline is the resident set after import torch and
    building the model, data and optimizer; the peak is the process's VmHWM after the last step (and
    getrusage's ru_maxrss, the same figure from the kernel's accounting, in kB on Linux)."""
    mode, *_, b, t, _h, _o, _l = WORKLOADS[name]
    step = make_step(name)
    baseline = proc_status_bytes("VmRSS")
    for _ in range(warmup_steps):
        step()
    t0, cpu0 = time.perf_counter(), time.process_time()
    for _ in range(steps):
        step()
    rate = steps / (time.perf_counter() - t0)
    cpu_per_step = (time.process_time() - cpu0) / steps  # all threads of the process (OpenBLAS's included)
    peak = proc_status_bytes("VmHWM")
    return {
        "workload": name, "impl": "pytorch", "mode": mode, "threads": threads, "batch": b, "seq": t,
        "memory": {
            "warmup_steps": warmup_steps, "steps": steps, "steps_per_s": rate, "cpu_s_per_step": cpu_per_step,
            "peak_rss_bytes": peak, "baseline_rss_bytes": baseline,
            "over_baseline_bytes": peak - baseline if peak is not None and baseline is not None else None,
            "ru_maxrss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            "torch": torch.__version__, "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
        },
    }


def print_memory(r, as_json):
    if as_json:
        print(json.dumps(r), flush=True)
        return
    m = r["memory"]
    mib = lambda x: "n/a" if x is None else "%.1f MiB" % (x / 2**20)
    print("%s %s %dx%d, %d threads, %d warm-up + %d steps (%.2f steps/s, %.2f CPU s/step): peak RSS %s (baseline %s, over "
          "baseline %s); ru_maxrss %s" % (r["workload"], r["mode"], r["batch"], r["seq"], r["threads"],
                                         m["warmup_steps"], m["steps"], m["steps_per_s"], m["cpu_s_per_step"], mib(m["peak_rss_bytes"]),
                                         mib(m["baseline_rss_bytes"]), mib(m["over_baseline_bytes"]),
                                         mib(m["ru_maxrss_bytes"])), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--workload", default="all")
    p.add_argument("--threads", type=int, default=1, help="torch intra-op threads (default 1, the fastest here)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--warmup", type=float)
    p.add_argument("--repeat", type=int)
    p.add_argument("--rep-time", type=float)
    p.add_argument("--export-onnx", metavar="DIR")
    p.add_argument("--sgemm", action="store_true", help="print torch.mm GFLOP/s at 1024^3 and exit")
    p.add_argument("--memory", action="store_true",
                   help="measure the peak resident set of one workload (--steps after --warmup-steps) instead of speed")
    p.add_argument("--steps", type=int, help="--memory: measured steps (default 20; --quick 3)")
    p.add_argument("--warmup-steps", type=int, help="--memory: steps before measuring (default 5; --quick 2)")
    args = p.parse_args()

    if args.threads < 1:
        p.error("--threads must be at least 1, was %d" % args.threads)
    torch.set_num_threads(args.threads)
    if args.export_onnx:
        export_onnx(args.export_onnx)
        return 0
    warmup, reps, rep_time = PLANS["quick" if args.quick else "default"]
    warmup = args.warmup if args.warmup is not None else warmup
    reps = args.repeat if args.repeat is not None else reps
    rep_time = args.rep_time if args.rep_time is not None else rep_time
    if args.sgemm:
        sgemm(reps, args.json)
        return 0
    names = list(WORKLOADS) if args.workload == "all" else [args.workload]
    for name in names:
        if name not in WORKLOADS:
            p.error("unknown workload '%s': expected one of %s or all" % (name, ", ".join(WORKLOADS)))
    if args.memory:
        if len(names) != 1:
            p.error("--memory measures one workload per process, not all")
        steps = args.steps if args.steps is not None else 3 if args.quick else 20
        warmup_steps = args.warmup_steps if args.warmup_steps is not None else 2 if args.quick else 5
        if steps < 1 or warmup_steps < 0:
            p.error("--steps must be at least 1 and --warmup-steps at least 0")
        print_memory(memory_run(names[0], args.threads, warmup_steps, steps), args.json)
        return 0
    for name in names:
        rates = measure(make_step(name), warmup, reps, rep_time)
        print_result(result(name, "pytorch", args.threads, rates), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
