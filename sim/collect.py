"""Submodel 9, collect data: one row of the monthly outputs, and the end-of-run summary (MODEL.md §6)."""

from __future__ import annotations

import math
from collections.abc import Callable

import numba
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
    "assets_horizon",
]

# Households owing at this monthly rate or more carry high-cost debt.
HIGH_COST_RATE = 0.03
# Months over which an outside facilitator's contact counts towards coverage.
COVERAGE_MONTHS = 12


def gini(values: np.ndarray, presorted: bool = False) -> float:
    """Gini coefficient of a non-negative array (0 when everyone holds the same)."""
    return gini_of_sorted(values if presorted else np.sort(values))


@numba.njit(cache=True)
def gini_of_sorted(x):
    """G = 2 sum_i i x_(i) / (n sum_i x_i) - (n + 1) / n over the sorted values, floored at 0."""
    n = len(x)
    total = weighted = 0.0
    for i in range(n):
        total += x[i]
        weighted += (i + 1) * x[i]
    if total <= 0:
        return 0.0
    return max(0.0, 2.0 * weighted / (n * total) - (n + 1) / n)


# Float keys as unsigned integers in the same order (``sorted_copy``).
SIGN = np.uint64(1 << 63)
ALL_BITS = np.uint64(0xFFFFFFFFFFFFFFFF)
BYTE = np.uint64(0xFF)
# ``sorted_copy`` orders by this many of the keys' highest varying bits, then finishes by insertion.
RADIX_BITS = 24


@numba.njit(cache=True)
def radix_pass(keys, out, shift, count):
    """One stable counting pass of an LSD radix sort: ``keys`` into ``out`` by the byte at ``shift``."""
    count[:] = 0
    for i in range(len(keys)):
        count[((keys[i] >> shift) & BYTE) + 1] += 1
    for b in range(1, len(count)):
        count[b] += count[b - 1]
    for i in range(len(keys)):
        b = (keys[i] >> shift) & BYTE
        out[count[b]] = keys[i]
        count[b] += 1


@numba.njit(cache=True)
def sorted_copy(x):
    """``np.sort(x)``'s values, sorted without numba's quicksort, whose branches the processor cannot
    predict on a village's values: inside a run its two sorts took about 110 µs of a default month's
    255 µs (benchmarks/README.md, "Sorting without a quicksort").

    Each value's bits become an unsigned key in the values' order (the sign bit flipped, or every
    bit for a negative value); radix passes of a byte order the keys by their ``RADIX_BITS``
    highest varying bits, so the rest is nearly sorted, and an insertion sort finishes it. Where
    values crowd below those bits (more than ``4 n`` moves), every byte is sorted by radix instead. The sorted values of an array are unique, so the Ginis are bit for bit those of
    ``np.sort`` (only -0.0 and 0.0, equal, may stand in another order); with a NaN it is ``np.sort``.
    """
    n = len(x)
    keys = np.empty(n, np.uint64)
    bits = x.view(np.uint64)
    common, varying = ALL_BITS, np.uint64(0)
    for i in range(n):
        if x[i] != x[i]:
            return np.sort(x)
        k = bits[i] ^ ALL_BITS if bits[i] & SIGN else bits[i] ^ SIGN
        keys[i] = k
        common &= k
        varying |= k
    varying ^= common
    top = 0
    while top < 64 and varying >> np.uint64(top) > 0:
        top += 1
    low = max(top - RADIX_BITS, 0)
    other = np.empty(n, np.uint64)
    count = np.empty(257, np.int64)
    for shift in range(low, top, 8):
        radix_pass(keys, other, np.uint64(shift), count)
        keys, other = other, keys
    budget = 4 * n
    for i in range(1, n if low > 0 else 0):
        k = keys[i]
        j = i
        while j > 0 and k < keys[j - 1]:
            keys[j] = keys[j - 1]
            j -= 1
        keys[j] = k
        budget -= i - j
        if budget < 0:  # crowded below the top bits: every byte by radix (stable, so the order so far is kept)
            for shift in range(0, top, 8):
                radix_pass(keys, other, np.uint64(shift), count)
                keys, other = other, keys
            break
    out = np.empty(n)
    back = out.view(np.uint64)
    for i in range(n):
        back[i] = keys[i] ^ SIGN if keys[i] & SIGN else keys[i] ^ ALL_BITS
    return out


