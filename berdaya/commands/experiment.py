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
from pathlib import Path

from berdaya.commands.options import add_engine_options, add_set_option, engine_options, warn_failed
from experiments.engine import execute
from experiments.spec import load_experiment
from sim.scenario import parse_set


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "experiment",
        description=(
            "Run every scenario of an experiment file at every sweep point, with replicates, and store "
            "DIR/runs (one row per run), DIR/monthly (monthly outputs) and DIR/experiment.json."
        ),
    )
    parser.add_argument("file", metavar="FILE", type=Path, help="experiment file (TOML)")
    parser.add_argument("--out", metavar="DIR", type=Path, required=True, help="folder for the results")
    add_engine_options(parser, resume="finish the experiment stored in DIR, running only the runs it lacks")
    parser.add_argument(
        "--paired",
        action="store_true",
        help="common random numbers: replicate r at a point gets the same seed (the same village) "
        "in every scenario, as paired = true in the file does",
    )
    add_set_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    experiment = load_experiment(args.file, overrides=parse_set(args.sets))
    if args.paired:
        experiment = dataclasses.replace(experiment, paired=True)
    outcome = execute(experiment, args.out, engine_options(args))
    print(outcome.report())
    warn_failed(outcome.failed, outcome.errors, f" (status 'failed' in {outcome.out / 'runs'})")
    return 0
