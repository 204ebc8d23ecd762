"""`berdaya network RUN_DIR|SCENARIO --month N --out FILE.graphml`: the patron-client map at a month.

From a scenario the model is built and run to month N. From a run folder written by
`berdaya run` the run is replayed from its manifest (parameters and seed), and the replay
is checked against the folder's timeseries.parquet, so the network written is the run's
and not a look-alike from changed code or a changed survey file.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from berdaya.commands.options import non_negative
from berdaya.commands.run import DEFAULT_SEED, build
from sim.errors import InputError
from sim.files import check_writable, read_text
from sim.model import VillageModel
from sim.network import check_months, network_graph, write_graphml
from sim.params import ValidationError, explain, make_params
from sim.scenario import load_scenario, parse_set, resolve_scenario


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "network",
        description=(
            "Write the patron-client and group-membership network at month N as GraphML (NetworkX, Gephi): "
            "households, patrons and groups as nodes; client -> patron and member -> group edges. "
            "TARGET is a run folder written by `berdaya run` (replayed from its manifest) or a scenario."
        ),
    )
    parser.add_argument("target", metavar="RUN_DIR|SCENARIO", help="run folder, scenario file or shipped scenario name")
    parser.add_argument("--month", type=int, required=True, help="month of the network (0 = the initial village)")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.graphml", help="GraphML file to write")
    parser.add_argument("--seed", type=non_negative, help=f"random seed for a scenario (default: {DEFAULT_SEED})")
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="GROUP.NAME=VALUE",
        help="override one parameter of a scenario, value written as in TOML (repeatable)",
    )
    parser.set_defaults(handler=run)


def replay(run_dir: Path) -> tuple[VillageModel, pd.DataFrame | None]:
    """The run's model at month 0, rebuilt from manifest.json; and its recorded time series if there."""
    manifest_path = run_dir / "manifest.json"
    if not manifest_path.is_file():
        raise InputError(
            "is a folder without manifest.json; give a run folder written by `berdaya run`, or a scenario",
            file=str(run_dir),
        )
    try:
        manifest = json.loads(read_text(manifest_path))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"cannot read the manifest ({error})", file=str(manifest_path)) from None
    for key, kind in (("params", dict), ("seed", int)):
        if not isinstance(manifest.get(key), kind):
            raise InputError(
                f"has no {key!r} ({kind.__name__}); it was not written by `berdaya run`",
                file=str(manifest_path),
                field=key,
            )
    try:
        params = make_params(manifest["params"])
    except ValidationError as error:
        raise InputError(explain(error), file=str(manifest_path), field="params") from None
    except ValueError as error:
        raise InputError(str(error), file=str(manifest_path), field="params") from None
    series_path = run_dir / "timeseries.parquet"
    try:
        recorded = pd.read_parquet(series_path) if series_path.is_file() else None
    except (OSError, pa.ArrowException) as error:
        raise InputError(
            f"is damaged, not a whole Parquet file ({error}); run the run again with `berdaya run`",
            file=str(series_path),
        ) from None
    return VillageModel(params, seed=manifest["seed"]), recorded


def check_replay(model: VillageModel, recorded: pd.DataFrame, run_dir: Path) -> None:
    """The replayed months must equal the recorded ones, or the network would not be the run's."""
    mine = model.timeseries()
    theirs = recorded.iloc[: len(mine)]
    if list(theirs.columns) != list(mine.columns) or len(theirs) != len(mine):
        raise InputError(
            "the recorded time series has other columns or months than this version of the model writes",
            file=str(run_dir / "timeseries.parquet"),
        )
    same = np.isclose(theirs.to_numpy(float), mine.to_numpy(float), rtol=0, atol=0, equal_nan=True).all(axis=1)
    if not same.all():
        month = int(mine["month"].iloc[int(np.argmin(same))])
        raise InputError(
            f"replaying the run differs from its recorded time series from month {month} on: the code or the "
            "survey file changed since the run, so the network would not be the run's; run the scenario again",
            file=str(run_dir / "timeseries.parquet"),
        )


def run(args) -> int:
    target = Path(args.target)
    if args.out.is_dir():
        raise InputError(
            "is a folder; give the GraphML file to write, e.g. network.graphml", file=str(args.out), field="--out"
        )
    check_writable(args.out.parent)
    if target.is_dir():
        if args.seed is not None or args.sets:
            raise InputError(
                "--seed and --set apply to a scenario; a run folder replays its own seed and parameters",
                file=str(target),
                field="--seed" if args.seed is not None else "--set",
            )
        model, recorded = replay(target)
        source = f"run {target}"
    else:
        scenario = load_scenario(resolve_scenario(args.target), parse_set(args.sets))
        seed = DEFAULT_SEED if args.seed is None else args.seed
        model, recorded = build(scenario, seed), None
        source = f"{scenario.name}, seed {seed}"
    (month,) = check_months(model, [args.month], field="--month")
    while model.month < month:
        model.step()
    if recorded is not None:
        check_replay(model, recorded, target)
    graph = network_graph(model)
    write_graphml(graph, args.out)
    kinds = [data["kind"] for _, data in graph.nodes(data=True)]
    relations = [data["relation"] for _, _, data in graph.edges(data=True)]
    print(
        f"{args.out}: month {month} of {source}: {kinds.count('household')} households, "
        f"{kinds.count('patron')} patrons, {kinds.count('group')} groups; "
        f"{relations.count('client')} client ties, {relations.count('member')} memberships"
    )
    return 0
