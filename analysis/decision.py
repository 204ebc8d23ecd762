"""What to choose, and what to measure first: cost-effectiveness, regret and the value of information.

Every method reads the comparison's paired runs as plausible worlds: replicate r of every
strategy ran on the same village and with the same draw of the assumed parameters, so a
world is one seed, and within it the strategies can be set side by side.

- **Cost-effectiveness** (Drummond et al. 2015, ch. 4 and 11): each strategy's mean cost
  and mean self-reliant households over the comparator (the strategy that spends nothing),
  their ratio (the incremental cost-effectiveness ratio, a ratio of means) with a paired
  bootstrap interval; strategies that cost more and achieve no more than another are
  *dominated*, and those that a mix of two others would beat for the money *extendedly
  dominated* (their ratio exceeds that of the next more effective strategy).
- **Acceptability** (van Hout et al. 1994): at each willingness to pay λ per self-reliant
  household, the share of worlds in which a strategy has the highest net benefit λE − C.
- **Regret** (Savage 1951): in each world, how far a strategy falls short of the best one in
  that world; the minimax-regret choice has the smallest worst shortfall.
- **Value of information** (Strong, Oakley & Brennan 2014): the expected value of partial
  perfect information of an assumed parameter θ, E_θ[max_s g_s(θ)] − max_s E[g_s(θ)], with
  g_s the regression of strategy s's net benefit on θ over the worlds (here a cubic
  polynomial, a simple smoother in place of their generalised additive model).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from analysis.stats import CONFIDENCE, generator

FRONTIER, DOMINATED, EXTENDED = "frontier", "dominated", "extendedly_dominated"
VOI_RESAMPLES = 500  # bootstrap resamples of the worlds for an EVPPI interval (each refits the regressions)
GRID = 21  # points of the default acceptability curve


def worlds(per_run: pd.DataFrame, arms: list[str], column: str) -> pd.DataFrame:
    """One row per world (seed) with every arm's value of ``column``; worlds missing an arm are dropped."""
    table = per_run[per_run["arm"].isin(arms)].pivot_table(index="seed", columns="arm", values=column, aggfunc="first")
    return table.reindex(columns=arms).dropna()


def dominance(cost: dict[str, float], effect: dict[str, float]) -> dict[str, str]:
    """Each strategy's status: on the cost-effectiveness frontier, dominated, or extendedly dominated."""
    arms = [a for a in cost if math.isfinite(cost[a]) and math.isfinite(effect[a])]
    status = {}
    for a in arms:
        beaten = any(
            cost[b] <= cost[a] and effect[b] >= effect[a] and (cost[b] < cost[a] or effect[b] > effect[a])
            for b in arms
            if b != a
        )
        status[a] = DOMINATED if beaten else FRONTIER
    frontier = sorted((a for a in arms if status[a] == FRONTIER), key=lambda a: (cost[a], -effect[a]))
    changed = True
    while changed and len(frontier) > 2:
        changed = False
        ratios = [(cost[b] - cost[a]) / (effect[b] - effect[a]) for a, b in zip(frontier, frontier[1:], strict=False)]
        for i in range(len(ratios) - 1):
            if ratios[i] > ratios[i + 1]:
                status[frontier[i + 1]] = EXTENDED
                del frontier[i + 1]
                changed = True
                break
    return status


def _percentile(values: np.ndarray) -> tuple[float, float]:
    tail = 100 * (1 - CONFIDENCE) / 2
    return float(np.percentile(values, tail)), float(np.percentile(values, 100 - tail))


