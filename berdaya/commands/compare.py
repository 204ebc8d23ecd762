"""`berdaya compare [SCENARIO...]`: the main job, a strategy comparison a programme officer can act on.

Runs every scenario (by default the four strategies on the default village) with
replicates through the experiments engine, in parallel and resumable, then writes
``DIR/report.html`` and ``DIR/report.md`` (see ``analysis.report``). Replicates are paired
by default: replicate r of every strategy runs on the same village (one seed), so
strategies are compared replicate by replicate; ``--unpaired`` gives each its own seeds.
By default each replicate is also one plausible world (``experiments.worlds``): the
assumed parameters are drawn from their plausible ranges, the same draw for every strategy.
Then, unless ``--no-decompose``, the factorial of the switches in which each programme
strategy differs from the best one runs in ``DIR/decomposition`` (``analysis.decomposition``),
with ``--facilitators`` every programme strategy runs at each number of facilitators in
``DIR/cost_curve``, and, unless ``--no-voi``, the leader and the runner-up run along the
assumptions the lead moves with most and the self-reliance cut-off in ``DIR/switch_points``
(where the recommendation would change; ``analysis.decision``). Where the worlds are drawn,
unless ``--no-default-village``, every scenario runs again on the first replicates' villages with
every parameter at its stated value (``DIR/default_village``), so the report can set the
default village beside the worlds' median.
"""

from __future__ import annotations

import argparse
import json
import math
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import decomposition, hinges
from analysis.decision import WTP_RECORD
from analysis.measures import EFFECT, SPENT, outcomes
from analysis.report import COST_CURVE, DECOMPOSITION, DEFAULT_VILLAGE, PLAN, SWITCH_POINTS, build
from analysis.stats import rank_correlations
from analysis.study import load
from berdaya.commands import options
from experiments.engine import check_horizon, execute, plan
from experiments.spec import Experiment, make_experiment
from experiments.worlds import SHAPES, plausible_ranges, read_posterior, shipped_posterior
from sim.errors import InputError
from sim.files import write_json
from sim.params import Params
from sim.scenario import parse_set

STRATEGIES = ["baseline", "area_based", "enterprise_based", "hybrid"]
REPLICATES = 30
DECOMPOSITION_REPLICATES = 12
# The default village: every parameter at its stated value, on the villages of the first replicates.
DEFAULT_VILLAGE_REPLICATES = 10
# Switch points: runs of the leader and the runner-up along the assumed parameters its lead moves
# with most (and along the self-reliance cut-off), the other assumptions drawn as before.
SWITCH_PARAMETERS = 3
SWITCH_GRID = 5
SWITCH_REPLICATES = 6
CUTOFF = "households.self_reliance_threshold"
# The cut-off is a design choice, not a measured quantity: the runs count households above it at
# values a reader might equally have chosen, a fifth of the index either side of the default.
CUTOFF_SPREAD = 0.2


def facilitator_counts(text: str) -> list[int]:
    try:
        counts = [int(item) for item in text.split(",") if item.strip()]
    except ValueError:
        counts = []
    if not counts or any(n < 1 or n > 64 for n in counts):
        raise argparse.ArgumentTypeError(
            f"{text!r}: give numbers of facilitators from 1 to 64 separated by commas, e.g. 2,4,8"
        )
    return sorted(set(counts))


