"""`berdaya`: one entry point, one module per subcommand under ``berdaya/commands``.

Bad input (``sim.errors.InputError`` or a pydantic validation error) and an operating-system
error (a read-only or full disk, a missing permission: ``sim.files.fault``) are reported in
one message with exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from importlib.metadata import PackageNotFoundError, version

from pydantic import ValidationError

from sim.errors import InputError
from sim.files import fault

COMMANDS = [
    "params",
    "validate",
    "run",
    "experiment",
    "compare",
    "report",
    "sensitivity",
    "robustness",
    "viz",
    "network",
    "validate_patterns",
    "calibrate",
]


def available() -> list:
    modules = []
    for name in COMMANDS:
        try:
            modules.append(importlib.import_module(f"berdaya.commands.{name}"))
        except ModuleNotFoundError as error:
            if error.name != f"berdaya.commands.{name}":
                raise
    return modules


def version_line() -> str:
    """``berdaya 0.1.0 (git abc123...)`` from a checkout, ``(installed package, no git checkout)`` from a wheel."""
    from experiments.engine import git_state

    try:
        release = version("berdaya")
    except PackageNotFoundError:
        release = "unknown"
    commit, dirty = git_state()
    where = "installed package, no git checkout" if commit is None else f"git {commit}{' with local changes' * dirty}"
    return f"berdaya {release} ({where})"


class _Version(argparse.Action):
    """Like argparse's version action, but the git lookup runs only when --version is asked for."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, help="print the version and the git commit, then exit")

    def __call__(self, parser, namespace, values, option_string=None):
        print(version_line())
        parser.exit()


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="berdaya", description="Village empowerment simulation (Mesa).")
    top.add_argument("--version", action=_Version)
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in available():
        module.add_parser(sub)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except InputError as error:
        print(f"berdaya: error: {error}", file=sys.stderr)
        return 2
    except ValidationError as error:
        from sim.params import explain

        print(f"berdaya: error: {explain(error)}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"berdaya: error: {fault(error, doing='read or write')}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("berdaya: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
