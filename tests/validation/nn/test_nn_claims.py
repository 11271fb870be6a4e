"""The claim rule on hand-made rows with known margins (validation.nn.claims)."""

import math

import pytest
from scipy import stats

from dctheory.errors import ConfigError
from validation.nn.claims import check_claims, holm, interval, judge, summarize_claims

TRIALS = range(5)


def _row(width, trial, method, stage, test_error, val_error, base_width=None, mode=None):
    return dict(
        study="toy",
        dataset="mnist1d",
        architecture="mlp",
        n_train=100,
        width=width,
        trial=trial,
        method=method,
        stage=stage,
        test_error=test_error,
        val_error=val_error,
        train_error=0.0,
        base_width=base_width,
        budget=None if base_width is None else 50 * base_width,
        mode=mode,
        scheme=None if base_width is None else "global",
    )


def _rows(random_gap=0.1, val_best=4, offsets=(0.0, 0.02, -0.02, 0.01, -0.01)):
    """Budget k0=2 (100 weights), widths 4 and 8 pruned to it, fine-tune.
    Dense k=2: 0.60. Retrained test error: width 4: 0.55, width 8: 0.45 + offset
    (width 8 is best on test); validation error picks ``val_best``."""
    rows = []
    for trial, offset in zip(TRIALS, offsets):
        rows.append(_row(2, trial, "dense", "dense", 0.60, 0.60))
        for width, test in ((4, 0.55), (8, 0.45 + offset)):
            val = 0.30 if width == val_best else 0.40
            rows += [
                _row(width, trial, "dense", "dense", 0.5, 0.5),
                _row(width, trial, "magnitude", "retrained", test, val, 2, "finetune"),
                _row(width, trial, "magnitude", "pruned", test + 0.05, val, 2, "finetune"),
                _row(width, trial, "random", "retrained", test + random_gap, val, 2, "finetune"),
            ]
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
    verdicts = check_claims(_rows(val_best=4), min_trials=5)
    first = _claim(verdicts, "wide_pruned_beats_small_dense")
    assert first["k_star"] == 4  # width 8 has the lower test error but not the lower validation error
    assert first["margin"] == pytest.approx(0.05) and first["resolvable"] == pytest.approx(0.0)
    # every trial's margin is 0.05: a zero-width interval is unresolved, never PASS
    assert first["verdict"] == "FAIL" and first["reading"].startswith("unresolved (zero-width")
    assert first["kind"] == "margin" and first["trials"] == 5
    assert first["label"] == "toy: budget 100 (k0=2), finetune"
    chosen_8 = _claim(check_claims(_rows(val_best=8), min_trials=5), "wide_pruned_beats_small_dense")
    assert chosen_8["k_star"] == 8 and chosen_8["margin"] == pytest.approx(0.15)
    assert chosen_8["verdict"] == "PASS" and chosen_8["family"] == 1
    # per-trial margins 0.15 - offset; a family of one: the 95% t interval
    half = 2.7764451 * math.sqrt(0.001 / 4) / math.sqrt(5)
    assert (chosen_8["ci_low"], chosen_8["ci_high"]) == pytest.approx((0.15 - half, 0.15 + half), abs=1e-7)
    assert chosen_8["resolvable"] == pytest.approx(half, abs=1e-7)


def test_the_fair_baseline_rate_is_chosen_on_validation():
    rows = [r for r in _rows(val_best=8) if not (r["method"] == "dense" and r["width"] == 2)]
    for trial in TRIALS:  # rate 0.01 is best on validation, 0.03 on test
        rows += [
            _row(2, trial, "dense_fair", "dense", 0.58, 0.40, base_width=2) | {"lr": 0.01},
            _row(2, trial, "dense_fair", "dense", 0.50, 0.45, base_width=2) | {"lr": 0.03},
        ]
    first = _claim(check_claims(rows, min_trials=5), "wide_pruned_beats_small_dense")
    assert first["lr_star"] == 0.01 and first["margin"] == pytest.approx(0.13)
    assert first["compared"].startswith("fair dense (lr 0.01 on val) k=2 0.5800")


