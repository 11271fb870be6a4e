"""Prediction configs (the JSON files that ``dctheory predict`` reads).

A config is a JSON object, for example (Fig. 7(b) of the paper)::

    {"n": 150, "sigma": 0, "s": 120, "ridge": 0, "m": 500,
     "covariance": {"spiked": {"P": 500, "k": 60, "C": 10}},
     "beta": {"constant": 1}}

Required: n, sigma, s, covariance, beta. Optional, with the defaults of ``dctheory.predict``:

* m: the number of trained features (the first m; default P), a list of them, or "all" (m = 1..P);
  a list or "all" prints the curve (``dctheory.risk_curve``);
* ridge: the ridge strength (default 0);
* covariance: {"eigenvalues": [...]}, {"matrix": [[...]]}, {"identity": {"P": ..}},
  {"spiked": {"P": .., "k": .., "C": ..}}, {"power_law": {"P": .., "alpha": ..}} or
  {"toeplitz": {"P": .., "rho": ..}};
* beta: a list, {"constant": c}, {"first": {"k": .., "value": ..}} or {"gaussian": {"scale": .., "seed": ..}};
* method ("auto", "closed" or "sampling"), samples (2000) and seed (0): DC sampling for a full matrix;
* finite_size: "none" (default) or "fitted" (the empirical 1 + c/n factor, docs/finite-size.md);
* schedule: prune in rounds (``dctheory.predict_schedule``): the kept sizes, e.g. [80, 40], strictly
  decreasing, in [1, m] (m an integer); s may then be left out (if given, it must be the last size); with
  strategy ("magnitude" default, "hessian", "oracle" or "random", every round) and retrain (true default,
  false, or one boolean per round: fresh retraining after the round); samples and seed drive the chains
  that draw the kept supports.

s may exceed m: magnitude, Hessian and random pruning then keep all m weights, and oracle pruning
keeps the trained features among the top-s saliencies of all P features.

Or, for Lemma 1 (rank-one features x = zeta z, docs/theory.md), a config such as::

    {"model": "rank_one", "zeta": [1, 0.5, 0.2], "beta": [1, 1, 1], "n": 50, "sigma": 0.5, "s": 1}

or, for a continuous spectrum (the asymptotic DC, P -> oo with P/n = kappa)::

    {"law": {"uniform": {"low": 0.5, "high": 2}}, "B": 1, "kappa": 2, "sigma": 0.5, "keep": 0.2}

where law is a dctheory.Distribution constructor with its arguments (point, discrete, two_point,
uniform, power_law, marchenko_pastur), B = sqrt(P) beta_i a number, and keep = s/P. To prune in rounds
(``AsymptoticDC.predict_schedule``), give the kept fractions of P instead of keep, with the optional
strategy and retrain of a finite schedule::

    {"law": {"uniform": {"low": 0.5, "high": 2}}, "B": 1, "kappa": 2, "sigma": 0.5, "schedule": [0.2, 0.1]}

Numbers are read as exact decimals, so that ``--dps`` evaluates the problem as written. Numbers
must be JSON numbers (not strings or booleans), with at most 400 digits; configs nest at most
32 levels and hold at most 64 MiB; generated sizes are bounded (P <= 10,000,000 for a diagonal
covariance, 10,000 for a matrix; samples <= 1,000,000).
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Collection, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from dctheory import problems
from dctheory.checks import check_number, check_scalar, show
from dctheory.distributions import Distribution
from dctheory.errors import ConfigError
from dctheory.problems import LGP

MAX_BYTES = 64 * 2**20  # a config file
MAX_DEPTH = 32  # nesting of objects and lists
MAX_DIGITS = 400  # characters of one number literal
MAX_DIAGONAL_P = 10_000_000
MAX_MATRIX_P = 10_000
MAX_SAMPLES = 1_000_000

LGP_KEYS = {
    "n",
    "sigma",
    "s",
    "ridge",
    "m",
    "covariance",
    "beta",
    "method",
    "samples",
    "seed",
    "finite_size",
    "schedule",
    "strategy",
    "retrain",
}
#: keys that only a config with a "schedule" takes
SCHEDULE_KEYS = ("strategy", "retrain")
RANK_ONE_KEYS = {"model", "zeta", "beta", "n", "sigma", "s"}
ASYMPTOTIC_KEYS = {"law", "B", "kappa", "sigma", "keep"}
#: keys of a continuous-law config that prunes in rounds ("schedule": the kept fractions, instead of "keep")
ASYMPTOTIC_SCHEDULE_KEYS = {"schedule", "strategy", "retrain"}
GENERATORS: dict[str, Callable[..., np.ndarray]] = {
    "identity": problems.identity,
    "spiked": problems.spiked,
    "power_law": problems.power_law,
    "toeplitz": problems.toeplitz,
}
LAWS = {
    name: getattr(Distribution, name)
    for name in ("point", "discrete", "two_point", "uniform", "power_law", "marchenko_pastur")
}


def load(path: str | Path) -> dict[str, Any]:
    """Read a JSON config (numbers as Decimal); ConfigError for anything but a bounded JSON object."""
    path = Path(path)
    try:
        if path.is_dir():
            raise ConfigError(f"config {str(path)!r} is a folder, not a JSON file")
        if path.stat().st_size > MAX_BYTES:
            raise ConfigError(f"config {str(path)!r} is larger than {MAX_BYTES // 2**20} MiB")
        text = path.read_text()
    except OSError as error:
        raise ConfigError(f"cannot read config {str(path)!r}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"config {str(path)!r} is not UTF-8 text") from None
    return loads(text, str(path))


def loads(text: str, where: str = "config") -> dict[str, Any]:
    """Parse the text of a JSON config: numbers as Decimal (int for integers), bounded in
    length, nesting and size; ConfigError with one line otherwise."""
    if len(text) > MAX_BYTES:
        raise ConfigError(f"{where}: larger than {MAX_BYTES // 2**20} MiB")
    try:
        config = json.loads(text, parse_float=_decimal, parse_int=_integer, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise ConfigError(f"{where}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
    except RecursionError:
        raise ConfigError(f"{where}: nested more than {MAX_DEPTH} levels deep") from None
    _check_depth(config, where)
    if not isinstance(config, dict):
        raise ConfigError(f"{where}: a config must be a JSON object, got {_json_type(config)}")
    return config


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, Decimal)):
        return "a number"
    return {str: "a string", list: "a list", dict: "an object", type(None): "null"}.get(
        type(value), type(value).__name__
    )


def _check_depth(config: object, where: str) -> None:
    stack = [(config, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ConfigError(f"{where}: nested more than {MAX_DEPTH} levels deep")
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))


def _integer(text: str) -> int:
    if len(text) > MAX_DIGITS:
        raise ConfigError(f"a number in the config has {len(text)} digits (at most {MAX_DIGITS})")
    return int(text)


def _decimal(text: str) -> Decimal:
    if len(text) > MAX_DIGITS:
        raise ConfigError(f"a number in the config has {len(text)} characters (at most {MAX_DIGITS})")
    return Decimal(text)


def _reject_constant(name: str) -> NoReturn:
    raise ConfigError(f"non-finite number {name} in config (numbers must be finite)")


def _object(config: object, where: str) -> dict[str, Any]:
    if not isinstance(config, dict):
        raise ConfigError(f"{where} must be a JSON object, got {_json_type(config)}")
    return config


def _unknown(config: dict[str, Any], allowed: Collection[str], where: str) -> None:
    extra = sorted(set(config).difference(allowed))
    if extra:
        raise ConfigError(f"unknown key {show(extra[0])} in {where}; allowed: {', '.join(sorted(allowed))}")


def _require(config: dict[str, Any], key: str, where: str = "config") -> Any:
    if key not in config:
        raise ConfigError(f"missing key {key!r} in {where}")
    return config[key]


def _numbers(name: str, values: object) -> list[Any]:
    if not isinstance(values, list):
        raise ConfigError(f"{name} must be a list of numbers, got {_json_type(values)}")
    for index, value in enumerate(values):
        check_number(f"{name}[{index}]", value)
    return values


def _generator(spec: object, table: dict[str, Any], what: str) -> tuple[str, Any]:
    if not isinstance(spec, dict) or len(spec) != 1:
        raise ConfigError(f"{what} must be an object with exactly one key, one of: {', '.join(sorted(table))}")
    ((name, arguments),) = spec.items()
    if name not in table:
        raise ConfigError(f"unknown {what} {show(name)}; known: {', '.join(sorted(table))}")
    return name, arguments


def _float(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def construct(function: Callable[..., Any], arguments: object, where: str, *, lists: Iterable[str] = ()) -> Any:
    """Call a named constructor with the keyword arguments of a config object, after checking
    that every key is one of its parameters, that none it needs is missing, and that each value
    is a number (a list of numbers for the parameters in ``lists``)."""
    parameters = inspect.signature(function).parameters
    allowed = {
        name
        for name, p in parameters.items()
        if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and name not in ("cls", "self", "name")
    }
    required = sorted(name for name in allowed if parameters[name].default is inspect.Parameter.empty)
    optional = sorted(allowed - set(required))
    wanted = ", ".join(required) + (f" (optional: {', '.join(optional)})" if optional else "")
    if not isinstance(arguments, dict):
        raise ConfigError(f"{where} must be an object with keys {wanted}, got {_json_type(arguments)}")
    _unknown(arguments, allowed, where)
    missing = [name for name in required if name not in arguments]
    if missing:
        raise ConfigError(f"missing key {missing[0]!r} in {where}; it needs {wanted}")
    values: dict[str, Any] = {}
    for key, value in arguments.items():
        if key in lists:
            values[key] = [_float(v) for v in _numbers(f"{where}.{key}", value)]
        else:
            check_number(f"{where}.{key}", value)
            values[key] = _float(value)
    return function(**values)


def covariance(spec: object) -> dict[str, Any]:
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
    if isinstance(arguments, dict) and "P" in arguments:
        limit = MAX_MATRIX_P if name == "toeplitz" else MAX_DIAGONAL_P
        check_scalar(f"covariance.{name}.P", arguments["P"], low=1, high=limit, integer=True)
    values = construct(GENERATORS[name], arguments, f"covariance.{name}")
    return {"covariance" if values.ndim == 2 else "eigenvalues": values}


def beta(spec: object, P: int) -> list[Any]:
    """The coefficient vector from the ``beta`` entry (a list or a generator)."""
    if isinstance(spec, list):
        return _numbers("beta", spec)
    table = {"constant": None, "first": None, "gaussian": None}
    name, arguments = _generator(spec, table, "beta")
    if name == "constant":
        check_scalar("beta.constant", arguments)
        return [arguments] * P
    if not isinstance(arguments, dict):
        raise ConfigError(f"beta.{name} must be an object, got {_json_type(arguments)}")
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


def problem_from(config: dict[str, Any]) -> LGP:
    """The LGP of a (non rank-one) config."""
    kwargs = covariance(_require(config, "covariance"))
    size = len(kwargs.get("eigenvalues", kwargs.get("covariance", [])))
    coefficients = beta(_require(config, "beta"), size)
    sigma = _require(config, "sigma")
    return LGP(beta=coefficients, sigma=sigma, **kwargs)


def law(spec: object) -> Distribution:
    """The Distribution of a ``law`` entry: ``{"uniform": {"low": 0.5, "high": 2}}``."""
    name, arguments = _generator(spec, LAWS, "law")
    distribution: Distribution = construct(LAWS[name], arguments, f"law.{name}", lists=("values", "probabilities"))
    return distribution


def _choice(name: str, value: object, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ConfigError(f"{name} = {show(value)} must be one of {', '.join(repr(a) for a in allowed)}")
    return value


def parse(config: dict[str, Any]) -> dict[str, Any]:
    """Validate a config; returns the arguments of the requested evaluation.

    Returns a dict with ``kind`` ("lgp", "rank_one" or "asymptotic") and the typed values.
    """
    _object(config, "config")
    model = config.get("model", "lgp")
    if "model" not in config and set(config) & {"law", "B", "kappa", "keep"}:
        _unknown(config, ASYMPTOTIC_KEYS | ASYMPTOTIC_SCHEDULE_KEYS, "a continuous-law config")
        if "schedule" in config:
            return _parse_law_schedule(config)
        for key in ASYMPTOTIC_SCHEDULE_KEYS:
            if key in config:
                raise ConfigError(f'"{key}" applies to pruning in rounds: give a "schedule" (the kept fractions) too')
        return {
            "kind": "asymptotic",
            **_law_setting(config),
            "keep": check_scalar("keep", _require(config, "keep"), low=0.0, high=1.0, low_open=True),
        }
    if model == "rank_one":
        _unknown(config, RANK_ONE_KEYS, "config")
        zeta = _numbers("zeta", _require(config, "zeta"))
        coefficients = _numbers("beta", _require(config, "beta"))
        if len(zeta) != len(coefficients):
            raise ConfigError(f"zeta has length {len(zeta)} but beta has length {len(coefficients)}")
        return {
            "kind": "rank_one",
            "zeta": zeta,
            "beta": coefficients,
            "n": check_scalar("n", _require(config, "n"), low=2, low_open=True, integer=True),
            "sigma": check_scalar("sigma", _require(config, "sigma"), low=0.0),
            "s": check_scalar("s", _require(config, "s"), low=1, high=len(zeta), integer=True),
        }
    if model != "lgp":
        raise ConfigError(f"model = {show(model)} must be 'lgp' (default) or 'rank_one'")
    _unknown(config, LGP_KEYS | {"model"}, "config")
    n = check_scalar("n", _require(config, "n"), low=2, integer=True)
    if "schedule" in config:
        return _parse_schedule(config, n)
    for key in SCHEDULE_KEYS:
        if key in config:
            raise ConfigError(f'"{key}" applies to pruning in rounds: give a "schedule" (the kept sizes) too')
    s = check_scalar("s", _require(config, "s"), low=1, integer=True)
    ridge = check_scalar("ridge", config.get("ridge", 0), low=0.0)
    method = _choice("method", config.get("method", "auto"), ("auto", "closed", "sampling"))
    finite_size = _choice("finite_size", config.get("finite_size", "none"), ("none", "fitted"))
    samples = check_scalar("samples", config.get("samples", 2000), low=2, high=MAX_SAMPLES, integer=True)
    seed = check_scalar("seed", config.get("seed", 0), low=0, integer=True)
    problem = problem_from(config)
    m = config.get("m", problem.P)
    # s > m is allowed, as in dctheory.predict and in the m = "all" curves: magnitude, Hessian and
    # random pruning then keep all m weights, oracle pruning keeps the trained features in D*.
    if isinstance(m, list):
        if not m:
            raise ConfigError('m must be an integer, a non-empty list of integers or "all", got []')
        m = [check_scalar(f"m[{k}]", value, low=1, high=problem.P, integer=True) for k, value in enumerate(m)]
    elif m != "all":
        m = check_scalar("m", m, low=1, high=problem.P, integer=True)
    if s > problem.P:
        raise ConfigError(f"s = {s} must be <= P = {problem.P}")
    return {
        "kind": "lgp",
        "problem": problem,
        "n": n,
        "s": s,
        "ridge": ridge,
        "m": m,
        "method": method,
        "samples": samples,
        "seed": seed,
        "finite_size": finite_size,
    }


def _parse_schedule(config: dict[str, Any], n: int) -> dict[str, Any]:
    """A predict config with a "schedule" (pruning in rounds): the arguments of ``dctheory.predict_schedule``."""
    from dctheory.schedule import SCHEDULE_STRATEGIES, check_schedule

    problem = problem_from(config)
    m = check_scalar("m", config.get("m", problem.P), low=1, high=problem.P, integer=True)
    schedule = check_schedule(config["schedule"], m)
    if "s" in config and check_scalar("s", config["s"], low=1, integer=True) != schedule[-1]:
        raise ConfigError(f"s = {show(config['s'])} must be the last kept size of the schedule, {schedule[-1]}")
    for key, single in (("method", "auto"), ("finite_size", "none")):
        if config.get(key, single) != single:
            raise ConfigError(f"{key} = {show(config[key])} applies to one prediction, not to a schedule")
    retrain = _retrain_flags(config, len(schedule))
    return {
        "kind": "schedule",
        "problem": problem,
        "n": n,
        "m": m,
        "schedule": schedule,
        "strategy": _choice("strategy", config.get("strategy", SCHEDULE_STRATEGIES[0]), SCHEDULE_STRATEGIES),
        "retrain": retrain,
        "ridge": check_scalar("ridge", config.get("ridge", 0), low=0.0),
        "samples": check_scalar("samples", config.get("samples", 2000), low=2, high=MAX_SAMPLES, integer=True),
        "seed": check_scalar("seed", config.get("seed", 0), low=0, integer=True),
    }


def _retrain_flags(config: dict[str, Any], rounds: int) -> bool | list[Any]:
    """A schedule's "retrain": true (default), false or a list (one flag per round, checked by the API)."""
    retrain = config.get("retrain", True)
    if not isinstance(retrain, (bool, list)):
        raise ConfigError(f"retrain = {show(retrain)} must be true, false or a list of {rounds} booleans")
    return retrain


