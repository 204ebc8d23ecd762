"""`berdaya calibrate`: fit the parameters the schema marks ``calibrate`` (or ``--params``) to the calibration rows.

``--method smc`` (the default): pyabc's ABC-SMC (``analysis.studies.smc``), resumable, up to
``--budget`` evaluations; writes posterior.parquet (one row per particle, and ``weight``),
calibration.md, marginals.png, pairs.png and pyabc's database abc.db under DIR.

``--method rejection``: draws a Latin hypercube of the parameters in ``analysis.studies.calibration.PARAMETERS``, runs
each sample in all four default scenarios with the same values, accepts the samples
closest to the calibration targets (never the validation rows: they are the hold-out)
and writes, under DIR: samples.parquet (every sample, its
misses and distance), accepted.csv, posterior.csv, conflicts.csv (targets that cannot
be met together), calibration.md (the record) and posterior.png, beside the engine's
tables. The proposed defaults are for the lead to apply to sim/params.py.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from datetime import datetime
from pathlib import Path

from analysis.studies import screen, smc
from analysis.studies.calibration import (
    DEFAULT_QUANTILE,
    DEFAULT_REPLICATES,
    DEFAULT_SAMPLES,
    PARAMETERS,
    run_calibration,
)
from berdaya.commands import options
from experiments.engine import EngineOptions
from sim.errors import InputError
from sim.scenario import parse_set


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "calibrate",
        description=(
            "Fit every parameter the schema marks calibrate (ABC-SMC on pyabc: adaptive distance and "
            "population size) to the calibration rows, running each particle in the four default scenarios "
            "with the same values (the validation rows are a hold-out it never sees), and write the posterior. "
            "--method rejection samples " + ", ".join(PARAMETERS) + " instead (a Latin hypercube) and accepts "
            "the closest share."
        ),
    )
    parser.add_argument(
        "--method",
        choices=["smc", "rejection", "screen"],
        default="smc",
        help="smc: pyabc's ABC-SMC (default); rejection: the earlier ABC rejection on a Latin hypercube; "
        "screen: which parameters the calibration rows inform (Morris, against dummies), nothing fitted",
    )
    parser.add_argument(
        "--params",
        metavar="marked|all|NAME,...",
        help="smc and screen: the parameters to fit or screen: marked (default) those the schema marks calibrate; "
        "all those and every assumption a comparison draws; or dotted names (the others keep their values)",
    )
    parser.add_argument(
        "--trajectories",
        metavar="N",
        type=options.positive,
        default=screen.DEFAULT_TRAJECTORIES,
        help=f"screen: Morris trajectories, each {screen.DUMMIES + 1} evaluations more than there are parameters screened "
        f"(default {screen.DEFAULT_TRAJECTORIES})",
    )
    parser.add_argument(
        "--budget",
        metavar="N",
        type=options.positive,
        default=smc.DEFAULT_BUDGET,
        help=f"smc: model evaluations (each the four scenarios) before it stops, checked after each generation "
        f"(default {smc.DEFAULT_BUDGET})",
    )
    parser.add_argument(
        "--samples",
        metavar="N",
        type=options.positive,
        default=DEFAULT_SAMPLES,
        help=f"rejection: prior samples (default {DEFAULT_SAMPLES})",
    )
    options.add_replicates_option(parser, DEFAULT_REPLICATES, "runs per sample and scenario")
    parser.add_argument(
        "--quantile",
        metavar="Q",
        type=options.share,
        default=DEFAULT_QUANTILE,
        help=f"options.share of samples accepted, closest first (default {DEFAULT_QUANTILE})",
    )
    options.add_seed_option(parser)
    parser.add_argument(
        "--out", metavar="DIR", type=Path, help="output folder (default: a new folder runs/calibrate-<time>)"
    )
    parser.add_argument(
        "--targets",
        metavar="FILE.toml",
        type=Path,
        action="append",
        default=[],
        help="a targets file added to the shipped targets or replacing them by name (repeatable); "
        'only targets of kind "calibration" are fitted',
    )
    options.add_set_option(parser)
    options.add_months_option(parser)
    options.add_engine_options(parser, resume="finish the calibration stored in DIR")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    out = args.out or Path("runs") / f"calibrate-{datetime.now().strftime('%Y%m%d-%H%M%S')}"
    if args.method == "smc":
        return run_smc(args, out)
    if args.method == "screen":
        return run_screen(args, out)
    if args.params is not None:
        raise InputError(
            "applies to --method smc and screen, not to rejection (its twelve are fixed)", field="--params"
        )
    result = run_calibration(
        out,
        samples=args.samples,
        replicates=args.replicates,
        quantile=args.quantile,
        seed=args.seed,
        overrides=parse_set(args.sets),
        months=args.months,
        engine=options.engine_options(args),
        target_files=args.targets,
    )
    accepted = int(result.samples["accepted"].sum())
    outcome = result.outcome
    print(
        f"{len(result.samples)} samples x 4 scenarios ({outcome.total} runs, {outcome.failed} failed, "
        f"{outcome.seconds:.0f} s); accepted {accepted}, epsilon {result.epsilon:.3f}, "
        f"best distance {result.samples['distance'].min():.3f}"
    )
    for row in result.posterior.itertuples():
        print(
            f"  {row.parameter:<30} prior [{row.prior_lo:g}, {row.prior_hi:g}]  median {row.median:.3g}  "
            f"90% {row.q05:.3g} to {row.q95:.3g}"
        )
    pulled = result.conflicts[result.conflicts["conflict"]].sort_values("spearman")
    if len(pulled):
        print(
            "targets that pull apart: "
            + "; ".join(f"{r.target_a} vs {r.target_b} (rho {r.spearman:.2f})" for r in pulled.itertuples())
        )
    print("proposed defaults: " + ", ".join(f"{k} = {v}" for k, v in result.proposal.items()))
    print(f"record: {out / 'calibration.md'}; samples: {out / 'samples.parquet'}; figure: {out / 'posterior.png'}")
    options.warn_failed(outcome.failed, outcome.errors, " and count as misses")
    return 0


def shared(args: argparse.Namespace, engine: EngineOptions) -> dict:
    """What the screen and the ABC-SMC read alike from the command line."""
    return {
        "seed": args.seed,
        "overrides": parse_set(args.sets),
        "months": args.months,
        "workers": 1 if engine.executor == "serial" else engine.workers or 1,
        "target_files": args.targets,
        "command": " ".join(["berdaya", *map(shlex.quote, sys.argv[1:])]),
    }


def run_screen(args: argparse.Namespace, out: Path) -> int:
    engine = options.engine_options(args)
    for flag, given in (("--resume", args.resume), ("--dask", engine.dask_address)):
        if given:
            raise InputError("applies to --method smc, not to the screen", field=flag)
    parameters = screen.candidates(args.params)
    result = screen.run_screen(out, trajectories=args.trajectories, parameters=parameters, **shared(args, engine))
    summary = result.summary
    print(
        f"{len(result.points)} points ({result.seconds:.0f} s): the calibration rows inform "
        f"{int(summary['informed'].sum())} of {len(summary)} parameters screened"
    )
    for row in summary.itertuples():
        print(f"  {row.parameter:<36} {row.informs or '(none)'}")
    print(f"table: {out / screen.TABLE}; record: {out / screen.RECORD}")
    return 0


def run_smc(args: argparse.Namespace, out: Path) -> int:
    engine = options.engine_options(args)
    result = smc.run_smc(
        out,
        budget=args.budget,
        dask=engine.dask_address,
        resume=args.resume,
        progress=engine.progress,
        replicates=args.replicates,
        parameters=screen.candidates(args.params),
        **shared(args, engine),
    )
    print(
        f"{result.evaluations} evaluations in {len(result.populations)} generations"
        f"{f' and {result.dropped} in one the budget cut short' if result.dropped else ''} ({result.seconds:.0f} s); "
        f"final epsilon {result.populations['epsilon'].iloc[-1]:.3g}, {len(result.posterior)} particles"
    )
    for row in result.summary.itertuples():
        print(
            f"  {row.parameter:<36} prior [{row.prior_lo:g}, {row.prior_hi:g}]  median {row.median:.3g}  "
            f"90% {row.q05:.3g} to {row.q95:.3g}"
        )
    print(f"posterior: {out / smc.POSTERIOR}; record: {out / 'calibration.md'}")
    return 0
