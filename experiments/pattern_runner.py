"""A runner that also measures the field patterns of PATTERNS.md (issue 10).

Same signature as ``experiments.runner.simulate``: ``(params, seed) -> (metrics, monthly)``.
Besides ``model.summary()`` it steps the model month by month and reads the state the
sixteen monthly columns cannot give: group sizes, groups that dissolve while
facilitated, member drop-out, the interest actually charged on patron and group loans,
who borrows from the patron, and, where a programme runs, its effects against the same
village (same parameters, same seed) with no facilitators. Targets and sources live in
``analysis/patterns.py``; this module only measures.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from sim.collect import COLUMNS
from sim.model import VillageModel
from sim.state import DISSOLVED, MATURE

NAN = math.nan

# Months at which a programme's effects are read, after the NRLM evaluation's ~2.5 years'
# head start (PATTERNS.md) and one year after exit (Banerjee et al., Science 2015).
EFFECT_MONTH = 30
EARLY_MONTH = 12
PERSIST_MONTHS = 12
FADE_MONTHS = 24

PATTERN_METRICS = [
    "group_size_mean",
    "group_size_median",
    "groups_founded_programme",
    "groups_dissolved_share_programme",
    "member_dropout_share",
    "patron_rate_charged",
    "group_rate_charged",
    "rate_ratio",
    "patron_borrower_share_year1",
    "income_effect_30",
    "savings_effect_30",
    "patron_borrowing_effect_30",
    "self_reliant_effect_12",
    "self_reliant_effect_exit",
    "self_reliant_effect_exit_12",
    "gain_persistence_12",
    "dissolved_after_exit_unmatured",
    "dissolved_after_exit_matured",
    "maturity_protection",
    "savings_ratio_survivors",
]


def dropped_out(group_before: np.ndarray, group_after: np.ndarray, stage_after: np.ndarray) -> np.ndarray:
    """Members who left a group that still stands (leaving a dissolved group is not drop-out)."""
    left = (group_before >= 0) & (group_after != group_before)
    standing = np.zeros_like(left)
    standing[left] = stage_after[group_before[left]] != DISSOLVED
    return left & standing


def live_group_sizes(size: np.ndarray, stage: np.ndarray) -> np.ndarray:
    """Member counts of the groups that stand and have members."""
    return size[(stage != DISSOLVED) & (size > 0)]


def weighted_rate(interest: float, balance: float) -> float:
    """Interest charged per unit of debt outstanding (NaN when nothing was owed)."""
    return interest / balance if balance > 0 else NAN


def share(part: float, whole: float) -> float:
    return part / whole if whole > 0 else NAN


def savings(model: VillageModel) -> np.ndarray:
    """Each household's savings: its own cash plus, for a member, its share of the group fund."""
    h, g = model.households, model.groups
    held = np.maximum(h.wealth, 0.0)
    member = h.group >= 0
    held[member] += g.fund[h.group[member]] / np.maximum(g.size[h.group[member]], 1)
    return held


def relative_effect(treated: float, control: float) -> float:
    """treated / control - 1, NaN when the control is zero or either is undefined."""
    if not (np.isfinite(treated) and np.isfinite(control)) or control == 0:
        return NAN
    return treated / control - 1.0


