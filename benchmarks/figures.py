"""Speed figures: each one a ratio to a baseline measured in the same run, with the load beside it.

A benchmark module (``benchmarks/bench_*.py``) registers a function with :func:`figure`; the function
takes ``quick`` (small sizes, for the test of the runner) and returns one or more :class:`Figure`.
``python benchmarks/run.py`` imports every benchmark module, runs every registered function and writes
docs/benchmarks.md. Adding a figure is one decorator::

    @figure("Monte Carlo engine")
    def gemm_fraction(quick: bool) -> Figure: ...

Times are CPU seconds of this process (:func:`cpu_time`: the machine's cores are shared, so wall time
measures the neighbours), the min over repeats, and each figure's ratio is against a baseline timed in
the same call, interleaved with it where the function can; the runner adds the load average (1 min)
seen before and after each function.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

__all__ = ["Figure", "figure", "REGISTRY", "cpu_time", "interleaved", "load"]


@dataclass(frozen=True)
class Figure:
    """One ratio: ``ours`` against ``baseline`` (both described in words), and its goal.

    ``ratio`` is the figure as stated by ``what`` (e.g. "predict / curve point" or "fixed point / predict");
    ``at_most`` / ``at_least``: the goal, if any. ``detail``: the measured times behind the ratio (shown,
    never compared). ``load`` and ``source`` (the function that measured it) are filled in by the runner."""

    what: str
    ratio: float
    baseline: str
    at_most: float | None = None
    at_least: float | None = None
    detail: str = ""
    load: tuple[float, float] = field(default=(math.nan, math.nan))
    source: str = ""

    @property
    def goal(self) -> str:
        if self.at_most is not None:
            return f"<= {self.at_most:g}x"
        if self.at_least is not None:
            return f">= {self.at_least:g}x"
        return ""

    @property
    def met(self) -> bool | None:
        if self.at_most is not None:
            return self.ratio <= self.at_most
        if self.at_least is not None:
            return self.ratio >= self.at_least
        return None

    def row(self, section: str) -> str:
        """The figure as a row of the Markdown table of docs/benchmarks.md."""
        verdict = {None: "", True: "met", False: "NOT met"}[self.met]
        goal = f"{self.goal} {verdict}".strip()
        return (
            f"| {section} | {self.what} | {_ratio(self.ratio)} | {goal} | "
            f"load {self.load[0]:.1f}-{self.load[1]:.1f} | {self.baseline} | {self.detail} | `{self.source}` |"
        )


def _ratio(value: float) -> str:
    return f"{value:.3g}x" if value < 100 else f"{value:.0f}x"


#: (section, function) in registration order (modules in name order, functions in their order)
REGISTRY: list[tuple[str, Callable[[bool], Figure | Iterable[Figure]]]] = []


def figure(section: str) -> Callable[[Callable[[bool], Figure | Iterable[Figure]]], Callable[..., object]]:
    """Register ``function(quick) -> Figure | [Figure, ...]`` under ``section`` (a heading of the table)."""

    def register(function: Callable[[bool], Figure | Iterable[Figure]]) -> Callable[..., object]:
        REGISTRY.append((section, function))
        return function

    return register


def load() -> float:
    """The 1-minute load average."""
    return os.getloadavg()[0]


def cpu_time(function: Callable[[], object], repeat: int = 1) -> float:
    """The min over ``repeat`` calls of ``function()``'s CPU seconds (``time.process_time``)."""
    best = math.inf
    for _ in range(repeat):
        start = time.process_time()
        function()
        best = min(best, time.process_time() - start)
    return best


def interleaved(functions: dict[str, Callable[[], object]], repeat: int, **fewer: int) -> dict[str, float]:
    """Per name, the min CPU seconds over ``repeat`` rounds, each round calling every function once in turn
    (a change of load during the run falls on all of them alike). ``fewer``: names (as keywords, spaces as
    underscores) called only that many times, spread evenly over the rounds (a slow side of a pair)."""
    best = dict.fromkeys(functions, math.inf)
    for round_ in range(repeat):
        for name, function in functions.items():
            times = fewer.get(name.replace(" ", "_"))
            if times is None or round_ % max(1, repeat // times) == 0:
                best[name] = min(best[name], cpu_time(function))
    return best
