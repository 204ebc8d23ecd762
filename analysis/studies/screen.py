"""Which parameters the calibration rows inform: a Morris screen against dummies (``berdaya calibrate --method screen``).

The calibration fits the parameters the schema marks ``calibrate``; the mark promises that the
parameter "moves a calibration row". This screen tests the promise with the calibration's own
summary statistics (each calibration target's miss, ``calibration.target_misses``), so a mark
rests on a measurement, not on a reading of the code:

1. Every marked parameter, and ``DUMMIES`` dummies no model reads, move across their prior ranges
   one at a time along random trajectories (Morris 1991, Technometrics 33(2); the sampler and
   the elementary effects of ``analysis.studies.sensitivity``). Each point runs the four default
   scenarios on a village seeded by the point, dummies included, as one ABC evaluation does.
2. Per parameter and target: mu*, the mean absolute change of the miss per move in unit-scaled
   input (Campolongo, Cariboni & Saltelli 2007), leaving out the largest: one village whose
   statistic blows up (a ratio over a near-zero baseline once gave a miss of 1e16) would
   otherwise make the two parameters whose moves touch it inform the row by itself.
3. A dummy changes only the village. For each trajectory one dummy's effect, at random, and the
   same statistic over them, resampled, give the mu* of a parameter that moves nothing (a null
   drawn as a parameter's own effects are). Its 1 - ALPHA / targets quantile is the floor, never
   below ``MIN_EFFECT``: the family is the parameter, so one that moves nothing is said to inform
   some row with a chance of at most ALPHA, however many others are screened beside it. A
   parameter *informs* a target where its mu* is above the floor. One dummy is not enough: a miss
   that is mostly 0 or mostly 1 (undefined counts as a miss of 1), with rare jumps, gives a
   single dummy's mu* by luck anywhere from 0 to several times the truth.
4. A parameter that informs no target is one the calibration rows cannot fit: it belongs among
   the assumptions, drawn from its range, not in the calibration (docs/validation.md §6).

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

from analysis.studies import sensitivity
from analysis.studies.smc import Simulator, simulator
from experiments.worlds import plausible_ranges
from sim.errors import InputError
from sim.files import check_writable, write_csv, write_parquet, write_text
from sim.params import calibration_priors

DUMMIES = 8  # parameters no model reads (the last is sensitivity's ``noise``): the noise of a new village
ALPHA = 0.05  # the chance that a parameter moving nothing is said to inform some row (Bonferroni over the rows)
MIN_EFFECT = 0.02  # mu* below this (a target's miss per unit-scaled move) informs nothing, whatever the noise
RESAMPLES = 100_000
DEFAULT_TRAJECTORIES = 40
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


def candidates(spec: str | None = None) -> dict[str, tuple[float, float]]:
    """The parameters to screen and their ranges: ``marked`` (the default) every one the schema marks
    ``calibrate``, over its prior; ``all`` those and every assumption a comparison draws, over its
    plausible range; or dotted names from ``all``, comma-separated."""
    marked = calibration_priors()
    every = {**plausible_ranges(), **marked}
    if spec in (None, "marked"):
        return marked
    if spec == "all":
        return every
    names = [item.strip() for item in spec.split(",") if item.strip()]
    unknown = [name for name in names if name not in every]
    if unknown or not names:
        raise InputError(
            f"{', '.join(unknown) or repr(spec)}: give 'marked', 'all' or dotted names of parameters that are "
            "marked calibrate or drawn as assumptions (berdaya params lists them)",
            field="--params",
        )
    return {name: every[name] for name in names}


def dummy_names() -> list[str]:
    return [f"dummy_{i}" for i in range(1, DUMMIES)] + [sensitivity.NOISE]


def design(parameters: dict[str, tuple[float, float]], trajectories: int, seed: int) -> tuple[list, np.ndarray]:
    """The factors (the parameters, then the dummies on [0, 1]; the last dummy is added by
    ``sensitivity``) and their Morris sample, in natural units, one column per parameter and dummy."""
    factors = [sensitivity.Factor(name, lo, hi) for name, (lo, hi) in parameters.items()]
    factors += [sensitivity.Factor(name, 0.0, 1.0) for name in dummy_names()[:-1]]
    return factors, sensitivity.design("morris", factors, trajectories, seed)


def robust_mu_star(effects: np.ndarray) -> np.ndarray:
    """mu* without the largest absolute effect (along the last axis): one village whose statistic blows
    up (a ratio over a near-zero baseline gave a miss of 1e16) cannot make a parameter inform a row."""
    ordered = np.sort(np.abs(effects), axis=-1)
    return ordered[..., :-1].mean(axis=-1) if effects.shape[-1] > 2 else ordered.mean(axis=-1)


def effects(factors: list, sample: np.ndarray, misses: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Per parameter (dummies included) and target: mu* (robust), mu, sigma, the floor and whether it informs.

    The floor is the 1 - ALPHA / targets quantile of the mu* a parameter moving nothing shows: for each
    trajectory one dummy's effect at random, the same statistic over them, resampled (a stratified
    null, so each draw is made as a parameter's own effects are). The family is the parameter: the
    chance that one moving nothing is said to inform any row is at most ALPHA, however many others
    are screened beside it."""
    names = [f.name for f in factors] + [sensitivity.NOISE]
    dummy = np.isin(names, dummy_names())
    rng = np.random.default_rng(seed)
    records = []
    for target in misses.columns:
        table = sensitivity.elementary_effects(factors, sample, misses[target].to_numpy(dtype=float))
        noise = table[dummy]
        moves = noise.shape[1]
        drawn = noise[rng.integers(len(noise), size=(RESAMPLES, moves)), np.arange(moves)]
        null = robust_mu_star(drawn[np.isfinite(drawn).all(axis=1)])
        quantile = float(np.quantile(null, 1.0 - ALPHA / misses.shape[1])) if len(null) else 0.0
        floor = max(quantile, MIN_EFFECT)
        for name, row, is_dummy in zip(names, table, dummy, strict=True):
            e = row[np.isfinite(row)]
            mu_star = float(robust_mu_star(e)) if len(e) else np.nan
            records.append(
                {
                    "parameter": name,
                    "target": target,
                    "mu_star": mu_star,
                    "mu": float(e.mean()) if len(e) else np.nan,
                    "sigma": float(e.std(ddof=1)) if len(e) > 1 else np.nan,
                    "floor": floor,
                    "informs": bool(not is_dummy and mu_star > floor),
                }
            )
    return pd.DataFrame(records)


