"""The ``dctheory`` command line.

Built-in sub-commands live here; others (``validate``) are discovered through
the ``dctheory.commands`` entry-point group, so that this package never
imports the simulation package (derivations -> dctheory -> validation).
"""

from __future__ import annotations

import argparse
import sys

from dctheory.errors import DCTheoryError

BUILT_IN = ("predict", "advise", "latex", "demo")


def build_parser(plugins: bool = True) -> argparse.ArgumentParser:
    """The parser of every sub-command; ``plugins=False`` leaves out the entry-point ones (which
    import their packages)."""
    parser = argparse.ArgumentParser(
        prog="dctheory",
        description="Theory of pruning overparameterized models: predictions, LaTeX, validation.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    from dctheory import _commands

    _commands.register(sub)
    if plugins:
        from importlib.metadata import entry_points

        for entry in entry_points(group="dctheory.commands"):
            entry.load()(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    # A built-in command is parsed without the plugins, so that starting it imports none of them.
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    parser = build_parser(plugins=command not in BUILT_IN)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except DCTheoryError as error:
        print(f"dctheory {args.command}: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
