#!/usr/bin/python3
"""PyTorch side of lstm4j's row-by-row image classification benchmark (MNIST / Fashion-MNIST).

Each 28x28 image is read as a sequence of 28 time steps of 28 pixels (batch first) by an LSTM, a
bidirectional LSTM or a GRU; a Linear layer on the last time step gives the 10 class scores. Trained with
cross-entropy and Adam; after every epoch the test set is evaluated. It measures, on this machine, what
lstm4j's run of the same recipe is compared with: the loss and test accuracy reached per epoch (does the
recipe learn the same) and the training speed (epoch wall seconds, samples/s, total training time).

Usage:
  /usr/bin/python3 bench/classify_pytorch.py --recipe seed-fmnist            # Fashion-MNIST, 2x128 LSTM
  /usr/bin/python3 bench/classify_pytorch.py --recipe seed-keras-mnist       # MNIST, 1x128 LSTM, Keras init
  /usr/bin/python3 bench/classify_pytorch.py --recipe seed-keras-mnist --model bilstm
  /usr/bin/python3 bench/classify_pytorch.py --recipe seed-fmnist --limit-train 2000 --limit-test 1000 \\
      --epochs 1 --threads 1                                                 # a quick check
  ... [--threads N] [--seed S] [--json FILE] [--data DIR] [--max-steps N]
      [--dataset mnist|fashion-mnist] [--model lstm|bilstm|gru|bigru] [--layers L] [--hidden H] [--epochs E]
      [--batch B] [--lr LR] [--init pytorch|keras] [--dropout P] [--schedule constant|cosine]
      [--warmup-steps W] [--clip NORM]

Recipes (defaults; every explicit flag overrides its recipe's value):
  seed-fmnist       fashion-mnist, lstm, 2 layers, hidden 128, 5 epochs, batch 100, Adam 1e-3, pytorch init
                    (the classic PyTorch RNN tutorial)
  seed-keras-mnist  mnist, lstm, 1 layer, hidden 128, 10 epochs, batch 32, Adam 1e-3, keras init
Both: dropout 0, constant lr, no clipping, seed 0.

Recipe details, for the lstm4j side to match:
- Data: IDX gzip files DIR/{mnist,fashion-mnist}/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz; pixels as
  float32 byte/255 (torchvision's ToTensor), no normalisation. --limit-train/--limit-test keep the first N.
- Model: nn.LSTM/nn.GRU(28, H, L, batch_first=True, dropout=P, bidirectional=(model == 'bilstm')) then
  nn.Linear(H*D, 10) on out[:, -1, :] (unidirectional) or on cat(h_n[-2], h_n[-1]) (bidirectional: the
  forward direction's last step and the backward direction's first step). Weights from torch.manual_seed(S)
  (PyTorch's default init), then for --init keras: xavier_uniform_ on every weight_ih and orthogonal_ on
  every weight_hh (whole matrices), all biases 0 except the LSTM forget-gate block bias_ih[H:2H] = 1;
  Linear weight xavier_uniform_, bias 0.
- Training: every epoch a permutation from torch.randperm(N, generator=torch.Generator().manual_seed(S)) (one
  generator for the whole run), batches in that order, the partial last batch kept. CrossEntropyLoss (mean
  over the batch), Adam(lr) with PyTorch's defaults, optional clip_grad_norm_(all parameters, NORM) before
  the step. --schedule cosine, per optimizer step s = 0..T-1 (T = all steps of the run, --max-steps
  included): lr_s = lr*(s+1)/W while s < W, then lr * (1 + cos(pi*(s-W)/(T-W))) / 2 (W = 0: PyTorch's
  CosineAnnealingLR(T_max=T), stepped once per batch).
- Reported train loss: the mean over the epoch's samples of the batch losses (each weighted by its batch
  size). Test accuracy: model.eval(), torch.no_grad(), batches of 1000, argmax of the scores.
- Timing: an epoch's seconds cover its training steps only (batching, forward, loss, backward, clipping,
  Adam, schedule); the evaluation after it is timed apart; data loading is outside both.

Threads: --threads N is torch.set_num_threads(N) (intra-op, default: all cores). The BLAS keeps its own
threads (OPENBLAS_NUM_THREADS, all cores when unset); both are printed. On 2 cores, 1 intra-op thread with 2
OpenBLAS threads was the fastest setting for these shapes (see bench/README.md); the default (2 x 2) makes
the OpenMP threads each call a 2-thread OpenBLAS and was 3-5x slower here (1 epoch on 3000 images, shared
machine: 1234-1455 samples/s with --threads 1, 239-459 with --threads 2).
"""
import argparse
import gzip
import json
import math
import os
import platform
import sys
import time