def verdicts(table: pd.DataFrame) -> pd.DataFrame:
    """Per parameter (the dummies left out): the targets it informs and its largest mu* over the floor."""
    rows = []
    for name, part in table[~table["parameter"].isin(dummy_names())].groupby("parameter", sort=False):
        informed = part.loc[part["informs"], "target"].tolist()
        ratio = (part["mu_star"] / part["floor"]).max()
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
    """The screen of ``parameters`` (default: every one marked ``calibrate``; see ``candidates``), written into ``out``."""
    parameters = parameters or calibration_priors()
    clash = sorted(set(parameters) & set(overrides or {}))
    if clash:
        raise InputError(f"{', '.join(clash)} is both screened and fixed by --set", field="--set")
    model = simulator(seed, overrides, months, target_files)
    out = check_writable(out)
    factors, sample = design(parameters, trajectories, seed)
    names = [f.name for f in factors] + [sensitivity.NOISE]
    points = []
    for row in sample:
        drawn = dict(zip(names, row, strict=True))
        values = model.values({name: drawn[name] for name in parameters})
        points.append(Point(model, values, model.village_seed({**values, **{d: drawn[d] for d in dummy_names()}})))
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
    table = effects(factors, sample, misses, seed)
    screen = Screen(table, verdicts(table), pd.concat([pd.DataFrame(sample, columns=names), misses], axis=1), seconds)
    write_csv(out / TABLE, table)
    write_parquet(out / POINTS, screen.points)
    write_text(
        out / RECORD, markdown(screen, trajectories, command or f"berdaya calibrate --method screen --seed {seed}")
    )
    return screen


def markdown(screen: Screen, trajectories: int, command: str) -> str:
    informed = screen.summary[screen.summary["informed"]]
    lines = [
        "# Which parameters the calibration rows inform (Morris screen against dummies)",
        "",
        f"- command: `{command}` (calibration rows only)",
        f"- {trajectories} trajectories, {len(screen.points)} points, each the four default scenarios on its own "
        f"village; {screen.seconds:.0f} s",
        "- a parameter informs a target where its mu* (mean absolute change of the target's miss per move, "
        "in unit-scaled input, the largest left out) is above the floor: what the dummies, moving only the "
        f"village, give ({DUMMIES}, one drawn per trajectory) at the 1 - {ALPHA:g} / targets quantile, and at "
        f"least {MIN_EFFECT:g}",
        f"- informed: {len(informed)} of {len(screen.summary)} parameters",
        "",
        "| parameter | informs | largest mu* / floor |",
        "|---|---|---|",
    ]
    lines += [f"| {r.parameter} | {r.informs or '—'} | {r.ratio:.2f} |" for r in screen.summary.itertuples()]
    return "\n".join(lines) + "\n"


__all__ = ["DUMMIES", "Screen", "candidates", "design", "dummy_names", "effects", "run_screen", "verdicts"]
