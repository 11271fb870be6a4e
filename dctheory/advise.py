r"""Should I train small or prune large? Every route to an s-sparse model, ranked by predicted risk.

For a problem, a sample size n and a target of s nonzeros, :func:`advise`
evaluates (docs/theory.md#finite-size, #thresholded-risk, #retraining), for every ridge strength in a grid:

* ``small_first``: train on the first s features (dense risk of D = [s]);
* ``small_oracle``: train on the true top-s features D* (dense risk of D*;
  needs to know D*);
* for m = s..P, train on the first m features, then prune to s weights by
  ``magnitude``, ``hessian``, ``oracle`` (keep D* cap D; needs D*) or
  ``random``, with or without fresh retraining on the kept support
  (``magnitude_retrained``, ``hessian_retrained``; docs/theory.md#retraining:
  the prediction is for *fresh* retraining, a new sample of size n).

With ``schedules=True``, pruning in rounds too (``magnitude_rounds``, ``hessian_rounds``;
:func:`dctheory.predict_schedule`): for each rule, from the m and ridge of its best one-shot retrained
route, schedules of 2, 3 and 4 rounds ending at s, with geometric (``m (s/m)^(k/K)``) and linear
(``m - (m - s) k/K``) kept sizes, fresh retraining after every round; each row carries its ``schedule``,
``spacing`` and the ``one_shot`` risk it compares with, and the verdict says whether rounds or one shot is
recommended and by how much. Off by default: it makes advise several times slower (measured in
docs/advise.md: 0.8-1.3 s without and 6.6-9.5 s with schedules for P = 400, n = 120, s = 40).

Diagonal Sigma: all m at once from :func:`dctheory.risk_curve` (closed forms,
one vectorized evaluation per ridge). Full Sigma (e.g. random features,
docs/theory.md#random-features): DC sampling per m (:func:`dctheory.sampling.sampled_grid`,
the route of :func:`dctheory.predict` with ``method="sampling"``; each m's
eigendecomposition is computed once for all ridges), whose Monte Carlo
standard error is kept in the rows.
The advice is the theory's: it is as good as the DC predictions (asymptotically
exact; see docs/theory.md#claims for finite-size and random-features gaps).
"""

from __future__ import annotations

from typing import Any, SupportsInt

import numpy as np
from numpy.typing import ArrayLike

from dctheory.checks import check_n_ridge, check_scalar
from dctheory.errors import ConfigError, RegimeError
from dctheory.problems import LGP
from dctheory.results import Advice
from dctheory.risks import predict, risk_curve
from dctheory.sampling import sampled_grid
from dctheory.schedule import predict_schedule
from dctheory.strategies import (
    DENSE,
    DESCRIPTION,
    NEEDS_ORACLE,
    ROUNDS,
    RULES,
    SMALL_FIRST,
    SMALL_ORACLE,
    SPARSE_STRATEGIES,
    STRATEGIES,
    in_rounds,
    retrained,
)

__all__ = ["Advice", "advise", "SPARSE_STRATEGIES", "DEFAULT_RIDGES"]

DEFAULT_RIDGES = (0.0, 1e-3, 1e-2, 1e-1, 1.0)
PRUNED = STRATEGIES[1:]  # every strategy but the dense model
#: numbers of rounds and spacings of the schedules that ``advise(..., schedules=True)`` ranks
SCHEDULE_ROUNDS = (2, 3, 4)
SPACINGS = ("geometric", "linear")

#: one row of the tidy table (see :class:`Advice`): strategy, m, ridge, risk, stderr (and gaps in the ranking)
Row = dict[str, Any]


def _grid(s: int, P: int, m_points: int | str) -> np.ndarray:
    if m_points == "all":
        return np.arange(s, P + 1)
    count = check_scalar("m_points", m_points, low=2, integer=True)
    return np.unique(np.concatenate([np.round(np.linspace(s, P, count)).astype(int), [s, P]]))


def _check_ridges(ridges: ArrayLike) -> tuple[float, ...]:
    values = np.atleast_1d(np.asarray(ridges, dtype=object))
    if values.ndim != 1 or values.size == 0:
        raise ConfigError("ridges must be a non-empty list of numbers >= 0")
    return tuple(check_scalar(f"ridges[{k}]", v, low=0.0) for k, v in enumerate(values))