def willingness_to_pay(text: str) -> list[float]:
    """Rupiah per additional self-reliant household: numbers of at least 0 separated by commas."""
    try:
        values = [float(item) for item in text.split(",")]
    except ValueError:
        values = []
    if not values or any(not math.isfinite(v) or v < 0 for v in values):
        raise argparse.ArgumentTypeError(
            f"{text!r}: give rupiah per additional self-reliant household, numbers of 0 or more separated "
            "by commas, e.g. 50000000,100000000"
        )
    return values


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "compare",
        description=(
            "Run each scenario (default: " + ", ".join(STRATEGIES) + f") {REPLICATES} times on the same kind of "
            "village, in parallel, and write DIR/report.html (one self-contained file, readable on a phone) "
            "and DIR/report.md: which strategy, at what cost, how lasting, how sure, and where the differences "
            "come from. Replicates are paired by default: replicate r of every strategy runs on the same village "
            "(the same seed) and in the same plausible world (the assumed parameters drawn from their plausible "
            "ranges), and two strategies are compared replicate by replicate; --unpaired switches pairing off, "
            "--fixed-parameters the plausible worlds."
        ),
    )
    parser.add_argument(
        "scenarios",
        nargs="*",
        metavar="SCENARIO",
        help="scenario files or shipped scenario names (default: the four strategies)",
    )
    options.add_replicates_option(parser, REPLICATES, "runs per scenario")
    parser.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: runs/compare-<time>)")
    options.add_lang_option(parser)
    options.add_seed_option(parser, None, "root seed; every run's seed is derived from it (default: the engine's, 0)")
    parser.add_argument(
        "--unpaired",
        action="store_true",
        help="give each strategy its own seeds and compare them as independent samples (default: "
        "paired replicates, the same villages for every strategy); no decomposition then",
    )
    options.add_months_option(parser, "horizon in months for every run (at least the programme's length)")
    worlds = parser.add_mutually_exclusive_group()
    worlds.add_argument(
        "--fixed-parameters",
        action="store_true",
        help="hold every parameter at its value instead of drawing the assumed ones per replicate",
    )
    worlds.add_argument(
        "--posterior",
        type=Path,
        metavar="DIR",
        help="draw the calibrated parameters jointly from this `berdaya calibrate` folder's posterior.parquet, "
        "one particle by weight per replicate (default: the posterior shipped with the package, if any)",
    )
    parser.add_argument(
        "--worlds-shape",
        choices=SHAPES,
        default=SHAPES[0],
        help="how each world draws an assumed parameter: pert (default), a PERT distribution on its plausible range "
        "with its mode at the stated value; uniform, uniformly over the range; pert-log, as pert but on the "
        "logarithm of a range that spans a factor of ten or more (both sensitivity runs: the same uniform draws, "
        "so each world corresponds rank for rank)",
    )
    parser.add_argument(
        "--no-decompose", action="store_true", help="skip the factorial that says where each difference comes from"
    )
    parser.add_argument(
        "--decomposition-replicates",
        type=options.positive,
        default=DECOMPOSITION_REPLICATES,
        metavar="N",
        help=f"replicates of each factorial cell (default: {DECOMPOSITION_REPLICATES}, at most --replicates)",
    )
    parser.add_argument(
        "--facilitators",
        type=facilitator_counts,
        metavar="N,N,...",
        help="also run every programme strategy with each of these numbers of outside facilitators "
        "and write DIR/cost_curve.csv",
    )
    parser.add_argument(
        "--no-voi",
        action="store_true",
        help="skip the extra runs that find where the recommendation would change (DIR/switch_points.csv); "
        "the value of information is still estimated from the runs made",
    )
    parser.add_argument(
        "--no-default-village",
        action="store_true",
        help="skip the runs of the default village (every parameter at its stated value, "
        f"{DEFAULT_VILLAGE_REPLICATES} replicates) that the report sets beside the plausible worlds "
        "(DIR/default_village.csv)",
    )
    parser.add_argument(
        "--willingness-to-pay",
        type=willingness_to_pay,
        metavar="RP[,RP...]",
        help="rupiah one is willing to pay per additional self-reliant household: the acceptability curve "
        "(DIR/acceptability.csv) is drawn at these values and the value of information priced at the first "
        "(default: a grid up to twice the largest cost per additional household, and the value at which the "
        "two most effective strategies are worth the same)",
    )
    options.add_set_option(parser)
    options.add_engine_options(
        parser, resume="finish the comparison stored in --out DIR, running only the runs it lacks"
    )
    parser.set_defaults(handler=run)


def _worlds(args: argparse.Namespace) -> dict[str, Any]:
    if args.fixed_parameters:
        if args.worlds_shape != SHAPES[0]:
            raise InputError(
                "--worlds-shape shapes the drawn worlds; --fixed-parameters draws none", field="--worlds-shape"
            )
        return {}
    found: dict[str, Any] = {"worlds": plausible_ranges(), "worlds_shape": args.worlds_shape}
    posterior = args.posterior or shipped_posterior()
    if posterior is not None:
        found["posterior"] = read_posterior(posterior)
        found["posterior_source"] = str(posterior.resolve())
    return found


def _run(experiment: Experiment, out: Path, args: argparse.Namespace, what: str = "", resume: bool = True) -> None:
    """Run what ``out`` lacks and say so; a follow-up folder (``resume``) goes on where it stopped."""
    resume = args.resume or (resume and (out / "experiment.json").is_file())
    outcome = execute(experiment, out, options.engine_options(args).but(resume=resume))
    print(f"{what}: " * bool(what) + outcome.report())
    options.warn_failed(outcome.failed, outcome.errors, " and are left out of the report")


