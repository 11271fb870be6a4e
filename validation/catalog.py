"""The registry of experiments: imports every experiment module and looks experiments up by name.

This module is the top of the experiments' import graph: it imports the
experiment modules (each registers itself with
:func:`validation.experiment.register_experiment`), and nothing below it
imports it back. To add experiments from another package, add one import line
here.
"""

from dctheory.errors import ConfigError

from validation.experiment import EXPERIMENTS, Experiment
from validation.experiments import linear  # noqa: F401
from validation.experiments import random_features  # noqa: F401
from validation.experiments import rank_one  # noqa: F401
from validation.experiments import ridge  # noqa: F401
from validation.experiments import advise  # noqa: F401
from validation.experiments import theorem1  # noqa: F401
from validation.experiments import finite_size  # noqa: F401
from validation.experiments import universality  # noqa: F401
from validation.experiments import iterative  # noqa: F401
import validation.nn.experiment  # noqa: F401  (the nn experiment; torch is imported lazily)


def get_experiment(name: str) -> Experiment:
    """The registered experiment called ``name``; ConfigError listing the valid names otherwise."""
    try:
        return EXPERIMENTS[name]
    except KeyError:
        raise ConfigError(f"unknown experiment {name!r}; valid names: {', '.join(sorted(EXPERIMENTS))}") from None


def names() -> list[str]:
    """Every registered experiment name, in registration order."""
    return list(EXPERIMENTS)
