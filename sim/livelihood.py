"""Submodel 1, livelihood, shocks and consumption.

Income is labour and trade plus what the household's unpawned land yields, with the
season and any boost from its group or network, plus the yield of its productive assets. A shock costs ``shock_size`` months of
subsistence; a patron insures part of a dependent client's loss (Scott's subsistence
insurance), which the client repays in obligation: dependency rises. Consumption follows
cash on hand by a buffer-stock rule with a floor: a household spends its permanent net
income (its assets' yield included) plus a share ``consumption_mpc`` of its net worth (its
productive assets included) above its target buffer, never
less than the floor (``consumption_floor`` of subsistence, or of its usual income where
that is below subsistence; it borrows for that, in credit) and never more than it holds.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from sim.extraction import effective_extraction
from sim.params import ECOTOURISM, ORGANIC


def saturating(full: float, members: int, half: float) -> float:
    """A channel's gain per member when ``members`` share a finite demand: full x K / (K + m)."""
    return full * half / (half + members)


def season_of(amplitude: float, month: int) -> float:
    """Income's seasonal factor in ``month``: 1 + amplitude sin(2 pi month / 12), with the C library's
    sine (NumPy's vectorised sine may differ in the last bit from one processor to another)."""
    return 1.0 + amplitude * math.sin(2 * math.pi * month / 12)


def land_income(model) -> np.ndarray:
    """What each household's unpawned land yields in a month (before the season)."""
    h = model.households
    return model.land_return * h.land * (1.0 - h.pawned)


def boosts(model) -> np.ndarray:
    """Income multiplier per household: market access of its group and its network's premiums,
    each premium shrinking as its network grows."""
    p, h, g = model.p, model.households, model.groups
    boost = np.ones(len(h))
    member = h.group >= 0
    if member.any():
        boost[member] += p.market_income * g.market_access[h.group[member]]
        organic = h.network == ORGANIC
        if organic.any():
            boost[organic] += saturating(p.organic_premium, int(organic.sum()), p.organic_channel)
        eco = h.network == ECOTOURISM
        n_eco = int(eco.sum())
        if n_eco >= p.ecotourism_min_members:
            boost[eco] += saturating(p.ecotourism_income, n_eco, p.ecotourism_channel)
    return boost


def asset_income(model) -> np.ndarray:
    """What each household's yielding productive assets bring in a month (docs/ODD.md 7.10)."""
    return model.p.asset_return * model.households.assets


def permanent_income(model, boost: np.ndarray) -> np.ndarray:
    """The net income a household expects in an ordinary month: no season, no shock, after rent,
    its assets' yield net of their depreciation."""
    p, h = model.p, model.households
    gross = (h.income_base + land_income(model)) * boost + (p.asset_return - p.asset_depreciation) * h.assets
    return gross * (1.0 - effective_extraction(model)[h.patron] * h.dependency)


def livelihood(model) -> None:
    """Income, shocks and patron insurance, consumption by the buffer-stock rule (docs/ODD.md 7.1).

    ``boosts`` and ``permanent_income`` state the same income equations for a reader; the month
    runs in ``live_on`` over the households at once.
    """
    p, h, g, pt = model.p, model.households, model.groups, model.patrons
    season = season_of(p.season_amplitude, model.month)
    live_on(
        h.group,
        h.network,
        h.patron,
        h.income_base,
        h.land,
        h.pawned,
        h.dependency,
        h.wealth,
        h.debt,
        h.group_debt,
        h.assets,
        h.assets_growing,
        h.income,
        h.consumption,
        h.usual_income,
        g.market_access,
        pt.capital,
        effective_extraction(model),
        model.rng.random(len(h)),
        season,
        model.land_return,
        p.asset_return,
        p.asset_depreciation,
        p.market_income,
        p.organic_premium,
        p.organic_channel,
        p.ecotourism_income,
        p.ecotourism_channel,
        p.ecotourism_min_members,
        p.shock_rate,
        p.shock_size,
        p.patron_insurance,
        p.borrow_dependency,
        p.consumption_mpc,
        p.buffer_stock,
        p.consumption_floor,
    )


@numba.njit(cache=True)
def live_on(
    group,
    network,
    patron,
    income_base,
    land,
    pawned,
    dependency,
    wealth,
    debt,
    group_debt,
    assets,
    assets_growing,
    income,
    consumption,
    usual_income,
    market_access,
    capital,
    extraction,
    draw,
    season,
    land_return,
    asset_return,
    asset_depreciation,
    market_income,
    organic_premium,
    organic_channel,
    ecotourism_income,
    ecotourism_channel,
    ecotourism_min_members,
    shock_rate,
    shock_size,
    patron_insurance,
    borrow_dependency,
    mpc,
    buffer_stock,
    consumption_floor,
):
    """One month of livelihood, household by household:

    boost_i  = 1 + market_income market_access_group + premium_network (saturating: full K / (K + members))
    income_i = (income_base_i + land_return land_i (1 - pawned_i)) season boost_i + asset_return assets_i
    loss_i   = shock_size [draw_i < shock_rate];  insured_i = patron_insurance dependency_i loss_i
    dependency_i += min(borrow_dependency insured_i, 1) (1 - dependency_i);  the patron pays insured_i
    cash_i   = wealth_i + income_i - loss_i + insured_i
    usual_i  = ((income_base_i + land income_i) boost_i + (asset_return - asset_depreciation) assets_i)
               (1 - e_patron(i) dependency_i)
    worth_i  = cash_i + assets_i + assets_growing_i - debts_i
    consumption_i = clip(usual_i + mpc (worth_i - buffer_stock usual_i),
                         consumption_floor min(usual_i, 1),  max(cash_i - e_patron(i) dependency_i income_i, floor))
    wealth_i = cash_i - consumption_i
    """
    m = len(group)
    members = organic = eco = 0
    for i in range(m):
        members += group[i] >= 0
        organic += network[i] == ORGANIC
        eco += network[i] == ECOTOURISM
    organic_gain = organic_premium * organic_channel / (organic_channel + organic) if members and organic else 0.0
    eco_gain = 0.0
    if members and eco >= ecotourism_min_members:
        eco_gain = ecotourism_income * ecotourism_channel / (ecotourism_channel + eco)
    insured_by = np.zeros(len(capital))
    for i in range(m):
        boost = 1.0
        if group[i] >= 0:
            boost += market_income * market_access[group[i]]
        if network[i] == ORGANIC:
            boost += organic_gain
        elif network[i] == ECOTOURISM:
            boost += eco_gain
        earning = income_base[i] + land_return * land[i] * (1.0 - pawned[i])
        income[i] = earning * season * boost + asset_return * assets[i]
        loss = shock_size * (draw[i] < shock_rate)
        insured = patron_insurance * dependency[i] * loss
        dependency[i] += min(borrow_dependency * insured, 1.0) * (1.0 - dependency[i])  # at most the whole gap
        insured_by[patron[i]] += insured
        cash = wealth[i] + income[i] - loss + insured
        kept = 1.0 - extraction[patron[i]] * dependency[i]
        usual = (earning * boost + (asset_return - asset_depreciation) * assets[i]) * kept
        usual_income[i] = usual
        worth = cash + assets[i] + assets_growing[i] - debt[i] - group_debt[i]
        wanted = usual + mpc * (worth - buffer_stock * usual)
        floor = consumption_floor * min(usual, 1.0)
        can = max(cash - (1.0 - kept) * income[i], floor)
        consumption[i] = min(max(wanted, floor), can)
        wealth[i] = cash - consumption[i]
    for j in range(len(capital)):
        capital[j] -= insured_by[j]
