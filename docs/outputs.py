"""Regenerate every documented output, or check that the documentation still shows what the code prints.

    python docs/outputs.py                 regenerate everything below (run from the repository root)
    python docs/outputs.py --check         compare only; exit 1 naming each block that differs
    python docs/outputs.py --full-costs    also run every experiment at full size for the listing's costs

What it regenerates:

* Marked blocks in README.md and docs/*.md. An HTML comment (invisible on GitHub) names the command
  whose output follows; the command runs from the repository root with this interpreter
  (``dctheory ...`` and ``python ...`` are run as ``sys.executable -m dctheory ...`` and ``sys.executable ...``):

      <!-- output: COMMAND -->            the fenced block that follows is COMMAND's standard output
      <!-- value: COMMAND -->TEXT<!-- /value -->
                                          inline TEXT is COMMAND's standard output (one line)
      <!-- time: COMMAND -->TEXT<!-- /time -->
                                          inline TEXT is the range of COMMAND's wall time over 3 runs,
                                          with the machine noted
      <!-- figure: COMMAND -->            COMMAND writes a figure (run on regeneration only)

* The stored outputs of the notebooks in docs/examples/ (executed in a Jupyter kernel of this interpreter).
* The cost table of ``dctheory validate``'s listing (``validation/configs/costs.json``): the quick size of
  every experiment that can run here, measured by running it (and, with ``--full-costs``, the full size).

How a check compares (``compare``): text outside numbers must be equal; each number is compared at the
precision it is printed with in the documentation (half a unit of its last digit), so a block that shows
fewer digits than the code prints still matches; a number followed by a unit of time (``s``, ``ms``) is a
timing and only has to be a number. A ``time`` span passes when one new measurement lies within a factor 5
of the documented range (wall time depends on the machine and its load: the factor catches drift of an
order of magnitude, not noise).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shlex
import subprocess
import sys
import tempfile
import time
from itertools import zip_longest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
NOTEBOOKS = sorted((ROOT / "docs" / "examples").glob("*.ipynb"))
TIME_FACTOR = 5.0

_BLOCK = re.compile(r"(<!-- output: (?P<command>.+?) -->\n+```[a-z]*\n)(?P<body>.*?)(^```)", re.S | re.M)
_INLINE = re.compile(r"(<!-- (?P<kind>value|time): (?P<command>.+?) -->)(?P<body>.*?)(<!-- /(?P=kind) -->)", re.S)
_FIGURE = re.compile(r"<!-- figure: (?P<command>.+?) -->")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_TIMING = re.compile(r"\s?(?:s|ms|min)\b")


def machine() -> str:
    """A short note of where a timing was measured."""
    return (
        f"{os.cpu_count()}-core {platform.machine()}, Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}"
    )


def run(command: str, *, timeout: float = 900) -> str:
    """COMMAND's standard output, run from the repository root with this interpreter; RuntimeError on failure."""
    words = shlex.split(command)
    if words[0] == "dctheory":
        words = [sys.executable, "-m", "dctheory", *words[1:]]
    elif words[0] == "python":
        words = [sys.executable, *words[1:]]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "MPLBACKEND": "Agg",
        "COLUMNS": "120",
    }
    done = subprocess.run(words, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{command!r} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return done.stdout.rstrip("\n")


def timed(command: str, repeats: int = 3) -> list[float]:
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        run(command)
        seconds.append(time.perf_counter() - start)
    return seconds


def time_text(seconds: list[float]) -> str:
    low, high = min(seconds), max(seconds)
    span = f"{low:.2g} s" if f"{low:.2g}" == f"{high:.2g}" else f"{low:.2g}-{high:.2g} s"
    return f"{span} ({machine()})"


def time_range(text: str) -> tuple[float, float]:
    numbers = [float(x) for x in re.findall(r"\d+(?:\.\d+)?(?:e[-+]?\d+)?", text.split("(")[0])]
    return min(numbers), max(numbers)


def compare(documented: str, printed: str) -> str | None:
    """None when ``printed`` shows what ``documented`` shows (numbers at their documented precision),
    else the first difference, in words."""
    doc_parts, new_parts = _NUMBER.split(documented), _NUMBER.split(printed)
    doc_numbers, new_numbers = _NUMBER.findall(documented), _NUMBER.findall(printed)
    if doc_parts != new_parts:
        for line_doc, line_new in zip_longest(documented.splitlines(), printed.splitlines(), fillvalue=""):
            if _NUMBER.split(line_doc) != _NUMBER.split(line_new):
                return f"text differs: documented {line_doc!r}, printed {line_new!r}"
        return "text differs"
    for k, (doc, new) in enumerate(zip(doc_numbers, new_numbers)):
        if _TIMING.match(doc_parts[k + 1]):
            continue
        mantissa = doc.lower().split("e")[0]
        decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
        exponent = int(doc.lower().split("e")[1]) if "e" in doc.lower() else 0
        half_unit = 0.5 * 10.0 ** (exponent - decimals)
        if abs(float(new) - float(doc)) > half_unit * (1 + 1e-9):
            return f"number {k + 1}: documented {doc}, printed {new}"
    return None


def page_blocks(path: Path):
    """(kind, command, body) of every marked output of one page, in order."""
    text = path.read_text()
    for match in _BLOCK.finditer(text):
        yield "output", match["command"], match["body"]
    for match in _INLINE.finditer(text):
        yield match["kind"], match["command"], match["body"]


def regenerate_page(path: Path, figures: bool = True) -> bool:
    """Rewrite the marked outputs of one page; True when it changed."""
    text = path.read_text()
    new = _BLOCK.sub(lambda m: m.group(1) + run(m["command"]) + "\n" + m.group(4), text)

    def inline(match):
        body = run(match["command"]) if match["kind"] == "value" else time_text(timed(match["command"]))
        return match.group(1) + body + match.group(5)

    new = _INLINE.sub(inline, new)
    if figures:
        for match in _FIGURE.finditer(new):
            run(match["command"])
    if new != text:
        path.write_text(new)
    return new != text


def check_page(path: Path) -> list[str]:
    """One line per marked output of the page that no longer shows what its command prints."""
    problems = []
    for kind, command, body in page_blocks(path):
        where = f"{path.relative_to(ROOT)}: {command}"
        try:
            if kind == "time":
                low, high = time_range(body)
                seconds = timed(command, repeats=1)[0]
                if not low / TIME_FACTOR <= seconds <= high * TIME_FACTOR:
                    problems.append(f"{where}: took {seconds:.2g} s, documented {body.strip()}")
                continue
            difference = compare(body.rstrip("\n") if kind == "output" else body, run(command))
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            difference = str(error)
        if difference:
            problems.append(f"{where}: {difference}")
    return problems


# -- notebooks ----------------------------------------------------------------------------------------


def notebook_text(cell) -> str:
    """The text a code cell shows: its streams and the plain-text form of its results.

    Consecutive outputs of one stream are one text, as a notebook shows them: a kernel may send a printed line
    in pieces (its text and its newline, when its output thread flushes in between, which a loaded machine
    makes likely), and the pieces must read as the line."""
    parts, stream = [], None
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            text = "".join(output["text"])
            if stream == output["name"]:
                parts[-1] += text
            else:
                parts.append(text)
            stream = output["name"]
            continue
        stream = None
        if output["output_type"] in ("execute_result", "display_data") and "text/plain" in output["data"]:
            parts.append("".join(output["data"]["text/plain"]))
    return "\n".join(parts)


def regenerate_notebooks() -> None:
    """Execute each notebook and store its outputs (tests/test_notebooks.py's ``main``, loaded from its file:
    putting tests/ on sys.path would let its ``validation`` folder shadow the package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("test_notebooks", ROOT / "tests" / "test_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main()


# -- the cost table of the validate listing -------------------------------------------------------------


def regenerate_costs(full: bool) -> None:
    """Run every experiment that can run here (quick; and full with ``full``) and store its measured cost."""
    from validation import docs as validation_docs

    sizes = [True, False] if full else [True]
    for quick in sizes:
        with tempfile.TemporaryDirectory() as out:
            command = f"dctheory validate all --out {out} --no-progress" + (" --quick" if quick else "")
            run(command, timeout=24 * 3600)
            validation_docs.main([out, str(Path(out) / "pages"), command.replace(out, "OUT"), "--costs"])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 on a difference")
    parser.add_argument("--full-costs", action="store_true", help="also measure every experiment at full size")
    args = parser.parse_args(argv)
    if args.check:
        problems = [line for path in PAGES for line in check_page(path)]
        for line in problems:
            print(line)
        return 1 if problems else 0
    for path in PAGES:
        if regenerate_page(path):
            print(f"regenerated {path.relative_to(ROOT)}")
    regenerate_notebooks()
    regenerate_costs(args.full_costs)
    print(f"regenerated {Path('validation/configs/costs.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
