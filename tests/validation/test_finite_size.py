"""The finite_size experiment: the weighted c/n fit (exactness and statistics), a quick run, the data writer.

Statistics tolerances are stated at each assertion (multiples of the standard
error of the quantity tested); seeds are fixed.
"""

import json

import numpy as np
import pytest

from dctheory.errors import ConfigError
from validation import runner
from validation.experiments.finite_size import fit_table, gaps, main, weighted_fit
from validation.report import write_csv

N = np.array([100.0, 200.0, 400.0, 800.0])
SE = np.array([0.0004, 0.0005, 0.001, 0.002])


def test_fit_recovers_exact_coefficients():
    g = -0.7 / N
    fit = weighted_fit(N, g, SE)
    assert fit["coef"][0] == pytest.approx(-0.7, rel=1e-12) and fit["chi2"] == pytest.approx(0, abs=1e-20)
    # closed form of the one-parameter fit
    w = 1 / (N**2 * SE**2)
    assert fit["se"][0] == pytest.approx(w.sum() ** -0.5, rel=1e-12)
    two = weighted_fit(N, 0.4 / N - 30.0 / N**2, SE, (1, 2))
    assert two["coef"] == pytest.approx([0.4, -30.0], rel=1e-9) and two["dof"] == 2


def test_fit_statistics_on_synthetic_data_with_known_c_and_se():
    rng = np.random.default_rng(7)
    c_true, reps = 0.5, 2000
    fits = [weighted_fit(N, c_true / N + SE * rng.standard_normal(4), SE) for _ in range(reps)]
    c = np.array([f["coef"][0] for f in fits])
    se = fits[0]["se"][0]
    chi2 = np.array([f["chi2"] for f in fits])
    # unbiased: mean within 4 s.e. of the mean (se / sqrt(reps))
    assert abs(c.mean() - c_true) < 4 * se / np.sqrt(reps)
    # the reported se is the spread: sample sd within 6% (s.e. of an sd is about 1/sqrt(2 reps) = 1.6%)
    assert c.std(ddof=1) == pytest.approx(se, rel=0.06)
    # chi2 on 3 dof: mean 3, sd of the mean sqrt(6 / reps) = 0.055 -> 4 s.e. = 0.22
    assert abs(chi2.mean() - 3) < 0.22
    # coverage of +-2 se: 0.954, binomial s.e. 0.0047 -> 4 s.e. = 0.019
    assert abs(np.mean(np.abs(c - c_true) < 2 * se) - 0.954) < 0.019


def test_fit_rejects_bad_input():
    with pytest.raises(ConfigError, match="se"):
        weighted_fit(N, N, np.zeros(4))
    with pytest.raises(ConfigError, match="shapes"):
        weighted_fit(N, N[:3], SE)


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("fs")
    summary, theory_rows, verdict_rows, claims = runner.evaluate("finite_size", out_dir=out, quick=True)
    write_csv(out / "finite_size" / "verdicts.csv", verdict_rows)  # what `dctheory validate` writes
    return out, summary, theory_rows, verdict_rows, claims


def test_quick_run_agrees_and_fits(quick_run):
    _, summary, _, verdict_rows, claims = quick_run
    # 2 settings x 2 n x 7 strategies, all within the suite's tolerance
    assert len(verdict_rows) == 28 and all(v["verdict"] == "PASS" for v in verdict_rows)
    assert claims[0].passed
    fits = fit_table(verdict_rows)
    assert len(fits) == 14 and all(np.isfinite(f["c"]) and f["se_c"] > 0 and f["dof"] == 1 for f in fits)
    # g recomputed from the raw rows (not through the experiment's summaries)
    rows = [r for r in summary.rows if r["setting"] == "spiked" and r["n"] == 100 and r["strategy"] == "dense"]
    g = next(r for r in gaps(verdict_rows) if (r["setting"], r["n"], r["strategy"]) == ("spiked", 100, "dense"))
    theory = next(
        v["theory"] for v in verdict_rows if (v["setting"], v["n"], v["strategy"]) == ("spiked", 100, "dense")
    )
    assert len(rows) == 400
    assert g["g"] == pytest.approx(np.mean([r["risk"] for r in rows]) / theory - 1, rel=1e-12)


@pytest.mark.parametrize("strategy", ["magnitude_retrained", "hessian_retrained"])
def test_conditional_retraining_estimator_matches_the_refit_risk(quick_run, strategy):
    """E[refit risk | S] = sigma_S^2 (n-1)/(n-s-1): paired mean difference within 4 s.e. of zero."""
    _, summary, _, _, _ = quick_run
    for setting in ("identity", "spiked"):
        d = np.array(
            [r["risk"] - r["estimate"] for r in summary.rows if r["strategy"] == strategy and r["setting"] == setting]
        )
        assert d.size == 600
        assert abs(d.mean()) < 4 * d.std(ddof=1) / np.sqrt(d.size)


def test_data_writer_copies_the_fit(quick_run, tmp_path):
    out, _, _, verdict_rows, _ = quick_run
    data_path, doc_path = tmp_path / "fs.json", tmp_path / "fs.md"
    main(
        [
            str(out),
            "--quick",
            "--command",
            "dctheory validate finite_size --quick",
            "--data",
            str(data_path),
            "--doc",
            str(doc_path),
        ]
    )
    data = json.loads(data_path.read_text())
    for f in fit_table(verdict_rows):
        stored = data["references"][f["setting"]]["coefficients"][f["strategy"]]
        assert stored["c"] == f["c"] and stored["se"] == f["se_c"]
    assert data["provenance"]["quick"] and data["applicability"]["n_min"] == 100
    assert "c +- se" in doc_path.read_text()
