"""The result objects returned by :func:`dctheory.predict`, :func:`~dctheory.risk_curve`,
:func:`~dctheory.advise`, :meth:`dctheory.AsymptoticDC.predict`, :func:`dctheory.certify.certify`,
:func:`~dctheory.rank_one` and :func:`~dctheory.predict_schedule`.

Each is a dataclass whose fields hold the numbers (documented on the class). All share one face,
:class:`ResultMixin`:

* ``repr``: the setting and the values in a few lines (:class:`Advice`: the verdict and the top
  five routes, never the tidy table); high-precision values (``dps``) with all their verified
  digits, floats with 6 significant digits, Monte Carlo values rounded to their standard error;
* ``_repr_html_``: the same as a small HTML table (notebooks);
* ``to_dict()``: every field, JSON-able (floats; high-precision values as decimal strings with
  their verified digits; intervals as outward-rounded decimal strings; NaN as None);
* ``to_frame()``: a pandas DataFrame of the numbers (needs the ``pandas`` extra:
  ``pip install 'dctheory[pandas]'``);
* a read-only mapping over its named parts (strategies; :class:`Certificate`: xi, tau2, dense;
  :class:`RankOne`: the excess risks): ``keys()``, iteration, ``len``, ``in`` and ``result[name]``,
  whose KeyError lists the valid names.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, ItemsView, Iterable, Iterator, Mapping, Sequence
from dataclasses import Field, dataclass, field, fields
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, overload

import mpmath
import numpy as np
import numpy.typing as npt

from dctheory.strategies import DENSE, NEEDS_ORACLE, ordered

if TYPE_CHECKING:
    import pandas

__all__ = [
    "ResultMixin",
    "Prediction",
    "Curve",
    "Advice",
    "AsymptoticPrediction",
    "Certificate",
    "RankOne",
    "ScheduleResult",
]

#: significant digits of float64 values in a repr (to_dict keeps them all)
FLOAT_DIGITS = 6
#: routes of an :class:`Advice` shown by its repr
TOP_ROUTES = 5

#: a table for display: the column titles and the rows of cells (text)
Table = tuple[Sequence[str], Sequence[Sequence[str]]]


class IntervalLike(Protocol):
    """A certified interval as a :class:`Certificate` holds it (:class:`dctheory.certify.Interval`,
    not imported here: certify builds certificates)."""

    @property
    def lo(self) -> Fraction: ...
    @property
    def hi(self) -> Fraction: ...
    @property
    def width(self) -> float: ...
    def bounds(self, digits: int = 20) -> tuple[str, str]: ...
    def format(self, digits: int = 20) -> str: ...


# ---------------------------------------------------------------------------
# Numbers as text and as JSON
# ---------------------------------------------------------------------------


def number_text(value: Any, dps: int | None = None) -> str:
    """``value`` as text: an mpmath number with ``dps`` significant digits (its verified digits;
    mpmath's working precision when None), a float with :data:`FLOAT_DIGITS`, None as "undefined"."""
    if value is None:
        return "undefined"
    if isinstance(value, mpmath.mpf):
        return _mp_text(value, dps)
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}" if abs(int(value)) >= 10_000 else str(int(value))
    value = float(value)
    if math.isnan(value):
        return "undefined"
    return f"{value:.{FLOAT_DIGITS}g}"


def value_with_error(value: Any, error: Any, sign: str = "±", plain: Callable[[Any], str] | None = None) -> str:
    """``value ± error`` with the value rounded to the error's second significant digit
    (a Monte Carlo standard error); just the value (``plain(value)``, default :func:`number_text`)
    when the error is 0 or missing. The command line prints ``sign="+-"``."""
    plain = plain or number_text
    if value is None or error is None or isinstance(value, mpmath.mpf):
        return plain(value)
    value, error = float(value), float(error)
    if not (math.isfinite(value) and math.isfinite(error)) or error <= 1e-12 * abs(value):
        return plain(value)  # exact (a closed form within a sampled prediction), up to rounding
    place = math.floor(math.log10(error)) - 1  # the error's second significant digit
    magnitude = math.floor(math.log10(abs(value))) if value else place
    if -5 <= magnitude < 7 and -12 < place:
        decimals = max(-place, 0)
        if place > 0:  # round to tens, hundreds, ...
            value, error = round(value, -place), round(error, -place)
        return f"{value:.{decimals}f} {sign} {error:.{decimals}f}"
    digits = max(magnitude - place, 0)
    return f"{value:.{digits}e} {sign} {error:.1e}"


