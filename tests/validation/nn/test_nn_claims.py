"""The claim checks on hand-made rows with known margins (validation.nn.claims)."""

import pytest

from dctheory.errors import ConfigError
from validation.nn.claims import check_claims, summarize_claims


def _row(width, trial, method, stage, test_error, base_width=None):
    return dict(width=width, trial=trial, method=method, stage=stage, test_error=test_error,
                train_error=0.0, base_width=base_width, budget=None if base_width is None else 50 * base_width)


def _rows(random_gap=(0.1, 0.1)):
    rows = []
    for trial in (0, 1):
        rows += [_row(2, trial, "dense", "dense", 0.60), _row(4, trial, "dense", "dense", 0.50),
                 _row(8, trial, "dense", "dense", 0.40)]
        # budget k0=2: widths 4 and 8; width 8 is best (0.45 then 0.47 by trial)
        for width, retrained in ((4, 0.55), (8, 0.45 + 0.02 * trial)):
            rows += [_row(width, trial, "magnitude", "retrained", retrained, 2),
                     _row(width, trial, "magnitude", "pruned", retrained + 0.05, 2),
                     _row(width, trial, "random", "retrained", retrained + random_gap[trial], 2)]
    return rows


def _by_claim(verdicts, claim, k0=2):
    (verdict,) = [v for v in verdicts if v["claim"] == claim and v["base_width"] == k0]
    return verdict


def test_margins_are_paired_over_trials():
    verdicts = check_claims(_rows())
    first = _by_claim(verdicts, "wide_pruned_beats_small_dense")
    # dense(2) = 0.60; best width 8: 0.45, 0.47 -> margins 0.15, 0.13
    assert first["sim_mean"] == pytest.approx(0.14)
    assert first["margin_min"] == pytest.approx(0.13)
    assert first["sim_se"] == pytest.approx(0.01)  # sd 0.01414 over sqrt(2) trials
    assert first["z"] == pytest.approx(14.0)
    assert first["verdict"] == "PASS" and first["budget"] == 100 and first["trials"] == 2
    assert "k=8 0.4600" in first["compared"]
    assert _by_claim(verdicts, "magnitude_beats_random")["sim_mean"] == pytest.approx(0.1)
    assert _by_claim(verdicts, "magnitude_beats_random")["z"] == float("inf")  # same margin in both trials
    assert _by_claim(verdicts, "retraining_helps")["sim_mean"] == pytest.approx(0.05)


def test_claim_fails_when_one_trial_disagrees_or_ties():
    verdicts = check_claims(_rows(random_gap=(0.2, -0.01)))
    second = _by_claim(verdicts, "magnitude_beats_random")
    assert second["sim_mean"] == pytest.approx(0.095) and second["verdict"] == "FAIL"
    tied = check_claims(_rows(random_gap=(0.1, 0.0)))
    assert _by_claim(tied, "magnitude_beats_random")["verdict"] == "FAIL"
    summary = dict((name, passed) for name, passed, _ in summarize_claims(verdicts))
    assert summary == {"wide_pruned_beats_small_dense": True, "magnitude_beats_random": False,
                       "retraining_helps": True}


def test_missing_dense_base_or_no_pruning_is_a_config_error():
    rows = [r for r in _rows() if not (r["method"] == "dense" and r["width"] == 2)]
    with pytest.raises(ConfigError, match="base width 2"):
        check_claims(rows)
    with pytest.raises(ConfigError, match="no pruned rows"):
        check_claims([r for r in _rows() if r["method"] == "dense"])


def test_figure_curves_are_means_and_sds_over_trials(tmp_path):
    from validation.nn.figures import curve, width_sweep_figure

    rows = _rows()
    widths, means, sds = curve(rows, "magnitude", "retrained", 2)
    assert widths.tolist() == [4, 8]
    assert means == pytest.approx([0.55, 0.46])
    assert sds == pytest.approx([0.0, 0.0141421356], abs=1e-9)
    widths, means, _ = curve(rows, "dense", "dense", None)
    assert widths.tolist() == [2, 4, 8] and means == pytest.approx([0.6, 0.5, 0.4])
    path = width_sweep_figure(rows, tmp_path / "f.png", "toy")
    assert path.stat().st_size > 10_000


def test_nn_experiment_without_torch_is_a_config_error(monkeypatch):
    import sys

    from validation.catalog import get_experiment

    experiment = get_experiment("nn")
    config = experiment.load_config(quick=True)
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now raises ImportError
    with pytest.raises(ConfigError, match=r"needs torch: pip install 'dctheory\[nn\]'"):
        experiment.tasks(config)
