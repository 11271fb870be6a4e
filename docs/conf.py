"""Sphinx configuration of the dctheory documentation site.

Build it from the repository root (the ``docs`` extra):

    python -m sphinx -W --keep-going -b html docs docs/_build/html

The pages are the Markdown files read on GitHub (MyST), the example notebooks with their stored
outputs (MyST-NB, never executed here: the test suite executes them), and an API reference that
autodoc generates from the docstrings (docs/reference/).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dctheory import __version__  # noqa: E402

project = "dctheory"
author = "The dctheory developers"
copyright = "2026, The dctheory developers"
release = __version__
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_nb",  # Markdown (MyST) pages and .ipynb notebooks
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",  # the docstrings' Args:/Returns:/Attributes: sections
    "sphinx.ext.mathjax",
]

# Sources: every Markdown page and notebook under docs/, except the fragments that
# validation.docs inserts into the validation pages (docs/validation/notes/).
exclude_patterns = [
    "_build",
    "**.ipynb_checkpoints",
    "validation/notes/*",
]
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}
root_doc = "index"

# MyST: $...$ and $$...$$ math as GitHub renders it, heading anchors for links like theory.md#notation.
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 4
myst_dmath_double_inline = True
nb_execution_mode = "off"  # show the outputs stored in the notebooks

# autodoc: each object documented once, in the module that defines it (ignore-module-all: a module's
# __all__ also lists what it re-exports, e.g. dctheory.risks.Prediction from dctheory.results), members in
# source order, type hints in the description.
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True, "ignore-module-all": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False

html_theme = "furo"
html_title = f"dctheory {release}"
html_static_path: list[str] = []

# The Markdown marks anchors with raw HTML (<a id="notation"></a>), which GitHub honours; for
# Sphinx each becomes a MyST target, so that links such as theory.md#notation resolve (and are checked).
_ANCHOR = re.compile(r'^<a id="([^"]+)"></a>\s*$', re.MULTILINE)


def _anchors_as_targets(app, docname, source):
    source[0] = _ANCHOR.sub(r"(\1)=", source[0])


# README.md is the site's front page (docs/index.md includes it); its links to the files beside it
# are relative to the repository root: the changelog and the contributing notes become the site's own
# pages, the license and the citation file links to ../NAME (copied into the site as downloads).
_ROOT_FILES = {
    "CHANGELOG.md": "changelog.md",
    "CONTRIBUTING.md": "contributing.md",
    "LICENSE": "../LICENSE",
    "CITATION.cff": "../CITATION.cff",
}
_ROOT_FILE_LINK = re.compile(r"\]\((" + "|".join(map(re.escape, _ROOT_FILES)) + r")\)")


def _root_links(app, relative_path, parent_docname, content):
    if Path(relative_path).name == "README.md" and parent_docname == "index":
        content[0] = _ROOT_FILE_LINK.sub(lambda link: f"]({_ROOT_FILES[link.group(1)]})", content[0])


def setup(app):
    app.connect("source-read", _anchors_as_targets)
    app.connect("include-read", _root_links)
