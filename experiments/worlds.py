"""Plausible worlds: each replicate draws the assumed parameters from their plausible ranges.

Nobody measured an assumed parameter (``evidence = "assumed"`` in ``sim/params.py``), so a
comparison that holds it at its default answers for one guess. Here replicate r of an
experiment draws every assumed model parameter from its plausible range, with a
generator seeded by the root seed and r alone. The draw is a PERT distribution (a Beta on the
range) whose mode is the stated value: the schema gives each assumption a best guess with its
reason and the bounds it could plausibly reach, and a uniform draw would treat the bounds as as
likely as the guess. About half the stated values sit at the middle of their ranges and most of
the rest below it, a few far below, so uniform worlds were centred above the stated values;
PERT keeps about two thirds of a uniform draw's spread around them. Every scenario and every
sweep point of a replicate meets the same world, so paired comparisons stay paired, and a
replicate becomes one plausible world and one run in it. With a posterior (``posterior.parquet`` of
``berdaya calibrate``: particles and weights), replicate r also takes the calibrated values of
one particle, drawn by weight, whole, so the calibrated parameters keep their correlations.
A posterior shipped with the package (``SHIPPED_POSTERIOR``) is used unless another is given.
A value that a scenario file, ``--set`` or a sweep names explicitly is never drawn.
The cost table (group ``costs``) prices the runs afterwards and is never drawn: it does not
change a run.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import betaincinv

from sim.errors import InputError
from sim.params import Params, bounds, calibration_priors, dotted, evidence, fields, group_of, undot
from sim.scenario import load_scenario
from sim.survey import read_survey

# The spawn key of a world has four entries (run seeds have two or three, a Latin hypercube
# one), so its stream is apart from every run's.
WORLD_KEY = 0x3D
UNDRAWN_GROUPS = ("costs",)
POSTERIOR = "posterior.parquet"
RESAMPLED = 1000  # at least this many equally weighted particles stand for a weighted posterior
SHAPES = ("pert", "uniform", "pert-log")  # how a world draws each assumption; the others for a sensitivity run
# With "pert-log", a range whose upper bound is at least this many times its (positive) lower bound is
# drawn by PERT on the logarithm of the value, as a factor is: its stated value still the mode.
LOG_FROM = 10.0
PERT_WEIGHT = 4.0  # the classical PERT: the mode weighs four times each end in the mean
SHIPPED_POSTERIOR = resources.files("experiments") / POSTERIOR  # shipped by copying a calibration's file here


def plausible_ranges() -> dict[str, tuple[float, float]]:
    """Dotted name -> plausible range of every assumed parameter that changes a run."""
    ranges = {}
    for name in fields():
        mark = evidence(name)
        if mark["evidence"] == "assumed" and mark["plausible"] and group_of(name) not in UNDRAWN_GROUPS:
            ranges[dotted(name)] = tuple(mark["plausible"])
    return dict(sorted(ranges.items()))


def shipped_posterior() -> Path | None:
    """The posterior shipped with the package, if one is."""
    return Path(str(SHIPPED_POSTERIOR)) if SHIPPED_POSTERIOR.is_file() else None


def read_posterior(source: str | Path) -> list[dict[str, float]]:
    """The particles of a ``berdaya calibrate`` posterior (a folder or its posterior.parquet), resampled by weight.

    Every parameter the schema marks ``calibrate`` must be a column, with values inside the
    schema's range, and ``weight`` must be present and never negative. Systematic resampling
    (no random draw) turns the weights into at least RESAMPLED equally weighted whole rows.
    """
    path = Path(source)
    path = path / POSTERIOR if path.is_dir() else path
    try:
        table = pd.read_parquet(path)
    except FileNotFoundError:
        raise InputError(
            f"no {POSTERIOR} here; give the output folder of `berdaya calibrate`", file=str(path), field="--posterior"
        ) from None
    except Exception as error:  # pyarrow raises its own errors for a file that is not Parquet
        raise InputError(f"cannot read the posterior ({error})", file=str(path), field="--posterior") from None
    known = {dotted(n) for n in fields()}

    def refuse(column: str, why: str) -> InputError:
        return InputError(f"column {column!r}: {why}", file=str(path), field="--posterior")

    for column in table.columns:
        if column != "weight" and column not in known:
            raise refuse(column, "not a schema parameter (columns are group.name and weight)")
    for column in [*calibration_priors(), "weight"]:
        if column not in table.columns:
            raise refuse(column, "missing: a posterior holds every calibrated parameter and weight")
    if table.empty:
        raise refuse("weight", "no particle")
    for column in table.columns:
        values = pd.to_numeric(table[column], errors="coerce").to_numpy(dtype=float)
        if not np.isfinite(values).all():
            raise refuse(column, "an empty or non-numeric value")
        lo, hi = (0.0, None) if column == "weight" else bounds(undot(column))
        if (lo is not None and (values < lo).any()) or (hi is not None and (values > hi).any()):
            allowed = "at least 0" if column == "weight" else f"within [{lo}, {hi}]"
            raise refuse(column, f"a value outside the schema's range; allowed: {allowed}")
    weights = table["weight"].to_numpy(dtype=float)
    if weights.sum() <= 0:
        raise refuse("weight", "the weights sum to 0")
    count = max(RESAMPLED, len(table))
    picks = np.searchsorted(np.cumsum(weights) / weights.sum(), (np.arange(count) + 0.5) / count)
    values = table.drop(columns="weight").astype(float)
    return values.iloc[np.minimum(picks, len(table) - 1)].to_dict("records")


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


def pert_shape(lo: float, hi: float, mode: float) -> tuple[float, float]:
    """The Beta shape of a PERT distribution on [lo, hi] whose mode is the stated value (clipped into
    the range; a range of one point has its mode at the middle)."""
    place = min(max((mode - lo) / (hi - lo), 0.0), 1.0) if hi > lo else 0.5
    return 1.0 + PERT_WEIGHT * place, 1.0 + PERT_WEIGHT * (1.0 - place)


def draw(
    seed: int,
    replicate: int,
    ranges: dict[str, tuple[float, float]],
    posterior: list[dict[str, float]] | None = None,
    shape: str = "pert",
) -> dict[str, Any]:
    """The world of replicate ``replicate``: a value for every ranged parameter (and posterior column),
    each from its PERT distribution or, with ``shape="uniform"``, uniformly over its range, or with
    ``shape="pert-log"`` by PERT on the logarithm where the range spans a factor of ``LOG_FROM`` or
    more (a lopsided range around a factor such as 0.1 to 1.5 about 0.3, whose linear PERT mean, 0.47,
    sits far above the stated value), else as ``pert``. The same uniform is turned every way, so the
    shapes' worlds correspond rank for rank.

    Every name takes one uniform, in a fixed order, whatever else is given, so fixing one
    parameter, changing its default or narrowing its range leaves the draws of the others unchanged.
    """
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(WORLD_KEY, 0, 0, replicate)))
    world: dict[str, Any] = {}
    for key, (lo, hi) in sorted(ranges.items()):
        field = Params.model_fields[key.partition(".")[2]]
        u = rng.random()  # one uniform per name, turned by the inverse distribution function
        if shape == "pert-log" and lo > 0 and hi >= LOG_FROM * lo:
            a, b = np.log(lo), np.log(hi)
            value = float(np.exp(a + (b - a) * betaincinv(*pert_shape(a, b, np.log(max(field.default, lo))), u)))
        else:
            share = u if shape == "uniform" else float(betaincinv(*pert_shape(lo, hi, field.default), u))
            value = lo + (hi - lo) * share if hi > lo else lo
        world[key] = int(round(value)) if field.annotation is int else float(value)
    if posterior:
        for key, value in posterior[int(rng.integers(len(posterior)))].items():
            integer = Params.model_fields[key.partition(".")[2]].annotation is int
            world[key] = int(round(value)) if integer else float(value)
    return world


__all__ = [
    "LOG_FROM",
    "POSTERIOR",
    "SHAPES",
    "draw",
    "surveyed",
    "plausible_ranges",
    "read_posterior",
    "shipped_posterior",
]
