"""Means, differences and their 95% bootstrap intervals; the chance one strategy beats another.

In a paired experiment (``paired = true``: replicate r of every scenario ran with one seed,
so on the same village) two strategies are compared replicate by replicate: the
difference is the mean of the per-replicate differences, bootstrapped over replicates,
and the chance one beats the other is the share of replicates where it scored higher.
That removes the variation between villages both strategies share. Otherwise replicates
of different strategies are independent runs, and a difference is bootstrapped as two
independent samples. NaN values (a measure undefined in a run, e.g. sustainability when
nobody was self-reliant at programme end) are dropped, and how many were dropped is
reported with the estimate (paired: the replicate is dropped from that comparison).
Every resampling draws from a generator derived from the experiment's root seed, so
rebuilding a report gives the same intervals.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats

CONFIDENCE = 0.95
RESAMPLES = 9999
# Runs (pairs, in a paired design) below which no difference is called clear: with fewer than
# six, even a difference of the same sign in every pair could be chance (a two-sided sign test
# cannot reach p < 0.05), and a bootstrap interval over so few values is too narrow to trust.
MIN_CLEAR = 6


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float
    high: float
    n: int  # values used
    missing: int  # NaN values dropped

    @property
    def clear(self) -> bool:
        """Whether the interval excludes zero (a difference one can act on) over enough runs to say so."""
        return bool(self.n >= MIN_CLEAR and (self.low > 0 or self.high < 0))


def generator(seed: int, *key: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))


def _finite(values) -> tuple[np.ndarray, int]:
    array = np.asarray(values, dtype=float)
    keep = array[np.isfinite(array)]
    return keep, len(array) - len(keep)


def _difference(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def _ratio(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.mean(x, axis=axis) / np.mean(y, axis=axis)


def _ratio_difference(xa, ya, xb, yb, axis: int = -1) -> np.ndarray:
    return _ratio(xa, ya, axis) - _ratio(xb, yb, axis)


def _bootstrap(
    samples: tuple[np.ndarray, ...], statistic, rng: np.random.Generator, paired: bool = False
) -> tuple[float, float]:
    """BCa interval; the percentile interval where BCa is undefined (heavily tied data)."""
    for method in ("BCa", "percentile"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", stats.DegenerateDataWarning)
            warnings.simplefilter("ignore", RuntimeWarning)
            result = stats.bootstrap(
                samples,
                statistic,
                confidence_level=CONFIDENCE,
                n_resamples=RESAMPLES,
                method=method,
                vectorized=True,
                paired=paired,
                rng=rng,
            )
        low, high = result.confidence_interval
        if np.isfinite(low) and np.isfinite(high):
            return float(low), float(high)
    return float("nan"), float("nan")


def mean_interval(values, rng: np.random.Generator) -> Estimate:
    """The mean with its 95% bootstrap interval (a point interval when two or more values all
    agree; none from a single value, which says nothing about spread)."""
    x, missing = _finite(values)
    if len(x) == 0:
        return Estimate(float("nan"), float("nan"), float("nan"), 0, missing)
    mean = float(x.mean())
    if len(x) < 2:
        return Estimate(mean, float("nan"), float("nan"), len(x), missing)
    if np.ptp(x) == 0:
        return Estimate(mean, mean, mean, len(x), missing)
    low, high = _bootstrap((x,), np.mean, rng)
    return Estimate(mean, low, high, len(x), missing)


def difference_interval(a, b, rng: np.random.Generator) -> Estimate:
    """Mean of ``a`` minus mean of ``b`` with its 95% bootstrap interval (independent samples)."""
    x, missing_x = _finite(a)
    y, missing_y = _finite(b)
    missing = missing_x + missing_y
    n = min(len(x), len(y))
    if n == 0:
        return Estimate(float("nan"), float("nan"), float("nan"), n, missing)
    diff = float(x.mean() - y.mean())
    if n < 2:
        return Estimate(diff, float("nan"), float("nan"), n, missing)
    if np.ptp(x) == 0 and np.ptp(y) == 0:
        return Estimate(diff, diff, diff, n, missing)
    low, high = _bootstrap((x, y), _difference, rng)
    return Estimate(diff, low, high, n, missing)


def _both_finite(*columns) -> tuple[list[np.ndarray], int]:
    arrays = [np.asarray(c, dtype=float) for c in columns]
    keep = np.logical_and.reduce([np.isfinite(a) for a in arrays])
    return [a[keep] for a in arrays], int((~keep).sum())


def ratio_interval(numerator, denominator, rng: np.random.Generator) -> Estimate:
    """Mean of ``numerator`` over mean of ``denominator`` (a ratio of means, never a mean of
    per-run ratios) with its 95% bootstrap interval, resampling runs whole; zero where
    nothing was spent, undefined where the denominator's mean is zero."""
    (x, y), missing = _both_finite(numerator, denominator)
    n = len(x)
    if n == 0:
        return Estimate(float("nan"), float("nan"), float("nan"), 0, missing)
    if not x.any():
        return Estimate(0.0, 0.0, 0.0, n, missing)
    if y.mean() == 0:
        return Estimate(float("nan"), float("nan"), float("nan"), n, missing)
    value = float(x.mean() / y.mean())
    if n < 2:
        return Estimate(value, float("nan"), float("nan"), n, missing)
    if np.ptp(x) == 0 and np.ptp(y) == 0:
        return Estimate(value, value, value, n, missing)
    low, high = _bootstrap((x, y), _ratio, rng, paired=True)
    return Estimate(value, low, high, n, missing)


