"""The experiment interface and the registry of experiments.

An experiment is a subclass of :class:`Experiment` registered with
:func:`register_experiment`. The runner (:mod:`validation.runner`) only uses
this interface::

    name                      str, also the config file name
    load_config(quick)        dict from validation/configs/NAME.json;
                              its "quick" dict overrides keys when quick=True
    tasks(config)             list of (point: dict, trial: int); a point is a
                              JSON-able dict (its canonical JSON is the key)
    simulate(point, trial, seed, config) -> list[dict]
                              one task; ``seed`` is a numpy SeedSequence
                              derived from (experiment, point, trial), so the
                              result never depends on which worker ran it.
                              Must be deterministic given its arguments and
                              must not touch global RNG state.
    theory(config) -> list[dict]          tidy prediction rows
    compare(sim_rows, theory_rows, config) -> list[dict]   verdict rows
    claims(sim_rows, theory_rows, verdicts, config) -> list[Claim]
                              each claim states the effect it can resolve at
                              the run's size (Claim.resolvable); a quick run
                              marks a claim it cannot resolve as skipped
    figure(sim_rows, theory_rows, verdicts, config, stem) -> list[Path]
    measurements(sim_rows, theory_rows, verdicts, config) -> list[dict]
                              reported with confidence intervals, not judged
    rule(config) -> str | None   the experiment's own verdict rule, printed and
                              put on its docs page; None (default): the suite's
                              rule, validation.verdicts.RULE

Config keys every experiment understands: ``trials`` (default number of
Monte Carlo trials; NOT part of the config hash, so asking for more trials
extends a finished run), ``seed`` (base entropy of every task seed).

Registration: ``EXPERIMENTS`` maps a name to an instance; an experiment
module calls :func:`register_experiment` at import. The modules are imported,
and experiments looked up by name, by :mod:`validation.catalog`, which sits
above every experiment module in the import graph (this module imports none of
them). Experiments are looked up by name in worker processes too, so an
experiment module must be importable wherever the workers run.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from dctheory.errors import ConfigError
from validation.store import canonical_json

CONFIG_DIR = Path(__file__).parent / "configs"

#: config keys that do not change what a single task computes
UNHASHED_KEYS = frozenset({"trials", "description"})


@dataclass(frozen=True)
class Claim:
    """One programmatically checked claim (docs/theory.md#claims).

    ``resolvable``: the effect size the run can resolve, in words with its
    number. ``skipped``: not judged at this run size (the reason is in
    ``detail``); a skipped claim counts neither as PASS nor as FAIL.
    """

    name: str
    passed: bool
    detail: str
    resolvable: str = ""
    skipped: bool = False

    @property
    def status(self) -> str:
        return "SKIPPED" if self.skipped else ("PASS" if self.passed else "FAIL")


class Experiment:
    """Base class; see the module docstring for the contract."""

    name: str = ""
    title: str = ""
    #: optional packages (import names) the experiment needs; ``validate all``
    #: skips it with a one-line note when one is missing
    requires: tuple = ()

    def missing_requirements(self) -> list[str]:
        """The modules of :attr:`requires` that cannot be imported here."""
        import importlib.util

        return [module for module in self.requires if importlib.util.find_spec(module) is None]

    def load_config(self, quick: bool = False) -> dict:
        """The experiment's JSON config; the ``quick`` block overrides top-level keys."""
        path = CONFIG_DIR / f"{self.name}.json"
        if not path.is_file():
            raise ConfigError(f"experiment {self.name!r} has no config file at {path}")
        raw = json.loads(path.read_text())
        quick_block = raw.pop("quick", {})
        config = dict(raw)
        if quick:
            config.update(quick_block)
        config["quick"] = bool(quick)
        return config

    def tasks(self, config: dict) -> list[tuple[dict, int]]:
        raise NotImplementedError

    def simulate(self, point: dict, trial: int, seed, config: dict) -> list[dict]:
        raise NotImplementedError

    def theory(self, config: dict) -> list[dict]:
        raise NotImplementedError

    def compare(self, sim_rows: list[dict], theory_rows: list[dict], config: dict) -> list[dict]:
        raise NotImplementedError

    def claims(self, sim_rows, theory_rows, verdicts, config) -> list[Claim]:
        return []

    def figure(self, sim_rows, theory_rows, verdicts, config, stem: Path) -> list[Path]:
        return []

    def measurements(self, sim_rows, theory_rows, verdicts, config) -> list[dict]:
        """Quantities the run reports with confidence intervals but does not judge (default none)."""
        return []

    def rule(self, config: dict) -> str | None:
        """The verdict rule when it is not the suite's (:data:`validation.verdicts.RULE`)."""
        return None


EXPERIMENTS: dict[str, Experiment] = {}


def register_experiment(experiment: Experiment) -> Experiment:
    """Add ``experiment`` to :data:`EXPERIMENTS` (a name may be registered once)."""
    if not experiment.name:
        raise ConfigError("an experiment needs a non-empty name")
    existing = EXPERIMENTS.get(experiment.name)
    if existing is not None and type(existing) is not type(experiment):
        raise ConfigError(f"experiment name {experiment.name!r} is already registered")
    EXPERIMENTS[experiment.name] = experiment
    return experiment


def config_hash(config: dict) -> str:
    """Short SHA-256 of the config without the keys in :data:`UNHASHED_KEYS`."""
    hashed = {k: v for k, v in config.items() if k not in UNHASHED_KEYS}
    return hashlib.sha256(canonical_json(hashed).encode()).hexdigest()[:16]
