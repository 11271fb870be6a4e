"""Seconds per training epoch per width for the nn experiment's networks.

    python benchmarks/bench_nn.py [--architecture mlp|conv1d|resnet20]
        [--widths 1 2 4 ...] [--epochs 3] [--threads 1] [--batch-size 100]

MLP and Conv1D train on MNIST-1D (4000 training signals, the default sweep's
data); ResNet-20 on 512 random 3x32x32 images (the CIFAR-10 shape; its cost
per sample does not depend on the pixel values), reported per 50,000-image
epoch by scaling. Each width: one warm-up epoch, then ``--epochs`` timed
epochs of :func:`validation.nn.protocol.train` (Adam, the default lr).
Prints one line per width and the implied dense-training cost of the default
sweep. Timings depend on what else runs on the machine: report the load.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import torch

from validation.nn.data import Dataset, load_mnist1d
from validation.nn.models import build_model, prunable_count
from validation.nn.protocol import train


def _data(architecture: str) -> tuple[Dataset, float]:
    if architecture == "resnet20":
        rng = np.random.default_rng(0)
        x = rng.random((512, 3, 32, 32), dtype=np.float32)
        y = rng.integers(0, 10, 512)
        return Dataset("random-cifar-shape", x, y, x[:10], y[:10], 10), 50_000 / 512
    return load_mnist1d(), 1.0


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--architecture", default="mlp", choices=("mlp", "conv1d", "resnet20"))
    parser.add_argument("--widths", type=int, nargs="+", default=[1, 2, 4, 8, 16, 32, 64, 128, 256])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=100)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    dataset, scale = _data(args.architecture)
    x, y = torch.from_numpy(dataset.x_train), torch.from_numpy(dataset.y_train)
    print(f"{args.architecture} on {dataset.name}: {x.shape[0]} samples, batch {args.batch_size}, "
          f"torch {torch.__version__}, {args.threads} thread(s), load average {os.getloadavg()[0]:.2f}")
    print(f"{'width':>6} {'weights':>9} {'s/epoch':>9}")
    for width in args.widths:
        torch.manual_seed(0)
        model = build_model(args.architecture, width, dataset.input_shape, dataset.num_classes)
        generator = torch.Generator().manual_seed(0)
        train(model, x, y, lr=1e-2, epochs=1, batch_size=args.batch_size, generator=generator)
        start = time.perf_counter()
        train(model, x, y, lr=1e-2, epochs=args.epochs, batch_size=args.batch_size, generator=generator)
        per_epoch = (time.perf_counter() - start) / args.epochs * scale
        print(f"{width:>6} {prunable_count(model):>9} {per_epoch:>9.4f}", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