def paired_ratio_difference_interval(xa, ya, xb, yb, rng: np.random.Generator) -> Estimate:
    """Ratio of means of a (``xa / ya``) minus that of b, over replicates paired by seed,
    with its 95% paired bootstrap interval."""
    (xa, ya, xb, yb), missing = _both_finite(xa, ya, xb, yb)
    n = len(xa)
    nan = float("nan")
    ratio_a = ratio_interval(xa, ya, rng).value if n else nan
    ratio_b = ratio_interval(xb, yb, rng).value if n else nan
    value = ratio_a - ratio_b
    if n < 2 or not np.isfinite(value):
        return Estimate(value, nan, nan, n, missing)
    if max(np.ptp(xa), np.ptp(ya), np.ptp(xb), np.ptp(yb)) == 0:
        return Estimate(value, value, value, n, missing)
    if not xa.any() or not xb.any():  # nothing spent on one side: its ratio is 0 in every resample
        zero_a = not xa.any()
        spent = (xb, yb) if zero_a else (xa, ya)
        low, high = _bootstrap(spent, _ratio, rng, paired=True)
        return Estimate(value, -high, -low, n, missing) if zero_a else Estimate(value, low, high, n, missing)
    low, high = _bootstrap((xa, ya, xb, yb), _ratio_difference, rng, paired=True)
    return Estimate(value, low, high, n, missing)


def paired_difference_interval(a, b, rng: np.random.Generator) -> Estimate:
    """Mean of ``a[i] - b[i]`` (replicate i of each) with its 95% bootstrap interval; a pair with a NaN is dropped."""
    return mean_interval(np.asarray(a, dtype=float) - np.asarray(b, dtype=float), rng)


def probability_higher_paired(a, b) -> float:
    """P(X > Y) in a replicate: the share of replicates i where ``a[i] > b[i]``, ties counting 1/2."""
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    keep = np.isfinite(x) & np.isfinite(y)
    if not keep.any():
        return float("nan")
    x, y = x[keep], y[keep]
    return float((x > y).mean() + 0.5 * (x == y).mean())


def probability_higher(a, b) -> float:
    """P(X > Y) for X a replicate of ``a`` and Y one of ``b``, over all pairs, ties counting 1/2."""
    x, _ = _finite(a)
    y, _ = _finite(b)
    if len(x) == 0 or len(y) == 0:
        return float("nan")
    greater = (x[:, None] > y[None, :]).mean()
    ties = (x[:, None] == y[None, :]).mean()
    return float(greater + 0.5 * ties)


