"""Contracts of the report: typed verdict rows, power before judging, the CLI listing, --out safety,
byte-identical results for any number of workers."""

import math

import pytest

from dctheory.cli import main
from dctheory.errors import ConfigError
from validation import report, runner, verdicts
from validation.experiment import Claim


# -- typed rows and tables ----------------------------------------------------------------
def test_each_kind_gets_its_own_table_and_no_cell_prints_nan_or_inf():
    a, b = {0: 1.0, 1: 2.0, 2: 4.0}, {0: 0.5, 1: 1.0, 2: 2.0}
    rows = [
        {
            "kind": "agreement",
            "m": 5,
            "strategy": "dense",
            "theory": 0.0,
            "theory_se": 0.0,
            "sim_mean": 1.0,
            "sim_se": 0.0,
            "trials": 3,
            "z": math.inf,
            "rel": math.inf,
            "allowance": 0.03,
            "verdict": "FAIL",
            "fallbacks": 0,
        },
        verdicts.margin_row("C", "cell one", a, b, passed=None),
        verdicts.rate_row("R", "identity, W2", -0.5, math.nan, -0.25, True),
    ]
    text = report.tables(rows)
    assert "nan" not in text.lower() and "inf" not in text.lower()
    assert [line for line in text.splitlines() if line.startswith("-- ")] == [
        "-- theory vs simulation --",
        "-- paired margins --",
        "-- rates (fitted slope vs bound) --",
    ]
    margin_header = text.split("-- paired margins --")[1].splitlines()[1]
    assert "theory" not in margin_header and "margin (95% CI)" in margin_header
    md = report.tables(rows, markdown=True)
    assert sum(line.startswith("|---") for line in md.splitlines()) == 3
    assert "nan" not in md and "inf" not in md.lower()


def test_margin_row_numbers():
    # differences 0.5, 1.0, 2.0: mean 7/6, sample sd sqrt(7/12), se sqrt(7/36)
    row = verdicts.margin_row("C", "cell", {0: 1.0, 1: 2.0, 2: 4.0}, {0: 0.5, 1: 1.0, 2: 2.0}, passed=True)
    se = math.sqrt(7 / 36)
    assert row["kind"] == "margin" and row["trials"] == 3 and row["verdict"] == "PASS"
    assert row["margin"] == pytest.approx(7 / 6)
    assert row["ci_high"] - row["margin"] == pytest.approx(1.959963984540054 * se)
    assert row["resolvable"] == pytest.approx((verdicts.Z_MAX + verdicts.POWER_Z) * se)


def test_paired_difference_uses_common_trials_only():
    d, se, count = verdicts.paired_difference({0: 3.0, 1: 5.0, 7: 100.0}, {0: 1.0, 1: 2.0, 2: -9.0})
    assert (d, count) == (2.5, 2) and se == pytest.approx(0.5)
    assert verdicts.paired_difference({0: 1.0}, {1: 1.0})[2] == 0


# -- power ------------------------------------------------------------------------------
def test_a_quick_run_skips_a_claim_it_cannot_resolve_and_never_passes_it():
    small = verdicts.claim("c", True, "d", effect=1.0, resolves=6.0, quick=True)
    assert small.skipped and small.status == "SKIPPED" and "not judged at this size" in small.detail
    assert small.resolvable == "effect >= 6"
    # the same claim in a full run is judged, and a resolvable one is judged in a quick run
    assert verdicts.claim("c", False, "d", effect=1.0, resolves=6.0).status == "FAIL"
    assert verdicts.claim("c", True, "d", effect=7.0, resolves=6.0, quick=True).status == "PASS"
    assert Claim("x", True, "y").status == "PASS" and Claim("x", True, "y", skipped=True).status == "SKIPPED"


def test_every_claim_of_a_quick_run_states_what_it_resolves(tmp_path):
    for name in ("lemma1", "fig3b"):
        result = runner.evaluate(name, out_dir=tmp_path, quick=True)
        assert result.claims and all(c.resolvable for c in result.claims), name
        assert result.passed


# -- the CLI ----------------------------------------------------------------------------
def test_bare_validate_lists_the_experiments_and_runs_nothing(tmp_path, capsys, monkeypatch):
    from validation import catalog

    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 0
    out = capsys.readouterr().out.splitlines()
    names = catalog.names()
    assert len(out) == len(names) + 1
    for name, line in zip(names, out[1:]):
        assert line.split()[0] == name and "quick" in line and "full" in line
    assert list(tmp_path.iterdir()) == []


def test_help_lists_the_experiment_names(capsys):
    from validation import catalog

    assert main(["validate", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert all(name in text for name in catalog.names())


def test_out_must_be_empty_or_the_tools_own(tmp_path, capsys):
    afile = tmp_path / "notes.txt"
    afile.write_text("mine")
    assert main(["validate", "lemma1", "--quick", "--out", str(afile)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is a file" in err
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "results.csv").write_text("x")
    assert main(["validate", "lemma1", "--quick", "--out", str(foreign)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "did not write" in err
    assert [p.name for p in foreign.iterdir()] == ["results.csv"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert runner.claim_output(empty) == empty and (empty / runner.MARKER).is_file()
    assert runner.claim_output(empty) == empty  # its own folder: accepted again
    with pytest.raises(ConfigError):
        runner.claim_output(foreign)


# -- determinism ------------------------------------------------------------------------
def test_jobs_1_and_2_write_byte_identical_csv_files(tmp_path, capsys):
    """One BLAS thread per task: the same bytes whatever the number of worker processes."""
    folders = {}
    for jobs in (1, 2):
        out = tmp_path / f"jobs{jobs}"
        assert (
            main(
                [
                    "validate",
                    "toeplitz",
                    "--quick",
                    "--trials",
                    "12",
                    "--jobs",
                    str(jobs),
                    "--out",
                    str(out),
                    "--no-progress",
                ]
            )
            == 0
        )
        folders[jobs] = out / "toeplitz"
    for name in ("simulation.csv", "theory.csv", "verdicts.csv", "claims.csv"):
        first, second = (folders[1] / name).read_bytes(), (folders[2] / name).read_bytes()
        assert first == second and len(first) > 100, name
