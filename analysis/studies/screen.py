"""Which parameters the calibration rows inform: a Morris screen against a dummy (``berdaya calibrate --method screen``).

The calibration fits the parameters the schema marks ``calibrate``; the mark promises that the
parameter "moves a calibration row". This screen tests the promise with the calibration's own
summary statistics (each calibration target's miss, ``calibration.target_misses``), so a mark
rests on a measurement, not on a reading of the code:

1. Every marked parameter, and a dummy the model never reads, moves across its prior range one at
   a time along random trajectories (Morris 1991, Technometrics 33(2); SALib's sampler, four
   levels). Each point runs the four default scenarios on a village seeded by the point, dummy
   included, exactly as one ABC evaluation does.
2. Per parameter and target: mu*, the mean absolute change of the miss per move, with SALib's
   bootstrap 95% interval (Campolongo, Cariboni & Saltelli 2007).
3. The dummy changes only the village, so its mu* is the misses' noise floor. A parameter
   *informs* a target where its mu*'s interval lies wholly above the dummy's. A parameter that
   informs no target is one the calibration rows cannot fit: it belongs among the assumptions,
   drawn from its range, not in the calibration (docs/validation.md §6).

Validation and input rows are never read, as in the calibration.
"""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.sample import morris as morris_sample

from analysis.studies.smc import Simulator, simulator
from sim.errors import InputError
from sim.files import check_writable, write_csv, write_parquet, write_text
from sim.params import calibration_priors

DUMMY = "dummy"  # a parameter no model reads: its effect is the noise of a new village
LEVELS = 4
DEFAULT_TRAJECTORIES = 20
TABLE = "screen.csv"
POINTS = "screen_points.parquet"
RECORD = "screen.md"


@dataclass(frozen=True)
class Point:
    """One screen point for a worker: the Simulator, the values (bare names) and the village's seed."""

    model: Simulator
    values: dict[str, Any]
    seed: int

    def __call__(self) -> dict[str, float]:
        return self.model.misses(self.values, self.seed)


def evaluate(point: Point) -> dict[str, float]:
    return point()


def design(parameters: dict[str, tuple[float, float]], trajectories: int, seed: int) -> tuple[dict, np.ndarray]:
    """SALib's problem (the parameters and the dummy on [0, 1]) and its Morris sample, in natural units."""
    names = [*parameters, DUMMY]
    problem = {
        "num_vars": len(names),
        "names": names,
        "bounds": [list(parameters[n]) for n in parameters] + [[0.0, 1.0]],
    }
    return problem, morris_sample.sample(problem, trajectories, num_levels=LEVELS, seed=seed)