def jsonable(value: Any, dps: int | None = None) -> Any:
    """``value`` as plain JSON types: floats (non-finite: None), ints, strings (mpmath numbers with
    ``dps`` digits; an interval's outward-rounded bounds), lists and dicts with string keys."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, mpmath.mpf):
        return _mp_text(value, dps)
    if hasattr(value, "bounds") and hasattr(value, "lo"):  # dctheory.certify.Interval
        lo, hi = value.bounds(dps or 20)
        return {"lo": lo, "hi": hi}
    if isinstance(value, np.ndarray):
        return [jsonable(x, dps) for x in value.tolist()]
    if isinstance(value, dict):
        return {str(k): jsonable(v, dps) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(x, dps) for x in value]
    return str(value)


def _mp_text(value: Any, dps: int | None) -> str:
    """An mpmath number with ``dps`` significant digits (mpmath's working precision when None)."""
    text: str = mpmath.nstr(value, dps or mpmath.mp.dps, strip_zeros=False)
    return text


def _float(value: Any) -> float:
    """A number as float64 (None -> NaN), for DataFrames."""
    return math.nan if value is None else float(value)


def _pandas() -> Any:
    """The pandas module (untyped: Any)."""
    try:
        import pandas
    except ImportError:
        raise ImportError("to_frame() needs pandas: pip install 'dctheory[pandas]' (or 'dctheory[notebook]')") from None
    return pandas


_TEXT_COLUMNS = ("strategy", "quantity")


def _setting_text(setting: Iterable[tuple[str, object]]) -> str:
    return ", ".join(f"{name} = {value}" for name, value in setting)


# ---------------------------------------------------------------------------
# The shared face
# ---------------------------------------------------------------------------


class ResultMixin:
    """Display, export and mapping access for a result dataclass.

    A result class defines ``_parts()`` (name -> value, the mapping), ``_title()`` (one line:
    what it is and its setting), ``_table()`` (column names, rows of text) and optionally
    ``_lines()`` (text before the table) and ``_footer()`` (text after it), and ``to_frame()``.
    """

    _kind = "name"  # what the keys are, for the KeyError message
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]  # set by @dataclass on every result class

    # -- mapping ----------------------------------------------------------------
    def _parts(self) -> dict[str, Any]:
        raise NotImplementedError

    def _title(self) -> str:
        raise NotImplementedError

    def _table(self) -> Table:
        raise NotImplementedError

    def keys(self) -> tuple[str, ...]:
        """The names that ``result[name]`` accepts, in display order."""
        return tuple(self._parts())

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self._parts())

    def __contains__(self, name: object) -> bool:
        return name in self._parts()

    def __getitem__(self, name: str) -> Any:
        parts = self._parts()
        try:
            return parts[name]
        except (KeyError, TypeError):
            raise KeyError(
                f"{name!r} is not a {self._kind} of this {type(self).__name__}; valid: {', '.join(parts)}"
            ) from None

    def items(self) -> ItemsView[str, Any]:
        """(name, value) pairs, as ``dict(result).items()``."""
        return self._parts().items()

    # -- display -------------------------------------------------------------------
    def _lines(self) -> list[str]:
        return []

    def _footer(self) -> list[str]:
        return []

    def __repr__(self) -> str:
        header, rows = self._table()
        widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
        table = [
            "  ".join(
                f"{cell:<{w}}" if title in _TEXT_COLUMNS else f"{cell:>{w}}"
                for cell, w, title in zip(line, widths, header)
            ).rstrip()
            for line in (header, *rows)
        ]
        return "\n".join([self._title(), *self._lines(), *("  " + line for line in table), *self._footer()])

    def _repr_html_(self) -> str:
        header, rows = self._table()
        e = html.escape
        head = "".join(f"<th>{e(str(c))}</th>" for c in header)
        left = ' style="text-align:left"'
        body = "".join(
            "<tr>"
            + "".join(f"<td{left if title in _TEXT_COLUMNS else ''}>{e(str(c))}</td>" for c, title in zip(row, header))
            + "</tr>"
            for row in rows
        )
        before = "".join(f"<p>{e(line)}</p>" for line in self._lines())
        after = "".join(f"<p><small>{e(line.strip())}</small></p>" for line in self._footer())
        return (
            f"<div><p><b>{e(self._title())}</b></p>{before}<table><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>{after}</div>"
        )

    # -- export ----------------------------------------------------------------------
    def _digits(self) -> int | None:
        return getattr(self, "dps", None)

    def to_dict(self) -> dict[str, Any]:
        """Every field as JSON-able values (``json.dumps`` accepts the result): floats, ints,
        strings for high-precision values (all their verified digits), lists, dicts."""
        return {f.name: jsonable(getattr(self, f.name), self._digits()) for f in fields(self)}

    def to_frame(self) -> pandas.DataFrame:
        """A pandas DataFrame of the numbers (float64 columns). Needs the ``pandas`` extra."""
        raise NotImplementedError


