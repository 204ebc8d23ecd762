"""The measures compared between strategies, one value per run.

Some come straight from the runs table (the model's end-of-run summary); others are read
off the monthly table: the state at the horizon (the last month) or, for patron rent, the
mean over the months of the run (month 0, the initial state, takes no rent); the costs in
rupiah price the runs with the cost table (``analysis.costs``). A measure whose column a
stored experiment lacks (made by an older model) is left out, not invented.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Measure:
    key: str  # column of the per-run outcomes table (and i18n key)
    column: str  # column it comes from (runs or monthly)
    source: str  # "runs", "horizon" (last month), "mean" (mean over months 1..horizon) or "costs"
    kind: str  # how to print it: share, index, ratio, count, months, rent, level, rupiah


MEASURES: tuple[Measure, ...] = (
    Measure("self_reliant_share_programme_end", "self_reliant_share_programme_end", "runs", "share"),
    Measure("self_reliant_share_horizon", "self_reliant_share_horizon", "runs", "share"),
    Measure("self_reliance_horizon", "self_reliance", "horizon", "index"),
    Measure("sustainability", "sustainability", "runs", "ratio"),
    Measure("dependency_horizon", "dependency", "horizon", "index"),
    Measure("awareness_horizon", "awareness", "horizon", "index"),
    Measure("groups_mature_horizon", "groups_mature", "horizon", "count"),
    Measure("groups_dissolved_horizon", "groups_dissolved", "horizon", "count"),
    Measure("patron_rent_mean", "patron_rent", "mean", "rent"),
    Measure("wealth_gini_horizon", "wealth_gini", "horizon", "index"),
    Measure("facilitator_months_total", "facilitator_months", "horizon", "count"),
    Measure("facilitator_months_per_self_reliant", "facilitator_months_per_self_reliant", "runs", "ratio"),
    Measure("months_to_half_gain", "months_to_half_gain", "runs", "months"),
    Measure("consumption_horizon", "consumption_horizon", "runs", "level"),
    Measure("consumption_poorest40_horizon", "consumption_poorest40_horizon", "runs", "level"),
    Measure("poverty_share_horizon", "poverty_share_horizon", "runs", "share"),
    Measure("patron_debt_horizon", "patron_debt", "horizon", "level"),
    Measure("programme_cost_rp", "programme_cost_rp", "costs", "rupiah"),
    Measure("cost_per_self_reliant_rp", "cost_per_self_reliant_rp", "costs", "rupiah"),
    Measure("cost_per_additional_self_reliant_rp", "", "incremental", "rupiah"),
)

BY_KEY = {m.key: m for m in MEASURES}

# The measure behind each question of the verdict.
EFFECT = "self_reliant_share_programme_end"
COST = "facilitator_months_per_self_reliant"
LASTING = "self_reliant_share_horizon"
SUSTAINABILITY = "sustainability"
SPENT = "facilitator_months_total"
COST_RP = "cost_per_self_reliant_rp"
PROGRAMME_COST = "programme_cost_rp"
SELF_RELIANT = "self_reliant_households"  # households self-reliant at the horizon, per run (``analysis.costs``)
ICER = "cost_per_additional_self_reliant_rp"  # over no programme, a ratio of means (``analysis.decision``)
# Measures that divide one quantity by another: summarised as a ratio of means over the runs
# (numerator column, denominator column), never as a mean of per-run ratios, which weighs a
# run with few self-reliant households as much as one with many and drops runs with none.
RATIOS = {
    SUSTAINABILITY: (LASTING, EFFECT),
    COST: (SPENT, SELF_RELIANT),
    COST_RP: (PROGRAMME_COST, SELF_RELIANT),
}
# The outcomes a programme officer reads first: self-reliance, then the economy's, where stored.
HEADLINE = (EFFECT, LASTING, "consumption_poorest40_horizon", "poverty_share_horizon")


def present(table: pd.DataFrame) -> list[Measure]:
    """The measures an outcomes table holds."""
    return [m for m in MEASURES if m.key in table.columns]


def outcomes(runs: pd.DataFrame, monthly: pd.DataFrame, arm_params: dict[str, dict] | None = None) -> pd.DataFrame:
    """One row per run: ``run_id``, ``arm``, ``replicate``, ``seed`` and every measure it can have
    (NaN where undefined); costs need ``arm_params`` (the arms' resolved parameters, for prices)."""
    from analysis.costs import costs

    table = runs[["run_id", "arm", "replicate", "seed"]].copy()
    ordered = monthly.sort_values(["run_id", "month"])
    last = ordered.groupby("run_id").tail(1).set_index("run_id")
    after_start = ordered[ordered["month"] > 0].groupby("run_id")
    for m in MEASURES:
        if m.source == "runs" and m.column in runs:
            table[m.key] = runs[m.column].astype(float).to_numpy()
        elif m.source == "horizon" and m.column in monthly:
            table[m.key] = table["run_id"].map(last[m.column].astype(float))
        elif m.source == "mean" and m.column in monthly:
            table[m.key] = table["run_id"].map(after_start[m.column].mean())
    if arm_params is not None:
        priced = costs(runs, monthly, table, arm_params)
        if priced is not None:
            for column in priced:
                table[column] = priced[column].to_numpy()
    return table.reset_index(drop=True)
