"""`berdaya run FILE`: one seeded run of a scenario, written as files any tool can read.

A run folder holds ``timeseries.parquet`` (one row per month), ``summary.json`` (the
end-of-run metrics) and ``manifest.json`` (everything needed to repeat the run). Each
file is written under a temporary name and renamed, and the manifest comes last, so a
folder with a manifest is a complete run and a failed run leaves nothing that looks whole.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import platform
import subprocess
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

import sim
from sim.errors import InputError
from sim.model import VillageModel
from sim.network import NetworkRecorder
from sim.params import Params, dotted
from sim.scenario import Scenario, load_scenario, parse_set, resolve_scenario

OUTPUTS = ("timeseries.parquet", "summary.json", "manifest.json")
PACKAGES = ("berdaya", "mesa", "numpy", "pandas", "pyarrow", "pydantic", "scipy")
DEFAULT_SEED = 1


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run one scenario once and write its outputs",
        description=(
            "Run a scenario (a file or a shipped scenario name) once and write timeseries.parquet, "
            "summary.json and manifest.json to a run folder."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="scenario file or shipped scenario name (e.g. area_based)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default: {DEFAULT_SEED})")
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="GROUP.NAME=VALUE",
        help="override one parameter, value written as in TOML (repeatable), e.g. --set village.width=60",
    )
    parser.add_argument("--months", type=int, help="horizon in months (same as --set village.months=N)")
    parser.add_argument("--out", type=Path, help="run folder (default: a new folder under runs/)")
    parser.add_argument("--force", action="store_true", help="overwrite the outputs of an existing run in --out")
    parser.add_argument(
        "--network-months",
        metavar="M,M,...",
        help="also write the patron-client and group network (GraphML) at these months to DIR/networks/",
    )
    parser.set_defaults(handler=run)


def network_months(text: str | None) -> list[int]:
    if not text:
        return []
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise InputError(
            f"{text!r} is not a list of months; allowed: whole months separated by commas, e.g. 0,12,60",
            field="--network-months",
        ) from None


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def default_out(scenario: Scenario, seed: int) -> Path:
    """A fresh folder under runs/, named after the scenario, the seed and the time."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = Path("runs") / f"{scenario.name}-seed{seed}-{stamp}"
    out, n = base, 1
    while out.exists():
        n += 1
        out = base.with_name(f"{base.name}-{n}")
    return out


def check_out(out: Path, force: bool) -> None:
    """Refuse a folder that already holds something, unless --force."""
    if out.exists() and not out.is_dir():
        raise InputError("exists and is not a folder", file=str(out), field="--out")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise InputError(
            "already holds files; choose another --out, or add --force to overwrite its run outputs",
            file=str(out),
            field="--out",
        )


def build(scenario: Scenario, seed: int) -> VillageModel:
    """The initial village; a setting the model refuses when it builds it is bad input too."""
    try:
        return VillageModel(scenario.params, seed=seed)
    except ValueError as error:
        named = [key for key in scenario.values if f"'{key.partition('.')[2]}'" in str(error)]
        raise InputError(str(error), file=str(scenario.path), field=named[0] if named else None) from None


def simulate(scenario: Scenario, seed: int, months: list[int] | None = None, out: Path | None = None) -> VillageModel:
    """Build and run the model, with a progress bar only when stderr is a terminal.

    With ``months``, the network at each of those months is written to ``out/networks``.
    """
    model = build(scenario, seed)
    record = NetworkRecorder(model, months, out / "networks") if months else (lambda model: None)
    record(model)
    console = Console(stderr=True)
    if not console.is_terminal:
        while model.running:
            model.step()
            record(model)
        return model
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(f"{scenario.name}, seed {seed}", total=scenario.params.months)
        while model.running:
            model.step()
            record(model)
            progress.advance(task)
    return model


def finite(value: float) -> float | None:
    """JSON has no NaN: an undefined metric is written as null."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def git_commit() -> dict[str, Any] | None:
    """The source checkout's commit and whether it had local changes (None outside a checkout)."""
    root = Path(sim.__file__).resolve().parent.parent
    if not (root / ".git").exists():
        return None
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10)
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if head.returncode != 0:
        return None
    return {"commit": head.stdout.strip(), "dirty": bool(status.stdout.strip())}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def packages() -> dict[str, str | None]:
    found: dict[str, str | None] = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


def resolved(params: Params) -> dict[str, Any]:
    """Every parameter by its dotted name, as the model used it."""
    return {dotted(name): value for name, value in params.model_dump().items()}


def write_atomic(path: Path, write) -> None:
    """Write through a temporary name in the same folder, then rename over the target."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_json(path: Path, data: Any) -> None:
    write_atomic(path, lambda p: p.write_text(json.dumps(data, indent=2, allow_nan=False) + "\n", encoding="utf-8"))


def write_run(out: Path, model: VillageModel, manifest: dict[str, Any]) -> dict[str, float | None]:
    """The three outputs; the old manifest goes first and the new one last (see module docstring)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "manifest.json").unlink(missing_ok=True)
    table = pa.Table.from_pandas(model.timeseries(), preserve_index=False)
    write_atomic(out / "timeseries.parquet", lambda p: pq.write_table(table, p))
    summary = {key: finite(value) for key, value in model.summary().items()}
    write_json(out / "summary.json", summary)
    write_json(out / "manifest.json", manifest)
    return summary


def print_summary(summary: dict[str, float | None], out: Path) -> None:
    grid = Table("Metric", "Value")
    for key, value in summary.items():
        grid.add_row(key, "undefined" if value is None else f"{value:.4g}")
    console = Console()
    console.print(grid)
    console.print(f"Run written to {out}/ ({', '.join(OUTPUTS)})", highlight=False, soft_wrap=True)


def run(args) -> int:
    overrides = parse_set(args.sets)
    if args.months is not None:
        overrides["village.months"] = args.months
    path = resolve_scenario(args.file)
    scenario = load_scenario(path, overrides)
    out = args.out if args.out is not None else default_out(scenario, args.seed)
    check_out(out, args.force)
    started = now()
    months = network_months(args.network_months)
    model = simulate(scenario, args.seed, months, out)
    manifest = {
        "scenario": {
            "name": scenario.name,
            "file": str(scenario.path),
            "sha256": scenario.sha256,
            "extends": [{"file": str(p), "sha256": sha256(p)} for p in scenario.chain[1:]],
        },
        "survey": {"file": scenario.params.survey, "sha256": sha256(Path(scenario.params.survey))}
        if scenario.params.survey
        else None,
        "seed": args.seed,
        "overrides": overrides,
        "values": scenario.values,
        "params": resolved(scenario.params),
        "months_run": model.month,
        "network_months": months,
        "households": model.n_households,
        "packages": packages(),
        "git": git_commit(),
        "started": started,
        "finished": now(),
    }
    summary = write_run(out, model, manifest)
    print_summary(summary, out)
    return 0
