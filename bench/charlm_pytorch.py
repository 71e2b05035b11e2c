#!/usr/bin/python3
"""PyTorch side of lstm4j's character-level language model figures (Tiny Shakespeare, truncated BPTT).

It runs, on this machine, what lstm4j's char-LM run is compared with: the validation loss reached against
training steps and wall time, the training speed (tokens/s), and the per-character sampling speed of the same
model in a plain PyTorch generation loop.

Usage:
  /usr/bin/python3 bench/charlm_pytorch.py --minutes 10 --out pytorch.jsonl          # the "same" recipe
  /usr/bin/python3 bench/charlm_pytorch.py --embedding 0 --max-steps 2000            # one-hot input (seed)
  /usr/bin/python3 bench/charlm_pytorch.py --max-steps 30 --eval-every 10            # a quick check
  /usr/bin/python3 bench/charlm_pytorch.py --sample-bench CKPT [--length 2000 --rounds 5 --temperature 0.8]
  /usr/bin/python3 bench/charlm_pytorch.py --sample-bench random                     # random weights
  ... [--text PATH] [--val-frac F] [--batch B] [--seq T] [--embedding E] [--hidden H] [--layers L]
      [--cell lstm|gru|rnn] [--lr LR] [--clip NORM] [--threads N] [--seed S]
Run it with OPENBLAS_NUM_THREADS=2 on 2 cores (see --threads).

Recipe details, for the lstm4j side to match:
- Text: read as UTF-8. Vocabulary: sorted(set(text)) over the whole text's code points; a character's id is
  its position. Split by position: n_train = n - floor(n * val_frac) (int() of the validation part, i.e. the
  validation split is rounded down), train = text[:n_train], val = text[n_train:].
- TBPTT layout, applied separately to the train and to the validation ids, batch B, sequence T:
  L = (len(ids) - 1) // B ids per stream; stream s covers inputs ids[s*L : s*L+L] and targets
  ids[s*L+1 : s*L+L+1]; W = L // T windows per epoch (the rest of each stream is unused); window w (0-based)
  feeds inputs[s] = ids[s*L + w*T : s*L + w*T + T] (batch first, (B, T)) and the targets shifted by one.
  Every epoch walks the windows in order w = 0..W-1, one optimizer step each. The recurrent state is zero
  at the start of every epoch and of every validation pass, and carried, detached, from window to window.
- Model ("same" recipe): nn.Embedding(V, 64) -> nn.LSTM(64, 256, num_layers=2, batch_first=True,
  dropout=0) -> nn.Linear(256, V) on every time step; --embedding 0: one-hot input (no embedding module,
  the LSTM's input size is V; the "seed" recipe's input). Modules `embedding`, `rnn`, `fc`, so the state_dict
  names are embedding.weight, rnn.weight_ih_l0, ..., fc.weight, fc.bias. PyTorch's default initialisation
  after torch.manual_seed(S).
- Training: CrossEntropyLoss (mean over the B*T predictions), clip_grad_norm_(all parameters, 5.0), Adam
  lr 2e-3 with PyTorch's default betas and eps; B = 64, T = 100.
- Validation: one pass over all W_val windows of the validation split with the same B and T, state carried,
  model.eval() under torch.no_grad(); the figure is the mean cross-entropy over every predicted character
  (nats/char), and bits/char = nats / ln 2. It runs every --eval-every steps and once more when training
  stops (unless the last step was just evaluated).
- Stopping: after --max-steps optimizer steps, or as soon as the wall time since training start (evaluations
  included) passes --minutes (checked after every step and after every evaluation); at least one is
  required. An epoch under way is not finished.
- Timing: the clock starts after the text, model and optimizer are ready, just before the first step.
  wall_seconds includes evaluations, train_seconds excludes them; tokens_per_second = tokens trained (steps
  * B * T) / train_seconds.

--out FILE.jsonl: one JSON object per evaluation, {"step", "tokens", "wall_seconds", "train_seconds",
"train_loss" (mean of the step losses since the previous evaluation), "val_loss" (nats/char), "val_bpc",
"tokens_per_second"}. The same figures are printed, after a header with the torch version, threads, CPU
model and parameter count.

--sample-bench CKPT: the per-character sampling speed of the model in PyTorch. CKPT is an lstm4j checkpoint:
a root holding index.json ({"latest": "<version>", "best": ...}; --which picks the entry), a version
directory (model.safetensors with the PyTorch names above, and checkpoint.json whose "model" object gives
vocabulary, embeddingDim (0 = one-hot), hiddenSize, numLayers, cell: lstm | gru | rnn, the last as nn.RNN
with tanh), or a directory holding such a root named `checkpoint` (a CLI run's output). `random` builds the
model from the flags above with random weights (seed S) and the vocabulary of --text. The loop, under torch.no_grad() in eval mode: the --prime
text in one forward call; then --length times: logits of the last step / temperature -> softmax ->
torch.multinomial(probs, 1) -> the id is appended (.item()) and fed back as a (1, 1) input with the carried
state (so --length samples and --length one-step forward calls). A warm-up (priming + 200 characters), then
--rounds timed rounds; a round is timed from after its priming to its last character, and characters/s =
--length / seconds. Prints median, min and max characters/s and the threads; the first round's text goes to
stderr.

Threads: --threads N is torch.set_num_threads(N) (intra-op, default 1). The BLAS keeps its own threads
(OPENBLAS_NUM_THREADS, all cores when unset); both are printed. On 2 cores, 1 intra-op thread with
OPENBLAS_NUM_THREADS=2 is the fastest setting (bench/README.md); 2 x 2 oversubscribes the cores.
"""
import argparse
import json
import math
import os
import pathlib
import platform
import statistics
import struct
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from machine import blas_library, cpu_model