def _programme_arms(out: Path) -> tuple[Any, list[str], str | None]:
    """The stored comparison, its arms that field facilitators and the best of them on the effect."""
    study = load(out)
    per_run = outcomes(study.runs, study.monthly)
    means = per_run.groupby("arm")[[EFFECT, SPENT]].mean()
    fielding = [a for a in study.arms if a in means.index and means.loc[a, SPENT] > 0]
    ranked = sorted(
        (a for a in fielding if means.loc[a, EFFECT] == means.loc[a, EFFECT]), key=lambda a: -means.loc[a, EFFECT]
    )
    return study, fielding, (ranked[0] if ranked else None)


def _decompose(out: Path, base: dict[str, Any], args: argparse.Namespace) -> None:
    """Plan the factorial cells of the best programme strategy against each other one and run the new ones."""
    study, fielding, best = _programme_arms(out)
    others = [a for a in fielding if a != best]
    if best is None or not others:
        print("decomposition: fewer than two programme strategies, nothing to decompose")
        return
    folder = out / DECOMPOSITION
    paths = {s["name"]: Path(s["path"]) for s in study.experiment["scenarios"]}
    cells = decomposition.plan_cells(study.arm_params, best, others)
    files = {cell.name: decomposition.write_cell(folder / "cells", cell, paths[cell.against]) for cell in cells}
    replicates = min(args.decomposition_replicates, args.replicates)
    every = make_experiment(sorted(files.values()), replicates=replicates, name="decomposition", **base)
    _, manifest = plan(every)
    stored = {json.dumps(params, sort_keys=True, default=str): arm for arm, params in study.arm_params.items()}
    source = {
        s["name"]: stored.get(json.dumps(s["params"], sort_keys=True, default=str)) for s in manifest["scenarios"]
    }
    record = {
        "best": best,
        "replicates": replicates,
        "cells": [
            {
                "name": c.name,
                "strategy": c.strategy,
                "against": c.against,
                "switched": sorted(c.switched),
                "reach": c.reach,
                "comparison_arm": source[c.name],
            }
            for c in cells
        ],
    }
    folder.mkdir(parents=True, exist_ok=True)
    write_json(folder / PLAN, record)
    new = sorted({files[c.name] for c in cells if source[c.name] is None})
    if new:
        _run(
            make_experiment(new, replicates=replicates, name="decomposition", **base),
            folder / "runs",
            args,
            "decomposition",
        )


def _grid(name: str, low: float, high: float) -> list[float]:
    """``SWITCH_GRID`` values across a range, whole numbers for a whole-number parameter."""
    values = np.linspace(low, high, SWITCH_GRID)
    if Params.model_fields[name.partition(".")[2]].annotation is int:
        return sorted({int(round(v)) for v in values})
    return [float(v) for v in values]


def _switch_points(out: Path, base: dict[str, Any], args: argparse.Namespace) -> None:
    """Run the leader and the runner-up on the effect along the assumptions its lead moves with most."""
    study = load(out)
    per_run = outcomes(study.runs, study.monthly)
    means = per_run.groupby("arm")[EFFECT].mean().dropna().sort_values(ascending=False)
    names = hinges.drawn(study.experiment, study.runs)
    if len(means) < 2 or not names:
        print("switch points: no plausible worlds or fewer than two strategies, nothing to run")
        return
    leader, challenger = list(means.index[:2])
    x = per_run.loc[per_run["arm"] == leader, ["run_id", "seed", EFFECT]]
    y = per_run.loc[per_run["arm"] == challenger, ["seed", EFFECT]]
    both = x.merge(y, on="seed", suffixes=("", "_b")).merge(study.runs[["run_id", *names]], on="run_id")
    rho = rank_correlations(both[names], both[EFFECT] - both[f"{EFFECT}_b"])
    ranges = {k: tuple(v) for k, v in (study.experiment.get("worlds") or {}).items()}
    top = rho.reindex(rho["rho"].abs().sort_values(ascending=False).index)["input"].head(SWITCH_PARAMETERS)
    chosen = {name: ranges[name] for name in top if name in ranges}
    default = float(study.arm_params[leader].get(CUTOFF, Params.model_fields[CUTOFF.partition(".")[2]].default))
    chosen[CUTOFF] = (max(0.05, default - CUTOFF_SPREAD), min(0.95, default + CUTOFF_SPREAD))
    grids = {name: _grid(name, *span) for name, span in chosen.items()}
    points = [{name: value} for name, values in grids.items() for value in values]
    paths = {s["name"]: s["path"] for s in study.experiment["scenarios"]}
    folder = out / SWITCH_POINTS
    record = {
        "measure": EFFECT,
        "leader": leader,
        "challenger": challenger,
        "parameters": [{"parameter": n, "plausible": list(chosen[n]), "grid": grids[n]} for n in grids],
    }
    folder.mkdir(parents=True, exist_ok=True)
    write_json(folder / PLAN, record)
    experiment = make_experiment(
        [paths[leader], paths[challenger]],
        replicates=min(SWITCH_REPLICATES, args.replicates),
        points=points,
        name="switch_points",
        **base,
    )
    _run(experiment, folder / "runs", args, "switch points")