def advise(
    problem: LGP,
    n: int,
    s: int,
    ridges: ArrayLike = DEFAULT_RIDGES,
    *,
    m_points: int | str = 200,
    samples: int = 400,
    rng: np.random.Generator | None = None,
    schedules: bool = False,
) -> Advice:
    """Rank every route to an s-sparse model by predicted risk (module docstring).

    Args:
        problem: the LGP (diagonal Sigma: closed forms; full: DC sampling).
        n: training samples (>= 2).
        s: target number of nonzero weights, 1 <= s <= P.
        ridges: ridge strengths to try (>= 0; 0 is min-norm / least squares).
        m_points: how many m in [s, P] to evaluate (evenly spaced, s and P included), or "all".
        samples, rng: DC sampling (full Sigma: samples per m; and the chains of each schedule) and a
            numpy Generator (default seeded with 0).
        schedules: also rank pruning in rounds (module docstring).

    Returns:
        :class:`Advice` (``.rows`` is the tidy table).

    Raises:
        ConfigError: bad arguments, or no strategy defined at any ridge.
    """
    if not isinstance(problem, LGP):
        raise ConfigError(f"problem must be a dctheory.LGP, got {type(problem).__name__}")
    n, _ = check_n_ridge(n, 0.0)
    s = check_scalar("s", s, low=1, high=problem.P, integer=True)
    ridges = _check_ridges(ridges)
    grid = _grid(s, problem.P, m_points)
    ms = grid[grid > s]  # at m = s nothing is pruned: that is the small model
    rng = rng or np.random.default_rng(0)
    rows: list[Row] = []
    notes: dict[str, str] = {}
    oracle_features = problem.oracle_set(s)

    def add(
        strategy: str, m: SupportsInt, ridge: float, risk: float | None, stderr: float | None = 0.0, **extra: Any
    ) -> None:
        if risk is not None and np.isfinite(risk):
            rows.append(
                {
                    "strategy": strategy,
                    "m": int(m),
                    "ridge": float(ridge),
                    "risk": float(risk),
                    "stderr": float(stderr or 0.0),
                    **extra,
                }
            )

    for ridge in ridges:
        for strategy, features in ((SMALL_FIRST, s), (SMALL_ORACLE, oracle_features)):
            try:
                add(
                    strategy,
                    s,
                    ridge,
                    predict(
                        problem,
                        n,
                        features,
                        s,
                        ridge,
                        method="closed" if problem.is_diagonal else "sampling",
                        samples=2,
                        rng=rng,
                    )[DENSE],
                )
            except RegimeError as error:
                notes[strategy] = str(error)
        if ms.size == 0:
            continue
        if problem.is_diagonal:
            curve = risk_curve(problem, n, s, ridge, m=ms)
            for strategy in PRUNED:
                for m, risk in zip(curve.m, curve.risks[strategy]):
                    add(strategy, m, ridge, risk)
            notes.update(curve.notes)
            if curve.undefined:
                notes["undefined_m"] = f"ridgeless m in [n - 1, n] skipped: {curve.undefined}"
            continue
        for m, sampled in sampled_grid(problem, n, s, ridge, ms, samples, rng):
            if isinstance(sampled, str):
                notes["undefined_m"] = sampled
                continue
            risks, stderr = sampled.summary()
            for strategy in PRUNED:
                add(strategy, m, ridge, risks[strategy], stderr[strategy])
            notes.update(sampled.notes)
    if not rows:
        raise ConfigError("no strategy is defined for these settings (try a ridge > 0)")
    if schedules:
        for rule in RULES:
            _add_schedules(problem, n, s, rule.name, rows, notes, add, samples, rng)
    return _summarize(problem, n, s, ridges, rows, notes)


def schedule_sizes(m: int, s: int, rounds: int, spacing: str) -> list[int]:
    """The kept sizes of a schedule from m to s in ``rounds`` rounds: geometric ``m (s/m)^(k/K)`` or linear
    ``m - (m - s) k/K``, k = 1..K, rounded (sizes that rounding makes equal are merged, so a schedule may
    have fewer rounds)."""
    k = np.arange(1, rounds + 1) / rounds
    sizes = m * (s / m) ** k if spacing == "geometric" else m - (m - s) * k
    return sorted({int(x) for x in np.rint(sizes[:-1]) if s < x < m} | {s}, reverse=True)


