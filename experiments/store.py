"""Results on disk: Parquet part files appended as batches finish, and experiment.json.

Each finished batch becomes one part file in ``DIR/monthly`` and one of the same name in
``DIR/runs``, each written under a hidden temporary name and renamed into place, the
runs part last. A run counts as stored once its row is in ``DIR/runs``; a process killed
at any moment leaves only whole part files (pyarrow skips the hidden temporaries), and
``tidy`` clears what a killed writer left half-done before a resumed experiment goes on.

A part file that cannot be read (a damaged disk, a copy cut short) is moved aside under
``_*.parquet.corrupt`` and named, and its runs count as not stored, so they are run again (the
leading ``_`` keeps it out of a scan of the folder: pyarrow and pandas skip such names); a
report on a folder whose damaged part has not been run again yet is refused by name;
a damaged ``experiment.json`` is refused and the folder left as it is. A run stored as
failed and later retried has two rows; the successful one is read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from sim.errors import InputError
from sim.files import fault, read_text, write_json, write_parquet

RUNS = "runs"
MONTHLY = "monthly"
MANIFEST = "experiment.json"
CORRUPT = ".corrupt"
ASIDE = "_"  # prefix of a part moved aside: dataset scans (pyarrow, pandas) skip names starting with it


@dataclass
class Results:
    """An experiment's stored tables, sorted by run id (monthly also by month)."""

    runs: pd.DataFrame
    monthly: pd.DataFrame
    experiment: dict
    out: Path


def write_part(out: Path, name: str, runs: pa.Table, monthly: pa.Table | None) -> None:
    """One batch: its monthly part first, its runs part (which marks the runs stored) last."""
    if monthly is not None and monthly.num_rows:
        write_parquet(out / MONTHLY / name, monthly)
    write_parquet(out / RUNS / name, runs)


def write_manifest(out: Path, manifest: dict[str, Any]) -> None:
    write_json(out / MANIFEST, manifest, default=str)


def read_manifest(out: Path) -> dict[str, Any]:
    """experiment.json; a damaged one is refused by name, and nothing in the folder is touched."""
    path = Path(out) / MANIFEST
    try:
        manifest = json.loads(read_text(path))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(
            f"is damaged ({error}); the folder is left as it is: restore the file from a copy, or choose another --out",
            file=str(path),
        ) from None
    except OSError as error:
        raise fault(error, path, doing="read") from None
    if not isinstance(manifest, dict):
        raise InputError(
            "is damaged (not a JSON object); the folder is left as it is: restore the file from a "
            "copy, or choose another --out",
            file=str(path),
        )
    return manifest


def _parts(folder: Path) -> list[Path]:
    return sorted(folder.glob("part-*.parquet")) if folder.is_dir() else []


def prepare(out: Path) -> None:
    (out / RUNS).mkdir(parents=True, exist_ok=True)
    (out / MONTHLY).mkdir(parents=True, exist_ok=True)


def _readable(part: Path) -> bool:
    try:
        pq.read_metadata(part)
    except (OSError, pa.ArrowException):
        return False
    return True


def tidy(out: Path) -> list[Path]:
    """Remove temporaries and monthly parts whose runs part was never written (a kill in between);
    move aside unreadable parts (both halves of the batch) and return where they went."""
    for folder in (out / RUNS, out / MONTHLY):
        for temporary in folder.glob(".*.tmp*"):
            temporary.unlink()
    damaged = {p.name for folder in (out / RUNS, out / MONTHLY) for p in _parts(folder) if not _readable(p)}
    moved = []
    for name in sorted(damaged):
        for folder in (out / RUNS, out / MONTHLY):
            if (folder / name).exists():
                moved.append((folder / name).rename(folder / f"{ASIDE}{name}{CORRUPT}"))
    stored = {p.name for p in _parts(out / RUNS)}
    for part in _parts(out / MONTHLY):
        if part.name not in stored:
            part.unlink()
    return moved


def moved_aside(out: Path) -> list[Path]:
    """Damaged run parts moved aside by ``tidy`` (their runs are stored again only by a resume)."""
    folder = Path(out) / RUNS
    return sorted(folder.glob(f"{ASIDE}part-*.parquet{CORRUPT}")) if folder.is_dir() else []


def stored_ids(out: Path, keep_failed: bool = False) -> set[str]:
    """Run ids already in ``DIR/runs``: those that succeeded, and with ``keep_failed`` the failed too."""
    ids: set[str] = set()
    for part in _parts(Path(out) / RUNS):
        table = pq.read_table(part, columns=["run_id", "status"])
        ok = table.column("status").to_pylist()
        ids.update(rid for rid, s in zip(table.column("run_id").to_pylist(), ok) if keep_failed or s == "ok")
    return ids


def _read(folder: Path, order: list[str]) -> pd.DataFrame:
    """All parts as one table; parts may differ in columns (a custom runner's metrics), so unify."""
    parts = _parts(folder)
    if not parts:
        return pd.DataFrame()
    for part in parts:
        if not _readable(part):
            raise InputError(
                "is damaged (not a whole Parquet file); run the command that made the folder (berdaya "
                "compare, experiment, ...) again with --resume: it moves the file aside and runs its "
                "runs again",
                file=str(part),
            )
    schema = pa.unify_schemas([pq.read_schema(p) for p in parts], promote_options="permissive")
    frame = ds.dataset(parts, schema=schema, format="parquet").to_table().to_pandas()
    return frame.sort_values([c for c in order if c in frame], kind="stable").reset_index(drop=True)


def _latest(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per run: a retried run's successful row, else its latest (parts are read in time order)."""
    if runs.empty or "status" not in runs or not runs["run_id"].duplicated().any():
        return runs
    ranked = runs.assign(_ok=runs["status"] == "ok").sort_values(["run_id", "_ok"], kind="stable")
    return ranked.drop_duplicates("run_id", keep="last").drop(columns="_ok").reset_index(drop=True)


def read_results(out: str | Path) -> Results:
    """The tables stored under ``out`` (finished or not), as pandas DataFrames."""
    out = Path(out)
    if not (out / MANIFEST).is_file():
        raise FileNotFoundError(f"{out} holds no {MANIFEST}: not an experiment folder")
    runs = _latest(_read(out / RUNS, ["run_id"]))
    monthly = _read(out / MONTHLY, ["run_id", "month"])
    if len(monthly) and len(runs):
        monthly = monthly[monthly["run_id"].isin(runs["run_id"])].reset_index(drop=True)
    return Results(runs=runs, monthly=monthly, experiment=read_manifest(out), out=out)


__all__ = [
    "ASIDE",
    "CORRUPT",
    "MANIFEST",
    "MONTHLY",
    "RUNS",
    "Results",
    "moved_aside",
    "read_results",
    "stored_ids",
    "tidy",
    "write_part",
]