class Trace:
    """What one run leaves behind month by month, beyond the monthly table."""

    def __init__(self, model: VillageModel) -> None:
        p = model.p
        months = p.months
        n = model.n_households
        self.p = p
        self.end = min(p.programme_months, months)
        self.income_window = np.zeros(n)
        self.savings_at_effect = np.full(n, NAN)
        self.member_by_effect = np.zeros(n, dtype=bool)
        self.borrowed = np.zeros((months + 1, n), dtype=bool)
        self.sizes: list[np.ndarray] = []
        self.ever_member = np.zeros(n, dtype=bool)
        self.dropped = np.zeros(n, dtype=bool)
        self.members_at_end = 0
        self.dropped_at_end = 0
        self.patron_interest = self.patron_balance = 0.0
        self.group_interest = self.group_balance = 0.0
        self.fund_per_member_sum = np.zeros(0)
        self.fund_months = np.zeros(0)
        self.stage_at_exit: np.ndarray | None = None
        self.stage_after_exit: np.ndarray | None = None

    @classmethod
    def record(cls, model: VillageModel) -> Trace:
        """Run the model to its horizon, one month at a time, tracing as it goes."""
        trace = cls(model)
        while model.running:
            trace.step(model)
        return trace

    def step(self, model: VillageModel) -> None:
        h, g, p = model.households, model.groups, model.p
        debt_before = h.debt.copy()
        group_debt_before = h.group_debt.copy()
        group_before = h.group.copy()
        model.step()
        t = model.month
        self.patron_interest += float(debt_before @ model.client_rate)
        self.patron_balance += float(debt_before.sum())
        self.group_interest += float(group_debt_before.sum()) * p.group_interest
        self.group_balance += float(group_debt_before.sum())
        self.borrowed[t] = h.patron_borrowed > 0
        stage = g.stage[: g.n]
        if t <= self.end:
            self.dropped |= dropped_out(group_before, h.group, stage)
            self.ever_member |= h.group >= 0
            self.sizes.append(live_group_sizes(g.size[: g.n], stage))
            self.track_funds(model)
        if t == self.end:
            self.members_at_end = int(self.ever_member.sum())
            self.dropped_at_end = int(self.dropped.sum())
            self.stage_at_exit = stage.copy()
        if t == self.end + FADE_MONTHS:
            self.stage_after_exit = stage.copy()
        if t <= EFFECT_MONTH:
            self.member_by_effect |= h.group >= 0
            if t > EFFECT_MONTH - 12:
                self.income_window += h.income
        if t == EFFECT_MONTH:
            self.savings_at_effect = savings(model)

    def track_funds(self, model: VillageModel) -> None:
        """Running sum of each standing group's fund per member (Parida & Sinha's savings per member)."""
        g = model.groups
        n = g.n
        if len(self.fund_per_member_sum) < n:
            self.fund_per_member_sum = np.pad(self.fund_per_member_sum, (0, n - len(self.fund_per_member_sum)))
            self.fund_months = np.pad(self.fund_months, (0, n - len(self.fund_months)))
        standing = (g.stage[:n] != DISSOLVED) & (g.size[:n] > 0)
        self.fund_per_member_sum[:n][standing] += g.fund[:n][standing] / g.size[:n][standing]
        self.fund_months[:n][standing] += 1

    def borrower_share(self, first: int, last: int) -> float:
        """Share of households that borrowed from their patron at least once in months first..last."""
        if first < 1 or last > self.p.months or last < first:
            return NAN
        return float(self.borrowed[first : last + 1].any(axis=0).mean())

    def metrics(self, model: VillageModel) -> dict[str, float]:
        """The pattern quantities of one run that need no counterfactual."""
        g = model.groups
        sizes = np.concatenate(self.sizes) if self.sizes else np.zeros(0)
        founded = g.founded[: g.n] <= self.end
        dissolved = founded & (g.dissolved[: g.n] >= 0) & (g.dissolved[: g.n] <= self.end)
        patron_rate = weighted_rate(self.patron_interest, self.patron_balance)
        group_rate = weighted_rate(self.group_interest, self.group_balance)
        return {
            "group_size_mean": float(sizes.mean()) if len(sizes) else NAN,
            "group_size_median": float(np.median(sizes)) if len(sizes) else NAN,
            "groups_founded_programme": float(founded.sum()),
            "groups_dissolved_share_programme": share(float(dissolved.sum()), float(founded.sum())),
            "member_dropout_share": share(self.dropped_at_end, self.members_at_end),
            "patron_rate_charged": patron_rate,
            "group_rate_charged": group_rate,
            "rate_ratio": patron_rate / group_rate if group_rate > 0 else NAN,
            "patron_borrower_share_year1": self.borrower_share(1, 12),
            **after_exit(self),
            "savings_ratio_survivors": self.savings_ratio(g),
        }

    def savings_ratio(self, g) -> float:
        """Mean lifetime fund per member of groups standing at programme end over that of
        groups that dissolved during it (NaN when either set is empty)."""
        n = len(self.fund_months)
        if n == 0:
            return NAN
        lived = self.fund_months > 0
        mean = np.where(lived, self.fund_per_member_sum / np.maximum(self.fund_months, 1), NAN)
        dissolved = lived & (g.dissolved[:n] >= 0) & (g.dissolved[:n] <= self.end)
        survived = lived & ~dissolved
        if not dissolved.any() or not survived.any():
            return NAN
        low = float(np.mean(mean[dissolved]))
        return float(np.mean(mean[survived])) / low if low > 0 else NAN


