"""`berdaya validate-patterns`: does the default village behave like real villages?

Runs the four default scenarios (baseline, area_based, enterprise_based, hybrid) through
the experiments engine with the pattern runner, measures every target of
``analysis/patterns.py`` and writes DIR/patterns.{parquet,csv,md,png} beside the
engine's tables. A missed target is a result, not an error: the exit status is 0.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from analysis.patterns import SCENARIOS, run_validation
from berdaya.commands.options import add_engine_options, engine_settings, non_negative, positive
from sim.scenario import parse_set

DEFAULT_REPLICATES = 20


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "validate-patterns",
        help="measure the default scenarios against the field patterns (PATTERNS.md)",
        description=(
            "Run the default scenarios (" + ", ".join(SCENARIOS) + ") with replicates, measure each field "
            "pattern (group sizes, groups that stop, drop-out, interest rates, patron borrowing, programme "
            "effects, what lasts after exit) and write DIR/patterns.parquet, .csv, .md and a figure .png: "
            "target, source, observed mean and 90% range over replicates, pass or fail."
        ),
    )
    parser.add_argument("--replicates", metavar="N", type=positive, default=DEFAULT_REPLICATES,
                        help=f"runs per scenario (default {DEFAULT_REPLICATES})")
    parser.add_argument("--out", metavar="DIR", type=Path,
                        help="output folder (default: a new folder runs/validate-patterns-<time>)")
    parser.add_argument("--seed", type=non_negative, default=1, help="root seed (default 1)")
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="GROUP.NAME=VALUE",
                        help="override one parameter in every scenario, value as in TOML (repeatable), "
                        "e.g. to check proposed defaults")
    parser.add_argument("--months", type=positive, help="horizon in months for every run")
    add_engine_options(parser, resume="finish the validation stored in DIR")
    parser.set_defaults(handler=run)


def default_out() -> Path:
    return Path("runs") / f"validate-patterns-{datetime.now().strftime('%Y%m%d-%H%M%S')}"


def run(args: argparse.Namespace) -> int:
    out = args.out or default_out()
    table, paths, outcome = run_validation(
        out,
        replicates=args.replicates,
        seed=args.seed,
        overrides=parse_set(args.sets),
        months=args.months,
        **engine_settings(args),
        resume=args.resume,
    )
    width = max(len(name) for name in table["target"])
    for row in table.itertuples():
        mean = f"{row.mean:.3g}" if row.defined else "n/a"
        print(f"{row.status:9}  {row.target:<{width}}  {row.scenario:<16}  {mean:>8}  band {row.band}")
    targets = table.groupby("target", sort=False)["passed"].all()
    print(f"{int(table['passed'].sum())} of {len(table)} rows met; {int(targets.sum())} of {len(targets)} targets "
          f"met in every scenario ({outcome.total} runs, {outcome.failed} failed)")
    print("table: " + ", ".join(str(paths[k]) for k in ("parquet", "csv", "markdown")) + f"; figure: {paths['figure']}")
    if outcome.failed:
        print(f"warning: {outcome.failed} runs failed; first:", file=sys.stderr)
        for line in outcome.errors[:3]:
            print(f"  {line}", file=sys.stderr)
    return 0
