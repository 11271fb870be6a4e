"""Contracts of the interpolation-zone note: ridgeless results with 0.9 <= m/n <= 1.2 say how far the
finite-n prediction was measured to be from Monte Carlo there (docs/validation/fig3a.md, fig3b.md), in the
result object, its repr, to_dict and the command line; results outside the zone, or with a ridge, do not."""

import json

import numpy as np
import pytest

import dctheory as dc
from dctheory.cli import main
from dctheory.results import interpolation_note

N = 50
PROBLEM = dc.LGP(eigenvalues=np.ones(80), beta=np.full(80, 0.3), sigma=0.5)


@pytest.mark.parametrize("m", [45, 47, 52, 55, 60])
def test_contract_note_in_the_zone(m):
    prediction = dc.predict(PROBLEM, N, m, 20)
    assert prediction.interpolation is not None
    assert f"m/n = {m / N:.3g}" in prediction.interpolation
    assert "note (interpolation)" in repr(prediction)
    assert json.loads(json.dumps(prediction.to_dict()))["interpolation"] == prediction.interpolation


@pytest.mark.parametrize("m, ridge", [(44, 0.0), (61, 0.0), (80, 0.0), (10, 0.0), (52, 0.1)])
def test_contract_no_note_outside_the_zone_or_with_a_ridge(m, ridge):
    prediction = dc.predict(PROBLEM, N, m, 20, ridge)
    assert prediction.interpolation is None
    assert "interpolation" not in repr(prediction)
    assert prediction.to_dict()["interpolation"] is None


def test_contract_note_gives_the_measured_deviation_nearest_m_over_n():
    # the measured rows (docs/validation/fig3a.md and fig3b.md, n = 150): m = 156 (m/n = 1.04): +29.2% and
    # +21.8% (dense); m = 160 (1.07): +14.9%, +11.3%; m = 172 (1.15): +6.4%, +7.6%; m = 139 (0.93): -4.4%, +8.9%
    assert "+22..+29% at the nearest measured m/n = 1.04" in interpolation_note(100, 104, 0.0)
    assert "+11..+15% at the nearest measured m/n = 1.07" in interpolation_note(100, 107, 0.0)
    assert "+4..+8% at the nearest measured m/n = 1.15" in interpolation_note(100, 118, 0.0)
    assert "-4..+9% at the nearest measured m/n = 0.93" in interpolation_note(100, 92, 0.0)
    assert interpolation_note(100, 89, 0.0) is None
    assert interpolation_note(100, 121, 0.0) is None


def test_contract_curve_marks_its_rows_in_the_zone():
    curve = dc.risk_curve(PROBLEM, N, 20)
    m = np.asarray(curve.m)
    np.testing.assert_array_equal(curve.interpolation, (m >= 45) & (m <= 60))
    assert curve.interpolation_note.startswith("m = 45..60: ")
    assert "note (interpolation): m = 45..60" in repr(curve)
    assert json.loads(json.dumps(curve.to_dict()))["interpolation"] == list(curve.interpolation)
    assert not dc.risk_curve(PROBLEM, N, 20, ridge=0.5).interpolation.any()


@pytest.mark.parametrize("n", [1, 7, 10, 50, 149, 150, 1000, 123457])
@pytest.mark.parametrize("ridge", [0.0, 1e-300, 0.5])
def test_curve_zone_mask_is_the_note_of_each_m(n, ridge):
    """The curve's mask (the zone test on an array of m) marks exactly the m whose single prediction has the note
    (the test on Python ints), at the band's edges too (0.9 n and 1.2 n, integer or not)."""
    from dctheory.results import in_interpolation_zone

    m = np.unique(np.r_[np.arange(1, 40), np.arange(int(0.85 * n), int(1.25 * n) + 3)]).astype(int)
    m = m[m >= 1]
    expected = [interpolation_note(n, int(x), ridge) is not None for x in m]
    np.testing.assert_array_equal(in_interpolation_zone(n, m, ridge), expected)
    assert any(expected) == (ridge == 0)


def _run(tmp_path, capsys, m, *flags):
    config = {"n": N, "sigma": 0.5, "s": 20, "m": m, "covariance": {"identity": {"P": 80}}, "beta": {"constant": 0.3}}
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    assert main(["predict", str(path), *flags]) == 0
    return capsys.readouterr().out


def test_contract_command_line_prints_the_note(tmp_path, capsys):
    assert "note (interpolation): m/n = 1.04" in _run(tmp_path, capsys, 52)
    assert json.loads(_run(tmp_path, capsys, 52, "--json"))["interpolation"].startswith("m/n = 1.04")
    assert "interpolation" not in _run(tmp_path, capsys, 80)
    assert "# interpolation: m = 45..60" in _run(tmp_path, capsys, "all")
    records = json.loads(_run(tmp_path, capsys, "all", "--json"))["curve"]
    assert [r["m"] for r in records if r.get("interpolation")] == [m for m in range(45, 61) if m not in (49, 50)]