# Slots of the one-pass tally of household columns (``tally``).
(
    DEPENDENCY,
    AWARENESS,
    SKILLS,
    TRUST,
    SELF_RELIANCE,
    SELF_RELIANT,
    IN_GROUP,
    CONSUMPTION,
    POOR,
    PATRON_DEBT,
    HIGH_COST,
    COVERED,
    ASSETS,
) = range(13)


@numba.njit(cache=True)
def tally(
    group,
    wealth,
    debt,
    group_debt,
    assets,
    assets_growing,
    management,
    skills,
    dependency,
    awareness,
    trust,
    consumption,
    client_rate,
    last_contact,
    self_reliance,
    group_management,
    fund,
    size,
    group_stage,
    month,
    buffer_target,
    dependency_discount,
    threshold,
    group_high_cost,
    coverage_months,
):
    """One pass over the households: their self-reliance, and every sum and count a month's outputs need;
    then the groups by stage.

    Self-reliance is seed 004's three dimensions, material, intellectual, managerial, discounted by
    dependency. Material: net worth against the buffer target, where net worth counts a member's
    share of its group's fund (its savings are its own) and its productive assets, and subtracts what
    it owes. Managerial:
    the household's own capacity, or its group's management where that is higher, so
    self-reliance can exist outside a group.

        worth_i = wealth_i + assets_i + assets_growing_i - debt_i - group_debt_i (+ fund_g / size_g for a member)
        self_reliance_i = (clip(worth_i / buffer_target, 0, 1) + skills_i + max(management_i, management_g))
                          / 3 (1 - dependency_discount dependency_i)
    """
    t = np.zeros(13)
    for i in range(len(group)):
        k = group[i]
        managerial = management[i]
        held = assets[i] + assets_growing[i]
        worth = wealth[i] + held - debt[i] - group_debt[i]
        if k >= 0:
            managerial = max(managerial, group_management[k])
            worth += fund[k] / max(size[k], 1)
            t[IN_GROUP] += 1
        material = min(max(worth / buffer_target, 0.0), 1.0)
        sr = (material + skills[i] + managerial) / 3.0 * (1.0 - dependency_discount * dependency[i])
        self_reliance[i] = sr
        t[DEPENDENCY] += dependency[i]
        t[AWARENESS] += awareness[i]
        t[SKILLS] += skills[i]
        t[TRUST] += trust[i]
        t[SELF_RELIANCE] += sr
        t[SELF_RELIANT] += sr >= threshold
        t[CONSUMPTION] += consumption[i]
        t[POOR] += consumption[i] < 1.0
        t[PATRON_DEBT] += debt[i]
        t[HIGH_COST] += (debt[i] > 0 and client_rate[i] >= HIGH_COST_RATE) or (group_debt[i] > 0 and group_high_cost)
        t[COVERED] += month - last_contact[i] < coverage_months
        t[ASSETS] += held
    stages = np.zeros(4, dtype=np.int64)
    for k in range(len(group_stage)):
        stages[group_stage[k]] += 1
    return t, stages


class Month:
    """What this month's reporters share: the one-pass tally, the groups by stage, the spread of
    wealth and consumption, and the village's usual income (fixed through a run, so computed once)."""

    __slots__ = ("model", "n", "total", "stages", "spread", "usual_income")

    def __init__(self, model) -> None:
        p, h, g = model.p, model.households, model.groups
        self.model = model
        self.n = len(h)
        self.total, self.stages = tally(
            h.group,
            h.wealth,
            h.debt,
            h.group_debt,
            h.assets,
            h.assets_growing,
            h.management,
            h.skills,
            h.dependency,
            h.awareness,
            h.trust,
            h.consumption,
            model.client_rate,
            h.last_contact,
            h.self_reliance,
            g.management,
            g.fund,
            g.size,
            g.stage[: g.n],
            model.month,
            p.buffer_target,
            p.dependency_discount,
            p.self_reliance_threshold,
            p.group_interest >= HIGH_COST_RATE,
            COVERAGE_MONTHS,
        )
        # wealth held: cash and productive assets (yielding and still growing); issue 25's assets are
        # where members' savings go, so cash alone would read investing as inequality
        held = h.wealth + h.assets
        held += h.assets_growing  # one array a month, not two
        self.spread = spread(held, h.consumption)
        if model.usual_income is None:
            model.usual_income = float(np.mean(h.income_base + model.land_return * h.land))
        self.usual_income = model.usual_income

    def mean(self, slot: int) -> float:
        return self.total[slot] / self.n


