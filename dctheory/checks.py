"""Argument checks and how a value prints in a message (a leaf module: it imports nothing from dctheory
but its errors).

Every public entry point validates its arguments here, so that bad input is one typed line naming the
argument, the value as the user wrote it (:func:`show`) and the valid range: numbers (:func:`check_number`,
:func:`check_scalar`), arrays (:func:`real_array`, :func:`finite_vector`), the sample size and ridge
(:func:`check_n_ridge`), digits (:func:`check_dps`) and atom probabilities (:func:`check_probabilities`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal, overload

import mpmath
import numpy as np
from numpy.typing import ArrayLike

from dctheory.errors import ConfigError

__all__ = [
    "show",
    "check_number",
    "check_scalar",
    "real_array",
    "finite_vector",
    "check_n_ridge",
    "MAX_DPS",
    "check_dps",
    "check_probabilities",
]


def _elements(values: object) -> Iterator[object]:
    """The scalars of a (nested) list, tuple or array, in order."""
    if isinstance(values, np.ndarray):
        yield from values.ravel()
    elif isinstance(values, (list, tuple)):
        for value in values:
            yield from _elements(value)
    else:
        yield values


def real_array(name: str, values: object) -> np.ndarray:
    """``values`` as a float array, refusing strings, booleans, complex numbers and ragged rows."""
    if isinstance(values, (str, bytes, dict)):
        raise ConfigError(f"{name} must be a list of numbers, got {show(values)}")
    try:
        raw = np.asarray(values)
    except ValueError:
        raise ConfigError(f"{name} must be a list of numbers (rows of equal length)") from None
    if raw.dtype.kind in "OUSbc" or isinstance(values, (list, tuple)):
        for index, value in enumerate(_elements(values)):
            check_number(f"{name}[{index}]" if raw.ndim == 1 else name, value)
        if raw.dtype.kind == "c":
            raise ConfigError(f"{name} must be real numbers, got complex values")
    try:
        return np.asarray(raw, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise ConfigError(f"{name} must be a list of numbers") from None


def finite_vector(name: str, values: object, length: int | None = None) -> np.ndarray:
    array = real_array(name, values)
    if array.ndim != 1:
        raise ConfigError(f"{name} must be a 1-d list of numbers, got shape {array.shape}")
    if length is not None and array.size != length:
        raise ConfigError(f"{name} has length {array.size}, expected {length} (the number of features P)")
    bad = np.flatnonzero(~np.isfinite(array))
    if bad.size:
        raise ConfigError(f"{name}[{bad[0]}] = {show(array[bad[0]])} is not finite (must be a finite number)")
    return array


def show(value: object) -> str:
    """A value as a user wrote it, for messages: ``150.5`` (not ``Decimal('150.5')``),
    ``1e-05``, ``'150'`` for a string; very long numbers are shortened."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value)).lower()
    if isinstance(value, (float, np.floating)):
        text = repr(float(value))
    elif isinstance(value, (int, np.integer, Decimal, Fraction)):
        if isinstance(value, int) and value.bit_length() > 14000:  # beyond the int-to-str digit limit
            return f"{'-' if value < 0 else ''}~1e{int(abs(value).bit_length() * math.log10(2))}"
        text = str(value)
        if isinstance(value, (int, np.integer)) and abs(int(value)) >= 10**16:
            text = format(Decimal(int(value)).normalize(), "g")
    elif isinstance(value, mpmath.mpf):
        text = mpmath.nstr(value, 17)
    elif value is None:
        return "null"
    else:
        text = repr(value)
    return text if len(text) <= 60 else f"{text[:25]}...{text[-10:]} ({len(text)} characters)"


def check_number(name: str, value: Any) -> float:
    """``value`` as a float, refusing what is not a number: strings (``"150"``), booleans
    (``true``), None, containers; ConfigError naming ``name`` otherwise."""
    if isinstance(value, (bool, np.bool_)):
        raise ConfigError(f"{name} = {show(value)} is a boolean, not a number")
    if isinstance(value, (str, bytes)):
        value = str(value) if isinstance(value, str) else value
        raise ConfigError(f"{name} = {show(value)} is a string, not a number (write it without quotes)")
    if isinstance(value, (list, tuple, dict, set)) or (isinstance(value, np.ndarray) and value.ndim != 0):
        kind = {"list": "a list", "tuple": "a list", "dict": "an object"}.get(type(value).__name__, "an array")
        raise ConfigError(f"{name} must be a number, got {kind}")
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf
    except (TypeError, ValueError):
        raise ConfigError(f"{name} = {show(value)} is not a number") from None


@overload
def check_scalar(
    name: str,
    value: object,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    integer: Literal[False] = False,
) -> float: ...
@overload
def check_scalar(
    name: str,
    value: object,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    integer: Literal[True],
) -> int: ...
def check_scalar(
    name: str,
    value: object,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    integer: bool = False,
) -> float:
    """Validate a scalar argument: a number (not a string or a boolean), finite, in range,
    an integer if asked; returns it as a float (an int with ``integer``).

    Raises:
        ConfigError: naming ``name``, the value and the valid range.
    """
    if type(value) is float or (type(value) is int and -(2**53) <= value <= 2**53):
        number = float(value)  # the common case, exactly (an int of this size is a float exactly)
    else:
        number = check_number(name, value)
    if not math.isfinite(number):
        reason = "is not finite" if isinstance(value, (float, np.floating)) else "is too large for a float"
        raise ConfigError(f"{name} = {show(value)} {reason} (must be a finite number of magnitude below 1.8e308)")
    if integer and number != int(number):
        raise ConfigError(f"{name} = {show(value)} must be an integer")
    if low is not None and (number <= low if low_open else number < low):
        raise ConfigError(f"{name} = {show(value)} must be {'>' if low_open else '>='} {show(low)}")
    if high is not None and number > high:
        raise ConfigError(f"{name} = {show(value)} must be <= {show(high)}")
    if integer:
        # an exact integer stays exact (n = 10**30 is not 1000000000000000019884624838656)
        if type(value) is int:
            return value
        return int(value) if isinstance(value, (int, np.integer, Decimal, Fraction)) else int(number)
    return number


def check_n_ridge(n: object, ridge: object) -> tuple[int, float]:
    """The sample size (an integer >= 2) and the ridge (>= 0), checked."""
    return check_scalar("n", n, low=2, integer=True), check_scalar("ridge", ridge, low=0.0)


MAX_DPS = 10_000  # the largest accepted dps (documented in docs/getting-started.md)


def check_dps(dps: object) -> int:
    """``dps`` as an int in [1, MAX_DPS], or ConfigError."""
    if isinstance(dps, bool) or not isinstance(dps, (int, np.integer)) or not 1 <= dps <= MAX_DPS:
        raise ConfigError(f"dps = {dps!r} must be an integer in [1, {MAX_DPS}] (decimal digits)")
    return int(dps)


def check_probabilities(probabilities: ArrayLike, size: int) -> np.ndarray:
    """Atom probabilities: ``size`` finite values >= 0 summing to 1 (ConfigError otherwise)."""
    p = real_array("probabilities", probabilities)
    if p.shape != (size,) or np.any(p < 0) or not np.all(np.isfinite(p)) or abs(p.sum() - 1) > 1e-12:
        raise ConfigError(f"probabilities must be >= 0, of length {size}, and sum to 1 (sum = {p.sum():.6g})")
    return p
