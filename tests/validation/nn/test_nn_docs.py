"""docs/nn/sweep against its own simulation.csv: every verdict row recomputed
from the stored per-network errors by the claim rule (validation.nn.claims),
and the page names the hash of the committed config."""

import csv
import json
import re
from pathlib import Path

import pytest

from validation.experiment import config_hash
from validation.nn.claims import check_claims

SWEEP = Path(__file__).resolve().parents[3] / "docs" / "nn" / "sweep"
INTEGERS = (
    "width",
    "seed",
    "trial",
    "base_width",
    "budget",
    "nonzeros",
    "trainable",
    "params",
    "rounds",
    "n_train",
    "k_star",
    "trials",
    "family",
)
FLOATS = ("train_error", "test_error", "val_error", "lr", "lr_star", "margin", "ci_low", "ci_high")


def _read(path: Path) -> list[dict]:
    rows = []
    with path.open() as handle:
        for row in csv.DictReader(handle):
            row = {k: (None if v == "" else v) for k, v in row.items()}
            for key in INTEGERS:
                if row.get(key) is not None:
                    row[key] = int(row[key])
            for key in FLOATS:
                if row.get(key) is not None:
                    row[key] = float(row[key])
            rows.append(row)
    return rows


def test_verdicts_recompute_from_the_simulation_rows():
    pytest.importorskip("scipy")
    declared = json.loads((Path(__file__).resolve().parents[3] / "validation" / "configs" / "nn.json").read_text())
    stored = _read(SWEEP / "verdicts.csv")
    assert stored, "docs/nn/sweep/verdicts.csv holds no verdict"
    recomputed = check_claims(
        _read(SWEEP / "simulation.csv"), min_trials=declared["min_trials"], confidence=declared["confidence"]
    )
    key = lambda row: (row["claim"], row["label"])  # noqa: E731
    assert sorted(map(key, recomputed)) == sorted(map(key, stored))
    by_key = {key(row): row for row in recomputed}
    for row in stored:
        mine = by_key[key(row)]
        assert (mine["verdict"], mine["k_star"], mine["trials"]) == (row["verdict"], row["k_star"], row["trials"])
        for name in ("margin", "ci_low", "ci_high"):
            assert mine[name] == pytest.approx(row[name], abs=1e-12), (key(row), name)


def test_the_page_names_the_committed_config():
    from validation.catalog import get_experiment

    page = (SWEEP / "results.md").read_text()
    (named,) = re.findall(r"config hash `([0-9a-f]+)`", page)
    assert named == config_hash(get_experiment("nn").load_config())