import numpy as np
import torch
import torch.nn as nn

from machine import blas_library, cpu_model

RECIPES = {
    "seed-fmnist": dict(dataset="fashion-mnist", model="lstm", layers=2, hidden=128, epochs=5, batch=100,
                        lr=1e-3, init="pytorch"),
    "seed-keras-mnist": dict(dataset="mnist", model="lstm", layers=1, hidden=128, epochs=10, batch=32,
                             lr=1e-3, init="keras"),
    # lstm4j's `best` (lstm4j-cli Recipe.BEST): bidirectional GRU 2x128, cosine to 0 over the run, clipping, dropout.
    "best": dict(dataset="fashion-mnist", model="bigru", layers=2, hidden=128, epochs=12, batch=100, lr=2e-3,
                 init="pytorch", dropout=0.2, schedule="cosine", clip=1.0),
}
COMMON_DEFAULTS = dict(dropout=0.0, schedule="constant", warmup_steps=0, clip=0.0, seed=0)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--recipe", choices=sorted(RECIPES), default="seed-fmnist")
    p.add_argument("--data", default="/work/shared/datasets",
                   help="directory holding mnist/ and fashion-mnist/ (default %(default)s)")
    p.add_argument("--dataset", choices=["mnist", "fashion-mnist"])
    p.add_argument("--model", choices=["lstm", "bilstm", "gru", "bigru"])
    p.add_argument("--layers", type=int)
    p.add_argument("--hidden", type=int)
    p.add_argument("--epochs", type=int)
    p.add_argument("--batch", type=int)
    p.add_argument("--lr", type=float)
    p.add_argument("--init", choices=["pytorch", "keras"])
    p.add_argument("--dropout", type=float, help="between layers (default 0)")
    p.add_argument("--schedule", choices=["constant", "cosine"], help="learning rate (default constant)")
    p.add_argument("--warmup-steps", type=int, help="cosine: linear warm-up steps (default 0)")
    p.add_argument("--clip", type=float, help="max gradient norm, 0 = none (default 0)")
    p.add_argument("--seed", type=int, help="weights, shuffling, dropout (default 0)")
    p.add_argument("--threads", type=int, default=os.cpu_count(),
                   help="torch.set_num_threads (default: all cores, %(default)s)")
    p.add_argument("--limit-train", type=int, help="train on the first N training images")
    p.add_argument("--limit-test", type=int, help="evaluate on the first N test images")
    p.add_argument("--max-steps", type=int, help="stop after N optimizer steps (the epoch under way is "
                                                 "evaluated and reported)")
    p.add_argument("--json", metavar="FILE", help="write all figures to FILE")
    args = p.parse_args()
    for key, value in {**COMMON_DEFAULTS, **RECIPES[args.recipe]}.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    for key in ("layers", "hidden", "epochs", "batch", "threads"):
        if getattr(args, key) < 1:
            p.error(f"--{key} must be >= 1, got {getattr(args, key)}")
    for key in ("limit_train", "limit_test", "max_steps"):
        if getattr(args, key) is not None and getattr(args, key) < 1:
            p.error(f"--{key.replace('_', '-')} must be >= 1, got {getattr(args, key)}")
    if not (args.lr > 0 and 0 <= args.dropout < 1 and args.clip >= 0 and args.warmup_steps >= 0):
        p.error("need --lr > 0, 0 <= --dropout < 1, --clip >= 0, --warmup-steps >= 0")
    return args


# ---------------------------------------------------------------- data