def test_without_validation_errors_k_star_comes_from_held_out_trials():
    rows = [{k: v for k, v in r.items() if k != "val_error"} for r in _rows()]
    first = _claim(check_claims(rows, min_trials=5), "wide_pruned_beats_small_dense")
    # trials 0-2 choose (width 8 is best there), trials 3 and 4 are judged
    assert first["k_star"] == 8 and first["trials"] == 2
    assert first["margin"] == pytest.approx(0.15) and first["verdict"] == "SKIPPED"  # 2 < 5 trials


def test_verdicts_pass_fail_and_skipped():
    jitter = {0: 0.0, 1: 0.01, 2: -0.01, 3: 0.005, 4: -0.005}
    rows = [
        r | {"test_error": r["test_error"] + jitter[r["trial"]]} if r["method"] == "random" else r
        for r in _rows(random_gap=0.1)
    ]
    verdicts = check_claims(rows, min_trials=5)
    assert _claim(verdicts, "magnitude_beats_random")["margin"] == pytest.approx(0.1)
    assert _claim(verdicts, "magnitude_beats_random")["verdict"] == "PASS"
    assert _claim(verdicts, "retraining_helps")["margin"] == pytest.approx(0.05)
    rows = [
        r | {"test_error": r["test_error"] + jitter[r["trial"]]} if r["method"] == "random" else r
        for r in _rows(random_gap=-0.05)
    ]
    reversed_ = _claim(check_claims(rows, min_trials=5), "magnitude_beats_random")
    assert reversed_["verdict"] == "FAIL" and reversed_["reading"].startswith("reversed")
    margins = dict(enumerate((0.02, -0.01, 0.015, -0.02, 0.01)))
    unresolved = holm([dict(judge(margins, min_trials=5, quick=False), claim="c")])[0]
    assert unresolved["ci_low"] < 0 < unresolved["ci_high"]
    assert unresolved["verdict"] == "FAIL" and unresolved["reading"].startswith("unresolved")
    assert judge({0: 0.2, 1: 0.3}, min_trials=5, quick=False)["verdict"] == "SKIPPED"
    assert judge({t: 0.2 + 0.01 * t for t in TRIALS}, min_trials=5, quick=True)["verdict"] == "SKIPPED"


def test_holm_step_down_within_a_claim():
    # three cells of 5 trials, two-sided t-test p-values from scipy: the
    # smallest is judged at 0.05 / 3, the next at 0.05 / 2, the last at 0.05
    cells = {
        "a": [0.10, 0.12, 0.08, 0.11, 0.09],  # t = 14.1, p = 1.5e-4
        "b": [0.02, 0.05, 0.01, 0.04, 0.03],  # t = 4.24, p = 0.0132
        "c": [0.03, -0.01, 0.05, 0.00, 0.02],
    }  # t = 1.90, p = 0.130
    rows = holm(
        [dict(judge(dict(enumerate(v)), min_trials=5, quick=False), claim="c", cell=k) for k, v in cells.items()]
    )
    by = {r["cell"]: r for r in rows}
    assert by["a"]["p_value"] == pytest.approx(stats.ttest_1samp(cells["a"], 0).pvalue)
    assert by["b"]["p_value"] == pytest.approx(stats.ttest_1samp(cells["b"], 0).pvalue)
    assert [by[k]["holm_level"] for k in "abc"] == pytest.approx([0.05 / 3, 0.05 / 2, 0.05])
    assert [by[k]["verdict"] for k in "abc"] == ["PASS", "PASS", "FAIL"]
    # b's interval is at confidence 1 - 0.025, wider than its 95% one
    _, _, low, high = interval(cells["b"], 1 - 0.025)
    assert (by["b"]["ci_low"], by["b"]["ci_high"]) == pytest.approx((low, high))
    assert by["b"]["ci_low"] < by["b"]["ci95_low"]
    # alone, b would pass at 0.05 but not at the Bonferroni level 0.05 / 16
    assert 0.05 / 16 < by["b"]["p_value"] < 0.05 / 2
    # a zero-width cell in the family is unresolved and stops the step-down after it
    rows = holm(
        [
            dict(judge(dict(enumerate(v)), min_trials=5, quick=False), claim="c", cell=k)
            for k, v in {"zero": [0.05] * 5, **cells}.items()
        ]
    )
    assert {r["cell"]: r["verdict"] for r in rows} == {"zero": "FAIL", "a": "PASS", "b": "PASS", "c": "FAIL"}