def _add_schedules(
    problem: LGP,
    n: int,
    s: int,
    rule: str,
    rows: list[Row],
    notes: dict[str, str],
    add: Any,
    samples: int,
    rng: np.random.Generator,
) -> None:
    """Schedules of :data:`SCHEDULE_ROUNDS` rounds from the best one-shot retrained route of ``rule``."""
    once = [row for row in rows if row["strategy"] == retrained(rule)]
    if not once:
        return
    start = min(once, key=lambda row: row["risk"])
    m, ridge = start["m"], start["ridge"]
    seen: set[tuple[int, ...]] = set()
    for rounds in SCHEDULE_ROUNDS:
        for spacing in SPACINGS:
            sizes = schedule_sizes(m, s, rounds, spacing)
            if len(sizes) < 2 or tuple(sizes) in seen:
                continue
            seen.add(tuple(sizes))
            try:
                result = predict_schedule(problem, n, m, sizes, rule, True, ridge, samples=samples, rng=rng)
            except RegimeError as error:
                notes[in_rounds(rule)] = str(error)
                continue
            last = result.rounds[-1]
            add(
                in_rounds(rule),
                m,
                ridge,
                last["retrained"],
                last["retrained_stderr"],
                schedule=sizes,
                spacing=spacing,
                one_shot=start["risk"],
                one_shot_stderr=start["stderr"],
            )


def _summarize(
    problem: LGP, n: int, s: int, ridges: tuple[float, ...], rows: list[Row], notes: dict[str, str]
) -> Advice:
    best_of: dict[str, Row] = {}
    for row in rows:
        current = best_of.get(row["strategy"])
        if current is None or row["risk"] < current["risk"]:
            best_of[row["strategy"]] = row
    ranking = sorted(best_of.values(), key=lambda r: r["risk"])
    top = ranking[0]["risk"]
    ranking = [dict(r, gap=r["risk"] - top, relative_gap=r["risk"] / top - 1 if top else 0.0) for r in ranking]
    practical = [r for r in ranking if r["strategy"] not in NEEDS_ORACLE]
    best = practical[0] if practical else ranking[0]
    smalls = [r for r in ranking if r["strategy"] == SMALL_FIRST]  # oracle knowledge is reported apart
    best_small = smalls[0] if smalls else None
    large = [r for r in practical if r["strategy"] in PRUNED + ROUNDS]
    verdict = _verdict(best, best_small, large[0] if large else None, ranking[0], s)
    in_rounds_rows = [r for r in rows if r["strategy"] in ROUNDS]
    if in_rounds_rows:
        verdict += " " + _rounds_verdict(min(in_rounds_rows, key=lambda r: r["risk"]))
    return Advice(n, s, problem.P, ridges, rows, ranking, best, best_small, verdict, notes)


def _ridge_text(ridge: float) -> str:
    return f"ridge {ridge:g}" if ridge > 0 else "no ridge"


def _schedule_text(row: Row) -> str:
    return " -> ".join(f"{size:,}" for size in [row["m"], *row["schedule"]])


def _rounds_verdict(row: Row) -> str:
    """Rounds or one shot: the best schedule against pruning once from the same m and ridge."""
    difference = row["risk"] / row["one_shot"] - 1
    better = difference < 0
    error = float(np.hypot(row["stderr"], row["one_shot_stderr"])) / row["one_shot"]
    return (
        f"In rounds, the best schedule is {_schedule_text(row)} ({row['spacing']}, {DESCRIPTION[row['strategy']]}): "
        f"risk {row['risk']:.4g} vs {row['one_shot']:.4g} pruning once from m = {row['m']:,} ({_ridge_text(row['ridge'])}) "
        f"({100 * abs(difference):.1f}% {'lower' if better else 'higher'}, s.e. {100 * error:.1f}%); "
        f"recommended: {'prune in rounds' if better and -difference > 2 * error else 'prune once'}."
    )


def _verdict(best: Row, best_small: Row | None, best_large: Row | None, overall: Row, s: int) -> str:
    if best["strategy"] in PRUNED + ROUNDS:
        how = DESCRIPTION[best["strategy"]]
        if best["strategy"] in ROUNDS:
            how += f" ({_schedule_text(best)})"
        sentence = (
            f"Train with m = {best['m']:,} features ({_ridge_text(best['ridge'])}), {how}: risk {best['risk']:.4g}"
        )
        if best_small is not None:
            sentence += (
                f" vs {best_small['risk']:.4g} for the best small model "
                f"({DESCRIPTION[best_small['strategy']]}, {_ridge_text(best_small['ridge'])})"
            )
    else:
        sentence = (
            f"Train small on the first s = {s:,} features ({_ridge_text(best['ridge'])}): risk {best['risk']:.4g}"
        )
        if best_large is not None:
            sentence += (
                f" vs {best_large['risk']:.4g} for the best prune-large route "
                f"(m = {best_large['m']:,}, {DESCRIPTION[best_large['strategy']]}, "
                f"{_ridge_text(best_large['ridge'])})"
            )
    sentence += "."
    if overall["strategy"] in NEEDS_ORACLE and overall is not best:
        sentence += (
            f" Knowing the true top-s features would reach {overall['risk']:.4g} "
            f"({DESCRIPTION[overall['strategy']]}, m = {overall['m']:,})."
        )
    return sentence