# The monthly outputs, each name beside its computation (Mesa's DataCollector convention);
# the order is the column order of ``timeseries()``; definitions in docs/ODD.md, Outputs.
REPORTERS: dict[str, Callable[[Month], float]] = {
    "month": lambda s: s.model.month,
    "dependency": lambda s: s.mean(DEPENDENCY),
    "awareness": lambda s: s.mean(AWARENESS),
    "skills": lambda s: s.mean(SKILLS),
    "trust": lambda s: s.mean(TRUST),
    "self_reliance": lambda s: s.mean(SELF_RELIANCE),
    "self_reliant_share": lambda s: s.mean(SELF_RELIANT),  # self_reliance >= self_reliance_threshold
    "in_group_share": lambda s: s.mean(IN_GROUP),
    "groups_forming": lambda s: s.stages[FORMING],
    "groups_active": lambda s: s.stages[ACTIVE],
    "groups_mature": lambda s: s.stages[MATURE],
    "groups_dissolved": lambda s: s.model.groups_dissolved,
    "patron_rent": lambda s: s.model.rent_this_month / s.n,
    "wealth_gini": lambda s: s.spread[0],
    "facilitator_months": lambda s: s.model.facilitator_months,
    "internal_facilitators": lambda s: np.count_nonzero(s.model.team.live("internal") & s.model.team.live("in_field")),
    "consumption": lambda s: s.mean(CONSUMPTION),
    "consumption_gini": lambda s: s.spread[1],
    "poverty_share": lambda s: s.mean(POOR),  # consumption below subsistence (1.0)
    "patron_debt": lambda s: s.mean(PATRON_DEBT),
    "high_cost_debt_share": lambda s: s.mean(HIGH_COST),  # owing at >= HIGH_COST_RATE a month
    "coverage": lambda s: s.mean(COVERED),  # met by an outside facilitator in the last COVERAGE_MONTHS
    "assets": lambda s: s.mean(ASSETS) / s.usual_income,  # productive assets, in months of usual income
}
COLUMNS = list(REPORTERS)
INTEGER_COLUMNS = (
    "month",
    "groups_forming",
    "groups_active",
    "groups_mature",
    "groups_dissolved",
    "internal_facilitators",
)


@numba.njit(cache=True)
def spread_of(wealth, consumption):
    """From wealth and consumption sorted ascending: both Ginis and the poorest 40%'s mean consumption."""
    k = max(1, int(round(0.4 * len(consumption))))
    return np.array([gini_of_sorted(wealth), gini_of_sorted(consumption), consumption[:k].sum() / k])


# From this many households on, the Ginis come from a fine histogram (``binned_spread``), not two
# sorts a month: at 6,000 the histogram took 54 µs a month against 328 µs for the sorts, its bound
# at most 4e-5; at the default 960 its bound is too wide, so it would sort anyway (benchmarks/README.md).
BINNED_FROM = 5_000
HOUSEHOLDS_PER_BIN = 16
# The histogram's Gini is kept only where its error bound is below this; else the values are sorted.
GINI_ERROR = 1e-4


@numba.njit(cache=True)
def histogram(x, bins):
    """Equal bins over [min, max] of ``x``: lowest value, bins per unit, and per bin the count,
    sum, least and largest value (the lowest value NaN where a value is not finite, and no bins)."""
    lo = hi = x[0]
    for v in x:
        if not np.isfinite(v):
            return np.nan, 0.0, np.zeros(0, np.int64), np.zeros(0), np.zeros(0), np.zeros(0)
        lo = min(lo, v)
        hi = max(hi, v)
    scale = bins / (hi - lo) if hi > lo else 0.0
    count = np.zeros(bins, dtype=np.int64)
    sums = np.zeros(bins)
    least = np.full(bins, np.inf)
    most = np.full(bins, -np.inf)
    for v in x:
        b = min(int((v - lo) * scale), bins - 1)
        count[b] += 1
        sums[b] += v
        least[b] = min(least[b], v)
        most[b] = max(most[b], v)
    return lo, scale, count, sums, least, most