def _cost_curve(out: Path, base: dict[str, Any], args: argparse.Namespace) -> None:
    study, fielding, _ = _programme_arms(out)
    paths = {s["name"]: s["path"] for s in study.experiment["scenarios"]}
    points = [{"facilitators.n_facilitators": n} for n in args.facilitators]
    experiment = make_experiment(
        [paths[a] for a in fielding], replicates=args.replicates, points=points, name="cost_curve", **base
    )
    _run(experiment, out / COST_CURVE, args, "cost curve")


def _default_village(out: Path, base: dict[str, Any], args: argparse.Namespace) -> None:
    """Every scenario again with every parameter at its stated value, on the first replicates' villages.

    With ``--posterior DIR`` the calibrated parameters' stated values are that posterior's medians (as
    ``make posterior`` would make them); a shipped posterior's medians are the schema's defaults already."""
    study = load(out)
    fixed = {k: v for k, v in base.items() if k not in ("worlds", "posterior", "posterior_source", "worlds_shape")}
    if args.posterior and base.get("posterior"):
        particles = pd.DataFrame(base["posterior"])
        medians = {
            k: int(round(v)) if Params.model_fields[k.partition(".")[2]].annotation is int else float(v)
            for k, v in particles.median().items()
        }
        fixed["overrides"] = {**medians, **base["overrides"]}  # what --set names stays as given
    experiment = make_experiment(
        [s["path"] for s in study.experiment["scenarios"]],
        replicates=min(DEFAULT_VILLAGE_REPLICATES, args.replicates),
        name="default_village",
        **fixed,
    )
    _run(experiment, out / DEFAULT_VILLAGE, args, "default village")


def run(args: argparse.Namespace) -> int:
    if args.resume and args.out is None:
        raise InputError("--resume needs --out DIR, the folder of the comparison to finish", field="--resume")
    if args.scenarios and len(args.scenarios) < 2:
        raise InputError(
            f"a comparison needs at least two scenarios, got {len(args.scenarios)}; name two or more, "
            "or none for the four strategies (" + ", ".join(STRATEGIES) + ")",
            field="SCENARIO",
        )
    out = args.out or Path("runs") / f"compare-{datetime.now():%Y%m%d-%H%M%S}"
    base = {
        "months": args.months,
        "overrides": parse_set(args.sets),
        "paired": not args.unpaired,
        **({} if args.seed is None else {"seed": args.seed}),
        **_worlds(args),
    }
    experiment = make_experiment(args.scenarios or list(STRATEGIES), replicates=args.replicates, name="compare", **base)
    check_horizon(experiment)
    _run(experiment, out, args, resume=False)
    base["paired"] = True
    if not args.no_decompose and not args.unpaired:
        _decompose(out, base, args)
    if args.facilitators:
        _cost_curve(out, base, args)
    if not args.no_voi and not args.unpaired and not args.fixed_parameters:
        _switch_points(out, base, args)
    if "worlds" in base and not args.no_default_village:
        _default_village(out, {**base, "paired": not args.unpaired}, args)  # the comparison's own villages
    if args.willingness_to_pay:
        write_json(out / WTP_RECORD, {"willingness_to_pay": args.willingness_to_pay})
    paths, summary = build(out, args.lang, primary=True)
    print()
    print(summary)
    print()
    written = ["figures/", "summary.csv", "pairs.csv"] + [
        f
        for f in (
            "cost_effectiveness.csv",
            "acceptability.csv",
            "regret.csv",
            "value_of_information.csv",
            "switch_points.csv",
            "decomposition.csv",
            "cost_curve.csv",
            "default_village.csv",
        )
        if (out / f).is_file()
    ]
    print(f"report: {paths['html']}  (also {paths['md'].name}, {', '.join(written)})")
    return 0
