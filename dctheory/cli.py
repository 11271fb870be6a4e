"""The ``dctheory`` command line.

Built-in sub-commands live here; others (``validate``) are discovered through
the ``dctheory.commands`` entry-point group, so that this package never
imports the simulation package (derivations -> dctheory -> validation).
"""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import entry_points

from dctheory.errors import DCTheoryError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dctheory",
        description="Theory of pruning overparameterized models: predictions, LaTeX, validation.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    from dctheory import _commands

    _commands.register(sub)
    for entry in entry_points(group="dctheory.commands"):
        entry.load()(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except DCTheoryError as error:
        print(f"dctheory {args.command}: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