#: the interpolation zone of a ridgeless fit: m / n in [low, high] (the ``INTERPOLATION_ZONE`` band)
INTERPOLATION_ZONE = (0.9, 1.2)
#: measured finite-n deviation there, (m / n, low %, high %): (simulated - predicted) / predicted of the
#: dense and pruned risks in Fig. 3(a) and 3(b) (n = 150, 100 trials; docs/validation/fig3a.md, fig3b.md);
#: at m / n = 0.81 and 1.27 both are within 0.5% and 4%; the retrained risks at 1.04 within +0.3..+6.4%
INTERPOLATION_DEVIATIONS = ((0.93, -4, 9), (0.95, -2, 5), (1.04, 22, 29), (1.07, 11, 15), (1.15, 4, 8))


@overload
def in_interpolation_zone(n: int, m: int, ridge: float) -> bool: ...


@overload
def in_interpolation_zone(n: int, m: npt.NDArray[np.int_], ridge: float) -> npt.NDArray[np.bool_]: ...


def in_interpolation_zone(n: int, m: Any, ridge: float) -> Any:
    """Whether m (an int, or each of an array of them) has the caution of :func:`interpolation_note`: ridgeless,
    with 0.9 n <= m <= 1.2 n (:data:`INTERPOLATION_ZONE`)."""
    low, high = INTERPOLATION_ZONE
    return (low * n <= m) & (m <= high * n) & (ridge == 0)


def interpolation_note(n: int, m: int, ridge: float) -> str | None:
    """The caution for a ridgeless prediction with 0.9 <= m/n <= 1.2 (None elsewhere, and with a ridge):
    there the finite-size DC is least accurate, and the note gives the deviation measured nearest m/n
    and the band's (:data:`INTERPOLATION_DEVIATIONS`)."""
    if not in_interpolation_zone(n, m, ridge):
        return None
    low, high = INTERPOLATION_ZONE
    ratio, below, above = min(INTERPOLATION_DEVIATIONS, key=lambda row: abs(row[0] - m / n))
    measured = ", ".join(f"{a:+d}..{b:+d}% at {r:g}" for r, a, b in INTERPOLATION_DEVIATIONS)
    return (
        f"m/n = {m / n:.3g} is in the interpolation zone ({low:g} <= m/n <= {high:g}, ridgeless), where the "
        f"finite-n prediction is least accurate: simulated dense and pruned risks differed from it by "
        f"{below:+d}..{above:+d}% at the nearest measured m/n = {ratio:g} (Fig. 3(a)/(b), n = 150; measured: "
        f"{measured}); retrained risks, refit on s features, deviated less (+0.3..+6% at 1.04)"
    )


def _notes_footer(notes: Mapping[str, str]) -> list[str]:
    return [f"  note ({name}): {text}" for name, text in notes.items()]


def _precision(dps: int | None) -> str:
    return "float64" if dps is None else f"{dps} verified digits"


# ---------------------------------------------------------------------------
# The results
# ---------------------------------------------------------------------------


