"""The ``dctheory`` command line.

Built-in sub-commands live here; others (``validate``) are discovered through
the ``dctheory.commands`` entry-point group, so that this package never
imports the simulation package (derivations -> dctheory -> validation).

Exit status: 0 on success, 2 for bad input (one line on stderr naming the value
and its valid range), 3 for an internal error (one line; a defect to report;
``DCTHEORY_TRACEBACK=1`` shows its traceback), 130 when interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings

from dctheory.errors import DCTheoryError

INTERNAL_ERROR = 3
BUILT_IN = ("predict", "advise", "latex", "demo")


def build_parser(plugins: bool = True) -> argparse.ArgumentParser:
    """The parser of every sub-command; ``plugins=False`` leaves out the entry-point ones (which
    import their packages)."""
    from dctheory import __version__

    parser = argparse.ArgumentParser(
        prog="dctheory",
        description="Theory of pruning overparameterized models: predictions, LaTeX, validation.",
        epilog="Exit status: 0 success, 2 bad input (one line naming the value), 3 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"dctheory {__version__}")
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
    try:
        args = parser.parse_args(argv)
    except SystemExit as done:  # argparse: 0 after --help / --version, 2 on bad usage
        return done.code if isinstance(done.code, int) else 2
    try:
        with warnings.catch_warnings():
            # numpy's floating-point notices (overflow in an intermediate, a 0/0 in a masked branch)
            # say nothing about the printed result, which carries its own notes for undefined values.
            warnings.simplefilter("ignore", RuntimeWarning)
            return int(args.func(args) or 0)
    except DCTheoryError as error:
        print(f"dctheory {args.command}: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (``dctheory latex | head -1``): stop quietly.
        _silence_stdout()
        return 0
    except KeyboardInterrupt as interrupt:  # a command may say what survives (validate: the stored tasks)
        detail = " ".join(str(interrupt).split())
        print(f"dctheory {args.command}: interrupted" + (f"; {detail}" if detail else ""), file=sys.stderr)
        return 130
    except MemoryError:
        print(f"dctheory {args.command}: error: out of memory (reduce P, m, samples or dps)", file=sys.stderr)
        return 2
    except Exception as error:  # a defect: one line, the traceback on request
        if os.environ.get("DCTHEORY_TRACEBACK"):
            raise
        text = " ".join(str(error).split())[:300]
        print(
            f"dctheory {args.command}: internal error ({type(error).__name__}: {text}); please report it "
            "with the config (DCTHEORY_TRACEBACK=1 shows the traceback)",
            file=sys.stderr,
        )
        return INTERNAL_ERROR


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    sys.exit(main())
