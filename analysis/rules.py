"""Scenario discovery: one PRIM box (Friedman & Fisher 1999) of conditions under which a case happens.

Given points ``X`` (one column per condition) and a yes/no outcome ``y`` (here: a
strategy fails in a village), PRIM starts from the box holding every point and peels:
at each step it tries cutting off the lowest or highest ``alpha`` share of the points
still inside along each condition, and keeps the cut that leaves the highest share of
cases inside, even where that share falls for a step (a dip on the way to a denser box).
It stops when a cut would leave fewer than ``min_mass`` of the points. Every step's box
is kept (the peeling trajectory).

A box is described by
- coverage: the share of all cases that lie inside it (how much of the story it tells),
- density: the share of points inside it that are cases (how sure the rule is),
- mass: the share of all points inside it.

Chosen box: among the boxes with coverage at least ``min_coverage``, the best density
is found; the chosen box is the largest (earliest) one whose density is within
``tolerance`` of it, so a rule is not narrowed for a gain in density that is noise.
Pruning then drops limits one at a time, the least significant first: a limit goes if
the box without it keeps its density within ``tolerance`` of the chosen box's, or if
its quasi-p-value (Bryant & Lempert 2010: a binomial test of the box's cases against the
density of the box without the limit) is above ``significance``. Greedy peeling over
many conditions and few points picks up limits that shave off a point or two by chance;
they make a rule longer, not truer. There is no pasting step and only one box: the aim
is a short rule a person can read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import binom


@dataclass
class Box:
    """A box: ``limits`` maps each restricted condition to its inclusive [lo, hi]."""

    limits: dict[str, tuple[float, float]]
    coverage: float
    density: float
    mass: float
    inside: int
    cases: int
    base_rate: float
    trajectory: list[tuple[float, float]] = field(default_factory=list)

    def rule(self, digits: int = 3) -> str:
        """The box in words: ``a >= 0.3 and b <= 12``."""
        if not self.limits:
            return "everywhere"
        terms = []
        for name, (lo, hi) in self.limits.items():
            if np.isfinite(lo) and np.isfinite(hi):
                terms.append(f"{lo:.{digits}g} <= {name} <= {hi:.{digits}g}")
            elif np.isfinite(lo):
                terms.append(f"{name} >= {lo:.{digits}g}")
            else:
                terms.append(f"{name} <= {hi:.{digits}g}")
        return " and ".join(terms)

    def contains(self, X: pd.DataFrame) -> np.ndarray:
        """Which rows of ``X`` lie inside the box."""
        inside = np.ones(len(X), dtype=bool)
        for name, (lo, hi) in self.limits.items():
            values = X[name].to_numpy(dtype=float)
            inside &= (values >= lo) & (values <= hi)
        return inside


def _peels(values: np.ndarray, alpha: float) -> list[tuple[str, float, np.ndarray]]:
    """The two candidate cuts along one condition: (side, new limit, which points stay)."""
    cuts = []
    low = np.quantile(values, alpha)
    keep = values >= low if low > values.min() else values > values.min()
    if keep.any() and not keep.all():
        cuts.append(("lo", values[keep].min(), keep))
    high = np.quantile(values, 1.0 - alpha)
    keep = values <= high if high < values.max() else values < values.max()
    if keep.any() and not keep.all():
        cuts.append(("hi", values[keep].max(), keep))
    return cuts


def _inside(data: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    return np.all((data >= bounds[:, 0]) & (data <= bounds[:, 1]), axis=1)


def quasi_p(y: np.ndarray, mask: np.ndarray, wider: np.ndarray) -> float:
    """How likely the box's cases are if the limit did nothing (Bryant & Lempert 2010).

    The chance of at least as many cases among the box's points, drawn at the density of
    the box without the limit (``wider``): a one-sided binomial test.
    """
    return float(binom.sf(y[mask].sum() - 1, mask.sum(), y[wider].mean()))


def _prune(data: np.ndarray, y: np.ndarray, mask: np.ndarray, bounds: np.ndarray, floor: float, significance: float):
    """Drop limits one at a time, the least significant first, while one costs little density
    (the box without it stays at or above ``floor``) or is not significant (quasi-p above
    ``significance``)."""
    bounds = bounds.copy()
    while True:
        worst = None
        for j, side in zip(*np.nonzero(np.isfinite(bounds))):
            trial = bounds.copy()
            trial[j, side] = -np.inf if side == 0 else np.inf
            wider = _inside(data, trial)
            p = quasi_p(y, mask, wider)
            if (y[wider].mean() >= floor or p > significance) and (worst is None or p > worst[0]):
                worst = (p, trial, wider)
        if worst is None:
            return mask, bounds
        _, bounds, mask = worst


def prim(
    X: pd.DataFrame,
    y: np.ndarray,
    *,
    alpha: float = 0.05,
    min_mass: float = 0.05,
    min_coverage: float = 0.5,
    tolerance: float = 0.05,
    significance: float = 0.05,
) -> Box | None:
    """The PRIM box for cases ``y`` (booleans) in ``X``; None when there are no cases.

    Peel, choose and prune; then again over only the conditions that survived, until
    they stop changing: a limit peeled early on a condition that later turns out to be
    the only one that matters is redrawn without the others in the way.
    """
    y = np.asarray(y, dtype=bool)
    if not y.any():
        return None
    columns = list(X.columns)
    while True:
        box = _prim_once(X[columns], y, alpha, min_mass, min_coverage, tolerance, significance)
        kept = [c for c in columns if c in box.limits]
        if not kept or kept == columns:
            return box
        columns = kept


def _prim_once(
    X: pd.DataFrame,
    y: np.ndarray,
    alpha: float,
    min_mass: float,
    min_coverage: float,
    tolerance: float,
    significance: float,
) -> Box:
    """One pass: the peeling trajectory over ``X``'s conditions, the chosen box, pruned."""
    n, cases = len(y), int(y.sum())
    data = X.to_numpy(dtype=float)
    names = list(X.columns)
    limits = np.column_stack([np.full(len(names), -np.inf), np.full(len(names), np.inf)])
    inside = np.ones(n, dtype=bool)
    boxes = [(inside.copy(), limits.copy())]
    while True:
        best = None
        for j in range(len(names)):
            for side, limit, keep in _peels(data[inside, j], alpha):
                if keep.sum() < max(min_mass * n, 1):
                    continue
                density = y[inside][keep].mean()
                if best is None or (density, keep.sum()) > (best[0], best[1]):
                    best = (density, keep.sum(), j, side, limit, keep)
        if best is None:
            break
        _, _, j, side, limit, keep = best
        index = np.flatnonzero(inside)
        inside = np.zeros(n, dtype=bool)
        inside[index[keep]] = True
        limits[j, 0 if side == "lo" else 1] = limit
        boxes.append((inside.copy(), limits.copy()))

    def stats(mask: np.ndarray) -> tuple[float, float, float]:
        return y[mask].sum() / cases, y[mask].mean(), mask.mean()

    trajectory = [stats(mask)[:2] for mask, _ in boxes]
    eligible = [i for i, (coverage, _) in enumerate(trajectory) if coverage >= min_coverage]
    top = max(trajectory[i][1] for i in eligible)
    chosen = next(i for i in eligible if trajectory[i][1] >= top - tolerance)
    mask, bounds = boxes[chosen]
    mask, bounds = _prune(data, y, mask, bounds, stats(mask)[1] - tolerance, significance)
    coverage, density, mass = stats(mask)
    restricted = {
        name: (float(bounds[j, 0]), float(bounds[j, 1]))
        for j, name in enumerate(names)
        if np.isfinite(bounds[j, 0]) or np.isfinite(bounds[j, 1])
    }
    return Box(
        limits=restricted,
        coverage=float(coverage),
        density=float(density),
        mass=float(mass),
        inside=int(mask.sum()),
        cases=int(y[mask].sum()),
        base_rate=float(cases / n),
        trajectory=[(float(c), float(d)) for c, d in trajectory],
    )


__all__ = ["Box", "prim"]