def _ratio_columns(outcomes: pd.DataFrame, ratios: dict[str, tuple[str, str]] | None, measure: str):
    """The (numerator, denominator) columns of a ratio measure the table can compute, else None."""
    found = (ratios or {}).get(measure)
    return found if found and set(found) <= set(outcomes.columns) else None


def summarise(
    outcomes: pd.DataFrame,
    arms: list[str],
    measures: list[str],
    seed: int,
    ratios: dict[str, tuple[str, str]] | None = None,
) -> pd.DataFrame:
    """One row per (arm, measure): mean, 95% interval, values used and NaN dropped.

    A measure in ``ratios`` (measure: numerator and denominator columns) is summarised as a
    ratio of means over the runs, not as a mean of per-run ratios."""
    rows = []
    for i, measure in enumerate(measures):
        columns = _ratio_columns(outcomes, ratios, measure)
        for j, arm in enumerate(arms):
            own = outcomes[outcomes["arm"] == arm]
            rng = generator(seed, 0, i, j)
            e = ratio_interval(own[columns[0]], own[columns[1]], rng) if columns else mean_interval(own[measure], rng)
            rows.append(
                {
                    "arm": arm,
                    "measure": measure,
                    "mean": e.value,
                    "low": e.low,
                    "high": e.high,
                    "n": e.n,
                    "missing": e.missing,
                }
            )
    return pd.DataFrame(rows)


def _matched(
    own_a: pd.DataFrame, own_b: pd.DataFrame, measure: str, extra: tuple[str, ...] = ()
) -> dict[str, np.ndarray]:
    """Runs of two arms (``own_a``, ``own_b``: their rows of the outcomes) that share a seed (the
    same village), in order of seed: ``measure`` as ``x`` and ``y``, each ``extra`` column as
    ``<column>_x`` and ``<column>_y``. A seed twice in one arm is refused: its pairs are ambiguous."""
    seeds_a, seeds_b = own_a["seed"].to_numpy(), own_b["seed"].to_numpy()
    for seeds in (seeds_a, seeds_b):
        if len(np.unique(seeds)) != len(seeds):
            raise ValueError("an arm has two runs with one seed: its pairs by seed are ambiguous")
    _, ia, ib = np.intersect1d(seeds_a, seeds_b, assume_unique=True, return_indices=True)
    matched = {"x": own_a[measure].to_numpy(dtype=float)[ia], "y": own_b[measure].to_numpy(dtype=float)[ib]}
    for c in extra:
        if c != measure:
            matched[f"{c}_x"] = own_a[c].to_numpy(dtype=float)[ia]
            matched[f"{c}_y"] = own_b[c].to_numpy(dtype=float)[ib]
    return matched


def _defined(own: pd.DataFrame, columns) -> int:
    """Runs (``own``: one arm's rows) where every one of ``columns`` has a value."""
    values = own[list(columns)].to_numpy(dtype=float)
    return int(np.isfinite(values).all(axis=1).sum())


