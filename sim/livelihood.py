"""Submodel 1, livelihood, shocks and consumption.

Income is labour and trade plus what the household's unpawned land yields, with the
season and any boost from its group or network. A shock costs ``shock_size`` months of
subsistence; a patron insures part of a dependent client's loss (Scott's subsistence
insurance), which the client repays in obligation: dependency rises. Consumption follows
cash on hand by a buffer-stock rule with a floor: a household spends its permanent net
income plus a share ``consumption_mpc`` of its net worth above its target buffer, never
less than the floor (``consumption_floor`` of subsistence, or of its usual income where
that is below subsistence; it borrows for that, in credit) and never more than it holds.
"""

from __future__ import annotations

import numpy as np

from sim.extraction import effective_extraction
from sim.params import NETWORKS

ORGANIC = NETWORKS.index("organic_market")
ECOTOURISM = NETWORKS.index("ecotourism")


def saturating(full: float, members: int, half: float) -> float:
    """A channel's gain per member when ``members`` share a finite demand: full x K / (K + m)."""
    return full * half / (half + members)


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


def permanent_income(model, boost: np.ndarray) -> np.ndarray:
    """The net income a household expects in an ordinary month: no season, no shock, after rent."""
    h = model.households
    gross = (h.income_base + land_income(model)) * boost
    return gross * (1.0 - effective_extraction(model)[h.patron] * h.dependency)


def livelihood(model) -> None:
    p, h, pt = model.p, model.households, model.patrons
    season = 1.0 + p.season_amplitude * np.sin(2 * np.pi * model.month / 12)
    boost = boosts(model)
    h.income = (h.income_base + land_income(model)) * season * boost

    shocked = model.rng.random(len(h)) < p.shock_rate
    loss = p.shock_size * shocked
    insured = p.patron_insurance * h.dependency * loss
    h.dependency += p.borrow_dependency * insured * (1.0 - h.dependency)
    pt.capital -= np.bincount(h.patron, insured, minlength=len(pt))
    cash = h.wealth + h.income - loss + insured

    usual = permanent_income(model, boost)
    worth = cash - h.debt - h.group_debt
    wanted = usual + p.consumption_mpc * (worth - p.buffer_stock * usual)
    floor = p.consumption_floor * np.minimum(usual, 1.0)
    rent = h.income - usual * season  # what extraction will take this month, roughly
    can = np.maximum(cash - np.maximum(rent, 0.0), floor)
    h.consumption = np.clip(wanted, floor, can)
    h.wealth = cash - h.consumption
