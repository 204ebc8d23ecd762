"""Results on disk: Parquet part files appended as batches finish, and experiment.json.

Each finished batch becomes one part file in ``DIR/monthly`` and one of the same name in
``DIR/runs``, each written under a hidden temporary name and renamed into place, the
runs part last. A run counts as stored once its row is in ``DIR/runs``; a process killed
at any moment leaves only whole part files (pyarrow skips the hidden temporaries), and
``tidy`` clears what a killed writer left half-done before a resumed experiment goes on.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

RUNS = "runs"
MONTHLY = "monthly"
MANIFEST = "experiment.json"


@dataclass
class Results:
    """An experiment's stored tables, sorted by run id (monthly also by month)."""

    runs: pd.DataFrame
    monthly: pd.DataFrame
    experiment: dict
    out: Path


def _replace(path: Path, write) -> None:
    """Write through a hidden temporary in the same folder, then rename: all or nothing."""
    temporary = path.with_name(f".{path.name}.tmp")
    write(temporary)
    os.replace(temporary, path)


def write_part(out: Path, name: str, runs: pa.Table, monthly: pa.Table | None) -> None:
    """One batch: its monthly part first, its runs part (which marks the runs stored) last."""
    if monthly is not None and monthly.num_rows:
        _replace(out / MONTHLY / name, lambda p: pq.write_table(monthly, p))
    _replace(out / RUNS / name, lambda p: pq.write_table(runs, p))


def write_manifest(out: Path, manifest: dict[str, Any]) -> None:
    _replace(out / MANIFEST, lambda p: p.write_text(json.dumps(manifest, indent=2, default=str) + "\n"))


def read_manifest(out: Path) -> dict[str, Any]:
    return json.loads((Path(out) / MANIFEST).read_text())


def _parts(folder: Path) -> list[Path]:
    return sorted(folder.glob("part-*.parquet")) if folder.is_dir() else []


def prepare(out: Path) -> None:
    (out / RUNS).mkdir(parents=True, exist_ok=True)
    (out / MONTHLY).mkdir(parents=True, exist_ok=True)


def tidy(out: Path) -> None:
    """Remove temporaries and monthly parts whose runs part was never written (a kill in between)."""
    for folder in (out / RUNS, out / MONTHLY):
        for temporary in folder.glob(".*.tmp"):
            temporary.unlink()
    stored = {p.name for p in _parts(out / RUNS)}
    for part in _parts(out / MONTHLY):
        if part.name not in stored:
            part.unlink()


def stored_ids(out: Path) -> set[str]:
    """Run ids already in ``DIR/runs``."""
    ids: set[str] = set()
    for part in _parts(Path(out) / RUNS):
        ids.update(pq.read_table(part, columns=["run_id"]).column("run_id").to_pylist())
    return ids


def _read(folder: Path, order: list[str]) -> pd.DataFrame:
    """All parts as one table; parts may differ in columns (a custom runner's metrics), so unify."""
    parts = _parts(folder)
    if not parts:
        return pd.DataFrame()
    schema = pa.unify_schemas([pq.read_schema(p) for p in parts], promote_options="permissive")
    frame = ds.dataset(parts, schema=schema, format="parquet").to_table().to_pandas()
    return frame.sort_values([c for c in order if c in frame], kind="stable").reset_index(drop=True)


def read_results(out: str | Path) -> Results:
    """The tables stored under ``out`` (finished or not), as pandas DataFrames."""
    out = Path(out)
    if not (out / MANIFEST).is_file():
        raise FileNotFoundError(f"{out} holds no {MANIFEST}: not an experiment folder")
    runs = _read(out / RUNS, ["run_id"])
    monthly = _read(out / MONTHLY, ["run_id", "month"])
    if len(monthly) and len(runs):
        monthly = monthly[monthly["run_id"].isin(runs["run_id"])].reset_index(drop=True)
    return Results(runs=runs, monthly=monthly, experiment=read_manifest(out), out=out)


__all__ = ["MANIFEST", "MONTHLY", "RUNS", "Results", "read_results", "stored_ids", "tidy", "write_part"]
