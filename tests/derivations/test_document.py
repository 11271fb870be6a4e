"""The theory document: docs/theory.md is current, and the LaTeX version compiles clean."""

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from derivations import names
from derivations.display import markdown_math
from derivations.document import (
    BIBLIOGRAPHY,
    THEORY_PAGE,
    _tex,
    attribution,
    conditions,
    latex_document,
    sections,
    theory_markdown,
)

ROOT = Path(__file__).resolve().parents[2]


def test_theory_page_is_current():
    assert THEORY_PAGE.read_text() == theory_markdown(), "regenerate: python docs/make_formula_pages.py"


def test_formula_pages_are_current():
    spec = importlib.util.spec_from_file_location("make_formula_pages", ROOT / "docs" / "make_formula_pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pages = module.pages()
    assert sorted(pages) == sorted(p.name for p in (ROOT / "docs" / "formulas").glob("*.md"))
    for file_name, text in pages.items():
        assert (ROOT / "docs" / "formulas" / file_name).read_text() == text, (
            "regenerate: python docs/make_formula_pages.py"
        )


def test_every_formula_appears_once_with_an_anchor():
    placed = [name for _, members in sections() for name in members]
    assert sorted(placed) == sorted(names())
    page = THEORY_PAGE.read_text()
    for name in names():
        assert page.count(f'<a id="{name}"></a>') == 1


def test_markdown_math_has_no_backslash_before_punctuation():
    # GitHub reads \{ \| \, as Markdown escapes and can strip the backslash before the math is rendered.
    page = THEORY_PAGE.read_text() + "".join(path.read_text() for path in (ROOT / "docs" / "formulas").glob("*.md"))
    math = re.findall(r"\$\$(.*?)\$\$", page, flags=re.S) + re.findall(r"(?<!\$)\$([^$\n]+)\$(?!\$)", page)
    assert len(math) > 300
    offenders = [piece for piece in math if re.search(r"\\[!-/:-@\[-`{-~]|\|", piece)]
    assert offenders == []
    assert (
        markdown_math(r"1\{|w| > t\}, \|\zeta\|, a\,b")
        == r"1\lbrace\vert w\vert > t\rbrace, \Vert\zeta\Vert, a\thinspace b"
    )


def test_every_formula_is_one_tagged_statement_with_its_code_name_in_the_margin():
    text = latex_document()
    for name in names():
        assert text.count(rf"\label{{eq:{name}}}") == 1
        assert attribution(name)[0].startswith(("paper", "this project", "supplement", "@cite")), name
    assert text.count(r"\codename{") == len(names())
    assert r"\tableofcontents" in text and r"\begin{thebibliography}" in text
    for key, _, _ in BIBLIOGRAPHY:
        assert rf"\cite{{{key}}}" in text or rf"cite.{key}" in text, f"{key} is never cited"
    # Each symbol means one thing: the keep probability is eta, pi only the constant, Pr the probability.
    assert r"\pi_{i}" not in text and r"\pi(\Lambda" not in text and "P(|" not in text
    assert "Verified:" not in text and "Holds for" not in text


def test_assumptions_are_typeset_as_math_clauses():
    assert (
        conditions(r"\xi > 0,\ \lambda_i \ge 0;\ \text{then } 0 \le a_i < 1")
        == r"$\xi > 0$, $\lambda_i \ge 0$; then $0 \le a_i < 1$"
    )
    assert conditions(r"m > n \text{ or } \lambda_r > 0") == r"$m > n$ or $\lambda_r > 0$"


def test_prose_relations_must_be_in_math_mode():
    assert _tex(r"when $m < n$ use `x_y`") == r"when $m < n$ use \texttt{x\_\allowbreak{}y}"
    with pytest.raises(ValueError, match="relation outside math mode"):
        _tex("when m < n")


def test_no_reference_to_a_missing_theory_file():
    missing_file = "THEORY" + ".md"
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    offenders = [
        path for path in tracked if (ROOT / path).is_file() and missing_file in (ROOT / path).read_text(errors="ignore")
    ]
    assert offenders == [], f"{missing_file} is referenced in {offenders}: link to docs/theory.md instead"


def _latex_missing():
    """What this machine lacks to compile the theory document (None if nothing)."""
    if shutil.which("pdflatex") is None:
        return "pdflatex"
    found = subprocess.run(["kpsewhich", "lmodern.sty"], capture_output=True, text=True)
    return None if found.returncode == 0 and found.stdout.strip() else "the LaTeX package lmodern"


LATEX_MISSING = _latex_missing()


@pytest.mark.skipif(
    LATEX_MISSING is not None,
    reason=f"{LATEX_MISSING} not installed (Debian: texlive-latex-base texlive-latex-recommended "
    "texlive-latex-extra lmodern)",
)
def test_latex_document_compiles_without_bad_boxes_or_missing_glyphs(tmp_path):
    (tmp_path / "theory.tex").write_text(latex_document())
    for _ in range(3):  # later runs resolve the table of contents and the references
        run = subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "theory.tex"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stdout[-3000:]
        log = (tmp_path / "theory.log").read_text(errors="replace")
        if "Rerun to get" not in log:
            break
    for problem in ("Overfull", "Underfull", "Missing character", "LaTeX Warning"):
        assert problem not in log, [line for line in log.splitlines() if problem in line]
    assert (tmp_path / "theory.pdf").stat().st_size > 50_000
