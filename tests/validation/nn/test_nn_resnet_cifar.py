"""The ResNet-20 / CIFAR-10 path on CPU: a tiny ResNet-20 trained, pruned and
retrained through the experiment on a small file in the CIFAR-10 binary format
(the path a GPU run takes with ``device="cuda"`` and the real data)."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from validation.catalog import get_experiment  # noqa: E402
from validation.runner import run  # noqa: E402

pytestmark = pytest.mark.nn


def _cifar_binary(directory, n=20):
    rng = np.random.default_rng(0)
    directory.mkdir()
    for name in [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]:
        labels = rng.integers(0, 10, size=n, dtype=np.uint8)
        np.concatenate([labels[:, None], rng.integers(0, 256, size=(n, 3072), dtype=np.uint8)], 1).tofile(
            directory / name
        )


def test_resnet20_on_a_cifar_binary_file(tmp_path):
    _cifar_binary(tmp_path / "cifar-10-batches-bin")
    experiment = get_experiment("nn")
    config = dict(
        trials=1,
        seeds_per_task=1,
        seed=0,
        min_trials=5,
        confidence=0.95,
        device="cpu",
        quick=True,
        torch_threads=1,
        protocol=dict(epochs=1, batch_size=25, lr=0.01, data_seed=0),
        studies=[
            dict(
                name="resnet20_cifar10",
                dataset="cifar10",
                architecture="resnet20",
                data_dir=str(tmp_path),
                n_train=60,
                n_val=20,
                base_widths=[1],
                width_multipliers=[1, 2],
                modes=["lr_rewind"],
            )
        ],
    )
    summary = run(experiment, config, out_dir=tmp_path / "out", progress=False)
    rows = summary.rows
    assert summary.tasks_run == 2
    dense = [r for r in rows if r["method"] == "dense"]
    assert sorted(r["width"] for r in dense) == [1, 2]
    # ResNet-20 of width 1 has 1121 conv and read-out weights, 98 batch-norm
    # parameters (2 x 49 channels) and 10 read-out biases: a budget of 1229
    # trainable parameters, which every pruned width-2 network holds exactly
    pruned = [r for r in rows if r["method"] != "dense"]
    assert {r["budget"] for r in pruned} == {1229} and all(r["trainable"] == 1229 for r in pruned)
    assert {(r["method"], r["stage"]) for r in pruned} == {
        (m, s) for m in ("magnitude", "random") for s in ("pruned", "retrained")
    }
    assert all(r["n_train"] == 60 and 0.0 <= r["test_error"] <= 1.0 and "val_error" in r for r in rows)
    verdicts = experiment.compare(rows, [], summary.config)
    assert {v["verdict"] for v in verdicts} == {"SKIPPED"}


def test_cifar_command_runs_on_cpu(tmp_path, capsys):
    from validation.nn.cifar import main

    _cifar_binary(tmp_path / "data")
    code = main(
        [
            "--data-dir",
            str(tmp_path / "data"),
            "--device",
            "cpu",
            "--out",
            str(tmp_path / "out"),
            "--base-widths",
            "1",
            "--multipliers",
            "1",
            "2",
            "--epochs",
            "1",
            "--trials",
            "1",
            "--n-train",
            "60",
            "--n-val",
            "20",
            "--batch-size",
            "30",
            "--threads",
            "1",
        ]
    )
    assert code == 0  # one trial: every claim SKIPPED, none FAIL
    assert "[SKIPPED] wide_pruned_beats_small_dense [resnet20_cifar10]" in capsys.readouterr().out
    assert (tmp_path / "out" / "nn_cifar" / "verdicts.csv").stat().st_size > 0