def cost_effectiveness(costs: pd.DataFrame, effects: pd.DataFrame, comparator: str, seed: int) -> pd.DataFrame:
    """One row per strategy: mean cost and effect, their increments over ``comparator``, the ratio
    (``icer``) with its paired bootstrap interval, and the dominance status.

    ``costs`` and ``effects``: one row per world, one column per strategy. The interval is
    given only where the gain over the comparator is positive in nearly every resample (its
    own 95% interval above zero): a ratio over a gain that may be nil has no upper bound."""
    arms = list(costs.columns)
    mean_cost, mean_effect = costs.mean().to_dict(), effects.mean().to_dict()
    status = dominance(mean_cost, mean_effect)
    n = len(costs)
    rng = generator(seed, 7)
    draws = rng.integers(0, n, size=(9999, n)) if n > 1 else np.zeros((0, n), dtype=int)
    rows = []
    for arm in arms:
        d_cost = (costs[arm] - costs[comparator]).to_numpy(float)
        d_effect = (effects[arm] - effects[comparator]).to_numpy(float)
        icer = low = high = float("nan")
        if arm != comparator and d_effect.mean() > 0:
            icer = float(d_cost.mean() / d_effect.mean())
            if len(draws):
                gains = d_effect[draws].mean(axis=1)
                if _percentile(gains)[0] > 0:
                    with np.errstate(divide="ignore", invalid="ignore"):
                        low, high = _percentile(d_cost[draws].mean(axis=1) / gains)
        rows.append(
            {
                "strategy": arm,
                "cost_rp": mean_cost[arm],
                "self_reliant_households": mean_effect[arm],
                "incremental_cost_rp": float(d_cost.mean()),
                "incremental_self_reliant": float(d_effect.mean()),
                "icer": icer,
                "low": low,
                "high": high,
                "n": n,
                "status": status.get(arm, ""),
            }
        )
    return pd.DataFrame(rows)


def default_wtp(table: pd.DataFrame) -> list[float]:
    """An acceptability grid, evenly spaced on a log scale, from a quarter of the smallest ratio on
    the frontier to fifty times the largest: gains spread over worlds where little happens and
    worlds where much does, so a strategy may need many times its mean ratio to win most worlds."""
    finite = table.loc[table["status"] == FRONTIER, "icer"].dropna()
    finite = finite[finite > 0]
    low, high = (finite.min() / 4, finite.max() * 50) if len(finite) else (1e6, 1e9)
    return [float(x) for x in np.geomspace(10 ** math.floor(math.log10(low)), 10 ** math.ceil(math.log10(high)), GRID)]


def stated_wtp(table: pd.DataFrame) -> float:
    """The willingness to pay at which the choice is closest: the ratio of the most effective
    strategy on the frontier (where it and the next one are worth the same); 0 when none."""
    frontier = table[(table["status"] == FRONTIER) & table["icer"].notna()]
    if frontier.empty:
        return 0.0
    return float(frontier.sort_values("self_reliant_households")["icer"].iloc[-1])


def _best_share(benefit: np.ndarray) -> np.ndarray:
    """Per strategy (columns), the share of worlds (rows) where it has the highest value, ties split."""
    top = benefit.max(axis=1, keepdims=True)
    winners = benefit == top
    return (winners / winners.sum(axis=1, keepdims=True)).mean(axis=0)


def acceptability(costs: pd.DataFrame, effects: pd.DataFrame, wtp: list[float]) -> pd.DataFrame:
    """``acceptability.csv``: the share of worlds in which each strategy has the highest net benefit."""
    rows = []
    for value in wtp:
        shares = _best_share(value * effects.to_numpy(float) - costs.to_numpy(float))
        rows += [
            {"strategy": arm, "wtp_rp": value, "probability_cost_effective": float(p)}
            for arm, p in zip(costs.columns, shares, strict=True)
        ]
    return pd.DataFrame(rows, columns=["strategy", "wtp_rp", "probability_cost_effective"])


def regret(values: pd.DataFrame, measure: str, higher: bool = True) -> pd.DataFrame:
    """Rows of ``regret.csv`` for one measure: each strategy's worst and mean shortfall from the
    best strategy of each world (``values``: one row per world, one column per strategy)."""
    x = values.to_numpy(float) * (1 if higher else -1)
    shortfall = x.max(axis=1, keepdims=True) - x
    return pd.DataFrame(
        {
            "strategy": list(values.columns),
            "measure": measure,
            "max_regret": shortfall.max(axis=0),
            "mean_regret": shortfall.mean(axis=0),
        }
    )