@dataclass(repr=False)
class Prediction(ResultMixin):
    """Predicted risks of one training set-up (:func:`dctheory.predict`).

    Attributes:
        xi, tau2: the DC parameters (None for ridgeless m < n - 1, where least
            squares has no xi; the dense risk is then its exact mean risk).
        risks: strategy -> predicted population risk (None where undefined; see ``notes``).
        stderr: strategy -> standard error of the prediction (0 for closed forms,
            the Monte Carlo error of DC sampling otherwise).
        method: "closed" or "sampling"; dps: digits (None for float64).
        finite_size: strategy -> the EMPIRICAL finite-size correction applied by
            ``predict(..., finite_size="fitted")`` (reference setting, c, se_c, factor
            1 + c/n, uncorrected risk, its s.e. se_c/n * risk, also in ``stderr``);
            empty otherwise. See :mod:`dctheory.finite_size`.
        interpolation: the caution of :func:`interpolation_note` for a ridgeless m with
            0.9 <= m/n <= 1.2 (the measured size of the finite-n deviation there); None elsewhere.

    ``prediction[strategy]`` is ``risks[strategy]``; iteration and ``keys()`` give the strategies.
    """

    n: int
    m: int
    s: int
    ridge: float
    regime: str
    xi: Any  # float, mpmath number or None
    tau2: Any
    risks: dict[str, Any]
    stderr: Mapping[str, float | None]
    method: str
    dps: int | None = None
    notes: dict[str, str] = field(default_factory=dict)
    finite_size: dict[str, dict[str, Any]] = field(default_factory=dict)
    interpolation: str | None = field(init=False, default=None)

    _kind = "strategy"

    def __post_init__(self) -> None:
        self.interpolation = interpolation_note(self.n, self.m, self.ridge)

    def _parts(self) -> dict[str, Any]:
        return ordered(self.risks)

    def _title(self) -> str:
        how = "closed form" if self.method == "closed" else "DC sampling"
        corrected = ", finite-size corrected (fitted)" if self.finite_size else ""
        return (
            f"Prediction: {_setting_text([('n', self.n), ('m', self.m), ('s', self.s), ('ridge', f'{self.ridge:g}')])}"
            f" ({self.regime}; {how}, {_precision(self.dps)}{corrected})"
        )

    def _lines(self) -> list[str]:
        return [f"xi = {number_text(self.xi, self.dps)}, tau2 = {number_text(self.tau2, self.dps)}"]

    def _sampled(self) -> bool:
        return any(v for v in self.stderr.values() if v)

    def _table(self) -> Table:
        sampled = self._sampled()
        header = ("strategy", "risk ± s.e." if sampled else "risk")
        rows = [
            (name, value_with_error(value, self.stderr.get(name)) if sampled else number_text(value, self.dps))
            for name, value in self._parts().items()
        ]
        return header, rows

    def _footer(self) -> list[str]:
        return _notes_footer(self.notes) + (
            [f"  note (interpolation): {self.interpolation}"] if self.interpolation else []
        )

    def to_frame(self) -> pandas.DataFrame:
        """One row per strategy: n, m, s, ridge, xi, tau2, strategy, risk, stderr (float64)."""
        pandas = _pandas()
        return pandas.DataFrame(
            [
                {
                    "n": self.n,
                    "m": self.m,
                    "s": self.s,
                    "ridge": float(self.ridge),
                    "xi": _float(self.xi),
                    "tau2": _float(self.tau2),
                    "strategy": name,
                    "risk": _float(value),
                    "stderr": _float(self.stderr.get(name)),
                }
                for name, value in self._parts().items()
            ]
        )


@dataclass(repr=False)
class Curve(ResultMixin):
    """Risks of every strategy for a range of m (training on the first m features; :func:`dctheory.risk_curve`).

    ``m`` lists the evaluated m; ``risks[strategy]``, ``xi`` and ``tau2`` are
    aligned with it (xi and tau2 are NaN where m < n - 1, ridgeless).
    ``undefined`` lists the m that were skipped (ridgeless m in [n - 1, n]) and
    ``notes`` explains any strategy left NaN on a range of m. ``interpolation`` is True for the m of
    the interpolation zone (ridgeless, 0.9 <= m/n <= 1.2, aligned with ``m``), where the finite-n
    prediction is least accurate; ``interpolation_note`` says by how much (:func:`interpolation_note`).

    ``curve[strategy]`` is the array ``risks[strategy]``; iteration and ``keys()`` give the strategies.
    """

    n: int
    s: int
    ridge: float
    m: np.ndarray
    xi: npt.NDArray[np.float64]
    tau2: npt.NDArray[np.float64]
    risks: dict[str, npt.NDArray[np.float64]]
    undefined: list[int]
    notes: dict[str, str] = field(default_factory=dict)
    interpolation: npt.NDArray[np.bool_] = field(init=False)
    interpolation_note: str | None = field(init=False, default=None)

    _kind = "strategy"

    def __post_init__(self) -> None:
        m = np.asarray(self.m, dtype=int)
        self.interpolation = in_interpolation_zone(self.n, m, self.ridge)
        inside = m[self.interpolation]
        if inside.size:
            note = interpolation_note(self.n, int(inside[np.argmin(np.abs(inside / self.n - 1.04))]), self.ridge)
            self.interpolation_note = f"m = {inside.min()}..{inside.max()}: {note}"

    def _parts(self) -> dict[str, Any]:
        return ordered(self.risks)

    def _title(self) -> str:
        m = np.asarray(self.m)
        span = f"{m.size} values of m in [{m.min()}, {m.max()}]" if m.size else "no m defined"
        skipped = f"; ridgeless m = {', '.join(map(str, self.undefined))} undefined" if self.undefined else ""
        return f"Curve: {_setting_text([('n', self.n), ('s', self.s), ('ridge', f'{self.ridge:g}')])}; {span}{skipped}"

    def _table(self) -> Table:
        m = np.asarray(self.m)
        last = int(m[-1]) if m.size else None
        rows = []
        for name, values in self._parts().items():
            values = np.asarray(values, dtype=float)
            finite = np.isfinite(values)
            if not finite.any():
                rows.append((name, "undefined", "", "undefined"))
                continue
            best = int(np.flatnonzero(finite)[np.argmin(values[finite])])
            rows.append((name, number_text(values[best]), str(int(m[best])), number_text(values[-1])))
        return ("strategy", "min risk", "at m", "risk at the last m" if last is None else f"risk at m = {last}"), rows

    def _footer(self) -> list[str]:
        zone = [f"  note (interpolation): {self.interpolation_note}"] if self.interpolation_note else []
        return _notes_footer(self.notes) + zone

    def to_frame(self) -> pandas.DataFrame:
        """One row per m: m, xi, tau2, one column per strategy (float64; NaN where undefined) and
        ``interpolation`` (bool: m in the interpolation zone)."""
        pandas = _pandas()
        columns = {
            "m": np.asarray(self.m, dtype=int),
            "xi": np.asarray(self.xi, dtype=float),
            "tau2": np.asarray(self.tau2, dtype=float),
        }
        columns.update({name: np.asarray(values, dtype=float) for name, values in self._parts().items()})
        columns["interpolation"] = self.interpolation
        return pandas.DataFrame(columns)


