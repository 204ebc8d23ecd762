"""A runner that also measures the field patterns of PATTERNS.md, and the catalogue of what it measures.

Same signature as ``experiments.runner.simulate``: ``(params, seed) -> (metrics, monthly)``.
Besides ``model.summary()`` it steps the model month by month and reads the state the
model's monthly columns cannot give: group sizes, groups that dissolve while
facilitated, member drop-out, the interest actually charged, who borrows from the
patron, land, and, where a programme runs, its effects against a paired baseline twin: the
same village (same parameters, same seed) with no facilitators, so the same initial
households and only what follows differs.

Every metric a target may name is in ``CATALOGUE``. A metric is one value per run (in
the runs table), or a family with one value per month (``name_<m>``, a column of the
monthly table read at month m) or per month after the programme's end
(``name_<k>``, read at month end + k). Targets and their sources live in
``analysis/targets.toml``; this module only measures.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.collect import gini
from sim.model import VillageModel
from sim.params import make_params
from sim.state import DISSOLVED, MATURE

NAN = math.nan
WINDOW = 12  # months over which flows (income, borrowing, interest) are read: a survey's recall year
FADE_MONTHS = 24  # what fades or lasts is read this long after the programme's end

RUN, MONTH, AFTER_EXIT = "run", "month", "after_exit"


@dataclass(frozen=True)
class Metric:
    """One entry of the catalogue: a run-level value, or a family indexed by month or by months after exit."""

    name: str
    index: str  # RUN, MONTH or AFTER_EXIT
    definition: str

    @property
    def label(self) -> str:
        return {RUN: self.name, MONTH: f"{self.name}_<m>", AFTER_EXIT: f"{self.name}_<k>"}[self.index]


# A money effect over a twin holding less than this per household counted (months of subsistence;
# for a windowed flow, summed over the window) is undefined: no survey could tell such a base from
# nothing, and a ratio over it explodes (one village's members' savings over a twin of 1e-17 gave an
# effect of 1.9e16). It can also blank a real but tiny base early in a run (members' patron debt in
# the first months, 2 of 192 runs in a referee's check); the rows read months 24 to 30.
MIN_BASE = 0.01


_EFFECT = "relative change, (programme - twin) / twin, where the twin is the same village and seed without a programme"
# A money sum (income, consumption, savings, patron debt; not a rate or a mean) over a near-empty twin.
_MONEY = f"{_EFFECT} (undefined where the twin holds less than {MIN_BASE} months of subsistence per household counted)"
_MEMBERS = "the same over the households that had ever been members by month m, against the same households in the twin"
_WINDOW = f"over the {WINDOW} months to month m"

METRICS: tuple[Metric, ...] = (
    Metric("group_size_mean", RUN, "Mean member count of standing groups, pooled over the programme's months."),
    Metric("group_size_median", RUN, "Median member count of standing groups, pooled over the programme's months."),
    Metric("groups_founded_programme", RUN, "Groups founded by the programme's end."),
    Metric(
        "groups_dissolved_share_programme",
        RUN,
        "Groups dissolved while facilitated: founded and dissolved by the programme's end, over groups founded.",
    ),
    Metric(
        "member_dropout_share",
        RUN,
        "Member drop-out: households that joined by the programme's end and left a group that still stood, "
        "over those that joined.",
    ),
    Metric(
        "patron_rate_charged",
        RUN,
        "Interest charged by patrons per unit of patron debt outstanding, per month, over the run.",
    ),
    Metric(
        "group_rate_charged",
        RUN,
        "Interest charged by groups per unit of group debt outstanding, per month, over the run.",
    ),
    Metric("rate_ratio", RUN, "patron_rate_charged over group_rate_charged."),
    Metric("programme_end", RUN, "The programme's last month (the horizon when it runs to the end)."),
    Metric("land_gini", RUN, "Gini coefficient of land among the households that hold any, in the initial village."),
    Metric("landless_share", RUN, "Share of households holding no land in the initial village."),
    Metric(
        "dissolved_after_exit_unmatured",
        RUN,
        f"Fading: share of the groups standing but not mature at the programme's end that dissolved within "
        f"{FADE_MONTHS} months of it.",
    ),
    Metric(
        "dissolved_after_exit_matured",
        RUN,
        f"Share of the groups mature at the programme's end that dissolved within {FADE_MONTHS} months of it.",
    ),
    Metric(
        "maturity_protection",
        RUN,
        "Maturity protection: dissolved_after_exit_unmatured minus dissolved_after_exit_matured (undefined "
        "when no group matured).",
    ),
    Metric(
        "savings_ratio_survivors",
        RUN,
        "Lifetime mean fund per member of groups standing at the programme's end over that of groups that "
        "dissolved during it.",
    ),
    Metric("patron_borrower_share", MONTH, f"Share of households that took new patron credit at least once {_WINDOW}."),
    Metric("patron_rate", MONTH, f"Interest charged by patrons per unit of patron debt {_WINDOW}."),
    Metric("in_group_share", MONTH, "Share of households in a group at month m (also in the baseline)."),
    Metric("self_reliant_share", MONTH, "Share of households self-reliant at month m."),
    Metric("groups_mature_share", MONTH, "Mature groups at month m among the groups ever founded by then."),
    Metric("wealth_gini", MONTH, "Gini coefficient of household wealth (cash and productive assets) at month m."),
    Metric("consumption_gini", MONTH, "Gini coefficient of household consumption in month m."),
    Metric("poverty_share", MONTH, "Share of households consuming less than subsistence in month m."),
    Metric("high_cost_debt_share", MONTH, "Share of households owing at a monthly rate of 3% or more at month m."),
    Metric("income_effect", MONTH, f"Village income {_WINDOW}: {_MONEY}."),
    Metric("income_effect_members", MONTH, f"income_effect, {_MEMBERS}."),
    Metric(
        "savings_effect", MONTH, f"Village savings (cash plus members' shares of group funds) at month m: {_MONEY}."
    ),
    Metric("savings_effect_members", MONTH, f"savings_effect, {_MEMBERS}."),
    Metric("consumption_effect", MONTH, f"Village consumption {_WINDOW}: {_MONEY}."),
    Metric("consumption_effect_members", MONTH, f"consumption_effect, {_MEMBERS}."),
    Metric(
        "consumption_effect_poorest40",
        MONTH,
        f"Mean consumption of the poorest 40% of households (by that month's consumption) {_WINDOW}: {_EFFECT}.",
    ),
    Metric("patron_borrowing_effect", MONTH, f"Patron debt outstanding, summed {_WINDOW}: {_MONEY}."),
    Metric("patron_borrowing_effect_members", MONTH, f"patron_borrowing_effect, {_MEMBERS}."),
    Metric(
        "patron_rate_effect",
        MONTH,
        f"The rate patrons actually charge (interest over patron debt {_WINDOW}): {_EFFECT}.",
    ),
    Metric("patron_rate_effect_members", MONTH, f"patron_rate_effect, {_MEMBERS}."),
    Metric(
        "self_reliant_effect",
        MONTH,
        "Self-reliant share at month m, programme minus twin, in shares (0.02 = 2 points).",
    ),
    Metric("self_reliant_effect_members", MONTH, f"self_reliant_effect, {_MEMBERS}."),
    Metric(
        "group_survival_after_exit",
        AFTER_EXIT,
        "Share of the groups standing at the programme's end still standing k months later.",
    ),
    Metric(
        "self_reliant_effect_after_exit",
        AFTER_EXIT,
        "self_reliant_effect k months after the programme's end (k = 0: at its end).",
    ),
    Metric(
        "consumption_effect_members_after_exit",
        AFTER_EXIT,
        "consumption_effect_members k months after the programme's end.",
    ),
    Metric(
        "consumption_growth_after_exit",
        AFTER_EXIT,
        "consumption_effect_members k months after the programme's end minus consumption_effect_members at its "
        "end (0.1 = 10 points more): whether the gain grew after exit.",
    ),
    Metric(
        "gain_persistence",
        AFTER_EXIT,
        "self_reliant_effect k months after the programme's end over self_reliant_effect at its end "
        "(undefined when the latter is not positive).",
    ),
)
CATALOGUE = {m.name: m for m in METRICS}
_INDEXED = re.compile(r"^(?P<family>.+)_(?P<index>\d+)$")


def parse_metric(name: str) -> tuple[Metric, int | None]:
    """A target's metric name -> (catalogue entry, month or months after exit); KeyError when unknown."""
    metric = CATALOGUE.get(name)
    if metric is not None and metric.index == RUN:
        return metric, None
    match = _INDEXED.match(name)
    if match:
        family = CATALOGUE.get(match["family"])
        if family is not None and family.index != RUN:
            return family, int(match["index"])
    raise KeyError(name)


