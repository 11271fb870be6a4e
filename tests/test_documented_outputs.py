"""Documented outputs show what the code prints now (docs/outputs.py regenerates them; this checks them).

Every marked block of README.md and docs/*.md is rerun and compared with its documented text, numbers at
the precision they are shown with; the notebooks' stored outputs are compared in tests/test_notebooks.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs"))
import outputs  # noqa: E402


def test_the_comparison_reads_numbers_at_their_shown_precision():
    assert outputs.compare("xi 0.3118, risk 548.90", "xi 0.31175590308668305, risk 548.9026797504115") is None
    assert outputs.compare("xi 0.3117559030866831", "xi 0.31175590308668305") is not None  # one digit stale
    assert outputs.compare("risk 548.9", "risk 549.0") == "number 1: documented 548.9, printed 549.0"
    assert outputs.compare("2.2e-16", "2.24e-16") is None and outputs.compare("2.2e-16", "2.3e-16") is not None
    assert outputs.compare("took 5.6 s", "took 0.4 s") is None  # a timing is only a number
    assert outputs.compare("risk 5", "loss 5").startswith("text differs")
    assert outputs.compare("a 1\nb 2", "a 1") is not None  # a missing line


def test_time_spans_read_their_range():
    assert outputs.time_range("0.53-0.7 s (2-core x86_64, Python 3.11.7)") == (0.53, 0.7)
    assert outputs.time_range("12 s (16-core arm64, Python 3.12.1)") == (12.0, 12.0)


def test_there_are_marked_outputs_on_the_pages_that_show_them():
    marked = {path.name: list(outputs.page_blocks(path)) for path in outputs.PAGES}
    assert len(marked["README.md"]) >= 3 and len(marked["getting-started.md"]) >= 6 and len(marked["advise.md"]) == 4


@pytest.mark.parametrize("path", [p for p in outputs.PAGES if list(outputs.page_blocks(p))], ids=lambda p: p.name)
def test_documented_outputs_are_what_the_code_prints(path):
    problems = outputs.check_page(path)
    assert not problems, "run `python docs/outputs.py` to regenerate:\n" + "\n".join(problems)
