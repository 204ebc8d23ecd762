"""Submodel 1, livelihood and shocks: income arrives with the season, shocks strike, a month is eaten."""

from __future__ import annotations

import numpy as np

from sim.params import NETWORKS

ORGANIC = NETWORKS.index("organic_market")
ECOTOURISM = NETWORKS.index("ecotourism")


def livelihood(model) -> None:
    p, h, g = model.p, model.households, model.groups
    season = 1.0 + p.season_amplitude * np.sin(2 * np.pi * model.month / 12)
    boost = np.ones(len(h))
    member = h.group >= 0
    if member.any():
        boost[member] += p.market_income * g.market_access[h.group[member]]
    boost[h.network == ORGANIC] += p.organic_premium
    eco = h.network == ECOTOURISM
    if eco.sum() >= p.ecotourism_min_members:
        boost[eco] += p.ecotourism_income
    h.income = h.income_base * season * boost
    shocked = model.rng.random(len(h)) < p.shock_rate
    h.wealth += h.income - 1.0 - p.shock_size * shocked