REPO_ROOT = pathlib.Path(__file__).resolve().parents[1]
DEFAULT_TEXT = "../shared/datasets/tinyshakespeare/input.txt"
CELLS = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}


def parse_args(argv=None):
    description, details = __doc__.split("\n\n", 1)
    p = argparse.ArgumentParser(description=description, epilog=details,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--text", default=DEFAULT_TEXT,
                   help="UTF-8 text; a relative path is taken from the repository root (default %(default)s)")
    p.add_argument("--val-frac", type=float, default=0.1,
                   help="validation fraction; the last floor(n * F) characters (default %(default)s)")
    p.add_argument("--batch", type=int, default=64, help="streams B (default %(default)s)")
    p.add_argument("--seq", type=int, default=100, help="TBPTT window T (default %(default)s)")
    p.add_argument("--embedding", type=int, default=64,
                   help="embedding width, 0 = one-hot input (default %(default)s)")
    p.add_argument("--hidden", type=int, default=256, help="(default %(default)s)")
    p.add_argument("--layers", type=int, default=2, help="(default %(default)s)")
    p.add_argument("--cell", choices=sorted(CELLS), default="lstm", help="(default %(default)s)")
    p.add_argument("--lr", type=float, default=2e-3, help="Adam learning rate (default %(default)s)")
    p.add_argument("--clip", type=float, default=5.0, help="max gradient norm, 0 = none (default %(default)s)")
    p.add_argument("--minutes", type=float, help="stop once the wall time since training start (evaluations "
                                                 "included) passes M minutes, then evaluate")
    p.add_argument("--max-steps", type=int, help="stop after N optimizer steps, then evaluate")
    p.add_argument("--eval-every", type=int, default=200, help="steps between evaluations (default %(default)s)")
    p.add_argument("--threads", type=int, default=1,
                   help="torch.set_num_threads (default 1: with OPENBLAS_NUM_THREADS=2 the fastest setting "
                        "on 2 cores)")
    p.add_argument("--seed", type=int, default=0, help="weights and sampling (default %(default)s)")
    p.add_argument("--out", metavar="FILE.jsonl", help="write one JSON line per evaluation")
    s = p.add_argument_group("sampling speed")
    s.add_argument("--sample-bench", metavar="CKPT|random",
                   help="measure sampling speed instead of training (see below)")
    s.add_argument("--which", choices=["latest", "best"], default="latest",
                   help="the index entry of a checkpoint root (default %(default)s)")
    s.add_argument("--prime", default="To be, or not to be", help="(default %(default)r)")
    s.add_argument("--length", type=int, default=2000, help="characters per round (default %(default)s)")
    s.add_argument("--rounds", type=int, default=5, help="timed rounds (default %(default)s)")
    s.add_argument("--warmup", type=int, default=200, help="warm-up characters (default %(default)s)")
    s.add_argument("--temperature", type=float, default=0.8, help="(default %(default)s)")
    args = p.parse_args(argv)
    for key in ("batch", "seq", "hidden", "layers", "threads", "eval_every", "length", "rounds"):
        if getattr(args, key) < 1:
            p.error(f"--{key.replace('_', '-')} must be >= 1, got {getattr(args, key)}")
    if args.embedding < 0 or args.warmup < 0:
        p.error("--embedding and --warmup must be >= 0")
    if not (0 < args.val_frac < 1):
        p.error(f"--val-frac must be in (0, 1), got {args.val_frac}")
    if not (args.lr > 0 and args.clip >= 0 and args.temperature > 0):
        p.error("need --lr > 0, --clip >= 0, --temperature > 0")
    if args.max_steps is not None and args.max_steps < 1:
        p.error(f"--max-steps must be >= 1, got {args.max_steps}")
    if args.minutes is not None and not args.minutes > 0:
        p.error(f"--minutes must be > 0, got {args.minutes}")
    if args.sample_bench is None and args.minutes is None and args.max_steps is None:
        p.error("training needs --minutes M and/or --max-steps N")
    return args


