"""EMPIRICAL finite-size corrections: ``predict(..., finite_size="fitted")``.

The DC predictions (docs/theory.md#finite-size, #thresholded-risk, #retraining) are asymptotically exact; at
finite n the simulated mean risk differs from them by a relative gap
``g(n) = (E L_sim - L_DC) / L_DC`` that the validation experiment
``finite_size`` measured to be ``c / n`` (docs/finite-size.md). The
coefficients c, with their standard errors, were MEASURED by Monte Carlo in
two reference settings and are shipped as package data
(``dctheory/finite_size.json``, with provenance: settings, trials, command,
date). They are not theory, and they are only known where they were measured:

* diagonal Sigma, ridge 0, training on every feature (m = P), sigma = 0;
* one of the reference patterns, the k spiked coordinates first:
  ``identity`` (Sigma = c0 I, ``|beta_i| = b0 sqrt(C)`` for i < k and b0 after) or
  ``spiked`` (Sigma = diag(v), v_i = v0 C for i < k and v0 after, ``|beta_i| = b0``);
  the scales c0, v0, b0 > 0 are free (with sigma = 0 the relative gap does not
  depend on them);
* P/n, k/n, s/n and C within the data file's relative ``ratio_tolerance`` of
  the reference values, and ``n >= n_min`` (the smallest measured n; larger n
  is allowed, the correction decays like 1/n).

Outside that range ``finite_size="fitted"`` raises :class:`RegimeError`
naming the first mismatch. With the correction, each risk with a coefficient
becomes ``L (1 + c/n)``; its standard error ``se(c) / n * L`` (L the
uncorrected risk) is reported in ``Prediction.finite_size[strategy]`` and
added in quadrature to ``Prediction.stderr[strategy]``.
"""

from __future__ import annotations

import dataclasses
import json
import math
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, NoReturn

import numpy as np

from dctheory.errors import ConfigError, RegimeError
from dctheory.strategies import RULES, retrained

if TYPE_CHECKING:
    from dctheory.problems import LGP
    from dctheory.results import Prediction

FINITE_SIZE_MODES = ("none", "fitted")

__all__ = ["FINITE_SIZE_MODES", "check_finite_size", "coefficients", "reference_setting", "apply_finite_size"]


def check_finite_size(finite_size: object, dps: int | None = None) -> str:
    """The mode, or ConfigError naming the valid values (and refusing "fitted" with ``dps``)."""
    if not isinstance(finite_size, str) or finite_size not in FINITE_SIZE_MODES:
        raise ConfigError(
            f"finite_size = {finite_size!r} must be one of {', '.join(repr(m) for m in FINITE_SIZE_MODES)}"
        )
    if finite_size == "fitted" and dps is not None:
        raise ConfigError(
            "finite_size='fitted' is an empirical float64 correction; it cannot be combined "
            f"with dps = {dps} (use dps=None)"
        )
    return finite_size


@lru_cache(maxsize=1)
def coefficients() -> dict[str, Any]:
    """The shipped data file ``dctheory/finite_size.json`` (measured coefficients and provenance)."""
    data: dict[str, Any] = json.loads(resources.files("dctheory").joinpath("finite_size.json").read_text())
    return data


def _two_level(x: np.ndarray, k: int) -> tuple[float | None, bool]:
    """(high/low ratio, True) when x[:k] is one value and x[k:] another (relative 1e-9), else (None, False)."""
    high, low = x[:k], x[k:]
    if high.size == 0 or low.size == 0 or low[0] <= 0:
        return None, False
    same = np.allclose(high, high[0], rtol=1e-9, atol=0) and np.allclose(low, low[0], rtol=1e-9, atol=0)
    return (float(high[0] / low[0]), True) if same else (None, False)


def _near(value: float, reference: float, tolerance: float) -> bool:
    return abs(value - reference) <= tolerance * abs(reference)


