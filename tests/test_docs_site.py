"""The documentation site builds with warnings as errors, and every link inside it resolves.

The build (Sphinx, MyST, MyST-NB; the ``docs`` extra) already turns a link to a missing page, anchor or
file into a warning, hence an error; the built HTML is then read back and every relative ``href`` and
``src`` is checked independently: the file exists and, for ``#fragment``, the target page has that id.
External links are not fetched (no network in CI). Build it yourself with
``python -m sphinx -W --keep-going -b html docs docs/_build/html``.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def require(*modules: str) -> None:
    """Skip without the ``docs`` extra, except in CI (CI=true), where a missing extra is a failure."""
    missing = [name for name in modules if importlib.util.find_spec(name) is None]
    if missing and os.environ.get("CI"):
        pytest.fail(f"CI must install the docs extra; missing: {', '.join(missing)}")
    if missing:
        pytest.skip(f"needs the docs extra ({', '.join(missing)})")


class Links(HTMLParser):
    """The ids a page defines and the relative links (href, src) it holds."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)
            if name in ("href", "src") and value and not urlsplit(value).scheme and not value.startswith("//"):
                self.links.append(value)


def broken_links(site: Path) -> list[str]:
    """``page: link`` for every relative link of the built site whose file or fragment is missing."""
    pages = {}
    for path in site.rglob("*.html"):
        parser = Links()
        parser.feed(path.read_text(encoding="utf-8"))
        pages[path.resolve()] = parser
    broken = []
    for path, parser in pages.items():
        for link in parser.links:
            parts = urlsplit(link)
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(site)}: {link}")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in pages[target].ids:
                broken.append(f"{path.relative_to(site)}: {link} (no such anchor)")
    return broken


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    require("sphinx", "myst_parser", "myst_nb", "furo")
    out = tmp_path_factory.mktemp("docs") / "html"
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(DOCS), str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"the docs build failed:\n{done.stdout}\n{done.stderr}"
    return out


def test_contract_docs_build_without_warnings_and_links_resolve(site):
    assert broken_links(site) == []


def test_contract_site_holds_theory_math_api_notebooks_and_validation(site):
    theory = (site / "theory.html").read_text(encoding="utf-8")
    assert theory.count('class="math') >= 100  # every formula of docs/theory.md, rendered by MathJax
    api = (site / "reference" / "dctheory.html").read_text(encoding="utf-8")
    for name in ("dctheory.risks.predict", "dctheory.problems.LGP", "dctheory.asymptotic.AsymptoticDC"):
        assert f'id="{name}"' in api, name  # generated from the docstrings
    for notebook in ("train-small-or-prune-large", "exporting-formulas", "reading-a-validation-run"):
        page = (site / "examples" / f"{notebook}.html").read_text(encoding="utf-8")
        assert "cell_output" in page, notebook  # the stored outputs are shown
    assert {path.stem for path in (site / "validation").glob("*.html")} >= {"index", "fig2", "fig7b", "theorem1"}
    assert (site / "searchindex.js").exists()


def test_contract_link_checker_reports_missing_files_and_anchors(tmp_path):
    (tmp_path / "a.html").write_text(
        '<p id="here"><a href="b.html#nowhere">x</a><a href="#here">y</a>'
        '<img src="missing.png"><a href="https://example.org/x">z</a></p>'
    )
    (tmp_path / "b.html").write_text('<p id="somewhere"></p>')
    assert broken_links(tmp_path) == ["a.html: b.html#nowhere (no such anchor)", "a.html: missing.png"]
