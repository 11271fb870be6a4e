"""The claim rule on hand-made rows with known margins (validation.nn.claims)."""

import math

import pytest

from dctheory.errors import ConfigError
from validation.nn.claims import check_claims, interval, judge, summarize_claims

TRIALS = range(5)


def _row(width, trial, method, stage, test_error, val_error, base_width=None, mode=None):
    return dict(study="toy", dataset="mnist1d", architecture="mlp", n_train=100, width=width, trial=trial,
                method=method, stage=stage, test_error=test_error, val_error=val_error, train_error=0.0,
                base_width=base_width, budget=None if base_width is None else 50 * base_width,
                mode=mode, scheme=None if base_width is None else "global")


def _rows(random_gap=0.1, val_best=4, offsets=(0.0, 0.02, -0.02, 0.01, -0.01)):
    """Budget k0=2 (100 weights), widths 4 and 8 pruned to it, fine-tune.
    Dense k=2: 0.60. Retrained test error: width 4: 0.55, width 8: 0.45 + offset
    (width 8 is best on test); validation error picks ``val_best``."""
    rows = []
    for trial, offset in zip(TRIALS, offsets):
        rows.append(_row(2, trial, "dense", "dense", 0.60, 0.60))
        for width, test in ((4, 0.55), (8, 0.45 + offset)):
            val = 0.30 if width == val_best else 0.40
            rows += [_row(width, trial, "dense", "dense", 0.5, 0.5),
                     _row(width, trial, "magnitude", "retrained", test, val, 2, "finetune"),
                     _row(width, trial, "magnitude", "pruned", test + 0.05, val, 2, "finetune"),
                     _row(width, trial, "random", "retrained", test + random_gap, val, 2, "finetune")]
    return rows


def _claim(rows, claim):
    (row,) = [r for r in rows if r["claim"] == claim]
    return row


def test_interval_is_the_student_t_interval():
    # margins 0.10, 0.12, 0.08, 0.11, 0.09: sd = sqrt(0.001 / 4); t_{0.975, 4} = 2.7764451
    mean, sd, low, high = interval([0.10, 0.12, 0.08, 0.11, 0.09])
    half = 2.7764451 * math.sqrt(0.001 / 4) / math.sqrt(5)
    assert mean == pytest.approx(0.10) and sd == pytest.approx(math.sqrt(0.00025))
    assert (low, high) == pytest.approx((0.10 - half, 0.10 + half), abs=1e-7)


def test_k_star_is_chosen_on_the_validation_split_not_on_the_test_set():
    verdicts = check_claims(_rows(val_best=4))
    first = _claim(verdicts, "wide_pruned_beats_small_dense")
    assert first["k_star"] == 4  # width 8 has the lower test error but not the lower validation error
    assert first["margin"] == pytest.approx(0.05) and first["resolvable"] == pytest.approx(0.0)
    assert first["verdict"] == "PASS" and first["kind"] == "margin" and first["trials"] == 5
    assert first["label"] == "toy: budget 100 (k0=2), n_train 100, finetune"
    chosen_8 = _claim(check_claims(_rows(val_best=8)), "wide_pruned_beats_small_dense")
    assert chosen_8["k_star"] == 8 and chosen_8["margin"] == pytest.approx(0.15)
    # per-trial margins 0.15 - offset: the t interval above
    half = 2.7764451 * math.sqrt(0.001 / 4) / math.sqrt(5)
    assert (chosen_8["ci_low"], chosen_8["ci_high"]) == pytest.approx((0.15 - half, 0.15 + half), abs=1e-7)
    assert chosen_8["resolvable"] == pytest.approx(half, abs=1e-7)


def test_without_validation_errors_k_star_comes_from_held_out_trials():
    rows = [{k: v for k, v in r.items() if k != "val_error"} for r in _rows()]
    first = _claim(check_claims(rows), "wide_pruned_beats_small_dense")
    # trials 0-2 choose (width 8 is best there), trials 3 and 4 are judged
    assert first["k_star"] == 8 and first["trials"] == 2
    assert first["margin"] == pytest.approx(0.15) and first["verdict"] == "SKIPPED"  # 2 < 5 trials


def test_verdicts_pass_fail_and_skipped():
    verdicts = check_claims(_rows(random_gap=0.1))
    assert _claim(verdicts, "magnitude_beats_random")["margin"] == pytest.approx(0.1)
    assert _claim(verdicts, "retraining_helps")["margin"] == pytest.approx(0.05)
    assert _claim(verdicts, "magnitude_beats_random")["verdict"] == "PASS"
    reversed_ = _claim(check_claims(_rows(random_gap=-0.02)), "magnitude_beats_random")
    assert reversed_["verdict"] == "FAIL" and reversed_["reading"].startswith("reversed")
    margins = dict(enumerate((0.02, -0.01, 0.015, -0.02, 0.01)))
    unresolved = judge(margins, min_trials=5, quick=False)
    assert unresolved["ci_low"] < 0 < unresolved["ci_high"]
    assert unresolved["verdict"] == "FAIL" and unresolved["reading"].startswith("unresolved")
    assert judge({0: 0.2, 1: 0.3}, min_trials=5, quick=False)["verdict"] == "SKIPPED"
    assert judge({t: 0.2 + 0.01 * t for t in TRIALS}, min_trials=5, quick=True)["verdict"] == "SKIPPED"


def test_summary_per_claim_and_study():
    verdicts = check_claims(_rows(random_gap=-0.02))
    summary = {s["name"]: s for s in summarize_claims(verdicts)}
    assert summary["wide_pruned_beats_small_dense [toy]"]["passed"]
    assert not summary["magnitude_beats_random [toy]"]["passed"]
    assert not summary["magnitude_beats_random [toy]"]["skipped"]
    assert "1 of 1 cells PASS" in summary["retraining_helps [toy]"]["detail"]
    skipped = summarize_claims(check_claims(_rows(), quick=True))
    assert all(s["skipped"] and not s["passed"] for s in skipped)


def test_missing_dense_base_or_no_pruning_is_a_config_error():
    rows = [r for r in _rows() if not (r["method"] == "dense" and r["width"] == 2)]
    with pytest.raises(ConfigError, match="base width 2"):
        check_claims(rows)
    with pytest.raises(ConfigError, match="no pruned rows"):
        check_claims([r for r in _rows() if r["method"] == "dense"])


def test_figure_curves_are_means_and_sds_over_trials(tmp_path):
    pytest.importorskip("matplotlib")
    from validation.nn.figures import curve, width_sweep_figures

    rows = _rows()
    widths, means, sds = curve(rows, "magnitude", "retrained", 2, mode="finetune")
    assert widths.tolist() == [4, 8]
    assert means == pytest.approx([0.55, 0.45])
    assert sds == pytest.approx([0.0, math.sqrt(0.00025)], abs=1e-9)
    widths, means, _ = curve(rows, "dense", "dense", None)
    assert widths.tolist() == [2, 4, 8] and means == pytest.approx([0.6, 0.5, 0.5])
    (path,) = width_sweep_figures(rows, tmp_path / "nn", {("toy", 2, "finetune", "global"): 4})
    assert path.name == "nn_toy_finetune.png" and path.stat().st_size > 10_000


def test_nn_experiment_without_torch_is_a_config_error(monkeypatch):
    import sys

    from validation.catalog import get_experiment

    experiment = get_experiment("nn")
    config = experiment.load_config(quick=True)
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now raises ImportError
    with pytest.raises(ConfigError, match=r"needs torch: pip install 'dctheory\[nn\]'"):
        experiment.tasks(config)
