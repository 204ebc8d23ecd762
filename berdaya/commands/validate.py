"""`berdaya validate FILE...`: check scenario files without running them.

A file is valid when it loads against the schema and the model can build its initial
village from it (some settings only conflict there). Every file is checked, so one call reports all the broken files at once; the exit status
is 0 only when all of them are valid, 2 otherwise.
"""

from __future__ import annotations

import sys

from berdaya.commands.run import DEFAULT_SEED, build
from sim.errors import InputError
from sim.scenario import load_scenario, resolve_scenario


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "validate",
        description="Check scenario files (paths or shipped scenario names) against the parameter schema.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="scenario file or shipped scenario name")
    parser.set_defaults(handler=run)


def run(args) -> int:
    failed = 0
    for item in args.files:
        try:
            scenario = load_scenario(resolve_scenario(item))
            build(scenario, DEFAULT_SEED)
        except InputError as error:
            print(f"berdaya: error: {error}", file=sys.stderr)
            failed += 1
            continue
        parents = f", extends {' -> '.join(p.name for p in scenario.chain[1:])}" if len(scenario.chain) > 1 else ""
        count = len(scenario.values)
        print(f"ok  {item}  ({scenario.params.strategy}, {count} value{'s' if count != 1 else ''} set{parents})")
    return 2 if failed else 0