def read_idx(path, magic, dims):
    """An IDX gzip file as a uint8 array: big-endian int32 magic, counts, then the bytes."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    header = np.frombuffer(raw, dtype=">i4", count=1 + dims)
    if header[0] != magic:
        raise ValueError(f"{path}: magic {header[0]}, expected {magic}")
    shape = tuple(int(d) for d in header[1:])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 * (1 + dims))
    if data.size != math.prod(shape):
        raise ValueError(f"{path}: {data.size} bytes of data, header says {shape}")
    return data.reshape(shape)


def load_split(directory, prefix, limit):
    """(images float32 (N, 28, 28) in [0, 1], labels int64 (N,)), the first `limit` if given."""
    images = read_idx(os.path.join(directory, f"{prefix}-images-idx3-ubyte.gz"), 2051, 3)
    labels = read_idx(os.path.join(directory, f"{prefix}-labels-idx1-ubyte.gz"), 2049, 1)
    if len(images) != len(labels):
        raise ValueError(f"{directory}/{prefix}: {len(images)} images but {len(labels)} labels")
    if limit is not None:
        images, labels = images[:limit], labels[:limit]
    x = torch.from_numpy(images.astype(np.float32) / np.float32(255))
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


# ---------------------------------------------------------------- model

class RowClassifier(nn.Module):
    def __init__(self, model, layers, hidden, dropout):
        super().__init__()
        self.bidirectional = model in ("bilstm", "bigru")
        cls = nn.GRU if model in ("gru", "bigru") else nn.LSTM
        self.rnn = cls(28, hidden, layers, batch_first=True, dropout=dropout,
                       bidirectional=self.bidirectional)
        self.fc = nn.Linear(hidden * (2 if self.bidirectional else 1), 10)

    def forward(self, x):
        out, state = self.rnn(x)
        if self.bidirectional:
            h_n = state[0] if isinstance(state, tuple) else state
            last = torch.cat([h_n[-2], h_n[-1]], dim=1)  # forward's last step, backward's first step
        else:
            last = out[:, -1, :]
        return self.fc(last)


def keras_init(model):
    """Keras's defaults: Glorot-uniform input kernels, orthogonal recurrent kernels, zero biases with the
    LSTM forget-gate bias at 1 (in bias_ih; bias_hh stays 0), Glorot-uniform Dense kernel, zero bias."""
    hidden = model.rnn.hidden_size
    with torch.no_grad():
        for name, p in model.rnn.named_parameters():
            if name.startswith("weight_ih"):
                nn.init.xavier_uniform_(p)
            elif name.startswith("weight_hh"):
                nn.init.orthogonal_(p)
            else:
                p.zero_()
                if isinstance(model.rnn, nn.LSTM) and name.startswith("bias_ih"):
                    p[hidden:2 * hidden] = 1.0
        nn.init.xavier_uniform_(model.fc.weight)
        model.fc.bias.zero_()


def evaluate(model, x, y):
    """Test accuracy in %, model.eval() and no_grad, batches of 1000."""
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), 1000):
            correct += (model(x[i:i + 1000]).argmax(dim=1) == y[i:i + 1000]).sum().item()
    model.train()
    return 100.0 * correct / len(x)


# ---------------------------------------------------------------- run

def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    parallel_info = torch.__config__.parallel_info().splitlines()
    print(f"torch {torch.__version__}, torch.get_num_threads() = {torch.get_num_threads()}, "
          f"OPENBLAS_NUM_THREADS = {os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}, "
          f"BLAS {blas_library()}")
    for line in parallel_info[:5]:
        print("  " + line.strip())
    blas_threads = int(os.environ.get("OPENBLAS_NUM_THREADS") or os.cpu_count())
    if torch.get_num_threads() > 1 and torch.get_num_threads() * blas_threads > os.cpu_count():
        print(f"note: {torch.get_num_threads()} intra-op x {blas_threads} OpenBLAS threads on "
              f"{os.cpu_count()} cores oversubscribe them; see bench/README.md")

    t0 = time.perf_counter()
    directory = os.path.join(args.data, args.dataset)
    try:
        train_x, train_y = load_split(directory, "train", args.limit_train)
        test_x, test_y = load_split(directory, "t10k", args.limit_test)
    except (OSError, ValueError) as e:
        sys.exit(f"cannot read {args.dataset} from {directory}: {e}")
    load_seconds = time.perf_counter() - t0

    torch.manual_seed(args.seed)
    model = RowClassifier(args.model, args.layers, args.hidden, args.dropout)
    if args.init == "keras":
        keras_init(model)
    params = sum(p.numel() for p in model.parameters())
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)

    n = len(train_x)
    steps_per_epoch = math.ceil(n / args.batch)
    total_steps = args.epochs * steps_per_epoch
    if args.max_steps is not None:
        total_steps = min(total_steps, args.max_steps)
    scheduler = None
    if args.schedule == "cosine":
        w, t = args.warmup_steps, total_steps
        if w >= t:
            sys.exit(f"--warmup-steps {w} must be below the run's {t} optimizer steps")
        scheduler = torch.optim.lr_scheduler.LambdaLR(
            optimizer, lambda s: (s + 1) / w if s < w else (1 + math.cos(math.pi * (s - w) / (t - w))) / 2)

    print(f"{args.recipe}: {args.dataset} train {n} test {len(test_x)} (loaded in {load_seconds:.2f} s), "
          f"{args.model} {args.layers}x{args.hidden}, {params} parameters, {args.init} init, "
          f"batch {args.batch}, Adam lr {args.lr:g}, {args.schedule} schedule"
          + (f" (warm-up {args.warmup_steps})" if args.schedule == "cosine" else "")
          + (f", dropout {args.dropout:g}" if args.dropout else "")
          + (f", clip {args.clip:g}" if args.clip else "")
          + f", seed {args.seed}, {total_steps} steps")
    print(f"{'epoch':>5} {'train loss':>10} {'test acc %':>10} {'train s':>8} {'samples/s':>10} {'eval s':>7}")

    shuffle = torch.Generator().manual_seed(args.seed)
    model.train()
    epochs, step = [], 0
    for epoch in range(1, args.epochs + 1):
        if step >= total_steps:
            break
        start = time.perf_counter()
        order = torch.randperm(n, generator=shuffle)
        loss_sum, seen = 0.0, 0
        for i in range(0, n, args.batch):
            if step >= total_steps:
                break
            idx = order[i:i + args.batch]
            xb, yb = train_x[idx], train_y[idx]
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            if args.clip > 0:
                nn.utils.clip_grad_norm_(model.parameters(), args.clip)
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            loss_sum += loss.item() * len(idx)
            seen += len(idx)
            step += 1
        seconds = time.perf_counter() - start
        start = time.perf_counter()
        accuracy = evaluate(model, test_x, test_y)
        eval_seconds = time.perf_counter() - start
        record = dict(epoch=epoch, train_loss=loss_sum / seen, test_accuracy=accuracy, seconds=seconds,
                      samples=seen, steps=step, samples_per_s=seen / seconds, eval_seconds=eval_seconds)
        epochs.append(record)
        print(f"{epoch:>5} {record['train_loss']:>10.4f} {accuracy:>10.2f} {seconds:>8.2f} "
              f"{record['samples_per_s']:>10.0f} {eval_seconds:>7.2f}" + ("" if seen == n else
                                                                         f"  ({seen} samples)"),
              flush=True)

    train_seconds = sum(e["seconds"] for e in epochs)
    eval_seconds = sum(e["eval_seconds"] for e in epochs)
    samples = sum(e["samples"] for e in epochs)
    print(f"total: training {train_seconds:.2f} s ({samples / train_seconds:.0f} samples/s, {step} steps), "
          f"evaluation {eval_seconds:.2f} s, final test accuracy {epochs[-1]['test_accuracy']:.2f} %")

    if args.json:
        result = dict(
            impl="pytorch", config={**vars(args), "train_size": n, "test_size": len(test_x),
                                    "parameters": params, "total_steps": total_steps},
            torch=torch.__version__, numpy=np.__version__, python=platform.python_version(),
            threads=dict(torch=torch.get_num_threads(), interop=torch.get_num_interop_threads(),
                         openblas_env=os.environ.get("OPENBLAS_NUM_THREADS"),
                         omp_env=os.environ.get("OMP_NUM_THREADS"), blas_library=blas_library(),
                         parallel_info=parallel_info),
            epochs=epochs,
            totals=dict(train_seconds=train_seconds, eval_seconds=eval_seconds, load_seconds=load_seconds,
                        samples=samples, steps=step, samples_per_s=samples / train_seconds,
                        final_test_accuracy=epochs[-1]["test_accuracy"]),
            machine=dict(cpu_count=os.cpu_count(), cpu_model=cpu_model(), platform=platform.platform()))
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
