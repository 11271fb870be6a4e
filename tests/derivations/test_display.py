"""Exactness and contracts of the display forms: each equals its computational form."""

import re

import mpmath
import numpy as np
import pytest
import sympy as sp

from dctheory._compiled import compiled, metadata
from derivations import display as displays
from derivations import names
from derivations import pruning as pr
from derivations.display import (
    CannotParse,
    Display,
    check_numerically,
    check_parsed,
    display,
    missing,
    render,
    verify,
)
from derivations.registry import UnknownFormula


def test_every_registered_formula_has_a_display_form():
    assert missing() == [], "add a display form for each in derivations/display.py"


@pytest.mark.parametrize("name", names())
def test_display_form_equals_computational_form(name):
    assert verify(name) in ("simplify", "50 digits")


@pytest.mark.parametrize("name", names())
def test_display_form_evaluates_to_the_compiled_function(name):
    # What is printed (index sets included) against what is computed, at 30 digits on a concrete problem.
    assert check_numerically(name) < 1e-25


def test_numeric_check_rejects_a_sum_over_the_wrong_index_set(monkeypatch):
    # sigma_D^2 written as a sum over all P features is sigma^2 + beta^T Sigma beta, not the effective noise;
    # the symbolic identity cannot see it (both sides are sums over "i = 1..P"), the concrete problem does.
    i = displays.i

    def over_all_features():
        return Display(
            "effective_noise",
            sp.Add(pr.sigma**2, displays.over_all(pr.lam[i] * pr.beta[i] ** 2)),
            domain=displays._SET_OUT,
        )

    def over_first_m():
        kept = pr.lam[i] * displays.e(pr.threshold[i], pr.mean[i], pr.spread[i], pr.beta[i])
        return Display("thresholded_risk", sp.Add(pr.sigma_D**2, displays.over_eigen(kept)), domain=displays._SET_D)

    monkeypatch.setitem(displays._DISPLAYS, "effective_noise", over_all_features)
    monkeypatch.setitem(displays._DISPLAYS, "thresholded_risk", over_first_m)
    with pytest.raises(AssertionError, match="effective_noise"):
        check_numerically("effective_noise")
    with pytest.raises(AssertionError, match="thresholded_risk"):
        check_numerically("thresholded_risk")


PARSED = {
    "shrinkage",
    "shrinkage_log_derivative",
    "shrinkage_complement",
    "coordinate_mean",
    "coordinate_sd",
    "underparameterized_sd",
    "underparameterized_risk",
    "ridge_tau2_limit",
    "keep_probability",
    "keep_probability_derivative",
    "thresholded_m1",
    "thresholded_m2",
    "pruned_error_stable",
    "rank_one_retrained_excess",
    "rank_one_dense_excess",
    "relu_covariance",
    "relu_label_correlation",
    "label_second_moment",
    "asymptotic_law",
    "hastie_xi",
    "hastie_tau2",
    "schedule_underparameterized_sd",
}


@pytest.mark.parametrize("name", names())
def test_printed_latex_parsed_back_by_sympy_is_the_compiled_function(name):
    # What a user pastes: the printed LaTeX through sympy's parser, at 30 digits against the compiled function.
    # Sums over index sets, expectations and a few named pieces have no reading in the parser: the reason is
    # part of the document's verification table.
    if name in PARSED:
        assert check_parsed(name) < 1e-25
    else:
        with pytest.raises(CannotParse, match="the parser"):
            check_parsed(name)


def test_index_sets_are_written_in_the_display():
    assert render("effective_noise") == r"\sigma^{2}_{D} = \sigma^{2} + \sum_{i \notin D} \lambda_{i} \beta_{i}^{2}"
    assert r"\sum_{i \in D}" in render("thresholded_risk")
    assert r"\sum_{i=1}^{P}" in render("retrained_risk")
    assert r"\sum_{i=1}^{m}" in render("tau2")


@pytest.mark.parametrize("name", names())
def test_exported_python_runs_as_pasted_and_matches_the_api(name):
    source = render(name, fmt="python")
    namespace = {}
    exec(compile(source, "<pasted>", "exec"), namespace)  # a fresh namespace: only what was pasted
    pasted = namespace[f"{name}_numpy"]
    rng = np.random.default_rng(7)
    args = [
        rng.uniform(0.2, 0.9, 5) if indexed else (25.0 if arg == "n" else float(rng.uniform(0.2, 0.9)))
        for arg, indexed in zip(metadata(name)["arg_names"], metadata(name)["indexed"])
    ]
    expected = compiled(name, "numpy")(*args)
    np.testing.assert_allclose(pasted(*args), expected, rtol=1e-14, atol=0)
    assert not re.search(r"\d\.\d{12,}", source), "constants are written as expressions (numpy.sqrt(2))"