def _law_setting(config: dict[str, Any]) -> dict[str, Any]:
    """law, B, kappa and sigma of a continuous-law config, checked."""
    return {
        "law": law(_require(config, "law")),
        "B": check_scalar("B", _require(config, "B")),
        "kappa": check_scalar("kappa", _require(config, "kappa"), low=1.0, low_open=True),
        "sigma": check_scalar("sigma", _require(config, "sigma"), low=0.0),
    }


def _parse_law_schedule(config: dict[str, Any]) -> dict[str, Any]:
    """A continuous-law config with a "schedule" (kept fractions of P, round by round): the arguments of
    ``AsymptoticDC.predict_schedule``."""
    from dctheory.schedule import SCHEDULE_STRATEGIES

    if "keep" in config:
        raise ConfigError('give either "keep" (one round) or "schedule" (the kept fraction of each round), not both')
    schedule = config["schedule"]
    if isinstance(schedule, (str, bytes)) or not isinstance(schedule, list) or not schedule:
        raise ConfigError(
            f"schedule = {show(schedule)} must be a non-empty list of kept fractions in (0, 1], strictly decreasing"
        )
    keeps = [
        check_scalar(f"schedule[{k}]", value, low=0.0, high=1.0, low_open=True) for k, value in enumerate(schedule)
    ]
    retrain = _retrain_flags(config, len(keeps))
    return {
        "kind": "asymptotic_schedule",
        **_law_setting(config),
        "schedule": keeps,
        "strategy": _choice("strategy", config.get("strategy", SCHEDULE_STRATEGIES[0]), SCHEDULE_STRATEGIES),
        "retrain": retrain,
    }


