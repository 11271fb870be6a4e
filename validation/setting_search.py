"""Theory-first choice of the fig2 setting (claim C6, docs/theory.md#claims).

C6 says the magnitude-pruned risk, as a function of the number m of trained
random features, is minimized in the overparameterized regime (m > n). Over
which m? Only m > s (for m <= s nothing is pruned), and the comparison must
include m just above s: there the pruned model is a small dense model with a
few weights removed, the strongest underparameterized competitor. A grid
without such an m can make C6 look true when the theory says it is false.

This module evaluates the theory only (``dctheory.predict``, DC sampling on
the equivalent LGP of ``dctheory.random_features_lgp``), before any
simulation, for candidate (P, s) and reports, per pair, the predicted
argmin over m > s and the margin ``best overparameterized / best
underparameterized`` (< 1: C6 holds). Run::

    PYTHONPATH=. python -m validation.setting_search --P 600,1200,2400 --s 10,20,40,60,100,150

The result that chose fig2's setting is in docs/validation/fig2.md.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import numpy as np

from dctheory.errors import ConfigError

#: m values tried for every (P, s) besides s + 10 and s + 20 (kept if s < m <= P, |m - n| > 4)
BASE_GRID = (20, 30, 60, 100, 150, 180, 230, 260, 300, 400, 600, 800, 1200, 1600, 2400)


@dataclass(frozen=True)
class SearchRow:
    """Predicted magnitude-pruned risk over m for one (P, s)."""

    P: int
    s: int
    n: int
    m: tuple
    risk: tuple

    @property
    def argmin(self) -> int:
        return int(self.m[int(np.argmin(self.risk))])

    @property
    def margin(self) -> float:
        """min over m > n / min over s < m < n of the predicted risk; < 1 means C6 holds."""
        under = [r for m, r in zip(self.m, self.risk) if m < self.n]
        over = [r for m, r in zip(self.m, self.risk) if m > self.n]
        if not under or not over:
            return float("nan")
        return min(over) / min(under)


def candidate_grid(P: int, s: int, n: int) -> list[int]:
    """m values > s (including s + 10 and s + 20), <= P, away from the ridgeless peak |m - n| <= 4."""
    return sorted({m for m in (*BASE_GRID, s + 10, s + 20) if s < m <= P and abs(m - n) > 4})


def search(
    P_list, s_list, *, n=200, d=20, feature_seed=2021, noise=0.0, samples=150, seed=1, grid=candidate_grid
) -> list[SearchRow]:
    """Predicted magnitude-pruned risk curves for every (P, s); the features are fig2's draw.

    Uses the same first layer as the experiment (``features`` of
    :mod:`validation.experiments.random_features` with the given ``feature_seed``).
    Raises ConfigError for s >= P or an empty candidate grid.
    """
    import dctheory as dc
    from validation.experiments.random_features import features

    rows = []
    for P in P_list:
        model = features({"P": int(P), "d": int(d), "feature_seed": int(feature_seed), "noise": noise})
        problem = dc.random_features_lgp(model.W, model.beta_star, noise=model.noise)
        for s in s_list:
            if not 1 <= int(s) < int(P):
                raise ConfigError(f"s must be in [1, P) = [1, {P}), got {s}")
            ms = grid(int(P), int(s), int(n))
            if not ms:
                raise ConfigError(f"no candidate m for P={P}, s={s}, n={n}")
            risks = [
                dc.predict(
                    problem, n=int(n), m=m, s=int(s), samples=int(samples), rng=np.random.default_rng(seed)
                ).risks["magnitude"]
                for m in ms
            ]
            rows.append(SearchRow(int(P), int(s), int(n), tuple(ms), tuple(float(r) for r in risks)))
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--P", default="600,1200")
    parser.add_argument("--s", default="10,20,40,60,100,150")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--samples", type=int, default=150)
    args = parser.parse_args(argv)
    P_list = [int(v) for v in args.P.split(",")]
    s_list = [int(v) for v in args.s.split(",")]
    print("| P | s | predicted argmin m | best m > n / best s < m < n | C6 predicted |")
    print("|---|---|---|---|---|")
    for row in search(P_list, s_list, n=args.n, samples=args.samples):
        print(
            f"| {row.P} | {row.s} | {row.argmin} | {row.margin:.3f} | {'yes' if row.argmin > args.n else 'no'} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