def catalogue_text() -> str:
    """Every metric with its definition, one per paragraph (``validate-patterns --list-metrics``)."""
    lines = ["<m>: any month of the run (0 is the initial state); <k>: months after the programme's end.", ""]
    for metric in METRICS:
        lines.append(f"{metric.label}\n    {metric.definition}")
    return "\n".join(lines) + "\n"


def dropped_out(group_before: np.ndarray, group_after: np.ndarray, stage_after: np.ndarray) -> np.ndarray:
    """Members who left a group that still stands (leaving a dissolved group is not drop-out)."""
    left = (group_before >= 0) & (group_after != group_before)
    standing = np.zeros_like(left)
    standing[left] = stage_after[group_before[left]] != DISSOLVED
    return left & standing


def live_group_sizes(size: np.ndarray, stage: np.ndarray) -> np.ndarray:
    """Member counts of the groups that stand and have members."""
    return size[(stage != DISSOLVED) & (size > 0)]


def ratio(part: np.ndarray | float, whole: np.ndarray | float) -> np.ndarray | float:
    """part / whole, NaN where whole is not positive (or either is undefined)."""
    part, whole = np.asarray(part, dtype=float), np.asarray(whole, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(whole > 0, part / np.where(whole > 0, whole, 1.0), NAN)
    return out if out.ndim else float(out)


def relative_effect(
    treated: np.ndarray | float, control: np.ndarray | float, households: np.ndarray | float = 0.0
) -> np.ndarray | float:
    """treated / control - 1, NaN where the control is not above MIN_BASE per household (not positive
    without ``households``) or either is undefined."""
    control = np.asarray(control, dtype=float)
    base = np.where(control > MIN_BASE * np.asarray(households, dtype=float), control, NAN)
    out = ratio(treated, base) - 1.0
    return out if np.ndim(out) else float(out)


def windowed(values: np.ndarray, window: int = WINDOW) -> np.ndarray:
    """Sum of rows max(1, m - window + 1)..m for every month m (rows are months; row 0, the start, is no flow)."""
    total = np.cumsum(values, axis=0)
    total -= values[:1]  # row 0 holds the initial state, not a month's flow
    out = total.copy()
    out[window:] -= total[:-window]
    return out


def savings(model: VillageModel) -> np.ndarray:
    """Each household's savings: its own cash plus, for a member, its share of the group fund."""
    h, g = model.households, model.groups
    held = np.maximum(h.wealth, 0.0)
    member = h.group >= 0
    held[member] += g.fund[h.group[member]] / np.maximum(g.size[h.group[member]], 1)
    return held


class Trace:
    """What one run leaves behind month by month, per household and per group, beyond the monthly table."""

    def __init__(self, model: VillageModel) -> None:
        p = model.p
        months = p.months
        n = model.n_households
        self.p = p
        self.end = min(p.programme_months, months)
        shape = (months + 1, n)
        self.income = np.zeros(shape)
        self.consumption = np.zeros(shape)
        self.poorest40 = np.zeros(months + 1)
        self.savings = np.zeros(shape)
        self.patron_debt = np.zeros(shape)
        self.interest = np.zeros(shape)  # patron interest accrued in month t
        self.balance = np.zeros(shape)  # patron debt it accrued on
        self.borrowed = np.zeros(shape, dtype=bool)
        self.member = np.zeros(shape, dtype=bool)
        self.self_reliant = np.zeros(shape, dtype=bool)
        self.mature_share = np.full(months + 1, NAN)
        self.survival = np.full(months + 1, NAN)
        self.sizes: list[np.ndarray] = []
        self.ever_member = np.zeros(n, dtype=bool)
        self.dropped = np.zeros(n, dtype=bool)
        self.members_at_end = 0
        self.dropped_at_end = 0
        self.group_interest = self.group_balance = 0.0
        self.fund_per_member_sum = np.zeros(0)
        self.fund_months = np.zeros(0)
        self.stage_at_exit: np.ndarray | None = None
        self.stage_after_exit: np.ndarray | None = None
        land = model.households.land
        self.land_gini = gini(land[land > 0])
        self.landless_share = float(np.mean(land <= 0))
        self.observe(model)

    @classmethod
    def record(cls, model: VillageModel) -> Trace:
        """Run the model to its horizon, one month at a time, tracing as it goes."""
        trace = cls(model)
        while model.running:
            trace.step(model)
        return trace

    def observe(self, model: VillageModel) -> None:
        """The state at the end of month ``model.month`` (month 0: the initial village)."""
        h, g, t = model.households, model.groups, model.month
        self.savings[t] = savings(model)
        self.consumption[t] = h.consumption
        self.poorest40[t] = model.consumption_poorest40
        self.patron_debt[t] = h.debt
        self.member[t] = h.group >= 0
        self.self_reliant[t] = h.self_reliance >= model.p.self_reliance_threshold
        n = g.n
        self.mature_share[t] = ratio(np.count_nonzero(g.stage[:n] == MATURE), n)
        if self.stage_at_exit is not None:
            was = self.stage_at_exit != DISSOLVED
            self.survival[t] = ratio(np.count_nonzero(was & (g.stage[: len(was)] != DISSOLVED)), was.sum())

    def step(self, model: VillageModel) -> None:
        h, g, p = model.households, model.groups, model.p
        debt_before = h.debt.copy()
        group_debt_before = h.group_debt.sum()
        group_before = h.group.copy()
        model.step()
        t = model.month
        self.income[t] = h.income
        self.interest[t] = debt_before * model.client_rate  # the rate each client was charged this month
        self.balance[t] = debt_before
        self.group_interest += group_debt_before * p.group_interest
        self.group_balance += group_debt_before
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
        self.observe(model)

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

    def metrics(self, model: VillageModel) -> dict[str, float]:
        """The run-level pattern quantities."""
        g = model.groups
        sizes = np.concatenate(self.sizes) if self.sizes else np.zeros(0)
        founded = g.founded[: g.n] <= self.end
        # during the programme: from month 1 (the burn-in ends with month 0) to its end
        dissolved = founded & (g.dissolved[: g.n] > 0) & (g.dissolved[: g.n] <= self.end)
        patron_rate = ratio(self.interest.sum(), self.balance.sum())
        group_rate = ratio(self.group_interest, self.group_balance)
        return {
            "group_size_mean": float(sizes.mean()) if len(sizes) else NAN,
            "group_size_median": float(np.median(sizes)) if len(sizes) else NAN,
            "groups_founded_programme": float(founded.sum()),
            "groups_dissolved_share_programme": ratio(float(dissolved.sum()), float(founded.sum())),
            "member_dropout_share": ratio(self.dropped_at_end, self.members_at_end),
            "patron_rate_charged": patron_rate,
            "group_rate_charged": group_rate,
            "rate_ratio": ratio(patron_rate, group_rate),
            "programme_end": float(self.end),
            "land_gini": self.land_gini,
            "landless_share": self.landless_share,
            **after_exit(self),
            "savings_ratio_survivors": self.savings_ratio(g),
        }

    def monthly(self) -> dict[str, np.ndarray]:
        """The month-indexed families measured in every run."""
        return {
            "patron_borrower_share": windowed(self.borrowed.astype(float)).clip(max=1.0).mean(axis=1),
            "patron_rate": ratio(windowed(self.interest.sum(axis=1)), windowed(self.balance.sum(axis=1))),
            "groups_mature_share": self.mature_share,
            "group_survival_after_exit": self.survival,
        }

    def savings_ratio(self, g) -> float:
        """Mean lifetime fund per member of groups standing at programme end over that of
        groups that dissolved during it (NaN when either set is empty)."""
        n = len(self.fund_months)
        if n == 0:
            return NAN
        lived = self.fund_months > 0
        mean = np.where(lived, self.fund_per_member_sum / np.maximum(self.fund_months, 1), NAN)
        dissolved = lived & (g.dissolved[:n] > 0) & (g.dissolved[:n] <= self.end)
        survived = lived & ~dissolved
        if not dissolved.any() or not survived.any():
            return NAN
        return ratio(float(np.mean(mean[survived])), float(np.mean(mean[dissolved])))


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
        out[f"dissolved_after_exit_{label}"] = ratio(float((gone & mask).sum()), float(mask.sum()))
    out["maturity_protection"] = out["dissolved_after_exit_unmatured"] - out["dissolved_after_exit_matured"]
    return out


def effects(trace: Trace, twin: Trace) -> dict[str, np.ndarray]:
    """A programme's effects, month by month, against its twin without a programme.

    Money is compared as a relative change of sums (equal to that of means over the same
    households), over the whole village and over the households that had ever been
    members by the month (``_members``), the same households in both villages. The
    self-reliant share is compared as a difference.
    """
    ever = np.logical_or.accumulate(trace.member, axis=0)
    members = ever.sum(axis=1)

    def over(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return values.sum(axis=1), (values * ever).sum(axis=1)

    out: dict[str, np.ndarray] = {}

    def money(name: str, treated: np.ndarray, control: np.ndarray) -> None:
        counts = (np.full(len(members), ever.shape[1]), members)
        for suffix, t, c, n in zip(("", "_members"), over(treated), over(control), counts, strict=True):
            out[f"{name}{suffix}"] = relative_effect(t, c, n)

    money("income_effect", windowed(trace.income), windowed(twin.income))
    money("consumption_effect", windowed(trace.consumption), windowed(twin.consumption))
    out["consumption_effect_poorest40"] = relative_effect(windowed(trace.poorest40), windowed(twin.poorest40))
    money("savings_effect", trace.savings, twin.savings)
    money("patron_borrowing_effect", windowed(trace.patron_debt), windowed(twin.patron_debt))
    for suffix, index in (("", 0), ("_members", 1)):
        rate_t = ratio(windowed(over(trace.interest)[index]), windowed(over(trace.balance)[index]))
        rate_c = ratio(windowed(over(twin.interest)[index]), windowed(over(twin.balance)[index]))
        out[f"patron_rate_effect{suffix}"] = relative_effect(rate_t, rate_c)
    gap = trace.self_reliant.astype(float) - twin.self_reliant.astype(float)
    village, among_members = over(gap)
    out["self_reliant_effect"] = village / gap.shape[1]
    out["self_reliant_effect_members"] = ratio(among_members, members)
    return out


EFFECTS = [m.name for m in METRICS if m.index == MONTH and "_effect" in m.name]


def has_programme(p) -> bool:
    """Whether parameters ``p`` run a programme (a strategy with facilitators), so effects have a twin."""
    return p.strategy != "baseline" and p.n_facilitators > 0


def simulate(params: dict[str, Any], seed: int) -> tuple[dict[str, float], pd.DataFrame]:
    """One run with its pattern measures; the twin runs only where a programme does (same
    parameters and seed, no facilitators, so the same burned-in village, forked)."""
    model = VillageModel.shared(params, seed)
    trace = Trace.record(model)
    metrics = {**model.summary(), **trace.metrics(model)}
    monthly = model.timeseries()
    for name, values in trace.monthly().items():
        monthly[name] = values
    twin = (
        Trace.record(VillageModel.shared(make_params(model.p, n_facilitators=0), seed))
        if has_programme(model.p)
        else None
    )
    measured = effects(trace, twin) if twin is not None else {}
    for name in EFFECTS:
        monthly[name] = measured.get(name, np.full(len(monthly), NAN))
    return {key: float(value) for key, value in metrics.items()}, monthly
