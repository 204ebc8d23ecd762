"""Submodel 9, collect data: one row of the monthly outputs, and the end-of-run summary (MODEL.md §6)."""

from __future__ import annotations

import math

import numpy as np

from sim.state import ACTIVE, FORMING, MATURE

COLUMNS = [
    "month",
    "dependency",
    "awareness",
    "skills",
    "trust",
    "self_reliance",
    "self_reliant_share",
    "in_group_share",
    "groups_forming",
    "groups_active",
    "groups_mature",
    "groups_dissolved",
    "patron_rent",
    "wealth_gini",
    "facilitator_months",
    "internal_facilitators",
]

SUMMARY = [
    "self_reliant_share_programme_end",
    "self_reliant_share_horizon",
    "sustainability",
    "facilitator_months_per_self_reliant",
    "months_to_half_gain",
]


def gini(values: np.ndarray) -> float:
    """Gini coefficient of a non-negative array (0 when everyone holds the same)."""
    total = values.sum()
    if total <= 0:
        return 0.0
    x = np.sort(values)
    n = len(x)
    return max(0.0, float(2.0 * np.dot(np.arange(1, n + 1), x) / (n * total) - (n + 1) / n))


def self_reliance(model) -> np.ndarray:
    """Seed 004's three dimensions, material, intellectual, managerial, discounted by dependency.

    Material: net worth against the buffer target, where net worth counts a member's
    share of its group's fund (its savings are its own) and subtracts what it owes.
    """
    p, h, g = model.p, model.households, model.groups
    managerial = np.zeros(len(h))
    worth = h.wealth - h.debt - h.group_debt
    member = h.group >= 0
    if member.any():
        row = h.group[member]
        managerial[member] = g.management[row]
        worth[member] += g.fund[row] / np.maximum(g.size[row], 1)
    material = np.clip(worth / p.buffer_target, 0.0, 1.0)
    return (material + h.skills + managerial) / 3.0 * (1.0 - p.dependency_discount * h.dependency)


def collect(model) -> None:
    h, g = model.households, model.groups
    h.self_reliance = self_reliance(model)
    n = len(h)
    stages = np.bincount(g.stage[: g.n], minlength=4)
    model.records[model.month] = (
        model.month,
        h.dependency.sum() / n,
        h.awareness.sum() / n,
        h.skills.sum() / n,
        h.trust.sum() / n,
        h.self_reliance.sum() / n,
        np.count_nonzero(h.self_reliance >= model.p.self_reliance_threshold) / n,
        np.count_nonzero(h.group >= 0) / n,
        stages[FORMING],
        stages[ACTIVE],
        stages[MATURE],
        model.groups_dissolved,
        model.rent_this_month / n,
        gini(h.wealth),
        model.facilitator_months,
        np.count_nonzero(model.team.internal[: model.team.n] & model.team.in_field[: model.team.n]),
    )


def summary(records: np.ndarray, p, n_households: int) -> dict[str, float]:
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
    }
