"""Plausible worlds: each replicate draws the assumed parameters from their plausible ranges.

Nobody measured an assumed parameter (``evidence = "assumed"`` in ``sim/params.py``), so a
comparison that holds it at its default answers for one guess. Here replicate r of an
experiment draws every assumed model parameter uniformly from its plausible range, with a
generator seeded by the root seed and r alone: every scenario and every sweep point of that
replicate meets the same world, so paired comparisons stay paired, and a replicate becomes
one plausible world and one run in it. With a posterior (the accepted samples of
``berdaya calibrate``), replicate r also takes the calibrated values of one accepted sample.
A value that a scenario file, ``--set`` or a sweep names explicitly is never drawn.
The cost table (group ``costs``) prices the runs afterwards and is never drawn: it does not
change a run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import InputError
from sim.params import Params, dotted, evidence, fields, group_of
from sim.scenario import load_scenario
from sim.survey import read_survey

# The spawn key of a world has four entries (run seeds have two or three, a Latin hypercube
# one), so its stream is apart from every run's.
WORLD_KEY = 0x3D
UNDRAWN_GROUPS = ("costs",)
ACCEPTED = "accepted.csv"


def plausible_ranges() -> dict[str, tuple[float, float]]:
    """Dotted name -> plausible range of every assumed parameter that changes a run."""
    ranges = {}
    for name in fields():
        mark = evidence(name)
        if mark["evidence"] == "assumed" and mark["plausible"] and group_of(name) not in UNDRAWN_GROUPS:
            ranges[dotted(name)] = tuple(mark["plausible"])
    return dict(sorted(ranges.items()))


def read_posterior(folder: str | Path) -> list[dict[str, float]]:
    """The accepted samples of a ``berdaya calibrate`` folder: one column per calibrated parameter."""
    path = Path(folder) / ACCEPTED
    try:
        table = pd.read_csv(path)
    except FileNotFoundError:
        raise InputError(
            f"no {ACCEPTED} here; give the output folder of `berdaya calibrate`", file=str(folder), field="--posterior"
        ) from None
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the accepted samples ({error})", file=str(path), field="--posterior") from None
    known = {dotted(n) for n in fields()}
    columns = [c for c in table.columns if c in known]
    if not columns or table.empty:
        raise InputError(
            "holds no accepted sample of a schema parameter (columns named group.name)",
            file=str(path),
            field="--posterior",
        )
    values = table[columns]
    if not np.isfinite(values.to_numpy(dtype=float)).all():
        raise InputError("an accepted sample has an empty or non-numeric value", file=str(path), field="--posterior")
    return values.astype(float).to_dict("records")


def surveyed(
    ranges: dict[str, tuple[float, float]], scenarios: list[Path], overrides: dict[str, Any], overrides_from: str
) -> dict[str, tuple[float, float]]:
    """The ranges narrowed to the worlds the scenarios' surveys do not contradict.

    A household surveyed holding a patron debt has not defaulted at it, so in that village the
    default limit is at least the largest surveyed debt; a world drawn below it would make the
    survey itself invalid and the run fail.
    """
    key = "households.default_limit"
    if key not in ranges:
        return ranges
    debts = []
    for path in scenarios:
        params = load_scenario(path, overrides=overrides, overrides_from=overrides_from).params
        if params.survey:
            debts.append(float(read_survey(params.survey, params).debt.max(initial=0.0)))
    if not debts:
        return ranges
    lo, hi = ranges[key]
    floor = max(debts)
    return {**ranges, key: (max(lo, floor), max(hi, floor))}


def draw(
    seed: int, replicate: int, ranges: dict[str, tuple[float, float]], posterior: list[dict[str, float]] | None = None
) -> dict[str, Any]:
    """The world of replicate ``replicate``: a value for every ranged parameter (and posterior column).

    Every name is drawn in a fixed order whatever else is given, so fixing one parameter
    leaves the draws of the others unchanged.
    """
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(WORLD_KEY, 0, 0, replicate)))
    world: dict[str, Any] = {}
    for key, (lo, hi) in sorted(ranges.items()):
        if Params.model_fields[key.partition(".")[2]].annotation is int:
            world[key] = int(rng.integers(int(lo), int(hi) + 1))
        else:
            world[key] = float(rng.uniform(lo, hi))
    if posterior:
        for key, value in posterior[int(rng.integers(len(posterior)))].items():
            integer = Params.model_fields[key.partition(".")[2]].annotation is int
            world[key] = int(round(value)) if integer else float(value)
    return world


__all__ = ["ACCEPTED", "draw", "surveyed", "plausible_ranges", "read_posterior"]