def effects(problem: dict, sample: np.ndarray, misses: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Per parameter and target: mu*, its 95% interval's half-width, mu and sigma, the dummy's floor and
    whether the parameter informs the target (its mu* interval wholly above the dummy's)."""
    records = []
    for target in misses.columns:
        found = morris_analyze.analyze(
            problem, sample, misses[target].to_numpy(dtype=float), num_levels=LEVELS, seed=seed
        )
        table = pd.DataFrame(
            {
                "parameter": problem["names"],
                "mu_star": found["mu_star"],
                "mu_star_conf": found["mu_star_conf"],
                "mu": found["mu"],
                "sigma": found["sigma"],
            }
        ).fillna(0.0)
        dummy = table.loc[table["parameter"] == DUMMY].iloc[0]
        table["target"] = target
        table["floor"] = dummy["mu_star"] + dummy["mu_star_conf"]
        table["informs"] = (table["mu_star"] - table["mu_star_conf"] > table["floor"]) & (table["parameter"] != DUMMY)
        records.append(table)
    columns = ["parameter", "target", "mu_star", "mu_star_conf", "mu", "sigma", "floor", "informs"]
    return pd.concat(records, ignore_index=True)[columns]


def verdicts(table: pd.DataFrame) -> pd.DataFrame:
    """Per parameter (the dummy left out): the targets it informs and its largest mu* over the floor."""
    rows = []
    for name, part in table[table["parameter"] != DUMMY].groupby("parameter", sort=False):
        informed = part.loc[part["informs"], "target"].tolist()
        ratio = (part["mu_star"] / part["floor"].where(part["floor"] > 0)).max()
        rows.append({"parameter": name, "informs": ", ".join(informed), "informed": bool(informed), "ratio": ratio})
    return pd.DataFrame(rows).sort_values(["informed", "ratio"], ascending=False, ignore_index=True)


@dataclass
class Screen:
    table: pd.DataFrame  # one row per parameter and target
    summary: pd.DataFrame  # one row per parameter
    points: pd.DataFrame  # the sample and each target's miss
    seconds: float


def run_screen(
    out: str | Path,
    *,
    trajectories: int = DEFAULT_TRAJECTORIES,
    seed: int = 1,
    overrides: dict[str, Any] | None = None,
    months: int | None = None,
    workers: int = 1,
    target_files: list[Path] | tuple[Path, ...] = (),
    parameters: dict[str, tuple[float, float]] | None = None,
    command: str = "",
) -> Screen:
    """The screen of ``parameters`` (default: every one marked ``calibrate``), written into ``out``."""
    parameters = parameters or calibration_priors()
    clash = sorted(set(parameters) & set(overrides or {}))
    if clash:
        raise InputError(f"{', '.join(clash)} is both screened and fixed by --set", field="--set")
    model = simulator(seed, overrides, months, target_files)
    out = check_writable(out)
    problem, sample = design(parameters, trajectories, seed)
    names = list(parameters)
    points = []
    for row in sample:
        values = model.values(dict(zip(names, row[:-1], strict=True)))
        points.append(Point(model, values, model.village_seed({**values, DUMMY: float(row[-1])})))
    started = time.perf_counter()
    try:
        if workers > 1:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                results = list(pool.map(evaluate, points, chunksize=4))
        else:
            results = [evaluate(p) for p in points]
    except BrokenProcessPool:
        raise InputError(
            "a worker was lost (killed or out of memory); nothing was written", field="--workers"
        ) from None
    seconds = time.perf_counter() - started
    misses = pd.DataFrame(results)
    table = effects(problem, sample, misses, seed)
    screen = Screen(
        table, verdicts(table), pd.concat([pd.DataFrame(sample, columns=problem["names"]), misses], axis=1), seconds
    )
    write_csv(out / TABLE, table)
    write_parquet(out / POINTS, screen.points)
    write_text(
        out / RECORD, markdown(screen, trajectories, command or f"berdaya calibrate --method screen --seed {seed}")
    )
    return screen


def markdown(screen: Screen, trajectories: int, command: str) -> str:
    informed = screen.summary[screen.summary["informed"]]
    lines = [
        "# Which parameters the calibration rows inform (Morris screen against a dummy)",
        "",
        f"- command: `{command}` (calibration rows only)",
        f"- {trajectories} trajectories, {len(screen.points)} points, each the four default scenarios on its own "
        f"village; {screen.seconds:.0f} s",
        "- a parameter informs a target where its mu* (mean absolute change of the target's miss per move "
        "across a quarter to three quarters of its prior range), with its 95% interval, lies wholly above the "
        "dummy's, the noise of a new village",
        f"- informed: {len(informed)} of {len(screen.summary)} parameters",
        "",
        "| parameter | informs | largest mu* / floor |",
        "|---|---|---|",
    ]
    lines += [
        f"| {r.parameter} | {r.informs or '—'} | {r.ratio:.2f} |"
        if np.isfinite(r.ratio)
        else f"| {r.parameter} | {r.informs or '—'} | — |"
        for r in screen.summary.itertuples()
    ]
    return "\n".join(lines) + "\n"


__all__ = ["DUMMY", "Screen", "design", "effects", "run_screen", "verdicts"]