def test_exported_m2_against_quadrature():
    # M2(t) = E[w^2 1{|w| > t}], w ~ N(mu, varsigma^2), by 30-digit quadrature: independent of the derivation.
    namespace = {}
    exec(render("thresholded_m2", fmt="python"), namespace)
    t, mu, sd = 0.7, 0.3, 0.5
    with mpmath.workdps(30):
        density = lambda w: w**2 * mpmath.npdf(w, mu, sd)  # noqa: E731
        expected = mpmath.quad(density, [-mpmath.inf, -t]) + mpmath.quad(density, [t, mpmath.inf])
    assert abs(float(namespace["thresholded_m2_numpy"](t, mu, sd)) - float(expected)) < 1e-15


def test_identity_check_rejects_a_wrong_display_form(monkeypatch):
    # The sign of the last phi term of M2 is the one that is easy to get wrong by hand.
    def wrong():
        t, mu, sd = displays.t, displays.mu, displays.sd
        return Display(
            "thresholded_m2",
            sp.Add(
                sp.Add(mu**2, sd**2) * displays.keep(t, mu, sd),
                sd
                * sp.Add(
                    sp.Add(t, mu) * displays.phi(displays._z(-1)), -sp.Add(t, -mu) * displays.phi(displays._z(+1))
                ),
            ),
        )

    monkeypatch.setitem(displays._DISPLAYS, "thresholded_m2", wrong)
    with pytest.raises(AssertionError, match="thresholded_m2"):
        verify.__wrapped__("thresholded_m2")


@pytest.mark.parametrize("name", names())
def test_display_latex_follows_the_notation(name):
    text = display(name).latex()
    assert not re.search(r"_\{[^{}]*\(", text), text  # no M_{1(t)}: the argument is outside the subscript
    assert not re.search(r"_\{[^{}]*/", text), text  # no a_{i / ...}
    assert r"\lambda " not in text and not text.endswith(r"\lambda"), text  # eigenvalues carry their index
    assert not re.search(r"\{\s*-\s*m\s*\+\s*n", text), text  # n - m - 1, not -m + n - 1
    assert not re.search(r"(?<![\\a-zA-Z])s_\{i\}", text), text  # s is the sparsity, never a standard deviation


def test_written_order_and_named_pieces():
    assert (
        display("underparameterized_risk").latex()
        == r"\mathbb{E} L(\hat w) = \frac{\sigma_{D}^{2} \left(n - 1\right)}{n - m - 1}"
    )
    assert (
        display("shrinkage_log_derivative").latex()
        == r"\partial a_{i} / \partial \log \xi = a_{i} \left(1 - a_{i}\right)"
    )
    assert display("pruned_error").latex() == r"e_{i}(t) = M_{2,i}(t) - 2 \beta_{i} M_{1,i}(t) + \beta_{i}^{2}"
    assert r"\varsigma_{i}" in display("coordinate_sd").latex()


def test_long_forms_break_at_a_sign():
    lines = display("thresholded_m2").lines()
    assert len(lines) == 2 and lines[1].startswith("+ ")
    assert display("shrinkage").lines() == [display("shrinkage").latex().split(" = ", 1)[1]]


def test_formats():
    assert render("hastie_xi") == r"\xi = \frac{1}{\kappa - 1}"
    assert render("hastie_xi", fmt="markdown") == "$$\n" + r"\xi = \frac{1}{\kappa - 1}" + "\n$$"
    assert render("underparameterized_risk", expanded=True).endswith(r"{- m + n - 1}")
    assert render("hastie_xi", fmt="python").startswith(
        "from typing import Any\n\nimport numpy\n\n\ndef hastie_xi_numpy("
    )
    with pytest.raises(ValueError, match="unknown format 'html'"):
        render("hastie_xi", fmt="html")
    with pytest.raises(UnknownFormula, match="unknown formula 'no_such_formula'"):
        display("no_such_formula")
