"""Submodel 7, group life: saving, cohesion, learning, drop-out, maturing and dissolving.

Members save into the fund. Cohesion follows the benefits members see: the mean of
the group's effective management, its fund per member (against the maturity target),
outside support and its members' awareness, plus a bonus where the place reached the
organisation stage (a federation, Parida & Sinha 2010) and one for ecotourism groups
once their network is big enough to earn, with month-to-month noise.
Management grows by doing, faster where the community manages its own project
(seed 000), and is forgotten without practice (at ``management_decay`` times one minus
cohesion). A group is mature (*mandiri*) when own management, fund per member and
mean member skills pass their thresholds (seed 004's three dimensions); it dissolves
after ``dissolve_months`` of low cohesion, or when fewer than two members are left.
"""

from __future__ import annotations

import numpy as np

from sim.facilitation import learning_factor
from sim.livelihood import ECOTOURISM
from sim.state import ACTIVE, DISSOLVED, FORMING, MATURE, ORGANISATION


def group_life(model) -> None:
    p, h, g, rng = model.p, model.households, model.groups, model.rng
    if not g.n:
        return
    n = g.n
    stage = g.stage[:n]
    live = stage != DISSOLVED
    member = h.group >= 0

    # Drop-out: members leave more readily from groups with little cohesion.
    leave = member & (rng.random(len(h)) < p.dropout_rate * (1.0 - g.cohesion[np.maximum(h.group, 0)]))
    if leave.any():
        release(model, np.nonzero(leave)[0])
        member = h.group >= 0

    saving = member & (h.wealth > 1.0)
    deposit = np.where(saving, np.minimum(p.savings_rate * h.income, h.wealth - 1.0), 0.0)
    h.wealth -= deposit
    size = g.size[:n]
    g.fund[:n] += np.bincount(h.group[member], deposit[member], minlength=n)
    awareness = np.bincount(h.group[member], h.awareness[member], minlength=n) / np.maximum(size, 1)
    skills = np.bincount(h.group[member], h.skills[member], minlength=n) / np.maximum(size, 1)
    fund_per_member = g.fund[:n] / np.maximum(size, 1)

    ngo = 1.0 if p.project_management == "ngo" else 0.0
    effective = np.minimum(g.management[:n] + ngo * p.ngo_management_support * g.support[:n], 1.0)
    federated = model.places.stage[np.maximum(g.place[:n], 0)] >= ORGANISATION
    target = (
        effective
        + np.minimum(fund_per_member / max(p.mature_fund, 1e-9), 1.0)
        + g.support[:n]
        + awareness
    ) / 4.0 + p.federation_cohesion * federated + p.ecotourism_cohesion * ecotourism_earning(model)[:n]
    cohesion = g.cohesion[:n] + p.cohesion_rate * (target - g.cohesion[:n]) + p.cohesion_noise * rng.standard_normal(n)
    g.cohesion[:n] = np.where(live, np.clip(cohesion, 0.0, 1.0), g.cohesion[:n])

    # Learning by doing needs something to do it with: outside support or management already there.
    working = live & (stage != FORMING)
    upkeep = np.maximum(g.support[:n], g.management[:n])
    g.management[:n] += working * p.management_learning * learning_factor(p) * upkeep * (1.0 - g.management[:n])
    # Management not practised is forgotten: a group that hardly meets loses it.
    g.management[:n] -= live * p.management_decay * (1.0 - g.cohesion[:n]) * g.management[:n]
    # Market links last only where someone keeps them up.
    g.market_access[:n] *= 1.0 - p.market_decay * (1.0 - upkeep)

    age = model.month - g.founded[:n]
    stage[(stage == FORMING) & (age >= p.forming_months)] = ACTIVE
    mature = (
        (stage == ACTIVE)
        & (g.management[:n] >= p.mature_management)
        & (fund_per_member >= p.mature_fund)
        & (skills >= p.mature_skills)
    )
    stage[mature] = MATURE
    g.matured[:n][mature] = model.month

    g.low_months[:n] = np.where(live & (g.cohesion[:n] < p.dissolve_cohesion), g.low_months[:n] + 1, 0)
    dissolve = live & ((g.low_months[:n] >= p.dissolve_months) | ((size < 2) & (stage != FORMING)))
    if dissolve.any():
        dissolve_groups(model, np.nonzero(dissolve)[0])


def ecotourism_earning(model) -> np.ndarray:
    """Per group: whether it belongs to an ecotourism network big enough to earn."""
    g = model.groups
    eco = g.network[: g.n] == ECOTOURISM
    members = g.size[: g.n][eco & (g.stage[: g.n] != DISSOLVED)].sum()
    return eco & (members >= model.p.ecotourism_min_members)


def release(model, households: np.ndarray) -> None:
    """Members leave: group debt is settled from their wealth as far as it goes."""
    h, g = model.households, model.groups
    settle = np.minimum(h.group_debt[households], np.maximum(h.wealth[households], 0.0))
    h.wealth[households] -= settle
    np.add.at(g.fund, h.group[households], settle)
    np.subtract.at(g.size, h.group[households], 1)
    h.group_debt[households] = 0.0
    h.group[households] = -1
    h.network[households] = -1


def dissolve_groups(model, rows: np.ndarray) -> None:
    """A dissolved group repays its patron loan as far as its fund goes, then shares the rest
    among its last members."""
    h, g, pt = model.households, model.groups, model.patrons
    leaving = np.nonzero(np.isin(h.group, rows))[0]
    groups_of = h.group[leaving]
    size = g.size[rows].copy()
    release(model, leaving)
    repaid = np.minimum(g.fund[rows], g.patron_loan[rows])
    lent = g.lender[rows] >= 0
    pt.capital += np.bincount(g.lender[rows][lent], repaid[lent], minlength=len(pt))
    net = g.fund[rows] - repaid
    share = np.zeros(g.n)
    share[rows] = net / np.maximum(size, 1)
    h.wealth[leaving] += share[groups_of]
    g.fund[rows] = 0.0
    g.patron_loan[rows] = 0.0
    g.stage[rows] = DISSOLVED
    g.support[rows] = 0.0
    g.dissolved[rows] = model.month
    model.groups_dissolved += len(rows)