@dataclass(repr=False)
class Advice(ResultMixin):
    """The result of :func:`dctheory.advise`.

    Attributes:
        rows: the tidy table, one dict per evaluated (strategy, m, ridge):
            ``strategy``, ``m`` (trained features; s for small models), ``ridge``,
            ``risk`` (predicted population risk) and ``stderr`` (0 for closed forms).
        ranking: the best row of each strategy (over m and ridge), sorted by risk,
            with ``gap`` = risk - best risk and ``relative_gap`` = risk / best - 1.
        best: the best row among strategies that need no oracle knowledge.
        best_small: the best small model that needs no oracle knowledge (``small_first``).
        verdict: one sentence.
        notes: strategy -> why some (m, ridge) were skipped.

    ``advice[strategy]`` is that strategy's best row (from ``ranking``); iteration and ``keys()``
    give the strategies by rank. ``to_frame()`` is the tidy table (``rows``).
    """

    n: int
    s: int
    P: int
    ridges: tuple[float, ...]
    rows: list[dict[str, Any]]
    ranking: list[dict[str, Any]]
    best: dict[str, Any]
    best_small: dict[str, Any] | None
    verdict: str
    notes: dict[str, str] = field(default_factory=dict)

    _kind = "strategy"

    def _parts(self) -> dict[str, Any]:
        return {row["strategy"]: row for row in self.ranking}

    def _title(self) -> str:
        ridges = ", ".join(f"{r:g}" for r in self.ridges)
        return (
            f"Advice: {_setting_text([('P', self.P), ('n', self.n), ('s', self.s)])}, ridges {ridges}; "
            f"{len(self.rows):,} evaluated routes (.rows, .to_frame())"
        )

    def _lines(self) -> list[str]:
        return [self.verdict]

    def _sampled(self) -> bool:
        return any(row.get("stderr") for row in self.ranking)

    def _table(self) -> Table:
        sampled = self._sampled()
        header = ("rank", "strategy", "m", "ridge", "risk ± s.e." if sampled else "risk", "gap %")
        rows = []
        for rank, row in enumerate(self.ranking[:TOP_ROUTES], 1):
            mark = " *" if row["strategy"] in NEEDS_ORACLE else ""
            risk = value_with_error(row["risk"], row.get("stderr")) if sampled else number_text(row["risk"])
            rows.append(
                (
                    str(rank),
                    row["strategy"] + mark,
                    str(row["m"]),
                    f"{row['ridge']:g}",
                    risk,
                    f"{100 * row['relative_gap']:.2f}",
                )
            )
        return header, rows

    def _footer(self) -> list[str]:
        more = len(self.ranking) - TOP_ROUTES
        lines = []
        if more > 0:
            lines.append(f"  ... {more} more strateg{'y' if more == 1 else 'ies'} in .ranking (.table() prints all)")
        lines.append("  * needs the true top-s features (oracle knowledge); retrained = fresh retraining")
        return lines

    def table(self) -> str:
        """The ranking as a fixed-width text table."""
        lines = [f"{'rank':>4}  {'strategy':<20} {'m':>6} {'ridge':>8} {'risk':>12} {'gap':>11} {'gap %':>8}"]
        for rank, row in enumerate(self.ranking, 1):
            mark = " *" if row["strategy"] in NEEDS_ORACLE else ""
            lines.append(
                f"{rank:>4}  {row['strategy'] + mark:<20} {row['m']:>6} {row['ridge']:>8.3g} "
                f"{row['risk']:>12.6g} {row['gap']:>11.4g} {100 * row['relative_gap']:>7.2f}%"
            )
        lines.append(
            "* needs the true top-s features (oracle knowledge). Retrained = fresh retraining "
            "(a new sample of size n; docs/theory.md#retraining)."
        )
        return "\n".join(lines)

    def to_frame(self, table: str = "rows") -> pandas.DataFrame:
        """``table="rows"``: the tidy table, one row per evaluated (strategy, m, ridge) with risk and
        stderr; ``"ranking"``: the best row of each strategy, by rank, with gap and relative_gap."""
        pandas = _pandas()
        if table not in ("rows", "ranking"):
            raise ValueError(f"table = {table!r} must be 'rows' or 'ranking'")
        return pandas.DataFrame(self.rows if table == "rows" else self.ranking)


