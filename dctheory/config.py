"""Prediction configs (the JSON files that ``dctheory predict`` reads).

A config is a JSON object::

    {"n": 150, "sigma": 0, "s": 120, "ridge": 0, "m": 500,      # m: an integer or "all"
     "covariance": {"spiked": {"P": 500, "k": 60, "C": 10}},   # or {"eigenvalues": [...]}, {"matrix": [[...]]},
                                                               # {"identity": {"P": ..}}, {"power_law": {"P": .., "alpha": ..}},
                                                               # {"toeplitz": {"P": .., "rho": ..}}
     "beta": {"constant": 1.0},                                # or a list, {"first": {"k": .., "value": ..}},
                                                               # {"gaussian": {"scale": .., "seed": ..}}
     "method": "auto", "samples": 2000, "seed": 0}             # optional: DC sampling for a full matrix

or, for Lemma 1, ``{"model": "rank_one", "zeta": [...], "beta": [...], "n": .., "sigma": .., "s": ..}``.
Numbers are read as exact decimals, so that ``--dps`` evaluates the problem as written.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import numpy as np

from dctheory import problems
from dctheory.errors import ConfigError
from dctheory.problems import LGP, check_scalar

LGP_KEYS = {"n", "sigma", "s", "ridge", "m", "covariance", "beta", "method", "samples", "seed"}
RANK_ONE_KEYS = {"model", "zeta", "beta", "n", "sigma", "s"}
GENERATORS = {
    "identity": (problems.identity, {"P"}),
    "spiked": (problems.spiked, {"P", "k", "C"}),
    "power_law": (problems.power_law, {"P", "alpha", "scale"}),
    "toeplitz": (problems.toeplitz, {"P", "rho"}),
}


def load(path) -> dict:
    """Read a JSON config (numbers as Decimal)."""
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as error:
        raise ConfigError(f"cannot read config {str(path)!r}: {error.strerror}") from None
    try:
        config = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise ConfigError(f"{path}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
    if not isinstance(config, dict):
        raise ConfigError(f"{path}: a config must be a JSON object, got {type(config).__name__}")
    return config


def _reject_constant(name):
    raise ConfigError(f"non-finite number {name} in config")


def _unknown(config: dict, allowed: set, where: str) -> None:
    extra = sorted(set(config) - allowed)
    if extra:
        raise ConfigError(f"unknown key {extra[0]!r} in {where}; allowed: {', '.join(sorted(allowed))}")


def _require(config: dict, key: str, where: str = "config"):
    if key not in config:
        raise ConfigError(f"missing key {key!r} in {where}")
    return config[key]


def _numbers(name: str, values) -> list:
    if not isinstance(values, list) or not all(isinstance(v, (int, Decimal)) and not isinstance(v, bool) for v in values):
        raise ConfigError(f"{name} must be a list of numbers")
    return values


def _generator(spec: dict, table: dict, what: str):
    if not isinstance(spec, dict) or len(spec) != 1:
        raise ConfigError(f"{what} must be an object with exactly one key, one of: {', '.join(sorted(table))}")
    (name, arguments), = spec.items()
    if name not in table:
        raise ConfigError(f"unknown {what} {name!r}; known: {', '.join(sorted(table))}")
    return name, arguments


def covariance(spec) -> dict:
    """LGP keyword arguments (eigenvalues= or covariance=) from the ``covariance`` entry."""
    table = {"eigenvalues": None, "matrix": None, **GENERATORS}
    name, arguments = _generator(spec, table, "covariance")
    if name == "eigenvalues":
        return {"eigenvalues": _numbers("covariance.eigenvalues", arguments)}
    if name == "matrix":
        if not isinstance(arguments, list) or not all(isinstance(row, list) for row in arguments):
            raise ConfigError("covariance.matrix must be a list of rows (lists of numbers)")
        lengths = {len(row) for row in arguments}
        if len(lengths) != 1:
            raise ConfigError(f"covariance.matrix rows have different lengths {sorted(lengths)}")
        return {"covariance": [_numbers(f"covariance.matrix[{i}]", row) for i, row in enumerate(arguments)]}
    function, keys = GENERATORS[name]
    if not isinstance(arguments, dict):
        raise ConfigError(f"covariance.{name} must be an object with keys {', '.join(sorted(keys))}")
    _unknown(arguments, keys, f"covariance.{name}")
    values = function(**{k: float(v) if isinstance(v, Decimal) else v for k, v in arguments.items()})
    return {"covariance" if values.ndim == 2 else "eigenvalues": values}


def beta(spec, P: int):
    """The coefficient vector from the ``beta`` entry (a list or a generator)."""
    if isinstance(spec, list):
        return _numbers("beta", spec)
    table = {"constant": None, "first": None, "gaussian": None}
    name, arguments = _generator(spec, table, "beta")
    if name == "constant":
        check_scalar("beta.constant", arguments)
        return [arguments] * P
    if not isinstance(arguments, dict):
        raise ConfigError(f"beta.{name} must be an object")
    if name == "first":
        _unknown(arguments, {"k", "value"}, "beta.first")
        k = check_scalar("beta.first.k", _require(arguments, "k", "beta.first"), low=0, high=P, integer=True)
        value = _require(arguments, "value", "beta.first")
        check_scalar("beta.first.value", value)
        return [value] * k + [0] * (P - k)
    _unknown(arguments, {"scale", "seed"}, "beta.gaussian")
    scale = check_scalar("beta.gaussian.scale", arguments.get("scale", 1), low=0.0)
    seed = check_scalar("beta.gaussian.seed", arguments.get("seed", 0), low=0, integer=True)
    return list(np.random.default_rng(seed).standard_normal(P) * scale / np.sqrt(P))


def problem_from(config: dict) -> LGP:
    """The LGP of a (non rank-one) config."""
    kwargs = covariance(_require(config, "covariance"))
    size = len(kwargs.get("eigenvalues", kwargs.get("covariance", [])))
    coefficients = beta(_require(config, "beta"), size)
    sigma = _require(config, "sigma")
    return LGP(beta=coefficients, sigma=sigma, **kwargs)


def parse(config: dict) -> dict:
    """Validate a config; returns the arguments of the requested evaluation.

    Returns a dict with ``kind`` ("lgp" or "rank_one") and the typed values.
    """
    if config.get("model", "lgp") == "rank_one":
        _unknown(config, RANK_ONE_KEYS, "config")
        zeta = _numbers("zeta", _require(config, "zeta"))
        coefficients = _numbers("beta", _require(config, "beta"))
        if len(zeta) != len(coefficients):
            raise ConfigError(f"zeta has length {len(zeta)} but beta has length {len(coefficients)}")
        return {
            "kind": "rank_one", "zeta": zeta, "beta": coefficients,
            "n": check_scalar("n", _require(config, "n"), low=2, low_open=True, integer=True),
            "sigma": check_scalar("sigma", _require(config, "sigma"), low=0.0),
            "s": check_scalar("s", _require(config, "s"), low=1, high=len(zeta), integer=True),
        }
    if "model" in config and config["model"] != "lgp":
        raise ConfigError(f"model = {config['model']!r} must be 'lgp' (default) or 'rank_one'")
    _unknown(config, LGP_KEYS | {"model"}, "config")
    problem = problem_from(config)
    n = check_scalar("n", _require(config, "n"), low=2, integer=True)
    s = check_scalar("s", _require(config, "s"), low=1, integer=True)
    ridge = check_scalar("ridge", config.get("ridge", 0), low=0.0)
    m = config.get("m", problem.P)
    if m != "all":
        m = check_scalar("m", m, low=1, high=problem.P, integer=True)
        if s > m:
            raise ConfigError(f"s = {s} must be <= m = {m} (cannot keep more weights than are trained)")
    if s > problem.P:
        raise ConfigError(f"s = {s} must be <= P = {problem.P}")
    method = config.get("method", "auto")
    if method not in ("auto", "closed", "sampling"):
        raise ConfigError(f"method = {method!r} must be 'auto', 'closed' or 'sampling'")
    samples = check_scalar("samples", config.get("samples", 2000), low=2, integer=True)
    seed = check_scalar("seed", config.get("seed", 0), low=0, integer=True)
    return {"kind": "lgp", "problem": problem, "n": n, "s": s, "ridge": ridge, "m": m,
            "method": method, "samples": samples, "seed": seed}


ADVISE_DOC = """Advise configs (the JSON files that ``dctheory advise`` reads).