@numba.njit(cache=True)
def binned_gini(count, sums, least, most):
    """The Gini coefficient from a histogram (``histogram``), without sorting, and a bound on its error.

    With bins in order, c_b values in bin b between m_b and M_b summing to s_b, and R_b values
    in the bins below, the sorted sum sum_i (2i - n - 1) x_(i) is
    sum_b (2 R_b + c_b - n) s_b + 2 D_b, where 0 <= D_b <= (M_b - m_b) c_b^2 / 8 is the part
    that depends on the order inside bin b (zero where a bin holds one value, or equal ones).
    Returns the midpoint G = sum_b (2 R_b + c_b - n) s_b / (n S) + E / 2, with S the total and
    E = sum_b (M_b - m_b) c_b^2 / (4 n S), and E / 2, the most G can be off.
    """
    n = count.sum()
    total = sums.sum()
    if total <= 0.0:
        return 0.0, 0.0
    below = 0
    weighted = spread = 0.0
    for b in range(len(count)):
        c = count[b]
        if c:
            weighted += (2 * below + c - n) * sums[b]
            spread += (most[b] - least[b]) * c * c
            below += c
    error = spread / (4.0 * n * total)
    return max(0.0, weighted / (n * total) + error / 2.0), error / 2.0


@numba.njit(cache=True)
def binned_spread(wealth, consumption, bins, poorest_share):
    """Both Ginis with their error bounds (``binned_gini``) and the mean of the poorest
    ``poorest_share`` of consumption: the bins below the cut summed, only the bin holding the
    cut sorted. NaN and infinite bounds where a value is not finite."""
    out = np.full(5, np.nan)
    out[1] = out[3] = np.inf
    lo, scale, count, sums, least, most = histogram(wealth, bins)
    if np.isnan(lo):
        return out
    out[0], out[1] = binned_gini(count, sums, least, most)
    lo, scale, count, sums, least, most = histogram(consumption, bins)
    if np.isnan(lo):
        return out
    out[2], out[3] = binned_gini(count, sums, least, most)
    k = max(1, int(round(poorest_share * len(consumption))))
    below, total, cut = 0, 0.0, 0
    while below + count[cut] < k:
        below += count[cut]
        total += sums[cut]
        cut += 1
    inside = np.empty(count[cut])
    j = 0
    for v in consumption:
        if min(int((v - lo) * scale), bins - 1) == cut:
            inside[j] = v
            j += 1
    inside = sorted_copy(inside)
    out[4] = (total + inside[: k - below].sum()) / k
    return out


@numba.njit(cache=True)
def spread(wealth, consumption):
    """Wealth Gini, consumption Gini and the poorest 40%'s mean consumption.

    Below ``BINNED_FROM`` households from the sorted values (``spread_of``); from there from
    ``binned_spread``: each Gini within ``GINI_ERROR`` of the sorted values' (sorted where its
    bound is wider), the poorest 40% the same sum as the sorted values' in another order.
    """
    if len(wealth) < BINNED_FROM:
        return spread_of(sorted_copy(wealth), sorted_copy(consumption))
    binned = binned_spread(wealth, consumption, len(wealth) // HOUSEHOLDS_PER_BIN, 0.4)
    if max(binned[1], binned[3]) > GINI_ERROR:  # a bound is infinite where a value is not finite
        return spread_of(sorted_copy(wealth), sorted_copy(consumption))
    return np.array([binned[0], binned[2], binned[4]])


def collect(model) -> None:
    """This month's row of outputs: one pass over the households (``tally``), then each reporter."""
    month = Month(model)
    model.records[model.month] = [report(month) for report in REPORTERS.values()]
    model.consumption_poorest40 = float(month.spread[2])


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
        "assets_horizon": float(records[-1, COLUMNS.index("assets")]),
    }