def compare_pairs(
    outcomes: pd.DataFrame,
    arms: list[str],
    measures: list[str],
    seed: int,
    *,
    paired: bool = False,
    ratios: dict[str, tuple[str, str]] | None = None,
) -> pd.DataFrame:
    """One row per (measure, pair a, b) in arm order: a - b with its interval and P(a > b).

    ``paired`` (the experiment gave every scenario the same seeds): runs of two arms with
    the same ``seed`` are compared pair by pair, ``n_pairs`` of them with both values
    defined. Two arms that share no seed (different sweep points) are compared as
    independent samples, and the row says ``paired`` False. A paired measure in ``ratios``
    is compared as the difference of the two ratios of means; P(a > b) stays the share of
    replicates whose own ratio is higher. A difference over fewer than ``MIN_CLEAR`` runs is
    never ``clear``.
    """
    own = {arm: outcomes[outcomes["arm"] == arm] for arm in arms}
    rows = []
    for i, measure in enumerate(measures):
        columns = _ratio_columns(outcomes, ratios, measure)
        for (j, a), (k, b) in combinations(enumerate(arms), 2):
            rng = generator(seed, 1, i, j, k)
            matched = _matched(own[a], own[b], measure, columns or ()) if paired else {"x": ()}
            if len(matched["x"]) and columns:
                num, den = columns
                e = paired_ratio_difference_interval(
                    matched[f"{num}_x"], matched[f"{den}_x"], matched[f"{num}_y"], matched[f"{den}_y"], rng
                )
                p_higher, n_pairs = probability_higher_paired(matched["x"], matched["y"]), e.n
            elif len(matched["x"]):
                e = paired_difference_interval(matched["x"], matched["y"], rng)
                p_higher, n_pairs = probability_higher_paired(matched["x"], matched["y"]), e.n
            else:
                x, y = own[a][measure], own[b][measure]
                e = difference_interval(x, y, rng)
                p_higher, n_pairs = probability_higher(x, y), pd.NA
            rows.append(
                {
                    "measure": measure,
                    "a": a,
                    "b": b,
                    "difference": e.value,
                    "low": e.low,
                    "high": e.high,
                    "p_a_higher": p_higher,
                    "n_a": _defined(own[a], columns or (measure,)),
                    "n_b": _defined(own[b], columns or (measure,)),
                    "paired": bool(len(matched["x"])),
                    "n_pairs": n_pairs,
                    "clear": e.clear,
                }
            )
    frame = pd.DataFrame(rows)
    return frame.astype({"n_pairs": "Int64"}) if len(frame) else frame


def partial_rank_correlations(inputs: pd.DataFrame, output) -> pd.DataFrame:
    """Partial rank correlation of each input column with ``output``, with its two-sided p-value.

    Ranks remove the scale; each input's rank and the output's rank are regressed on the
    ranks of every other input, and the correlation of the two residuals is the input's
    PRCC. Its p-value is the t test on n - 2 - (inputs - 1) degrees of freedom. Inputs that
    do not vary are dropped; with no degrees of freedom left the table is empty.
    """
    y = np.asarray(output, dtype=float)
    keep = np.isfinite(y)
    x = inputs.loc[keep].astype(float)
    x = x.loc[:, x.nunique() > 1]
    y = y[keep]
    n, k = len(y), x.shape[1]
    dof = n - 2 - (k - 1)
    if k == 0 or dof < 1 or np.ptp(y) == 0:
        return pd.DataFrame(columns=["input", "prcc", "p_value"])
    ranks = np.column_stack([stats.rankdata(x[c]) for c in x.columns])
    ry = stats.rankdata(y)
    rows = []
    for j, name in enumerate(x.columns):
        others = np.column_stack([np.ones(n), np.delete(ranks, j, axis=1)])
        residual_x = ranks[:, j] - others @ np.linalg.lstsq(others, ranks[:, j], rcond=None)[0]
        residual_y = ry - others @ np.linalg.lstsq(others, ry, rcond=None)[0]
        denominator = np.sqrt((residual_x**2).sum() * (residual_y**2).sum())
        r = float((residual_x * residual_y).sum() / denominator) if denominator > 0 else 0.0
        r = max(-1.0, min(1.0, r))
        t = r * np.sqrt(dof / max(1e-300, 1.0 - r * r))
        rows.append({"input": name, "prcc": r, "p_value": float(2 * stats.t.sf(abs(t), dof))})
    return pd.DataFrame(rows)


def rank_correlations(inputs: pd.DataFrame, output) -> pd.DataFrame:
    """Spearman's rank correlation of each varying input column with ``output``, with its p-value.

    With inputs drawn independently of each other, each is an honest (if noisier) measure of
    how the output moves with that input alone, usable where there are too few rows for
    partial correlations."""
    y = np.asarray(output, dtype=float)
    keep = np.isfinite(y)
    x = inputs.loc[keep].astype(float)
    rows = []
    if keep.sum() < 3 or np.ptp(y[keep]) == 0:
        return pd.DataFrame(rows, columns=["input", "rho", "p_value"])
    for name in x.columns[x.nunique() > 1]:
        result = stats.spearmanr(x[name], y[keep])
        if np.isfinite(result.statistic):
            rows.append({"input": name, "rho": float(result.statistic), "p_value": float(result.pvalue)})
    return pd.DataFrame(rows, columns=["input", "rho", "p_value"])