def after_exit(trace: Trace) -> dict[str, float]:
    """Groups that stood at the programme's end and dissolved in the FADE_MONTHS after it,
    split by whether they had matured by then."""
    out = {
        "dissolved_after_exit_unmatured": NAN,
        "dissolved_after_exit_matured": NAN,
        "maturity_protection": NAN,
    }
    if trace.stage_at_exit is None or trace.stage_after_exit is None:
        return out
    at_exit = trace.stage_at_exit
    later = trace.stage_after_exit[: len(at_exit)]
    standing = at_exit != DISSOLVED
    gone = later == DISSOLVED
    for label, mask in (("matured", standing & (at_exit == MATURE)), ("unmatured", standing & (at_exit != MATURE))):
        out[f"dissolved_after_exit_{label}"] = share(float((gone & mask).sum()), float(mask.sum()))
    out["maturity_protection"] = out["dissolved_after_exit_unmatured"] - out["dissolved_after_exit_matured"]
    return out


def effects(trace: Trace, control: Trace, treated_share: np.ndarray, control_share: np.ndarray) -> dict[str, float]:
    """A programme's effects against the same village without one.

    Income, savings and patron borrowing are read at EFFECT_MONTH, as the NRLM evaluation
    did, for the households that had joined a group by then against the same households
    in the village without the programme (the same initial village). Patron borrowing is
    counted in months with new patron credit over the year to EFFECT_MONTH: whether a
    household borrowed at all in a year is near certain for the poor in both villages.
    The self-reliant share's effect is for the whole village, in points: a year in, at
    the programme's end and a year after it.
    """
    p = trace.p
    last = p.months
    out: dict[str, float] = {}
    joined = trace.member_by_effect
    if EFFECT_MONTH <= last and joined.any():
        first = EFFECT_MONTH - 11
        out["income_effect_30"] = relative_effect(
            trace.income_window[joined].mean(), control.income_window[joined].mean()
        )
        out["savings_effect_30"] = relative_effect(
            trace.savings_at_effect[joined].mean(), control.savings_at_effect[joined].mean()
        )
        out["patron_borrowing_effect_30"] = relative_effect(
            float(trace.borrowed[first : EFFECT_MONTH + 1, joined].sum(axis=0).mean()),
            float(control.borrowed[first : EFFECT_MONTH + 1, joined].sum(axis=0).mean()),
        )

    def gap(month: int) -> float:
        return float(treated_share[month] - control_share[month]) if month <= last else NAN

    out["self_reliant_effect_12"] = gap(EARLY_MONTH)
    out["self_reliant_effect_exit"] = gap(trace.end)
    out["self_reliant_effect_exit_12"] = gap(trace.end + PERSIST_MONTHS)
    exit_gain = out["self_reliant_effect_exit"]
    out["gain_persistence_12"] = out["self_reliant_effect_exit_12"] / exit_gain if exit_gain > 0 else NAN
    return out


EFFECT_METRICS = [
    "income_effect_30",
    "savings_effect_30",
    "patron_borrowing_effect_30",
    "self_reliant_effect_12",
    "self_reliant_effect_exit",
    "self_reliant_effect_exit_12",
    "gain_persistence_12",
]


def has_programme(model: VillageModel) -> bool:
    return model.p.strategy != "baseline" and model.p.n_facilitators > 0


def simulate(params: dict[str, Any], seed: int) -> tuple[dict[str, float], pd.DataFrame]:
    """One run with its pattern measures; the counterfactual village runs only where a
    programme does (same parameters and seed, no facilitators, so the same initial village)."""
    model = VillageModel(params, seed=seed)
    trace = Trace.record(model)
    metrics = {**model.summary(), **trace.metrics(model)}
    metrics.update(dict.fromkeys(EFFECT_METRICS, NAN))
    if has_programme(model):
        control_model = VillageModel(model.p, seed=seed, n_facilitators=0)
        control = Trace.record(control_model)
        column = COLUMNS.index("self_reliant_share")
        metrics.update(effects(trace, control, model.records[:, column], control_model.records[:, column]))
    return {key: float(value) for key, value in metrics.items()}, model.timeseries()
