"""ResNet-20 on CIFAR-10 (the paper's Figs. 1 and 5): the nn experiment's
protocol and claim rule on a local copy of CIFAR-10, on a GPU when one is there.

    python -m validation.nn.cifar --data-dir DIR [--device cuda] [--out DIR]
        [--base-widths 4 8] [--multipliers 1 2 4] [--epochs 60] [--trials 5]
        [--modes lr_rewind finetune weight_rewind reset] [--n-train N] [--n-val 5000]

``DIR`` holds CIFAR-10's binary batches (``data_batch_1.bin`` ..
``test_batch.bin``, or the folder ``cifar-10-batches-bin``) or its python
batches; nothing is downloaded. The run goes through the shared runner and
store (``OUT/results.sqlite``, resumable), one network at a time on
``--device`` (default: ``cuda`` when torch sees a GPU, else ``cpu``), and
writes ``OUT/nn_cifar/{simulation,verdicts,claims}.csv`` and the figures.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from validation import report, runner
from validation.catalog import get_experiment


def cifar_config(args) -> dict:
    """The nn experiment's config for one ResNet-20 / CIFAR-10 study."""
    return dict(
        description="ResNet-20 on CIFAR-10",
        trials=args.trials,
        seeds_per_task=1,
        seed=0,
        min_trials=5,
        confidence=0.95,
        quick=False,
        torch_threads=args.threads,
        device=args.device,
        protocol=dict(epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, data_seed=0),
        studies=[
            dict(
                name="resnet20_cifar10",
                dataset="cifar10",
                architecture="resnet20",
                data_dir=str(args.data_dir),
                n_train=args.n_train,
                n_val=args.n_val,
                base_widths=args.base_widths,
                width_multipliers=args.multipliers,
                modes=args.modes,
            )
        ],
    )


def main(argv=None) -> int:
    import torch

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--out", type=Path, default=runner.DEFAULT_OUT)
    parser.add_argument("--base-widths", type=int, nargs="+", default=[4, 8])
    parser.add_argument("--multipliers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument(
        "--modes", nargs="+", default=["lr_rewind"], help="retraining modes (validation.nn.protocol.RETRAIN_MODES)"
    )
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--n-train", type=int, default=None)
    parser.add_argument("--n-val", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    args = parser.parse_args(argv)
    experiment = get_experiment("nn")
    summary = runner.run(experiment, cifar_config(args), out_dir=args.out, progress=True)
    verdicts = experiment.compare(summary.rows, [], summary.config)
    claims = experiment.claims(summary.rows, [], verdicts, summary.config)
    folder = Path(args.out) / "nn_cifar"
    report.write_csv(folder / "simulation.csv", summary.rows)
    report.write_csv(folder / "verdicts.csv", verdicts)
    report.write_csv(folder / "claims.csv", [{**c.__dict__, "status": c.status} for c in claims])
    experiment.figure(summary.rows, [], verdicts, summary.config, folder / "nn")
    print(summary.line())
    for claim in claims:
        print(f"[{claim.status}] {claim.name}: {claim.detail}")
    return 1 if any(c.status == "FAIL" for c in claims) else 0


if __name__ == "__main__":
    raise SystemExit(main())
