"""`berdaya robustness`: every strategy in many villages; where each beats baseline, its regret, where it fails.

Villages come from a Latin hypercube over village conditions (patron openness and
extraction, shocks, density, hamlets, initial awareness and dependency, ...), each over
its range in the parameter schema. Runs go through the experiments engine, so
``--workers``, ``--dask`` and ``--resume`` work as in ``berdaya experiment``. See
analysis/studies/robustness.py for the definitions (beats, fails, regret) and analysis/rules.py
for the PRIM boxes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.rules import Box
from analysis.studies.robustness import (
    CONDITIONS,
    DEFAULT_MARGIN,
    DEFAULT_REPLICATES,
    DEFAULT_VILLAGES,
    MIN_VILLAGES,
    run_robustness,
)
from berdaya.commands import options
from sim.params import STRATEGIES
from sim.scenario import parse_set

DEFAULT_OUT = Path("runs") / "robustness"


def _margin(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value < 1.0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a share in [0, 1)")
    return value


def _names(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "robustness",
        description=(
            "Draw villages by a Latin hypercube over village conditions, run every strategy in each with "
            "replicates, and report per strategy the share of villages where it beats baseline, its regret "
            "(gap to the best strategy in the village: median and 90th percentile) and the PRIM box of "
            "conditions under which it fails. Writes DIR/robustness/*.parquet (and .csv), rules.txt, "
            "summary.png and rules.png (and .svg), and DIR/sections/robustness.html."
        ),
    )
    parser.add_argument(
        "--villages",
        metavar="N",
        type=options.positive,
        default=DEFAULT_VILLAGES,
        help=f"villages to draw (default {DEFAULT_VILLAGES}, at least {MIN_VILLAGES})",
    )
    options.add_replicates_option(parser, DEFAULT_REPLICATES, "runs of each strategy in each village")
    parser.add_argument(
        "--margin",
        type=_margin,
        default=DEFAULT_MARGIN,
        help=f"gain in self-reliant share over baseline a strategy needs to count as working "
        f"(default {DEFAULT_MARGIN})",
    )
    parser.add_argument(
        "--strategies",
        type=_names,
        default=list(STRATEGIES),
        metavar="S,...",
        help="strategies (shipped scenarios) to run, baseline among them (default: all)",
    )
    parser.add_argument(
        "--conditions",
        type=_names,
        default=list(CONDITIONS),
        metavar="GROUP.NAME,...",
        help="village conditions to draw (default: " + ", ".join(CONDITIONS) + ")",
    )
    options.add_set_option(parser)
    options.add_months_option(parser)
    options.add_seed_option(parser, what="root seed of the villages and the runs")
    parser.add_argument(
        "--out", metavar="DIR", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})"
    )
    options.add_engine_options(parser, resume="finish the analysis stored in DIR/robustness")
    options.add_lang_option(parser, "the figures and HTML section")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    found = run_robustness(
        args.out,
        villages=args.villages,
        replicates=args.replicates,
        seed=args.seed,
        strategies=args.strategies,
        conditions=args.conditions,
        margin=args.margin,
        months=args.months,
        overrides=parse_set(args.sets),
        engine=options.engine_options(args),
        lang=args.lang,
    )
    rate = found.ran / found.seconds if found.seconds > 0 else 0.0
    print(
        f"{len(found.villages)} villages x {len(found.summary)} strategies x {found.replicates} replicates: "
        f"{found.runs} runs (ran {found.ran} in {found.seconds:.1f} s, {rate:.1f} runs/s), {found.failed} failed"
    )
    for row in found.summary.itertuples():
        beats = "" if row.strategy == "baseline" else f"beats baseline in {row.share_beats_baseline:.0%} of villages, "
        print(f"  {row.strategy}: {beats}regret median {row.regret_median:.3f}, p90 {row.regret_p90:.3f}")
    for strategy, box in found.rules.items():
        if isinstance(box, Box):
            print(f"  {strategy} fails when {box.rule()} (coverage {box.coverage:.2f}, density {box.density:.2f})")
        else:
            print(f"  {strategy}: {box}")
    print(f"tables and figures: {found.out}; section: {args.out / 'sections' / 'robustness.html'}")
    options.warn_failed(found.failed, found.errors, "; villages missing a strategy are left out")
    return 0