An LGP config (see ``dctheory predict --help``) without m, plus::

    {"ridges": [0, 0.001, 0.01, 0.1, 1],   # ridge strengths to try (default shown)
     "m_points": 200,                      # how many m in [s, P], or "all"
     "samples": 400, "seed": 0}            # DC sampling per m (full covariance only)

or a random-features setting (docs/theory.md#random-features), ReLU features of x ~ N(0, I_d),
W with i.i.d. N(0, 1/d) entries drawn with ``seed``, y = (x^T beta*)^2 + noise z::

    {"model": "random_features", "d": 20, "P": 400, "noise": 0, "seed": 0, "n": 200, "s": 40, ...}
"""

ADVISE_KEYS = {"n", "sigma", "s", "covariance", "beta", "ridges", "m_points", "samples", "seed", "model"}
RANDOM_FEATURES_KEYS = {"model", "d", "P", "noise", "seed", "n", "s", "ridges", "m_points", "samples"}


def parse_advise(config: dict) -> dict:
    """Validate an advise config (``ADVISE_DOC``); returns the typed arguments of :func:`dctheory.advise`."""
    model = config.get("model", "lgp")
    if model == "random_features":
        _unknown(config, RANDOM_FEATURES_KEYS, "config")
        from dctheory.random_features import random_features_lgp

        d = check_scalar("d", _require(config, "d"), low=1, integer=True)
        P = check_scalar("P", _require(config, "P"), low=1, integer=True)
        seed = check_scalar("seed", config.get("seed", 0), low=0, integer=True)
        rng = np.random.default_rng(seed)
        W = rng.standard_normal((P, d)) / np.sqrt(d)
        beta_star = np.zeros(d)
        beta_star[0] = 1.0
        problem = random_features_lgp(W, beta_star, check_scalar("noise", config.get("noise", 0), low=0.0))
    elif model == "lgp":
        _unknown(config, ADVISE_KEYS, "config")
        problem = problem_from(config)
        seed = check_scalar("seed", config.get("seed", 0), low=0, integer=True)
    else:
        raise ConfigError(f"model = {model!r} must be 'lgp' (default) or 'random_features'")
    n = check_scalar("n", _require(config, "n"), low=2, integer=True)
    s = check_scalar("s", _require(config, "s"), low=1, high=problem.P, integer=True)
    ridges = config.get("ridges", [0, Decimal("0.001"), Decimal("0.01"), Decimal("0.1"), 1])
    if not isinstance(ridges, list) or not ridges:
        raise ConfigError("ridges must be a non-empty list of numbers >= 0")
    ridges = [check_scalar(f"ridges[{k}]", v, low=0.0) for k, v in enumerate(ridges)]
    m_points = config.get("m_points", 200)
    if m_points != "all":
        m_points = check_scalar("m_points", m_points, low=2, integer=True)
    samples = check_scalar("samples", config.get("samples", 400), low=2, integer=True)
    return {"problem": problem, "n": n, "s": s, "ridges": ridges, "m_points": m_points, "samples": samples,
            "seed": seed}
