"""dctheory: the distributional characterization (DC) of min-norm regression and pruning.

Implements Chang, Li, Oymak, Thrampoulidis, "Provable Benefits of
Overparameterization in Model Compression" (AAAI 2021); every formula is
derived in the ``derivations`` package and compiled here. See docs/theory.md for
the notation.

>>> import numpy as np, dctheory as dc
>>> problem = dc.LGP(eigenvalues=dc.spiked(500, 60, 10.0), beta=np.ones(500), sigma=0.0)
>>> pred = dc.predict(problem, n=150, m=500, s=120)
>>> round(pred["hessian"], 1)
548.9
"""

from dctheory.advise import Advice, advise
from dctheory.asymptotic import AsymptoticDC, AsymptoticPrediction
from dctheory.distributions import Distribution
from dctheory.errors import ConfigError, DCTheoryError, PrecisionError, RegimeError
from dctheory.law import DCLaw, dc_law, solve
from dctheory.problems import LGP, EffectiveProblem, identity, power_law, spiked, toeplitz
from dctheory.random_features import random_features_lgp, random_features_lgp_monte_carlo
from dctheory.rank_one import RankOne, rank_one
from dctheory.results import ScheduleResult
from dctheory.risks import Curve, Prediction, predict, risk_curve
from dctheory.schedule import predict_schedule
from dctheory.strategies import STRATEGIES


def __getattr__(name: str) -> str:
    """``__version__``: the installed distribution's version (pyproject.toml is its one source), read on
    first use so that ``import dctheory`` does not import importlib.metadata."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("dctheory")
        except PackageNotFoundError:  # run from a source tree that was never installed
            return "0+unknown"
    raise AttributeError(f"module 'dctheory' has no attribute {name!r}")


__all__ = [
    "LGP",
    "EffectiveProblem",
    "identity",
    "spiked",
    "power_law",
    "toeplitz",
    "solve",
    "dc_law",
    "DCLaw",
    "AsymptoticDC",
    "AsymptoticPrediction",
    "Distribution",
    "STRATEGIES",
    "Prediction",
    "Curve",
    "predict",
    "risk_curve",
    "predict_schedule",
    "ScheduleResult",
    "rank_one",
    "RankOne",
    "random_features_lgp",
    "random_features_lgp_monte_carlo",
    "advise",
    "Advice",
    "DCTheoryError",
    "ConfigError",
    "RegimeError",
    "PrecisionError",
]
