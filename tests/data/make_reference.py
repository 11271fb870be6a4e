"""Store reference predictions (float64 and 30 digits) for a fixed set of settings.

Run from the repository root:

    python tests/data/make_reference.py

It writes ``tests/data/reference_results.json``, which
``tests/dctheory/test_reference_results.py`` compares against: float64 results to 1e-13
relative, 30-digit results to 1e-25 relative. The file was written by the code *before* the
pruning kernel was unified, so that the refactoring provably leaves the numbers where they were;
regenerate it only for a deliberate change of results.
"""

from __future__ import annotations

import json
from pathlib import Path

import mpmath
import numpy as np

import dctheory as dc

OUT = Path(__file__).with_name("reference_results.json")
DIGITS = 30


def problems():
    """name -> (LGP, n, ridge): diagonal spectra covering every route of the closed forms."""
    P = 60
    i = np.arange(1, P + 1)
    wavy = 1.0 + 0.5 * np.cos(i)  # distinct coefficients
    return {
        "power_law": (dc.LGP(eigenvalues=dc.power_law(P, 1.0), beta=wavy, sigma=0.5), 20, 0.0),
        "spiked": (dc.LGP(eigenvalues=dc.spiked(P, 6, 10.0), beta=np.ones(P), sigma=0.3), 25, 0.0),
        "identity_ties": (dc.LGP(eigenvalues=dc.identity(40), beta=np.ones(40), sigma=0.5), 15, 0.0),
        "ridge": (dc.LGP(eigenvalues=dc.power_law(P, 1.5, 2.0), beta=wavy, sigma=0.2), 30, 0.05),
    }


# (problem, m, s): m > n, m < n - 1, edge m (n - 2 and n + 1), several s, ridge at m = n.
PREDICTIONS = [
    ("power_law", 60, 5),
    ("power_law", 60, 30),
    ("power_law", 40, 12),
    ("power_law", 10, 4),
    ("power_law", 18, 6),
    ("power_law", 21, 7),
    ("spiked", 60, 6),
    ("spiked", 60, 20),
    ("spiked", 12, 5),
    ("spiked", 30, 40),
    ("identity_ties", 40, 10),
    ("identity_ties", 8, 3),
    ("ridge", 60, 10),
    ("ridge", 30, 8),
    ("ridge", 12, 4),
]
CURVES = [("power_law", 12), ("spiked", 10), ("ridge", 15), ("identity_ties", 10)]


def number(value, digits=None):
    if value is None:
        return None
    if digits is None:
        value = float(value)
        return None if np.isnan(value) else value
    return mpmath.nstr(mpmath.mpf(value), digits + 5, strip_zeros=False)


def asymptotic_cases():
    D = dc.Distribution
    return {
        "marchenko_pastur": (lambda: (D.marchenko_pastur(0.5), 0.7), 2.0, 0.5, 0.2),
        "two_point": (lambda: (D.two_point(10.0, 0.1), 1.0), 3.0, 0.5, 0.1),
    }


def main():
    out = {"predict": [], "curve": [], "asymptotic": []}
    table = problems()
    for name, m, s in PREDICTIONS:
        problem, n, ridge = table[name]
        row = {"problem": name, "n": n, "m": m, "s": s, "ridge": ridge}
        fast = dc.predict(problem, n=n, m=m, s=s, ridge=ridge)
        exact = dc.predict(problem, n=n, m=m, s=s, ridge=ridge, dps=DIGITS)
        row["float64"] = {k: number(v) for k, v in fast.risks.items()} | {
            "xi": number(fast.xi),
            "tau2": number(fast.tau2),
        }
        with mpmath.workdps(DIGITS + 10):
            row["dps"] = {k: number(v, DIGITS) for k, v in exact.risks.items()} | {
                "xi": number(exact.xi, DIGITS),
                "tau2": number(exact.tau2, DIGITS),
            }
        out["predict"].append(row)
    for name, s in CURVES:
        problem, n, ridge = table[name]
        curve = dc.risk_curve(problem, n=n, s=s, ridge=ridge)
        out["curve"].append(
            {
                "problem": name,
                "n": n,
                "s": s,
                "ridge": ridge,
                "m": curve.m.tolist(),
                "undefined": curve.undefined,
                "risks": {k: [number(x) for x in v] for k, v in curve.risks.items()},
                "xi": [number(x) for x in curve.xi],
                "tau2": [number(x) for x in curve.tau2],
            }
        )
    for name, (law, kappa, sigma, keep) in asymptotic_cases().items():
        eigenvalues, coefficients = law()
        fast = dc.AsymptoticDC(eigenvalues, coefficients, kappa=kappa, sigma=sigma).predict(keep)
        exact = dc.AsymptoticDC(eigenvalues, coefficients, kappa=kappa, sigma=sigma, dps=DIGITS).predict(keep)
        with mpmath.workdps(DIGITS + 10):
            out["asymptotic"].append(
                {
                    "law": name,
                    "kappa": kappa,
                    "sigma": sigma,
                    "keep": keep,
                    "float64": {k: number(v) for k, v in fast.risks.items()}
                    | {"xi": number(fast.xi), "tau2": number(fast.tau2)},
                    "dps": {k: number(v, DIGITS) for k, v in exact.risks.items()}
                    | {"xi": number(exact.xi, DIGITS), "tau2": number(exact.tau2, DIGITS)},
                }
            )
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