# ---------------------------------------------------------------- data

def resolve(path):
    path = pathlib.Path(path)
    return path if path.is_absolute() else REPO_ROOT / path


def read_text(path):
    try:
        return resolve(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        sys.exit(f"cannot read the text {resolve(path)}: {e}")


def split(text, val_frac):
    """(train text, validation text): the validation part is the last int(n * val_frac) characters."""
    n_train = len(text) - int(len(text) * val_frac)
    return text[:n_train], text[n_train:]


def encode(text, vocabulary):
    index = {ch: i for i, ch in enumerate(vocabulary)}
    unknown = sorted(set(text) - set(index))
    if unknown:
        sys.exit(f"characters outside the vocabulary: {''.join(unknown)!r}")
    return torch.tensor([index[ch] for ch in text], dtype=torch.long)


class Windows:
    """The TBPTT layout: B streams of L = (len(ids) - 1) // B ids, W = L // T windows of (B, T)."""

    def __init__(self, ids, batch, seq, what):
        self.stream = (len(ids) - 1) // batch
        self.count = self.stream // seq
        if self.count < 1:
            sys.exit(f"the {what} split ({len(ids)} characters) is too short for {batch} streams of at least "
                     f"{seq + 1} characters")
        starts = torch.arange(batch) * self.stream
        used = self.count * seq
        self.inputs = torch.stack([ids[s:s + used] for s in starts.tolist()])          # (B, W*T)
        self.targets = torch.stack([ids[s + 1:s + 1 + used] for s in starts.tolist()])
        self.seq = seq

    def __getitem__(self, w):
        cols = slice(w * self.seq, (w + 1) * self.seq)
        return self.inputs[:, cols], self.targets[:, cols]

    def __len__(self):
        return self.count


# ---------------------------------------------------------------- model

class CharLM(nn.Module):
    def __init__(self, vocab, embedding, hidden, layers, cell="lstm"):
        super().__init__()
        self.vocab = vocab
        if embedding > 0:
            self.embedding = nn.Embedding(vocab, embedding)
        else:
            self.embedding = None  # one-hot input
        self.rnn = CELLS[cell](embedding if embedding > 0 else vocab, hidden, num_layers=layers,
                               batch_first=True, dropout=0.0)
        self.fc = nn.Linear(hidden, vocab)

    def forward(self, ids, state=None):
        """ids (B, T) long -> logits (B, T, V), state."""
        x = self.embedding(ids) if self.embedding is not None else F.one_hot(ids, self.vocab).float()
        out, state = self.rnn(x, state)
        return self.fc(out), state


def detach(state):
    if state is None:
        return None
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


def evaluate(model, windows):
    """Mean cross-entropy (nats/char) over every prediction of one pass, state carried, eval mode."""
    model.eval()
    total, count, state = 0.0, 0, None
    with torch.no_grad():
        for w in range(len(windows)):
            x, y = windows[w]
            logits, state = model(x, state)
            total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1),
                                     reduction="sum").item()
            count += y.numel()
    model.train()
    return total / count



