"""`berdaya calibrate`: rerun the calibration that set the defaults (ABC rejection).

Draws a Latin hypercube of the parameters in ``analysis.calibration.PARAMETERS``, runs
each sample in all four default scenarios with the same values, accepts the samples
closest to the field patterns and writes, under DIR: samples.parquet (every sample, its
misses and distance), accepted.csv, posterior.csv, conflicts.csv (targets that cannot
be met together), calibration.md (the record) and posterior.png, beside the engine's
tables. The proposed defaults are for the lead to apply to sim/params.py.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from analysis.calibration import DEFAULT_QUANTILE, DEFAULT_REPLICATES, DEFAULT_SAMPLES, PARAMETERS, run_calibration
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


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a share in (0, 1]")
    return value


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "calibrate",
        help="ABC-rejection calibration of the defaults against the field patterns",
        description=(
            "Sample " + ", ".join(PARAMETERS) + " (a Latin hypercube within the schema's ranges), run every "
            "sample in the four default scenarios with the same values, accept the closest share to the field "
            "patterns, and write the accepted samples, the posterior, the proposed defaults and the targets "
            "that cannot be met together."
        ),
    )
    parser.add_argument("--samples", metavar="N", type=_positive, default=DEFAULT_SAMPLES,
                        help=f"prior samples (default {DEFAULT_SAMPLES})")
    parser.add_argument("--replicates", metavar="R", type=_positive, default=DEFAULT_REPLICATES,
                        help=f"runs per sample and scenario (default {DEFAULT_REPLICATES})")
    parser.add_argument("--quantile", metavar="Q", type=_share, default=DEFAULT_QUANTILE,
                        help=f"share of samples accepted, closest first (default {DEFAULT_QUANTILE})")
    parser.add_argument("--seed", type=int, default=1, help="root seed of the sample and the runs (default 1)")
    parser.add_argument("--out", metavar="DIR", type=Path,
                        help="output folder (default: a new folder runs/calibrate-<time>)")
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="GROUP.NAME=VALUE",
                        help="fix a parameter in every run, value as in TOML (repeatable)")
    parser.add_argument("--months", type=_positive, help="horizon in months for every run")
    parser.add_argument("--workers", metavar="N", type=_positive, help="worker processes (default: one per core)")
    parser.add_argument("--serial", action="store_true", help="run in this process, one run after another")
    parser.add_argument("--resume", action="store_true", help="finish the calibration stored in DIR")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.seed < 0:
        raise InputError(f"{args.seed}: the seed must be a non-negative integer", field="--seed")
    out = args.out or Path("runs") / f"calibrate-{datetime.now().strftime('%Y%m%d-%H%M%S')}"
    result = run_calibration(
        out,
        samples=args.samples,
        replicates=args.replicates,
        quantile=args.quantile,
        seed=args.seed,
        overrides=parse_set(args.sets),
        months=args.months,
        executor="serial" if args.serial else "processes",
        workers=args.workers,
        resume=args.resume,
    )
    accepted = int(result.samples["accepted"].sum())
    outcome = result.outcome
    print(f"{len(result.samples)} samples x 4 scenarios ({outcome.total} runs, {outcome.failed} failed, "
          f"{outcome.seconds:.0f} s); accepted {accepted}, epsilon {result.epsilon:.3f}, "
          f"best distance {result.samples['distance'].min():.3f}")
    for row in result.posterior.itertuples():
        print(f"  {row.parameter:<30} prior [{row.prior_lo:g}, {row.prior_hi:g}]  median {row.median:.3g}  "
              f"90% {row.q05:.3g} to {row.q95:.3g}")
    pulled = result.conflicts[result.conflicts["conflict"]].sort_values("spearman")
    if len(pulled):
        print("targets that pull apart: " + "; ".join(
            f"{r.target_a} vs {r.target_b} (rho {r.spearman:.2f})" for r in pulled.itertuples()))
    print("proposed defaults: " + ", ".join(f"{k} = {v}" for k, v in result.proposal.items()))
    print(f"record: {out / 'calibration.md'}; samples: {out / 'samples.parquet'}; figure: {out / 'posterior.png'}")
    if outcome.failed:
        print(f"warning: {outcome.failed} runs failed and count as misses; first:", file=sys.stderr)
        for line in outcome.errors[:3]:
            print(f"  {line}", file=sys.stderr)
    return 0