def _basis(theta: np.ndarray) -> np.ndarray:
    """A cubic polynomial in θ scaled to [0, 1] (lower degree with few worlds): the smoother."""
    spread = np.ptp(theta)
    x = (theta - theta.min()) / spread if spread > 0 else np.zeros_like(theta)
    degree = max(1, min(3, len(theta) // 10))
    return np.column_stack([x**k for k in range(degree + 1)])


def _fitted(theta: np.ndarray, benefit: np.ndarray, draws: np.ndarray | None = None) -> np.ndarray:
    """Each strategy's net benefit regressed on θ, at the worlds' values of θ; with ``draws``
    (resamples × worlds), one fit per resample, stacked. A polynomial's fit does not depend on
    where θ is scaled from, so every resample shares the full sample's basis."""
    basis = _basis(theta)
    centred = benefit - benefit[:, :1]  # differences from one strategy: the same EVPPI, less noise to fit
    if draws is None:
        draws = np.arange(len(theta))[None, :]
    x, y = basis[draws], centred[draws]
    coefficients = np.linalg.pinv(x) @ y
    return x @ coefficients


def _evppi(fitted: np.ndarray) -> np.ndarray:
    return np.maximum(0.0, fitted.max(axis=-1).mean(axis=-1) - fitted.mean(axis=-2).max(axis=-1))


def evppi(theta, benefit) -> float:
    """Expected value of partial perfect information of θ (Strong, Oakley & Brennan 2014).

    ``benefit``: one row per world, one column per strategy; ``theta``: θ in each world."""
    return float(_evppi(_fitted(np.asarray(theta, float), np.asarray(benefit, float)))[0])


def evppi_interval(theta, benefit, seed: int, *key: int) -> tuple[float, float, float]:
    """EVPPI with a 95% bootstrap interval over the worlds (each resample refits the regressions)."""
    theta, benefit = np.asarray(theta, float), np.asarray(benefit, float)
    value = evppi(theta, benefit)
    n = len(theta)
    if n < 3:
        return value, float("nan"), float("nan")
    draws = generator(seed, 8, *key).integers(0, n, size=(VOI_RESAMPLES, n))
    low, high = _percentile(_evppi(_fitted(theta, benefit, draws)))
    return value, low, high


def switch_at(theta, benefit, arms: list[str]) -> tuple[str, float, str] | None:
    """Where, by the regression on θ, another strategy would be best: (that strategy, the value of
    θ where it takes over, "below" or "above" it), or None when no value in the worlds' range
    changes the choice."""
    theta, benefit = np.asarray(theta, float), np.asarray(benefit, float)
    fitted = _fitted(theta, benefit)[0]
    overall = int(fitted.mean(axis=0).argmax())
    order = np.argsort(theta, kind="stable")
    x, best = theta[order], fitted[order].argmax(axis=1)
    if (best == overall).all():
        return None
    if best[0] != overall:
        j = int(np.flatnonzero(best == overall)[0]) if (best == overall).any() else len(x) - 1
        return arms[int(best[0])], float((x[max(j - 1, 0)] + x[j]) / 2), "below"
    j = int(np.flatnonzero(best != overall)[0])
    return arms[int(best[j])], float((x[j - 1] + x[j]) / 2), "above"


def _crossing(grid: np.ndarray, margin: np.ndarray) -> float:
    """The first value of the grid where ``margin`` changes sign, by linear interpolation; NaN if none."""
    for g in range(len(grid) - 1):
        a, b = margin[g], margin[g + 1]
        if (a > 0) != (b > 0) and np.isfinite(a) and np.isfinite(b):
            return float(grid[g] + (grid[g + 1] - grid[g]) * a / (a - b)) if a != b else float(grid[g])
    return float("nan")


def switch_point(grid, margins, seed: int, *key: int) -> tuple[float, float, float]:
    """Where the leader's mean margin over the challenger crosses zero along a parameter's grid
    (``margins``: one row per world, one column per grid value, the paired difference leader −
    challenger), with a 95% bootstrap interval over the worlds; NaN where the lead never
    changes inside the grid, and no interval where more than 5% of the resamples never cross."""
    grid, margins = np.asarray(grid, float), np.asarray(margins, float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a value with no defined margin stays NaN
        value = _crossing(grid, np.nanmean(margins, axis=0))
        n = len(margins)
        if not np.isfinite(value) or n < 3:
            return value, float("nan"), float("nan")
        draws = generator(seed, 9, *key).integers(0, n, size=(VOI_RESAMPLES, n))
        crossings = np.array([_crossing(grid, np.nanmean(margins[d], axis=0)) for d in draws])
    if np.isnan(crossings).mean() > 1 - CONFIDENCE:
        return value, float("nan"), float("nan")
    low, high = _percentile(crossings[np.isfinite(crossings)])
    return value, low, high


WTP_RECORD = "decision.json"  # DIR/decision.json: the willingness to pay given to `berdaya compare`
VOI_MEASURES = ("self_reliant_households", "net_benefit_rp")


def analyse(
    per_run: pd.DataFrame,
    runs: pd.DataFrame,
    arms: list[str],
    comparator: str,
    parameters: list[str],
    measures: dict[str, bool],
    wtp: list[float] | None,
    seed: int,
) -> dict[str, object] | None:
    """Cost-effectiveness, acceptability, regret and value of information of a paired comparison.

    ``parameters``: the assumed parameters drawn per world (columns of ``runs``); ``measures``:
    the measures to compute regret on, each with whether higher is better; ``wtp``: the
    willingness to pay per additional self-reliant household (None: a grid, and the value
    where the choice is closest for the value of information). None where the runs hold no
    priced self-reliant households."""
    if "self_reliant_households" not in per_run or "programme_cost_rp" not in per_run:
        return None
    effects = worlds(per_run, arms, "self_reliant_households")
    costs = worlds(per_run, arms, "programme_cost_rp").loc[effects.index]
    effects = effects.loc[costs.index]
    if len(effects) < 2:
        return None
    table = cost_effectiveness(costs, effects, comparator, seed)
    grid = wtp or default_wtp(table)
    stated = wtp[0] if wtp else stated_wtp(table)
    benefit = stated * effects - costs
    regrets = [
        regret(worlds(per_run, arms, m).loc[lambda f: f.index.isin(effects.index)], m, up) for m, up in measures.items()
    ]
    regrets.append(regret(benefit, "net_benefit_rp"))
    drawn = runs.drop_duplicates("seed").set_index("seed")
    voi, switches = [], []
    for i, parameter in enumerate(p for p in parameters if p in drawn):
        theta = drawn.loc[effects.index, parameter].to_numpy(float)
        for j, (measure, values, unit) in enumerate(
            (("self_reliant_households", effects, "households"), ("net_benefit_rp", benefit, "rp"))
        ):
            value, low, high = evppi_interval(theta, values.to_numpy(float), seed, i, j)
            voi.append(
                {
                    "parameter": parameter,
                    "measure": measure,
                    "evppi": value,
                    "evppi_low": low,
                    "evppi_high": high,
                    "unit": unit,
                }
            )
            found = switch_at(theta, values.to_numpy(float), arms)
            if found and measure == "self_reliant_households":
                switches.append({"parameter": parameter, "strategy": found[0], "value": found[1], "side": found[2]})
    columns = ["parameter", "measure", "evppi", "evppi_low", "evppi_high", "unit"]
    return {
        "cost_effectiveness": table,
        "acceptability": acceptability(costs, effects, grid),
        "regret": pd.concat(regrets, ignore_index=True),
        "value_of_information": pd.DataFrame(voi, columns=columns),
        "switches": pd.DataFrame(switches, columns=["parameter", "strategy", "value", "side"]),
        "wtp": stated,
        "stated": bool(wtp),
        "worlds": len(effects),
        "comparator": comparator,
    }


__all__ = [
    "DOMINATED",
    "EXTENDED",
    "FRONTIER",
    "VOI_MEASURES",
    "WTP_RECORD",
    "acceptability",
    "analyse",
    "cost_effectiveness",
    "default_wtp",
    "dominance",
    "evppi",
    "evppi_interval",
    "regret",
    "stated_wtp",
    "switch_at",
    "switch_point",
    "worlds",
]