@dataclass(repr=False)
class AsymptoticPrediction(ResultMixin):
    """Asymptotic risks at a kept fraction q = s/P (training on all P features; :meth:`dctheory.AsymptoticDC.predict`).

    Attributes:
        keep: q; kappa, sigma: the setting; xi, tau2: the DC parameters.
        risks: strategy -> risk (None where undefined, see ``notes``).
        error: quantity -> quadrature error estimate (absolute; 0 for a discrete law).
        level: the tanh-sinh level used (None for a discrete law); dps: digits (None: float64).

    ``prediction[strategy]`` is ``risks[strategy]``; iteration and ``keys()`` give the strategies.
    """

    keep: float
    kappa: float
    sigma: float
    xi: Any  # float or mpmath number
    tau2: Any
    risks: dict[str, Any]
    error: dict[str, Any]
    level: int | None
    dps: int | None = None
    notes: dict[str, str] = field(default_factory=dict)

    _kind = "strategy"

    def _parts(self) -> dict[str, Any]:
        return ordered(self.risks)

    def _title(self) -> str:
        rule = "exact sums over atoms" if self.level is None else f"tanh-sinh level {self.level}"
        setting = [
            ("keep", f"{float(self.keep):g}"),
            ("kappa", f"{float(self.kappa):g}"),
            ("sigma", f"{float(self.sigma):g}"),
        ]
        return f"AsymptoticPrediction: {_setting_text(setting)} ({rule}, {_precision(self.dps)})"

    def _lines(self) -> list[str]:
        return [f"xi = {number_text(self.xi, self.dps)}, tau2 = {number_text(self.tau2, self.dps)}"]

    def _table(self) -> Table:
        rows = [
            (name, number_text(value, self.dps), _error_text(self.error.get(name)))
            for name, value in self._parts().items()
        ]
        return ("strategy", "risk", "quadrature error"), rows

    def _footer(self) -> list[str]:
        return _notes_footer(self.notes)

    def to_frame(self) -> pandas.DataFrame:
        """One row per strategy: keep, kappa, sigma, xi, tau2, strategy, risk, error (float64)."""
        pandas = _pandas()
        return pandas.DataFrame(
            [
                {
                    "keep": float(self.keep),
                    "kappa": float(self.kappa),
                    "sigma": float(self.sigma),
                    "xi": _float(self.xi),
                    "tau2": _float(self.tau2),
                    "strategy": name,
                    "risk": _float(value),
                    "error": _float(self.error.get(name)),
                }
                for name, value in self._parts().items()
            ]
        )


def _error_text(error: Any) -> str:
    if error is None:
        return ""
    error = float(error)
    return "0" if error == 0 else f"{error:.1e}"


@dataclass(frozen=True, repr=False)
class Certificate(ResultMixin):
    """Certified xi, tau^2 and dense risk of one training set-up (docs/theory.md#finite-size; :func:`dctheory.certify.certify`).

    ``xi`` and ``tau2`` are None in the ridgeless underparameterized regime.
    ``prec`` is the working precision in bits. ``certificate[name]`` is the interval of
    ``name`` in ``keys()`` (xi, tau2, dense).
    """

    n: int
    m: int
    ridge: float
    regime: str
    prec: int
    xi: IntervalLike | None
    tau2: IntervalLike | None
    dense: IntervalLike

    _kind = "quantity"

    def _parts(self) -> dict[str, Any]:
        return {"xi": self.xi, "tau2": self.tau2, DENSE: self.dense}

    def _digits(self) -> int:
        """The target decimal digits of :func:`dctheory.certify.certify` (prec = ceil(dps log2 10) + 32 bits)."""
        return max(1, int((self.prec - 32) * math.log10(2)))

    def _title(self) -> str:
        setting = [("n", self.n), ("m", self.m), ("ridge", f"{self.ridge:g}")]
        return f"Certificate: {_setting_text(setting)} ({self.regime}; {self.prec}-bit ball arithmetic)"

    def _table(self) -> Table:
        digits = self._digits()
        rows = [
            (name, "undefined" if interval is None else interval.format(digits))
            for name, interval in self._parts().items()
        ]
        return ("quantity", "certified interval [lo, hi]"), rows

    def to_frame(self) -> pandas.DataFrame:
        """One row per quantity: quantity, lo, hi, width (float64 approximations of the exact bounds;
        ``to_dict()`` gives the outward-rounded decimals)."""
        pandas = _pandas()
        return pandas.DataFrame(
            [
                {
                    "quantity": name,
                    "lo": math.nan if interval is None else float(interval.lo),
                    "hi": math.nan if interval is None else float(interval.hi),
                    "width": math.nan if interval is None else interval.width,
                }
                for name, interval in self._parts().items()
            ]
        )


