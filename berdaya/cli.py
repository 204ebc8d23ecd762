"""`berdaya`: one entry point, one module per subcommand under ``berdaya/commands``.

Bad input (``sim.errors.InputError`` or a pydantic validation error) and an operating-system
error (a read-only or full disk, a missing permission: ``sim.files.fault``) are reported in
one message with exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from importlib.metadata import PackageNotFoundError, version

# Command name -> the one-line help ``berdaya --help`` lists. Each command's module (``berdaya.commands.<name>``,
# a dash read as an underscore) is imported only when that command runs, so ``--help`` and ``--version``
# load neither the model nor numpy, pandas, Mesa or Solara.
COMMANDS = {
    "params": "list every parameter: group, default, allowed range, unit, description",
    "validate": "check scenario files without running them",
    "run": "run one scenario once and write its outputs",
    "experiment": "run replicates and sweeps of scenarios in parallel into a folder of Parquet tables",
    "compare": "compare organising strategies with replicates and write a report (the main job)",
    "report": "rebuild the comparison report of a stored compare or experiment folder",
    "sensitivity": "global sensitivity analysis (Morris screening, Sobol' indices) over the schema's ranges",
    "robustness": "run every strategy in many drawn villages: where each beats baseline, regret, failure rules",
    "viz": "open the browser visualizer (served on 127.0.0.1 unless --host says otherwise)",
    "network": "write the patron-client and group network at a month as GraphML",
    "validate-patterns": "measure the default scenarios against the field patterns (PATTERNS.md)",
    "calibrate": "ABC-SMC (or rejection) calibration of the defaults against the field patterns",
}


def module_name(command: str) -> str:
    return "berdaya.commands." + command.replace("-", "_")


def available() -> list[str]:
    """The commands whose module is in this tree (found without importing it)."""
    return [name for name in COMMANDS if importlib.util.find_spec(module_name(name)) is not None]


def version_line() -> str:
    """``berdaya 0.1.0 (git abc123...)`` from a checkout, ``(installed package, no git checkout)`` from a wheel."""
    from experiments.provenance import git_state

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


def parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The command line; of the commands, only the one named in ``argv`` gets its options (its module imported)."""
    top = argparse.ArgumentParser(prog="berdaya", description="Village empowerment simulation (Mesa).")
    top.add_argument("--version", action=_Version)
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    words = sys.argv[1:] if argv is None else argv
    named = next((word for word in words if not word.startswith("-")), None)  # the top level takes no values
    for name in available():
        if name == named:
            importlib.import_module(module_name(name)).add_parser(sub)
        else:
            sub.add_parser(name, help=COMMANDS[name], add_help=False)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser(argv).parse_args(argv)
    from pydantic import ValidationError

    from sim.errors import InputError
    from sim.files import fault

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
