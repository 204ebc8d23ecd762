"""Submodel 9, collect data: one row of the monthly outputs, and the end-of-run summary (MODEL.md §6)."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cached_property

import numpy as np

from sim.state import ACTIVE, FORMING, MATURE

SUMMARY = [
    "self_reliant_share_programme_end",
    "self_reliant_share_horizon",
    "sustainability",
    "facilitator_months_per_self_reliant",
    "months_to_half_gain",
    "consumption_horizon",
    "poverty_share_horizon",
    "consumption_poorest40_horizon",
]

# Households owing at this monthly rate or more carry high-cost debt.
HIGH_COST_RATE = 0.03
# Months over which an outside facilitator's contact counts towards coverage.
COVERAGE_MONTHS = 12


def gini(values: np.ndarray, presorted: bool = False) -> float:
    """Gini coefficient of a non-negative array (0 when everyone holds the same)."""
    total = values.sum()
    if total <= 0:
        return 0.0
    x = values if presorted else np.sort(values)
    n = len(x)
    return max(0.0, float(2.0 * np.dot(np.arange(1, n + 1), x) / (n * total) - (n + 1) / n))


def self_reliance(model) -> np.ndarray:
    """Seed 004's three dimensions, material, intellectual, managerial, discounted by dependency.

    Material: net worth against the buffer target, where net worth counts a member's
    share of its group's fund (its savings are its own) and subtracts what it owes.
    Managerial: the household's own capacity, or its group's management where that is
    higher, so self-reliance can exist outside a group.
    """
    p, h, g = model.p, model.households, model.groups
    managerial = h.management.copy()
    worth = h.wealth - h.debt - h.group_debt
    member = h.group >= 0
    if member.any():
        row = h.group[member]
        managerial[member] = np.maximum(managerial[member], g.management[row])
        worth[member] += g.fund[row] / np.maximum(g.size[row], 1)
    material = np.clip(worth / p.buffer_target, 0.0, 1.0)
    return (material + h.skills + managerial) / 3.0 * (1.0 - p.dependency_discount * h.dependency)


class Month:
    """What this month's reporters share, computed at most once (stage counts, consumption order)."""

    def __init__(self, model) -> None:
        self.model = model
        self.p = model.p
        self.h = model.households
        self.n = len(model.households)

    @cached_property
    def stages(self) -> np.ndarray:
        g = self.model.groups
        return np.bincount(g.stage[: g.n], minlength=4)

    @cached_property
    def consumption_sorted(self) -> np.ndarray:
        return np.sort(self.h.consumption)

    def share(self, mask: np.ndarray) -> float:
        return np.count_nonzero(mask) / self.n


def high_cost(s: Month) -> np.ndarray:
    h, m = s.h, s.model
    return ((h.debt > 0) & (m.client_rate >= HIGH_COST_RATE)) | ((h.group_debt > 0) & (s.p.group_interest >= HIGH_COST_RATE))


# The monthly outputs, each name beside its computation (Mesa's DataCollector convention);
# the order is the column order of ``timeseries()``; definitions in docs/ODD.md, Outputs.
REPORTERS: dict[str, Callable[[Month], float]] = {
    "month": lambda s: s.model.month,
    "dependency": lambda s: s.h.dependency.sum() / s.n,
    "awareness": lambda s: s.h.awareness.sum() / s.n,
    "skills": lambda s: s.h.skills.sum() / s.n,
    "trust": lambda s: s.h.trust.sum() / s.n,
    "self_reliance": lambda s: s.h.self_reliance.sum() / s.n,
    "self_reliant_share": lambda s: s.share(s.h.self_reliance >= s.p.self_reliance_threshold),
    "in_group_share": lambda s: s.share(s.h.group >= 0),
    "groups_forming": lambda s: s.stages[FORMING],
    "groups_active": lambda s: s.stages[ACTIVE],
    "groups_mature": lambda s: s.stages[MATURE],
    "groups_dissolved": lambda s: s.model.groups_dissolved,
    "patron_rent": lambda s: s.model.rent_this_month / s.n,
    "wealth_gini": lambda s: gini(s.h.wealth),
    "facilitator_months": lambda s: s.model.facilitator_months,
    "internal_facilitators": lambda s: np.count_nonzero(s.model.team.live("internal") & s.model.team.live("in_field")),
    "consumption": lambda s: s.h.consumption.sum() / s.n,
    "consumption_gini": lambda s: gini(s.consumption_sorted, presorted=True),
    "poverty_share": lambda s: s.share(s.h.consumption < 1.0),
    "patron_debt": lambda s: s.h.debt.sum() / s.n,
    "high_cost_debt_share": lambda s: s.share(high_cost(s)),
    "coverage": lambda s: s.share(s.model.month - s.h.last_contact < COVERAGE_MONTHS),
}
COLUMNS = list(REPORTERS)
INTEGER_COLUMNS = ("month", "groups_forming", "groups_active", "groups_mature", "groups_dissolved", "internal_facilitators")


def poorest40(consumption_sorted: np.ndarray) -> float:
    """Mean consumption of the poorest 40% of households."""
    k = max(1, int(round(0.4 * len(consumption_sorted))))
    return float(consumption_sorted[:k].mean())


def collect(model) -> None:
    model.households.self_reliance = self_reliance(model)
    month = Month(model)
    model.records[model.month] = [report(month) for report in REPORTERS.values()]
    model.consumption_poorest40 = poorest40(month.consumption_sorted)


def summary(records: np.ndarray, p, n_households: int, poorest40_horizon: float = math.nan) -> dict[str, float]:
    """End-of-run metrics; NaN where a metric is undefined (see docs/ODD.md, Outputs)."""
    share = records[:, COLUMNS.index("self_reliant_share")]
    horizon = float(share[-1])
    end_month = min(p.programme_months, len(share) - 1)
    at_end = float(share[end_month])
    sustainability = horizon / at_end if at_end > 0 else math.nan
    self_reliant = horizon * n_households
    cost = float(records[-1, COLUMNS.index("facilitator_months")])
    per_self_reliant = cost / self_reliant if self_reliant > 0 else (0.0 if cost == 0 else math.nan)
    gain = horizon - share[0]
    if gain > 0:
        months_to_half = float(np.argmax(share - share[0] >= 0.5 * gain))
    else:
        months_to_half = math.nan
    return {
        "self_reliant_share_programme_end": at_end,
        "self_reliant_share_horizon": horizon,
        "sustainability": sustainability,
        "facilitator_months_per_self_reliant": per_self_reliant,
        "months_to_half_gain": months_to_half,
        "consumption_horizon": float(records[-1, COLUMNS.index("consumption")]),
        "poverty_share_horizon": float(records[-1, COLUMNS.index("poverty_share")]),
        "consumption_poorest40_horizon": poorest40_horizon,
    }