@dataclass(frozen=True, repr=False)
class RankOne(ResultMixin):
    """Expected excess risks over L* = sigma^2 for x = zeta g (Lemma 1; :func:`dctheory.rank_one`).

    ``support`` is S = top-s of ``|zeta_i|`` (magnitude and Hessian pruning agree),
    ``rho = ||zeta_S||^2 / ||zeta||^2``; ``dps``: verified digits (None: float64).
    ``result[name]`` for ``name`` in ``keys()``: pruned_excess, retrained_excess, dense_excess, optimal_risk.
    """

    support: np.ndarray
    rho: Any  # float or mpmath number
    pruned_excess: Any
    retrained_excess: Any
    dense_excess: Any
    optimal_risk: Any
    dps: int | None = None

    _kind = "quantity"

    def _parts(self) -> dict[str, Any]:
        return {
            "pruned_excess": self.pruned_excess,
            "retrained_excess": self.retrained_excess,
            "dense_excess": self.dense_excess,
            "optimal_risk": self.optimal_risk,
        }

    def _title(self) -> str:
        support = np.asarray(self.support)
        shown = ", ".join(map(str, support[:8].tolist())) + (", ..." if support.size > 8 else "")
        return (
            f"RankOne (Lemma 1): s = {support.size} (support {shown}), rho = {number_text(self.rho, self.dps)} "
            f"({_precision(self.dps)})"
        )

    def _table(self) -> Table:
        return ("quantity", "value"), [(name, number_text(value, self.dps)) for name, value in self._parts().items()]

    def to_frame(self) -> pandas.DataFrame:
        """One row per quantity: s, rho, quantity, value (float64)."""
        pandas = _pandas()
        return pandas.DataFrame(
            [
                {
                    "s": int(np.asarray(self.support).size),
                    "rho": _float(self.rho),
                    "quantity": name,
                    "value": _float(value),
                }
                for name, value in self._parts().items()
            ]
        )


#: the numbers of one round of a :class:`ScheduleResult` (its dicts' keys), in display order
ROUND_NUMBERS = ("pruned", "retrained")