def test_double_descent_claim_finds_the_peaks_on_validation():
    # dense: peak at width 8 (validation and test), widest 32; pruned to k0=2:
    # peak at width 16 on validation (test peak at 8); both within a factor 2
    rows = []
    dense = {2: 0.40, 4: 0.45, 8: 0.60, 16: 0.50, 32: 0.35}
    pruned = {4: 0.50, 8: 0.62, 16: 0.60, 32: 0.45}
    for trial in TRIALS:
        e = 0.01 * (trial - 2)
        for w, err in dense.items():
            rows.append(_row(w, trial, "dense", "dense", err + e * (w == 8), err) | {"judge": "double_descent"})
        for w, err in pruned.items():
            for stage in ("retrained", "pruned"):
                rows.append(
                    _row(w, trial, "magnitude", stage, err + e * (w == 16), err + 0.1 * (w == 16), 2, "finetune")
                    | {"judge": "double_descent"}
                )
    verdicts = check_claims(rows, min_trials=5)
    (cell, _) = [r for r in verdicts if r["claim"] == "pruned_peak_near_dense_peak"]
    assert cell["k_star"] == 16 and cell["dense_peak"] == 8 and cell["peak_ratio"] == 2.0
    assert cell["margin"] == pytest.approx(0.15) and cell["verdict"] == "PASS"
    far = [r | {"val_error": r["val_error"] + 0.5 * (r["width"] == 2 and r["method"] == "dense")} for r in rows]
    (cell, _) = [r for r in check_claims(far, min_trials=5) if r["claim"] == "pruned_peak_near_dense_peak"]
    assert cell["dense_peak"] == 2 and cell["peak_ratio"] == 8.0
    assert cell["verdict"] == "FAIL" and cell["reading"].startswith("peaks apart")


def test_summary_per_claim_and_study():
    verdicts = check_claims(_rows(val_best=8, random_gap=-0.02), min_trials=5)
    summary = {s["name"]: s for s in summarize_claims(verdicts)}
    assert summary["wide_pruned_beats_small_dense [toy]"]["passed"]
    assert not summary["magnitude_beats_random [toy]"]["passed"]
    assert not summary["magnitude_beats_random [toy]"]["skipped"]
    assert "0 of 1 cells PASS" in summary["retraining_helps [toy]"]["detail"]  # zero-width: unresolved
    skipped = summarize_claims(check_claims(_rows(), quick=True))
    assert all(s["skipped"] and not s["passed"] for s in skipped)


def test_missing_dense_base_or_no_pruning_is_a_config_error():
    rows = [r for r in _rows() if not (r["method"] == "dense" and r["width"] == 2)]
    with pytest.raises(ConfigError, match="base width 2"):
        check_claims(rows)
    with pytest.raises(ConfigError, match="no pruned rows"):
        check_claims([r for r in _rows() if r["method"] == "dense"])


def test_figure_curves_are_means_and_t_intervals_over_trials(tmp_path):
    pytest.importorskip("matplotlib")
    from validation.nn.figures import curve, width_sweep_figures

    rows = _rows()
    widths, means, halves = curve(rows, "magnitude", "retrained", 2, mode="finetune")
    assert widths.tolist() == [4, 8]
    assert means == pytest.approx([0.55, 0.45])
    # half-width of the 95% t interval of the mean: t_{0.975, 4} sd / sqrt(5)
    assert halves == pytest.approx([0.0, 2.7764451 * math.sqrt(0.00025) / math.sqrt(5)], abs=1e-7)
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
