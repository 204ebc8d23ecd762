"""`berdaya run FILE`: one seeded run of a scenario, written as files any tool can read.

A run folder holds ``timeseries.parquet`` (one row per month), ``summary.json`` (the
end-of-run metrics) and ``manifest.json`` (everything needed to repeat the run). The run
is written whole into a hidden sibling folder and renamed into place only when complete,
so a failed run leaves nothing that looks whole and ``--force`` replaces an old run (all
of its files, network files included) only once the new one is complete. The folder is
locked while a run works on it: a second ``berdaya run`` into it is refused, not mixed in.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import shutil
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from berdaya.commands.options import non_negative, positive
from experiments.engine import Heartbeat, git_state, versions
from sim.errors import InputError
from sim.files import FileFault, check_writable, fault, locked, write_json, write_parquet
from sim.model import VillageModel
from sim.network import NetworkRecorder
from sim.params import Params, dotted
from sim.scenario import Scenario, load_scenario, parse_set, resolve_scenario

OUTPUTS = ("timeseries.parquet", "summary.json", "manifest.json")
NETWORKS = "networks"
PACKAGES = ("berdaya", "mesa", "numpy", "pandas", "pyarrow", "pydantic", "scipy")
DEFAULT_SEED = 1


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "run",
        description=(
            "Run a scenario (a file or a shipped scenario name) once and write timeseries.parquet, "
            "summary.json and manifest.json to a run folder."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="scenario file or shipped scenario name (e.g. area_based)")
    parser.add_argument(
        "--seed", type=non_negative, default=DEFAULT_SEED, help=f"random seed (default: {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="GROUP.NAME=VALUE",
        help="override one parameter, value written as in TOML (repeatable), e.g. --set village.width=60",
    )
    parser.add_argument("--months", type=positive, help="horizon in months (same as --set village.months=N)")
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
    return datetime.now(UTC).isoformat(timespec="seconds")


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
    """Refuse a folder that already holds something, unless --force and it holds only a run's outputs."""
    if out.exists() and not out.is_dir():
        raise InputError("exists and is not a folder", file=str(out), field="--out")
    held = sorted(entry.name for entry in out.iterdir()) if out.is_dir() else []
    if held and not force:
        raise InputError(
            "already holds files; choose another --out, or add --force to replace the run stored there",
            file=str(out),
            field="--out",
        )
    foreign = [name for name in held if name not in (*OUTPUTS, NETWORKS)]
    if foreign:
        raise InputError(
            f"holds {foreign[0]!r}, which is not an output of `berdaya run`; --force replaces a run folder only, "
            "so choose another --out",
            file=str(out),
            field="--out",
        )


@contextlib.contextmanager
def claim(out: Path, force: bool) -> Iterator[Path]:
    """Lock ``out``, check it, and give a hidden sibling folder to write the new run into.

    The caller writes the whole run there and calls ``publish``; on any failure the
    sibling is removed and the folder is as it was (a folder created here is removed too).
    """
    created = not out.exists()
    with locked(
        out, "another `berdaya run` is writing to this folder right now; let it finish or choose another --out"
    ):
        staging = out.parent / f".{out.name}.new-{os.getpid()}"
        try:
            check_out(out, force)
            check_writable(staging)
            yield staging
        except FileFault as error:  # name the folder the user gave, not the hidden one
            raise FileFault(str(error).replace(str(staging), str(out))) from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            if created:
                with contextlib.suppress(OSError):
                    out.rmdir()  # only if still empty: the run never got published


def publish(staging: Path, out: Path) -> None:
    """Put the complete run at ``out``; an old run there is moved aside first and removed after."""
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    try:
        if any(out.iterdir()):
            os.rename(out, old)
        os.rename(staging, out)
    except OSError as error:
        if old.exists() and not out.exists():
            os.rename(old, out)
        raise fault(error, out) from None
    shutil.rmtree(old, ignore_errors=True)


def build(scenario: Scenario, seed: int) -> VillageModel:
    """The initial village; a setting the model refuses when it builds it is bad input too."""
    try:
        return VillageModel(scenario.params, seed=seed)
    except ValueError as error:
        named = [key for key in scenario.values if f"'{key.partition('.')[2]}'" in str(error)]
        raise InputError(str(error), file=str(scenario.path), field=named[0] if named else None) from None


# Households above which building the village takes long enough (about 20 s per million on two cores) to
# say so first where no bar is drawn.
LARGE = 50_000


def simulate(scenario: Scenario, seed: int, months: list[int] | None = None, out: Path | None = None) -> VillageModel:
    """Build and run the model, with a progress bar when stderr is a terminal (building a large village
    shows as a step of its own), and otherwise a plain line now and then once it takes more than a few
    seconds (``Heartbeat``).

    With ``months``, the network at each of those months is written to ``out/networks``.
    """
    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    name = f"{scenario.name}, seed {seed}"
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task(f"{name}: building the village", total=None)
        p = scenario.params
        households = round(p.width * p.height * p.density)
        if households > LARGE and not console.is_terminal:  # building it alone takes seconds to minutes
            print(f"{name}: building a village of about {households:,} households", file=sys.stderr, flush=True)
        model = build(scenario, seed)
        record = NetworkRecorder(model, months, out / NETWORKS) if months else (lambda model: None)
        record(model)
        progress.update(task, description=name, total=scenario.params.months, completed=0)
        beat = Heartbeat(f"{name}: months", scenario.params.months) if not console.is_terminal else None
        while model.running:
            model.step()
            record(model)
            progress.advance(task)
            if beat:
                beat(model.month)
    return model


def finite(value: float) -> float | None:
    """JSON has no NaN: an undefined metric is written as null."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def git_commit() -> dict[str, Any] | None:
    """The source checkout's commit and whether it had local changes (None outside a checkout)."""
    commit, dirty = git_state()
    return None if commit is None else {"commit": commit, "dirty": dirty}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def resolved(params: Params) -> dict[str, Any]:
    """Every parameter by its dotted name, as the model used it."""
    return {dotted(name): value for name, value in params.model_dump().items()}


def write_run(out: Path, model: VillageModel, manifest: dict[str, Any]) -> dict[str, float | None]:
    """The three outputs, the manifest last (a folder with a manifest is a complete run)."""
    write_parquet(out / "timeseries.parquet", model.timeseries())
    summary = {key: finite(value) for key, value in model.summary().items()}
    write_json(out / "summary.json", summary, allow_nan=False)
    write_json(out / "manifest.json", manifest, allow_nan=False)
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
    months = network_months(args.network_months)
    with claim(out, args.force) as staging:
        summary = simulate_and_write(scenario, args.seed, overrides, months, staging)
        publish(staging, out)
    print_summary(summary, out)
    return 0


def simulate_and_write(
    scenario: Scenario, seed: int, overrides: dict[str, Any], months: list[int], out: Path
) -> dict[str, float | None]:
    started = now()
    model = simulate(scenario, seed, months, out)
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
        "seed": seed,
        "overrides": overrides,
        "values": scenario.values,
        "params": resolved(scenario.params),
        "months_run": model.month,
        "network_months": months,
        "households": model.n_households,
        "packages": versions(PACKAGES),
        "git": git_commit(),
        "started": started,
        "finished": now(),
    }
    return write_run(out, model, manifest)