ADVISE_DOC = """Advise configs (the JSON files that ``dctheory advise`` reads).

An LGP config (see ``dctheory predict --help``), for example::

    {"n": 150, "sigma": 0, "s": 120,
     "covariance": {"spiked": {"P": 500, "k": 60, "C": 10}}, "beta": {"constant": 1},
     "ridges": [0, 0.001, 0.01, 0.1, 1], "m_points": 200}

with the optional keys ridges (the ridge strengths to try; default [0, 0.001, 0.01, 0.1, 1]), m_points
(how many m in [s, P], or "all"; default 200), samples (400) and seed (0) for DC sampling per m (a full
covariance only) and for the chains of pruning in rounds, and schedules (false; true also ranks pruning in
rounds, 2 to 4 rounds with geometric and linear sizes; several times slower, docs/advise.md). advise scans m
and the ridge itself: a predict config's "m" and "ridge" are accepted and
ignored, with a one-line note.

Or a random-features setting (docs/theory.md#random-features), ReLU features of x ~ N(0, I_d),
W with i.i.d. N(0, 1/d) entries drawn with seed, y = (x^T beta*)^2 + noise z::

    {"model": "random_features", "d": 20, "P": 400, "noise": 0, "seed": 0, "n": 200, "s": 40}

(ridges, m_points and samples as above).
"""

