"""`berdaya sensitivity`: which guessed parameters decide the outcomes (Morris screening, Sobol' indices).

Morris screening of every parameter with a range is the default. ``--method sobol``
splits the variance among a few: those named in ``--params``, else the top ``--top``
of a Morris result already in ``--out``. Runs go through the experiments engine
(processes by default, ``--serial``, or ``--dask``), so ``--resume`` finishes an
interrupted analysis. See analysis/studies/sensitivity.py for the noise floor and undefined
outcomes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.studies.sensitivity import (
    DEFAULT_SAMPLES,
    DEFAULT_TOP,
    EXCLUDED,
    METHODS,
    MIN_SAMPLES,
    NOISE,
    check_samples,
    run_sensitivity,
    schema_factors,
    top_factors,
)
from berdaya.commands import options
from sim.params import STRATEGIES, fields
from sim.scenario import parse_set, resolve_scenario

DEFAULT_OUT = Path("runs") / "sensitivity"


def add_parser(subparsers) -> None:
    strategy = fields()["strategy"].default
    parser = subparsers.add_parser(
        "sensitivity",
        description=(
            "Vary parameters over the ranges in the parameter schema and measure how much each moves the "
            "outcomes (self-reliant share at the horizon, sustainability, dependency at the horizon, "
            "facilitator-months per self-reliant household). Writes DIR/<method>/indices.parquet (and .csv), "
            "DIR/<method>/ranking.png (and .svg) and DIR/sections/sensitivity.html. Left out of 'all' unless "
            "named: " + "; ".join(f"{name} ({why})" for name, why in EXCLUDED.items()) + "."
        ),
    )
    parser.add_argument("--method", choices=METHODS, default="morris", help="morris (default) or sobol")
    parser.add_argument(
        "--params",
        metavar="GROUP|NAME,...",
        help="parameters to vary: groups (e.g. patrons) and names (e.g. village.shock_rate), comma-separated; "
        "default: all with a range (morris) or the top of the Morris result in DIR (sobol)",
    )
    parser.add_argument(
        "--samples",
        metavar="N",
        type=options.positive,
        help=f"Morris trajectories (default {DEFAULT_SAMPLES['morris']}, at least {MIN_SAMPLES['morris']}) or "
        f"Sobol' base samples (a power of two, default {DEFAULT_SAMPLES['sobol']}, at least {MIN_SAMPLES['sobol']})",
    )
    parser.add_argument(
        "--top",
        metavar="K",
        type=options.positive,
        default=DEFAULT_TOP,
        help=f"with --method sobol and no --params: how many Morris leaders to take (default {DEFAULT_TOP})",
    )
    parser.add_argument("--strategy", choices=STRATEGIES, help=f"strategy to analyse (default {strategy})")
    parser.add_argument(
        "--scenario",
        metavar="FILE",
        help="scenario file or shipped name to start from (default: the shipped scenario of the strategy)",
    )
    options.add_set_option(parser)
    options.add_months_option(parser)
    options.add_replicates_option(parser, 1, "runs per sample point, averaged")
    options.add_seed_option(parser)
    parser.add_argument(
        "--out", metavar="DIR", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})"
    )
    options.add_engine_options(parser, resume="finish the analysis stored in DIR/<method>")
    options.add_lang_option(parser, "the figure and HTML section")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    samples = args.samples if args.samples is not None else DEFAULT_SAMPLES[args.method]
    check_samples(args.method, samples)
    if args.method == "sobol" and args.params is None:
        factors = top_factors(args.out, args.top)
        print(
            f"Sobol' on the top {len(factors)} of the Morris screening in {args.out}: "
            + ", ".join(f.name for f in factors)
        )
    else:
        factors = schema_factors(args.params)
    overrides = parse_set(args.sets)
    strategy = args.strategy or fields()["strategy"].default
    scenario = resolve_scenario(args.scenario or strategy)
    if args.strategy and args.scenario:
        overrides["programme.strategy"] = args.strategy
    analysis = run_sensitivity(
        factors,
        args.out,
        method=args.method,
        samples=samples,
        scenario=scenario,
        replicates=args.replicates,
        seed=args.seed,
        months=args.months,
        overrides=overrides,
        engine=options.engine_options(args),
        lang=args.lang,
    )
    rate = analysis.ran / analysis.seconds if analysis.seconds > 0 else 0.0
    print(
        f"{args.method}: {len(factors)} parameters (+ the '{NOISE}' dummy), {analysis.runs} runs "
        f"(ran {analysis.ran} in {analysis.seconds:.1f} s, {rate:.1f} runs/s), {analysis.failed} failed"
    )
    if analysis.repaired:
        print(f"{analysis.repaired} points had group_max_size raised to group_min_size (the schema's rule)")
    key = "mu_star" if args.method == "morris" else "ST"
    for outcome, part in analysis.indices.groupby("outcome", sort=False):
        leaders = part[part["above_noise"]].sort_values(key, ascending=False).head(5)
        low, high, total = part["n_used"].min(), part["n_used"].max(), part["n_total"].max()
        terms = "effects" if args.method == "morris" else "base samples"
        used = f" (undefined points: {low}-{high} of {total} {terms} used)" if low < total else ""
        names = ", ".join(f"{r.parameter} {getattr(r, key):.3g}" for r in leaders.itertuples()) or "none above noise"
        print(f"  {outcome}{used}: {names}")
    print(
        f"indices: {analysis.out / 'indices.parquet'}; figure: {analysis.out / 'ranking.png'}; "
        f"section: {args.out / 'sections' / 'sensitivity.html'}"
    )
    options.warn_failed(analysis.failed, analysis.errors, " and count as undefined")
    return 0