def header(model):
    params = sum(p.numel() for p in model.parameters())
    print(f"torch {torch.__version__}, torch.get_num_threads() = {torch.get_num_threads()}, "
          f"OPENBLAS_NUM_THREADS = {os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}, BLAS {blas_library()}")
    print(f"CPU {cpu_model()} ({os.cpu_count()} cores), Python {platform.python_version()}")
    return params


# ---------------------------------------------------------------- training

def train(args):
    text = read_text(args.text)
    vocabulary = sorted(set(text))
    train_text, val_text = split(text, args.val_frac)
    train_w = Windows(encode(train_text, vocabulary), args.batch, args.seq, "training")
    val_w = Windows(encode(val_text, vocabulary), args.batch, args.seq, "validation")

    torch.manual_seed(args.seed)
    model = CharLM(len(vocabulary), args.embedding, args.hidden, args.layers, args.cell)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    params = header(model)
    print(f"text {resolve(args.text).resolve()}: {len(text)} characters, vocabulary {len(vocabulary)}, train "
          f"{len(train_text)} ({len(train_w)} windows/epoch), validation {len(val_text)} ({len(val_w)} windows)")
    print(f"model: {'one-hot' if args.embedding == 0 else f'embedding {args.embedding}'} -> {args.cell} "
          f"{args.layers}x{args.hidden} -> linear {len(vocabulary)}, {params} parameters; batch {args.batch}, "
          f"seq {args.seq}, Adam lr {args.lr:g}, clip {args.clip:g}, seed {args.seed}; stop after "
          + " or ".join(([f"{args.max_steps} steps"] if args.max_steps else [])
                        + ([f"{args.minutes:g} min"] if args.minutes else [])))
    print(f"{'step':>7} {'epoch':>5} {'train loss':>10} {'val loss':>9} {'val bpc':>8} {'wall s':>8} "
          f"{'train s':>8} {'steps/s':>8} {'tokens/s':>9}", flush=True)

    out = open(args.out, "w") if args.out else None
    tokens_per_step = args.batch * args.seq
    step, window, epoch = 0, 0, 1
    state, losses, eval_seconds = None, [], 0.0
    model.train()
    start = time.perf_counter()

    def report():
        nonlocal losses, eval_seconds
        t0 = time.perf_counter()
        val_loss = evaluate(model, val_w)
        now = time.perf_counter()
        eval_seconds += now - t0
        wall = now - start
        train_seconds = wall - eval_seconds
        record = dict(step=step, tokens=step * tokens_per_step, wall_seconds=wall, train_seconds=train_seconds,
                      train_loss=sum(losses) / len(losses), val_loss=val_loss, val_bpc=val_loss / math.log(2),
                      tokens_per_second=step * tokens_per_step / train_seconds)
        losses = []
        print(f"{step:>7} {epoch:>5} {record['train_loss']:>10.4f} {val_loss:>9.4f} {record['val_bpc']:>8.4f} "
              f"{wall:>8.1f} {train_seconds:>8.1f} {step / train_seconds:>8.3f} "
              f"{record['tokens_per_second']:>9.0f}", flush=True)
        if out:
            out.write(json.dumps(record) + "\n")
            out.flush()

    def out_of_time():
        return args.minutes is not None and time.perf_counter() - start >= args.minutes * 60

    while True:
        if window == len(train_w):  # a new epoch: zero state
            window, epoch, state = 0, epoch + 1, None
        x, y = train_w[window]
        logits, state = model(x, state)
        state = detach(state)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        if args.clip > 0:
            nn.utils.clip_grad_norm_(model.parameters(), args.clip)
        optimizer.step()
        losses.append(loss.item())
        step += 1
        window += 1
        done = (args.max_steps is not None and step >= args.max_steps) or out_of_time()
        if step % args.eval_every == 0 or done:
            report()
            if out_of_time():  # the evaluation took the time: it is the final one
                break
        if done:
            break
    if out:
        out.close()
        print(f"wrote {args.out}")


# ---------------------------------------------------------------- sampling speed

def read_safetensors(path):
    """A float32 safetensors file as {name: tensor}: 8-byte little-endian header length, JSON header, data."""
    with open(path, "rb") as f:
        buf = f.read()
    (n,) = struct.unpack("<Q", buf[:8])
    meta = json.loads(buf[8:8 + n].decode("utf-8"))
    meta.pop("__metadata__", None)
    base = 8 + n
    out = {}
    for name, info in meta.items():
        if info["dtype"] != "F32":
            sys.exit(f"{path}: {name} has dtype {info['dtype']}, expected F32")
        b, e = info["data_offsets"]
        out[name] = torch.frombuffer(bytearray(buf[base + b:base + e]), dtype=torch.float32).reshape(info["shape"])
    return out


