"""Options shared by every command that runs many runs through the experiments engine."""

from __future__ import annotations

import argparse
from typing import Any

from experiments.engine import DASK_DEADLINE
from sim.errors import InputError

# Upper bounds on counts typed on the command line: far above any real use, low enough that a slip
# (an extra zero, a pasted number) is refused at once instead of planning runs for hours.
MAX_COUNT = 1_000_000
# Seeds are stored in Parquet's int64 and JSON; any value in this range gives its own stream.
MAX_SEED = 2**63 - 1


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_COUNT:
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed; allowed: an integer from 1 to {MAX_COUNT:,}")
    return value


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed; allowed: seconds, more than 0 and at most 3600")
    return value


def non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"{text!r} is not a seed; allowed: an integer from 0 to {MAX_SEED}")
    return value


def share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a share in (0, 1]")
    return value


def add_set_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="GROUP.NAME=VALUE",
                        help="override one parameter for every run, value as in TOML (repeatable)")


def add_engine_options(parser: argparse.ArgumentParser, resume: str, dask: bool = True) -> None:
    """--workers, --serial, --dask (where the command can use it) and --resume."""
    parser.add_argument("--workers", metavar="N", type=positive,
                        help="worker processes (default: one per core; with --dask local, Dask workers)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--serial", action="store_true", help="run in this process, one run after another")
    if dask:
        where.add_argument("--dask", metavar="local|tcp://host:port",
                           help="run on Dask: 'local' starts a LocalCluster, an address joins an existing scheduler")
        parser.add_argument("--dask-timeout", metavar="SECONDS", type=seconds, default=DASK_DEADLINE,
                            help=f"how long a Dask scheduler gets to answer (default: {DASK_DEADLINE:g})")
    parser.add_argument("--resume", action="store_true", help=resume + "; runs stored as failed are run again")
    parser.add_argument("--keep-failed", action="store_true",
                        help="with --resume: leave runs stored as failed as they are instead of running them again")
    parser.add_argument("--allow-code-change", action="store_true",
                        help="with --resume: go on in a folder written by other code (each run's code_fingerprint "
                             "column tells the two apart)")


def engine_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The engine's executor, workers, Dask address and resume choices from the parsed options."""
    address = getattr(args, "dask", None)
    if address is not None and address != "local" and "://" not in address:
        raise InputError(f"{address!r}: give 'local' or a scheduler address such as tcp://10.0.0.5:8786",
                         field="--dask")
    for flag in ("keep_failed", "allow_code_change"):
        if getattr(args, flag) and not args.resume:
            raise InputError("applies to a resumed run only; add --resume", field="--" + flag.replace("_", "-"))
    executor = "serial" if args.serial else "dask" if address else "processes"
    return {"executor": executor, "workers": args.workers, "dask_address": address,
            "keep_failed": args.keep_failed, "allow_code_change": args.allow_code_change,
            "dask_deadline": getattr(args, "dask_timeout", DASK_DEADLINE)}
