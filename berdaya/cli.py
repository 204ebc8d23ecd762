"""`berdaya`: one entry point, one module per subcommand under ``berdaya/commands``.

Bad input (``sim.errors.InputError`` or a pydantic validation error) and an operating-system
error (a read-only or full disk, a missing permission: ``sim.files.fault``) are reported in
one message with exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

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


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="berdaya", description="Village empowerment simulation (Mesa).")
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
