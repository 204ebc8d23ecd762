"""`berdaya compare [SCENARIO...]`: the main job, a strategy comparison a programme officer can act on.

Runs every scenario (by default the four strategies on the default village) with
replicates through the experiments engine, in parallel and resumable, then writes
``DIR/report.html`` and ``DIR/report.md`` (see ``analysis.report``). Replicates are
paired by default: replicate r of every strategy runs on the same village (one seed), so
strategies are compared replicate by replicate; ``--unpaired`` gives each its own seeds.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from analysis.report import build
from berdaya.commands.options import add_engine_options, add_set_option, engine_settings, non_negative, positive
from experiments.engine import execute
from experiments.spec import make_experiment
from sim.errors import InputError
from sim.i18n import LANGUAGES
from sim.scenario import parse_set

STRATEGIES = ["baseline", "area_based", "enterprise_based", "hybrid"]
REPLICATES = 30


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "compare",
        help="compare organising strategies with replicates and write a report (the main job)",
        description=(
            "Run each scenario (default: " + ", ".join(STRATEGIES) + f") {REPLICATES} times on the same kind of "
            "village, in parallel, and write DIR/report.html (one self-contained file, readable on a phone) "
            "and DIR/report.md: which strategy, at what cost, how lasting, and how sure. Replicates are paired "
            "by default: replicate r of every strategy runs on the same village (the same seed), and two "
            "strategies are compared replicate by replicate (the mean paired difference with its bootstrap "
            "interval, and the share of replicates in which one beats the other); --unpaired switches this off."
        ),
    )
    parser.add_argument("scenarios", nargs="*", metavar="SCENARIO",
                        help="scenario files or shipped scenario names (default: the four strategies)")
    parser.add_argument("--replicates", type=positive, default=REPLICATES, metavar="N",
                        help=f"runs per scenario (default: {REPLICATES})")
    parser.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: runs/compare-<time>)")
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the report (default: en)")
    parser.add_argument("--seed", type=non_negative, metavar="N",
                        help="root seed; every run's seed is derived from it (default: the engine's, 0)")
    parser.add_argument("--unpaired", action="store_true",
                        help="give each strategy its own seeds and compare them as independent samples (default: "
                             "paired replicates, the same villages for every strategy)")
    parser.add_argument("--months", type=positive, metavar="N", help="horizon in months for every run")
    add_set_option(parser)
    add_engine_options(parser, resume="finish the comparison stored in --out DIR, running only the runs it lacks")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.resume and args.out is None:
        raise InputError("--resume needs --out DIR, the folder of the comparison to finish", field="--resume")
    if args.scenarios and len(args.scenarios) < 2:
        raise InputError(f"a comparison needs at least two scenarios, got {len(args.scenarios)}; name two or more, "
                         "or none for the four strategies (" + ", ".join(STRATEGIES) + ")", field="SCENARIO")
    out = args.out or Path("runs") / f"compare-{datetime.now():%Y%m%d-%H%M%S}"
    extra = {} if args.seed is None else {"seed": args.seed}
    experiment = make_experiment(args.scenarios or list(STRATEGIES), replicates=args.replicates,
                                 months=args.months, overrides=parse_set(args.sets), name="compare",
                                 paired=not args.unpaired, **extra)
    outcome = execute(experiment, out, resume=args.resume, **engine_settings(args))
    print(outcome.report())
    if outcome.failed:
        print(f"warning: {outcome.failed} runs failed and are left out of the report; first:", file=sys.stderr)
        for line in outcome.errors[:3]:
            print(f"  {line}", file=sys.stderr)
    paths, summary = build(out, args.lang)
    print()
    print(summary)
    print()
    print(f"report: {paths['html']}  (also {paths['md'].name}, figures/, summary.csv, pairs.csv)")
    return 0
