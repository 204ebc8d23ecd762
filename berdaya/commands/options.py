"""Command-line options shared by the commands (seed, horizon, language, --set, the engine's), the one
place the engine's options object is built from them, and the one warning about failed runs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from analysis.i18n import LANGUAGES
from experiments.engine import DASK_DEADLINE, EngineOptions
from experiments.spec import MAX_REPLICATES
from sim.errors import InputError

# Upper bounds on counts typed on the command line: far above any real use, low enough that a slip
# (an extra zero, a pasted number) is refused at once instead of planning runs for hours.
MAX_COUNT = 1_000_000
# Seeds are stored in Parquet's int64 and JSON; any value in this range gives its own stream.
MAX_SEED = 2**63 - 1


def _number(text: str, kind: type, allowed, refusal: str) -> int | float:
    """``text`` as ``kind`` when ``allowed(value)``; else argparse's one-line refusal."""
    try:
        value = kind(text)
    except ValueError:
        value = None
    if value is None or not allowed(value):
        raise argparse.ArgumentTypeError(f"{text!r} {refusal}")
    return value


def positive(text: str) -> int:
    return _number(
        text, int, lambda v: 1 <= v <= MAX_COUNT, f"is not allowed; allowed: an integer from 1 to {MAX_COUNT:,}"
    )


def replicates(text: str) -> int:
    """Runs per scenario: the one limit the engine checks too (``experiments.spec.MAX_REPLICATES``)."""
    return _number(
        text,
        int,
        lambda v: 1 <= v <= MAX_REPLICATES,
        f"is not allowed; allowed: an integer from 1 to {MAX_REPLICATES:,}",
    )


def seconds(text: str) -> float:
    return _number(
        text, float, lambda v: 0 < v <= 3600, "is not allowed; allowed: seconds, more than 0 and at most 3600"
    )


def non_negative(text: str) -> int:
    return _number(text, int, lambda v: 0 <= v <= MAX_SEED, f"is not a seed; allowed: an integer from 0 to {MAX_SEED}")


def share(text: str) -> float:
    return _number(text, float, lambda v: 0 < v <= 1, "is not a share in (0, 1]")


def add_set_option(parser: argparse.ArgumentParser, what: str = "for every run") -> None:
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="GROUP.NAME=VALUE",
        help=f"override one parameter {what}, value as in TOML (repeatable)",
    )


def add_replicates_option(parser: argparse.ArgumentParser, default: int, what: str = "runs per scenario") -> None:
    parser.add_argument(
        "--replicates",
        type=replicates,
        default=default,
        metavar="N",
        help=f"{what} (default: {default}, at most {MAX_REPLICATES:,})",
    )


def add_seed_option(
    parser: argparse.ArgumentParser, default: int | None = 1, what: str = "root seed of the sample and the runs"
) -> None:
    shown = "" if default is None else f" (default: {default})"
    parser.add_argument("--seed", type=non_negative, default=default, metavar="N", help=what + shown)


def add_months_option(parser: argparse.ArgumentParser, what: str = "horizon in months for every run") -> None:
    parser.add_argument("--months", type=positive, metavar="N", help=what)


def add_lang_option(parser: argparse.ArgumentParser, what: str = "the report") -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help=f"language of {what} (default: en)")


def add_engine_options(parser: argparse.ArgumentParser, resume: str, dask: bool = True) -> None:
    """--workers, --serial, --dask (where the command can use it) and --resume."""
    parser.add_argument(
        "--workers",
        metavar="N",
        type=positive,
        help="worker processes (default: one per core; with --dask local, Dask workers)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--serial", action="store_true", help="run in this process, one run after another")
    if dask:
        where.add_argument(
            "--dask",
            metavar="local|tcp://host:port",
            help="run on Dask: 'local' starts a LocalCluster, an address joins an existing scheduler",
        )
        parser.add_argument(
            "--dask-timeout",
            metavar="SECONDS",
            type=seconds,
            default=DASK_DEADLINE,
            help=f"how long a Dask scheduler gets to answer (default: {DASK_DEADLINE:g})",
        )
    parser.add_argument("--resume", action="store_true", help=resume + "; runs stored as failed are run again")
    parser.add_argument(
        "--keep-failed",
        action="store_true",
        help="with --resume: leave runs stored as failed as they are instead of running them again",
    )
    parser.add_argument(
        "--allow-code-change",
        action="store_true",
        help="with --resume: go on in a folder written by other code (each run's code_fingerprint "
        "column tells the two apart)",
    )


def engine_options(args: argparse.Namespace) -> EngineOptions:
    """The engine's options object from the parsed options: executor, workers, Dask address, resume."""
    address = getattr(args, "dask", None)
    if address is not None and address != "local" and "://" not in address:
        raise InputError(
            f"{address!r}: give 'local' or a scheduler address such as tcp://10.0.0.5:8786", field="--dask"
        )
    for flag in ("keep_failed", "allow_code_change"):
        if getattr(args, flag) and not args.resume:
            raise InputError("applies to a resumed run only; add --resume", field="--" + flag.replace("_", "-"))
    executor = "serial" if args.serial else "dask" if address else "processes"
    return EngineOptions(
        executor=executor,
        workers=args.workers,
        dask_address=address,
        resume=args.resume,
        keep_failed=args.keep_failed,
        allow_code_change=args.allow_code_change,
        dask_deadline=getattr(args, "dask_timeout", DASK_DEADLINE),
    )


def warn_failed(failed: int, errors: Sequence[str], consequence: str) -> None:
    """The one warning every command gives when runs failed: how many, what follows, the first errors."""
    if failed:
        print(f"warning: {failed} runs failed{consequence}; first:", file=sys.stderr)
        for line in errors[:3]:
            print(f"  {line}", file=sys.stderr)
