"""Exactness and contracts of the display forms: each equals its computational form."""

import re

import pytest
import sympy as sp

from derivations import display as displays
from derivations import names
from derivations.display import Display, display, missing, render, verify
from derivations.registry import UnknownFormula


def test_every_registered_formula_has_a_display_form():
    assert missing() == [], "add a display form for each in derivations/display.py"


@pytest.mark.parametrize("name", names())
def test_display_form_equals_computational_form(name):
    assert verify(name) in ("simplify", "50 digits")


def test_identity_check_rejects_a_wrong_display_form(monkeypatch):
    # The sign of the last phi term of M2 is the one that is easy to get wrong by hand.
    def wrong():
        t, mu, sd = displays.t, displays.mu, displays.sd
        return Display("thresholded_m2", sp.Add(
            sp.Add(mu**2, sd**2) * displays.keep(t, mu, sd),
            sd * sp.Add(sp.Add(t, mu) * displays.phi(displays._z(-1)), -sp.Add(t, -mu) * displays.phi(displays._z(+1)))))

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
    assert display("underparameterized_risk").latex() == r"\mathbb{E} L(\hat w) = \frac{\sigma_{D}^{2} \left(n - 1\right)}{n - m - 1}"
    assert display("shrinkage_log_derivative").latex() == r"\partial a_{i} / \partial \log \xi = a_{i} \left(1 - a_{i}\right)"
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
    assert render("hastie_xi", fmt="python").startswith("def hastie_xi_numpy(")
    with pytest.raises(ValueError, match="unknown format 'html'"):
        render("hastie_xi", fmt="html")
    with pytest.raises(UnknownFormula, match="unknown formula 'no_such_formula'"):
        display("no_such_formula")