#: keys of a predict config that advise scans itself: accepted and ignored, with a note
ADVISE_SCANS = {"m": "advise scans m over [s, P] itself", "ridge": "advise tries every ridge in ridges"}
ADVISE_KEYS = {"n", "sigma", "s", "covariance", "beta", "ridges", "m_points", "samples", "seed", "model", "schedules"}
RANDOM_FEATURES_KEYS = {"model", "d", "P", "noise", "seed", "n", "s", "ridges", "m_points", "samples", "schedules"}


def parse_advise(config: dict[str, Any]) -> dict[str, Any]:
    """Validate an advise config (``ADVISE_DOC``); returns the typed arguments of :func:`dctheory.advise`."""
    _object(config, "config")
    model = config.get("model", "lgp")
    if model == "random_features":
        _unknown(config, RANDOM_FEATURES_KEYS, "config")
        from dctheory.random_features import random_features_lgp

        d = check_scalar("d", _require(config, "d"), low=1, high=MAX_MATRIX_P, integer=True)
        P = check_scalar("P", _require(config, "P"), low=1, high=MAX_MATRIX_P, integer=True)
        seed = check_scalar("seed", config.get("seed", 0), low=0, integer=True)
        rng = np.random.default_rng(seed)
        W = rng.standard_normal((P, d)) / np.sqrt(d)
        beta_star = np.zeros(d)
        beta_star[0] = 1.0
        problem = random_features_lgp(W, beta_star, check_scalar("noise", config.get("noise", 0), low=0.0))
    elif model == "lgp":
        _unknown(config, ADVISE_KEYS | set(ADVISE_SCANS), "config")
        problem = problem_from(config)
        seed = check_scalar("seed", config.get("seed", 0), low=0, integer=True)
    else:
        raise ConfigError(f"model = {show(model)} must be 'lgp' (default) or 'random_features'")
    n = check_scalar("n", _require(config, "n"), low=2, integer=True)
    s = check_scalar("s", _require(config, "s"), low=1, high=problem.P, integer=True)
    ridges = config.get("ridges", [0, Decimal("0.001"), Decimal("0.01"), Decimal("0.1"), 1])
    if not isinstance(ridges, list) or not ridges:
        raise ConfigError("ridges must be a non-empty list of numbers >= 0")
    ridges = [check_scalar(f"ridges[{k}]", v, low=0.0) for k, v in enumerate(ridges)]
    m_points = config.get("m_points", 200)
    if m_points != "all":
        m_points = check_scalar("m_points", m_points, low=2, integer=True)
    samples = check_scalar("samples", config.get("samples", 400), low=2, high=MAX_SAMPLES, integer=True)
    ignored = [f'note: "{key}" is ignored: {why}' for key, why in ADVISE_SCANS.items() if key in config]
    schedules = config.get("schedules", False)
    if not isinstance(schedules, bool):
        raise ConfigError(f"schedules = {show(schedules)} must be true or false")
    return {
        "problem": problem,
        "n": n,
        "s": s,
        "ridges": ridges,
        "m_points": m_points,
        "samples": samples,
        "seed": seed,
        "schedules": schedules,
        "notes": ignored,
    }
