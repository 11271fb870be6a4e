"""Training cost of the nn experiment's networks: stacked (batched) against one
network at a time, measured in the same run.

    python benchmarks/bench_nn.py [--architecture mlp|conv1d] [--widths 32 64 ...]
        [--seeds 5] [--epochs 1] [--n-train 4000] [--threads 1]
    python benchmarks/bench_nn.py --architecture resnet20 --widths 4 8 [--epochs 1]

MLP and Conv1D (MNIST-1D shapes, random signals: the cost does not depend on
the values): for every width, ``--seeds`` networks trained for ``--epochs``
epochs of batches of 100 with Adam, first one at a time
(:func:`validation.nn.protocol.train`, the single-model path), then all at
once as one stack (:func:`validation.nn.batched.train_stack`, what a sweep task
does). Prints seconds per network-epoch for both and their ratio, per width
and in total. ResNet-20 (batch norm, not stacked) on 512 random 3x32x32
images: seconds per 50,000-image epoch, one network at a time. Timings depend
on what else runs on the machine: the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import os
import time

import torch

from validation.nn.batched import stack_models, train_stack
from validation.nn.models import build_model, prunable_count
from validation.nn.protocol import train


def _single(architecture, width, x, y, seeds, epochs):
    start = time.perf_counter()
    for seed in range(seeds):
        torch.manual_seed(seed)
        model = build_model(architecture, width, tuple(x.shape[1:]), 10)
        train(model, x, y, lr=1e-2, epochs=epochs, batch_size=100, generator=torch.Generator().manual_seed(seed))
    return time.perf_counter() - start


def _stacked(architecture, width, x, y, seeds, epochs):
    start = time.perf_counter()
    models = []
    for seed in range(seeds):
        torch.manual_seed(seed)
        models.append(build_model(architecture, width, tuple(x.shape[1:]), 10))
    stack = stack_models(models)
    train_stack(
        stack,
        x[None],
        y[None],
        torch.zeros(seeds, dtype=torch.long),
        lr=1e-2,
        epochs=epochs,
        batch_size=100,
        generators=[torch.Generator().manual_seed(seed) for seed in range(seeds)],
    )
    return time.perf_counter() - start


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--architecture", default="mlp", choices=("mlp", "conv1d", "resnet20"))
    parser.add_argument("--widths", type=int, nargs="+", default=[32, 64, 128, 256, 512])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--n-train", type=int, default=4000)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    generator = torch.Generator().manual_seed(0)
    if args.architecture == "resnet20":
        x, y = torch.rand(512, 3, 32, 32, generator=generator), torch.randint(0, 10, (512,), generator=generator)
        print(
            f"resnet20 on 512 random images, torch {torch.__version__}, {args.threads} thread(s), "
            f"load average {os.getloadavg()[0]:.2f}"
        )
        for width in args.widths:
            seconds = _single("resnet20", width, x, y, 1, args.epochs) / args.epochs * 50_000 / 512
            print(
                f"width {width:>4} ({prunable_count(build_model('resnet20', width, (3, 32, 32), 10))} weights): "
                f"{seconds:.1f} s per 50,000-image epoch"
            )
        return
    x = torch.randn(args.n_train, 40, generator=generator)
    y = torch.randint(0, 10, (args.n_train,), generator=generator)
    # warm-up: the first Adam and the first batched matmul pay one-off costs
    _single(args.architecture, 4, x[:200], y[:200], 1, 1)
    _stacked(args.architecture, 4, x[:200], y[:200], 2, 1)
    print(
        f"{args.architecture}: {args.n_train} signals, batch 100, {args.seeds} networks per width, "
        f"{args.epochs} epoch(s), torch {torch.__version__}, {args.threads} thread(s), "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(f"{'width':>6} {'single s/net-epoch':>19} {'stacked s/net-epoch':>20} {'speed-up':>9}")
    totals = [0.0, 0.0]
    for width in args.widths:
        single = _single(args.architecture, width, x, y, args.seeds, args.epochs)
        stacked = _stacked(args.architecture, width, x, y, args.seeds, args.epochs)
        totals[0] += single
        totals[1] += stacked
        per = args.seeds * args.epochs
        print(f"{width:>6} {single / per:>19.4f} {stacked / per:>20.4f} {single / stacked:>8.2f}x", flush=True)
    print(
        f"total: single {totals[0]:.2f} s, stacked {totals[1]:.2f} s, speed-up {totals[0] / totals[1]:.2f}x; "
        f"load average after {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