@dataclass(repr=False)
class ScheduleResult(ResultMixin):
    """Predicted risks of pruning in rounds (:func:`dctheory.predict_schedule`; a continuous law's
    schedule returns the same class).

    Round k trains (or keeps) a model, prunes it to ``kept`` weights and, if it retrains, fits a fresh
    model on the kept support. Each round is a dict with

    * ``kept``: the number of kept weights (an integer; a kept fraction for a continuous law);
    * ``pruned``: the risk of the pruned model of that round;
    * ``retrained``: the risk after fresh retraining on the kept support (None where the round does not
      retrain, or where the risk is undefined, see ``notes``);
    * optionally ``pruned_stderr`` and ``retrained_stderr``: the Monte Carlo standard errors (0 for an
      exact number; absent where nothing is sampled).

    Attributes:
        strategy: the pruning rule of every round (a name of :data:`dctheory.STRATEGIES`).
        rounds: one dict per round (above), in order.
        one_shot: the same dict for pruning once to the final size (the one-round prediction at
            ``rounds[-1]["kept"]``, same strategy).
        setting: what the prediction is for, shown in the title (e.g. ``{"P": 400, "n": 120, "m": 400,
            "ridge": 0.0}``, or ``{"kappa": 2, "sigma": 0.5}``).
        method: how the numbers were computed, in words (e.g. "closed form over sampled supports").
        samples: the number of Monte Carlo chains (None where nothing is sampled).
        dps: verified digits of the exact numbers (None: float64).
        notes: why a number is undefined, and what a round without retraining means.

    Only ``strategy``, ``rounds`` and ``one_shot`` are required: ``ScheduleResult("magnitude",
    [{"kept": 0.2, "pruned": 1.3, "retrained": 1.1}, ...], {"kept": 0.1, "pruned": ..., "retrained": ...})``.
    ``result["round 1"]`` is the first round's dict, ``result["one_shot"]`` the one-shot dict; ``final``
    is the risk at the end of the schedule, ``one_shot_final`` the one-shot risk it compares with.
    """

    strategy: str
    rounds: list[dict[str, Any]]
    one_shot: dict[str, Any]
    setting: dict[str, Any] = field(default_factory=dict)
    method: str = ""
    samples: int | None = None
    dps: int | None = None
    notes: dict[str, str] = field(default_factory=dict)

    _kind = "round"

    def __post_init__(self) -> None:
        for where, part in [*((f"rounds[{k}]", r) for k, r in enumerate(self.rounds)), ("one_shot", self.one_shot)]:
            missing = [key for key in ("kept", *ROUND_NUMBERS) if key not in part]
            if missing:
                raise ValueError(f"{where} lacks {', '.join(missing)}; a round has kept, pruned and retrained")
        if not self.rounds:
            raise ValueError("a schedule has at least one round")

    def _parts(self) -> dict[str, Any]:
        return {**{f"round {k}": r for k, r in enumerate(self.rounds, 1)}, "one_shot": self.one_shot}

    @staticmethod
    def _end(part: Mapping[str, Any]) -> Any:
        return part["pruned"] if part["retrained"] is None else part["retrained"]

    @property
    def final(self) -> Any:
        """The risk at the end of the schedule: the last round's retrained risk, or its pruned risk where it
        does not retrain."""
        return self._end(self.rounds[-1])

    @property
    def one_shot_final(self) -> Any:
        """The one-shot risk to compare :attr:`final` with (retrained where the last round retrains)."""
        return self.one_shot["pruned"] if self.rounds[-1]["retrained"] is None else self._end(self.one_shot)

    @property
    def relative_difference(self) -> float | None:
        """final / one_shot_final - 1 (negative: the rounds do better), None where undefined."""
        final, once = self.final, self.one_shot_final
        if final is None or once is None or float(once) == 0:
            return None
        return float(final) / float(once) - 1

    def _title(self) -> str:
        sizes = " -> ".join(number_text(r["kept"]) for r in self.rounds)
        setting = _setting_text((k, f"{v:g}" if isinstance(v, float) else v) for k, v in self.setting.items())
        how = f"; {self.method}" if self.method else ""
        return f"ScheduleResult: {self.strategy}, kept {sizes}{'; ' + setting if setting else ''} ({_precision(self.dps)}{how})"

    def _lines(self) -> list[str]:
        difference = self.relative_difference
        if difference is None:
            return []
        word = "lower" if difference < 0 else "higher"
        return [
            f"after the last round: {number_text(self.final, self.dps)} vs {number_text(self.one_shot_final, self.dps)} "
            f"for one-shot pruning ({100 * abs(difference):.2f}% {word})"
        ]

    def _sampled(self) -> bool:
        return any(part.get(f"{name}_stderr") for part in self._parts().values() for name in ROUND_NUMBERS)

    def _cell(self, part: Mapping[str, Any], name: str, sampled: bool) -> str:
        value = part[name]
        if value is None:
            return "-" if name == "retrained" else "undefined"  # not retrained, or undefined (see the notes)
        return value_with_error(value, part.get(f"{name}_stderr")) if sampled else number_text(value, self.dps)

    def _table(self) -> Table:
        sampled = self._sampled()
        suffix = " ± s.e." if sampled else ""
        rows = [
            (label, number_text(part["kept"]), *(self._cell(part, name, sampled) for name in ROUND_NUMBERS))
            for label, part in self._parts().items()
        ]
        return ("round", "kept", f"pruned{suffix}", f"retrained{suffix}"), rows

    def _footer(self) -> list[str]:
        return _notes_footer(self.notes)

    def to_frame(self) -> pandas.DataFrame:
        """One row per round and one for the one-shot route: route ("rounds" or "one_shot"), round (1, 2, ...;
        the one-shot row: 1), kept, pruned, pruned_stderr, retrained, retrained_stderr (float64; NaN where
        undefined or not retrained)."""
        pandas = _pandas()
        parts = [("rounds", k, r) for k, r in enumerate(self.rounds, 1)] + [("one_shot", 1, self.one_shot)]
        return pandas.DataFrame(
            [
                {
                    "route": route,
                    "round": k,
                    "kept": float(part["kept"]),
                    **{key: _float(part.get(key)) for name in ROUND_NUMBERS for key in (name, f"{name}_stderr")},
                }
                for route, k, part in parts
            ]
        )
