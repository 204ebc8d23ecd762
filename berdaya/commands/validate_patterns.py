"""`berdaya validate-patterns`: does the default village behave like real villages?

Runs the four default scenarios (baseline, area_based, enterprise_based, hybrid), or the
scenario files given with ``--scenario``, through the experiments engine with the
pattern runner, measures every target (``analysis/targets.toml`` and any ``--targets``
files) and writes DIR/patterns.{parquet,csv,md,png} beside the engine's tables. A missed
target is a result, not an error: the exit status is 0.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from analysis.studies.patterns import SCENARIOS, count_line, run_validation
from analysis.targets import load_targets
from berdaya.commands import options
from experiments.pattern_runner import catalogue_text
from sim.scenario import parse_set

DEFAULT_REPLICATES = 20


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "validate-patterns",
        description=(
            "Run the default scenarios (" + ", ".join(SCENARIOS) + ") with replicates, measure each field "
            "pattern (group sizes, groups that stop, drop-out, interest rates, patron borrowing, programme "
            "effects, what lasts after exit) and write DIR/patterns.parquet, .csv, .md and a figure .png: "
            "target, kind, metric, scenario, band, observed mean and 90% range over replicates, share of "
            "replicates in the band, met or not; calibration and validation rows counted apart, input rows "
            "shown and never counted."
        ),
    )
    parser.add_argument(
        "--targets",
        metavar="FILE.toml",
        type=Path,
        action="append",
        default=[],
        help="a targets file (format in docs/validation.md) whose targets are added to the shipped "
        "ones or replace them by name (repeatable)",
    )
    parser.add_argument(
        "--scenario",
        dest="scenarios",
        metavar="FILE",
        action="append",
        default=[],
        help="run this scenario file instead of the four shipped strategies (repeatable); targets "
        "name it by its file stem",
    )
    parser.add_argument(
        "--list-metrics",
        action="store_true",
        help="print every metric a target may name, with its definition, and exit",
    )
    options.add_replicates_option(parser, DEFAULT_REPLICATES, "runs per scenario")
    parser.add_argument(
        "--out", metavar="DIR", type=Path, help="output folder (default: a new folder runs/validate-patterns-<time>)"
    )
    options.add_seed_option(parser, what="root seed")
    options.add_set_option(parser, "in every scenario (e.g. to check proposed defaults)")
    options.add_months_option(parser)
    options.add_engine_options(parser, resume="finish the validation stored in DIR")
    parser.set_defaults(handler=run)


def default_out() -> Path:
    return Path("runs") / f"validate-patterns-{datetime.now().strftime('%Y%m%d-%H%M%S')}"


def run(args: argparse.Namespace) -> int:
    if args.list_metrics:
        print(catalogue_text(), end="")
        return 0
    targets = load_targets(args.targets)
    out = args.out or default_out()
    table, paths, outcome = run_validation(
        out,
        targets,
        scenarios=args.scenarios or None,
        replicates=args.replicates,
        seed=args.seed,
        overrides=parse_set(args.sets),
        months=args.months,
        engine=options.engine_options(args),
    )
    width = max([len(name) for name in table["target"]] or [0])
    bands = {t.name: t.band for t in targets}
    for row in table.itertuples():
        verdict = "input" if row.kind == "input" else ("met" if row.met else "missed")
        mean = f"{row.mean:.3g}" if row.mean == row.mean else "n/a"
        print(
            f"{verdict:7}  {row.kind:11}  {row.target:<{width}}  {row.scenario:<16}  {mean:>8}  "
            f"band {bands[row.target]}"
        )
    print(f"{count_line(table)} ({outcome.total} runs, {outcome.failed} failed)")
    print("table: " + ", ".join(str(paths[k]) for k in ("parquet", "csv", "markdown")) + f"; figure: {paths['figure']}")
    options.warn_failed(outcome.failed, outcome.errors, "")
    return 0