def reference_setting(problem: LGP, n: int, m: int, s: int, ridge: float) -> str:
    """The name of the reference setting that (problem, n, m, s, ridge) falls in; RegimeError otherwise."""
    data = coefficients()
    app = data["applicability"]
    tol = float(app["ratio_tolerance"])

    def refuse(reason: str) -> NoReturn:
        # One short line: what is off here, and where the valid region is written out.
        raise RegimeError(
            f"finite_size='fitted' applies only where it was measured (docs/finite-size.md); here {reason}"
        )

    if not problem.is_diagonal:
        refuse("the covariance is not diagonal")
    if ridge != 0:
        refuse(f"ridge = {ridge:g}, needs 0")
    if m != problem.P:
        refuse(f"m = {m}, needs m = P = {problem.P}")
    if n < int(app["n_min"]):
        refuse(f"n = {n}, needs n >= {app['n_min']}")
    lam = np.asarray(problem.variances, dtype=float)
    beta2 = np.asarray(problem.beta, dtype=float) ** 2
    signal = float(lam @ beta2)
    if not float(problem.sigma) ** 2 <= 1e-12 * signal:
        refuse(f"sigma = {float(problem.sigma):g}, needs 0")
    mismatches = []
    for name, ref in data["references"].items():
        if name == "identity":
            flat, spiked = lam, beta2
        elif name == "spiked":
            flat, spiked = beta2, lam
        else:  # a data file written by a newer version
            continue
        flat_ok = flat[0] > 0 and np.allclose(flat, flat[0], rtol=1e-9, atol=0)
        # the spike count is read from the problem, then compared with k/n
        levels = np.flatnonzero(~np.isclose(spiked, spiked[0], rtol=1e-9, atol=0))
        k_problem = int(levels[0]) if levels.size else 0
        C, two = _two_level(spiked, k_problem)
        checks = [
            ("pattern", flat_ok and two),
            (f"P/n = {problem.P / n:.4g}, needs {ref['P_over_n']}", _near(problem.P / n, ref["P_over_n"], tol)),
            (f"k/n = {k_problem / n:.4g}, needs {ref['k_over_n']}", _near(k_problem / n, ref["k_over_n"], tol)),
            (f"s/n = {s / n:.4g}, needs {ref['s_over_n']}", _near(s / n, ref["s_over_n"], tol)),
            (f"C = {C:.4g}, needs {ref['C']}" if C is not None else "C", C is not None and _near(C, ref["C"], tol)),
        ]
        failed = [label for label, ok in checks if not ok]
        if not failed:
            return str(name)
        mismatches.append(failed[0])
    # Both references share their ratios; a problem of either pattern is off in the first failed check.
    shown = next((text for text in mismatches if text != "pattern"), None)
    refuse(
        f"{shown} (within {tol:.0%})"
        if shown
        else "the spectrum and beta are not the two-level pattern of a reference setting"
    )


#: coefficients that are stored but not applied: they were measured with simulations that score Hessian pruning
#: with the sample diagonal against a prediction for the population diagonal, and the "hessian" prediction now
#: models the sample diagonal itself (applying them would count that effect twice); re-measured by
#: ``dctheory validate finite_size``
NOT_APPLIED = tuple(name for rule in RULES if rule.sample_diagonal for name in (rule.name, retrained(rule.name)))


def apply_finite_size(prediction: Prediction, setting: str | None) -> Prediction:
    """``prediction`` unchanged when ``setting`` is None; otherwise each risk with a coefficient of that
    reference setting (from :func:`reference_setting`, which refuses settings outside the measured
    range) times (1 + c/n), with the correction's standard error."""
    if setting is None:
        return prediction
    table = coefficients()["references"][setting]["coefficients"]
    risks, stderr, details, notes = dict(prediction.risks), dict(prediction.stderr), {}, dict(prediction.notes)
    n = prediction.n
    for strategy, value in prediction.risks.items():
        if strategy in NOT_APPLIED and value is not None:
            notes[strategy] = (
                'finite_size="fitted" leaves it uncorrected: its coefficient was measured against the '
                "population-diagonal prediction, and this prediction models the sample diagonal itself"
            )
        if value is None or strategy not in table or strategy in NOT_APPLIED:
            continue
        c, se = float(table[strategy]["c"]), float(table[strategy]["se"])
        factor = 1.0 + c / n
        error = se / n * abs(value)
        risks[strategy] = value * factor
        stderr[strategy] = math.hypot(stderr.get(strategy) or 0.0, error)
        details[strategy] = {
            "reference": setting,
            "c": c,
            "se_c": se,
            "factor": factor,
            "uncorrected": value,
            "stderr": error,
        }
    return dataclasses.replace(prediction, risks=risks, stderr=stderr, finite_size=details, notes=notes)