def load_weights(path):
    try:
        from safetensors.torch import load_file
    except ImportError:
        return read_safetensors(path)
    return load_file(str(path))


def checkpoint_version(path, which):
    """The version directory of an lstm4j checkpoint given as root, version directory or run output."""
    path = pathlib.Path(path)
    if (path / "model.safetensors").is_file():
        return path
    for root in (path, path / "checkpoint"):
        index = root / "index.json"
        if index.is_file():
            entries = json.loads(index.read_text(encoding="utf-8"))
            if which not in entries:
                sys.exit(f"{index} names no '{which}' version: {entries}")
            return root / entries[which]
    sys.exit(f"{path} holds no lstm4j checkpoint (index.json or model.safetensors)")


def load_checkpoint(path, which):
    version = checkpoint_version(path, which)
    config = json.loads((version / "checkpoint.json").read_text(encoding="utf-8"))["model"]
    # lstm4j charlm saves {"type": "char-language-model", "config": {...}}.
    config = config.get("config", config)
    vocabulary = list(config["vocabulary"])
    cell = config.get("cell", "lstm").lower()
    if cell not in CELLS:
        sys.exit(f"{version}: cell {cell!r}, expected one of {sorted(CELLS)}")
    model = CharLM(len(vocabulary), int(config["embeddingDim"]), int(config["hiddenSize"]),
                   int(config["numLayers"]), cell)
    model.load_state_dict(load_weights(version / "model.safetensors"), strict=True)
    source = f"{version} ({cell} {config['numLayers']}x{config['hiddenSize']}, embedding {config['embeddingDim']})"
    return model, vocabulary, source


def sample(model, prime_ids, length, temperature):
    """Prime in one call, then `length` characters one at a time; returns (ids, seconds of the loop)."""
    with torch.no_grad():
        logits, state = model(prime_ids)
        start = time.perf_counter()
        ids = []
        for _ in range(length):
            probs = torch.softmax(logits[:, -1, :] / temperature, dim=-1)
            nxt = torch.multinomial(probs, 1)  # (1, 1)
            ids.append(nxt.item())
            logits, state = model(nxt, state)
        return ids, time.perf_counter() - start


def sample_bench(args):
    torch.manual_seed(args.seed)
    if args.sample_bench == "random":
        vocabulary = sorted(set(read_text(args.text)))
        model = CharLM(len(vocabulary), args.embedding, args.hidden, args.layers, args.cell)
        source = f"random weights (seed {args.seed}), {args.cell} {args.layers}x{args.hidden}, embedding " \
                 f"{args.embedding}, vocabulary of {resolve(args.text).resolve()}"
    else:
        model, vocabulary, source = load_checkpoint(args.sample_bench, args.which)
    model.eval()
    params = header(model)
    prime = encode(args.prime, vocabulary).unsqueeze(0)
    print(f"model: {source}, vocabulary {len(vocabulary)}, {params} parameters")
    print(f"prime {args.prime!r}, temperature {args.temperature:g}, warm-up {args.warmup} characters, "
          f"{args.rounds} rounds of {args.length}", flush=True)
    torch.manual_seed(args.seed)
    sample(model, prime, args.warmup, args.temperature)
    rates = []
    for r in range(args.rounds):
        ids, seconds = sample(model, prime, args.length, args.temperature)
        rates.append(args.length / seconds)
        print(f"round {r + 1}: {args.length} characters in {seconds:.3f} s, {rates[-1]:.0f} characters/s",
              flush=True)
        if r == 0:
            print(args.prime + "".join(vocabulary[i] for i in ids), file=sys.stderr, flush=True)
    print(f"sampling: median {statistics.median(rates):.0f} characters/s (min {min(rates):.0f}, max "
          f"{max(rates):.0f}), torch threads {torch.get_num_threads()}, OPENBLAS_NUM_THREADS "
          f"{os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    if args.sample_bench is not None:
        sample_bench(args)
    else:
        train(args)


if __name__ == "__main__":
    main()
