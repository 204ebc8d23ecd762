"""`berdaya experiment FILE --out DIR`: replicates and sweeps in parallel, stored as Parquet, resumable.

Executors: local processes (the default, one per core), ``--serial``, or Dask with
``--dask local`` (a LocalCluster on this machine) or ``--dask tcp://host:port`` (an
existing cluster, the way to go beyond one machine). Finished batches are on disk as
they end; after a crash or Ctrl-C the same command with ``--resume`` runs what is missing.
``--paired`` (or ``paired = true`` in the file) gives every scenario the same seeds.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from experiments.engine import execute
from experiments.spec import load_experiment
from sim.errors import InputError
from sim.scenario import parse_set


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive integer")
    return value


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "experiment",
        help="run replicates and sweeps of scenarios in parallel into a folder of Parquet tables",
        description=(
            "Run every scenario of an experiment file at every sweep point, with replicates, and store "
            "DIR/runs (one row per run), DIR/monthly (monthly outputs) and DIR/experiment.json."
        ),
    )
    parser.add_argument("file", metavar="FILE", type=Path, help="experiment file (TOML)")
    parser.add_argument("--out", metavar="DIR", type=Path, required=True, help="folder for the results")
    parser.add_argument("--workers", metavar="N", type=_positive,
                        help="worker processes (default: one per core; with --dask local, Dask workers)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--serial", action="store_true", help="run in this process, one run after another")
    where.add_argument("--dask", metavar="local|tcp://host:port",
                       help="run on Dask: 'local' starts a LocalCluster, an address joins an existing scheduler")
    parser.add_argument("--resume", action="store_true",
                        help="finish the experiment stored in DIR, running only the runs it lacks")
    parser.add_argument("--paired", action="store_true",
                        help="common random numbers: replicate r at a point gets the same seed (the same village) "
                             "in every scenario, as paired = true in the file does")
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="GROUP.NAME=VALUE",
                        help="override one parameter for every run, value as in TOML (repeatable)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.dask is not None and args.dask != "local" and "://" not in args.dask:
        raise InputError(f"{args.dask!r}: give 'local' or a scheduler address such as tcp://10.0.0.5:8786",
                         field="--dask")
    experiment = load_experiment(args.file, overrides=parse_set(args.sets))
    if args.paired:
        experiment = dataclasses.replace(experiment, paired=True)
    executor = "serial" if args.serial else "dask" if args.dask else "processes"
    outcome = execute(experiment, args.out, executor=executor, workers=args.workers, dask_address=args.dask,
                      resume=args.resume)
    rate = outcome.ran / outcome.seconds if outcome.seconds > 0 else 0.0
    kept = f", {outcome.skipped} already stored" if outcome.skipped else ""
    print(f"{outcome.total} runs in {outcome.out}: ran {outcome.ran} in {outcome.seconds:.1f} s "
          f"({rate:.1f} runs/s){kept}, {outcome.failed} failed")
    if outcome.failed:
        print(f"warning: {outcome.failed} runs failed (status 'failed' in {outcome.out / 'runs'}); first:",
              file=sys.stderr)
        for line in outcome.errors[:3]:
            print(f"  {line}", file=sys.stderr)
    return 0
